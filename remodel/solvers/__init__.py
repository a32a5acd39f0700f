"""Numerical solvers: the compiled variable-order BDF integrator (:mod:`remodel.solvers.bdf`) and the
batched Newton iteration of steady states (:mod:`remodel.solvers.newton`)."""

__all__ = ["COMPILE_OPTIONS", "STATISTICS", "SolverError"]

#: The work of an integration, counted per member by :class:`remodel.solvers.bdf.Integrator` (here,
#: so that naming it imports no numba).
STATISTICS = ("steps", "rate_evaluations", "jacobian_evaluations", "lu_factorisations")

#: numba options of the compiled integrator and of the right-hand side it calls: LLVM's fast-math flags
#: that reorder and contract arithmetic (fused multiply-adds, reciprocals, reassociation, library
#: library functions), not those that assume no NaN or infinity (``nnan``, ``ninf``),
#: on which the structural pattern (NaN propagation, :func:`remodel.solvers.linalg.dependence`) and
#: the finiteness checks of the rates rest. Results move by rounding (every output of
#: ``benchmarks/results_unchanged.py`` at rtol 1e-6 and 1e-7 as far from a reference at rtol 1e-12 as
#: without them, to 3 digits); the right-hand side about a tenth faster.
COMPILE_OPTIONS = {"error_model": "numpy", "fastmath": {"contract", "arcp", "afn", "reassoc", "nsz"}}


class SolverError(RuntimeError):
    """The model could not be solved; the message says what failed and what to try."""
