"""Numerical solvers: the compiled variable-order BDF integrator (:mod:`remodel.solvers.bdf`) and the
batched Newton iteration of steady states (:mod:`remodel.solvers.newton`)."""

__all__ = ["SolverError"]


class SolverError(RuntimeError):
    """The model could not be solved; the message says what failed and what to try."""
