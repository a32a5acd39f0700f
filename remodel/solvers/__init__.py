"""Numerical solvers: the compiled variable-order BDF integrator (:mod:`remodel.solvers.bdf`) and the
batched Newton iteration of steady states (:mod:`remodel.solvers.newton`)."""

__all__ = ["STATISTICS", "SolverError"]

#: The work of an integration, counted per member by :class:`remodel.solvers.bdf.Integrator` (here,
#: so that naming it imports no numba).
STATISTICS = ("steps", "rate_evaluations", "jacobian_evaluations", "lu_factorisations")


class SolverError(RuntimeError):
    """The model could not be solved; the message says what failed and what to try."""
