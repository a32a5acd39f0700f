"""Numerical building blocks: batched Newton for steady states and segment-wise integration."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from scipy.integrate import solve_ivp

__all__ = ["SolverError", "newton_log", "integrate"]


class SolverError(RuntimeError):
    """The model could not be solved; the message says what failed and what to try."""


def newton_log(residual, y0, *, tol=1e-13, max_iter=60):
    """Solve ``residual(y) = 0`` for positive ``y`` of shape ``(n, N)``, each column separately.

    Newton's method on ``x = log y`` with a forward-difference Jacobian for the whole batch at once
    (``n`` residual calls per iteration) and step halving where the residual grows.
    ``residual`` must return relative rates (``dy/dt / y``) so that ``tol`` is scale free.
    """
    x = np.log(np.asarray(y0, dtype=float))
    n, N = x.shape
    f = residual(np.exp(x))
    for _ in range(max_iter):
        norm = np.max(np.abs(f), axis=0)
        if np.all(norm < tol):
            return np.exp(x)
        h = 1e-7
        jac = np.empty((N, n, n))
        for j in range(n):
            xj = x.copy()
            xj[j] += h
            jac[:, :, j] = ((residual(np.exp(xj)) - f) / h).T
        try:
            step = np.linalg.solve(jac, -f.T[..., None])[..., 0].T
        except np.linalg.LinAlgError:
            raise SolverError("steady state: singular Jacobian; check that no rate parameter is zero") from None
        step = np.clip(step, -2.0, 2.0)
        scale = np.ones(N)
        for _ in range(30):
            x_new = x + scale * step
            f_new = residual(np.exp(x_new))
            worse = ~(np.max(np.abs(f_new), axis=0) < norm) & (norm >= tol)
            if not worse.any():
                break
            scale = np.where(worse, 0.5 * scale, scale)
        x, f = x_new, f_new
    bad = int(np.sum(np.max(np.abs(f), axis=0) >= tol))
    raise SolverError(
        f"steady state not found for {bad} of {N} parameter sets (largest relative rate "
        f"{np.max(np.abs(f)):.2e}/day); the parameters may admit no positive steady state"
    )


def block_sparsity(n_states, N):
    """Jacobian sparsity of ``N`` independent members of ``n_states`` states, state-major order."""
    return scipy.sparse.kron(np.ones((n_states, n_states)), scipy.sparse.identity(N), format="csr")


def integrate(fun, y0, t_start, t_end, t_eval, *, rtol, atol, jac_sparsity):
    """Integrate ``dy/dt = fun(t, y)`` (flat ``y``) over one smooth segment with BDF.

    Returns the states at ``t_eval`` (shape ``(len(t_eval), n)``) and at ``t_end``.
    """
    t_eval = np.asarray(t_eval, dtype=float)
    with_end = t_eval if t_eval.size and t_eval[-1] == t_end else np.append(t_eval, t_end)
    sol = solve_ivp(
        fun, (t_start, t_end), y0, method="BDF", t_eval=with_end, rtol=rtol, atol=atol,
        jac_sparsity=jac_sparsity,
    )
    if not sol.success:
        raise SolverError(
            f"integration failed between day {t_start:g} and {t_end:g}: {sol.message} "
            "Try a tighter rtol, or check parameters far outside their bounds."
        )
    if not np.all(np.isfinite(sol.y)):
        raise SolverError(f"integration produced non-finite values between day {t_start:g} and {t_end:g}")
    return sol.y[:, : t_eval.size].T, sol.y[:, -1]
