"""Steady states: Newton's method on the logarithm of the states, for a batch of members at once."""

from __future__ import annotations

import numpy as np

from . import SolverError

__all__ = ["newton_log"]


def newton_log(residual, y0, *, tol=1e-13, max_iter=60):
    """Solve ``residual(y) = 0`` for positive ``y`` of shape ``(n, N)``, each column separately.

    Newton's method on ``x = log y`` with a forward-difference Jacobian for the whole batch at once
    (``n`` residual calls per iteration) and step halving where the residual grows. A member that
    has converged is not moved while the others iterate, so its result does not depend on them.
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
        step = np.where(norm < tol, 0.0, np.clip(step, -2.0, 2.0))  # converged members stay put
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
