r"""The linear algebra of the BDF integrator (:mod:`remodel.solvers.bdf`), for one member: norms,
the Jacobian by grouped forward differences, and the LU factors of the Newton matrix ``I - c J``.

The Jacobian is estimated by forward differences, perturbing together the states whose columns
share no nonzero row (Curtis, Powell and Reid 1974) once a full estimate has found its sparsity
pattern; ``I - c J`` is factorised with partial pivoting, and its factors are kept in compressed
rows, so that the solves skip the zeros of a sparse Jacobian.

References: Curtis, Powell and Reid (1974), IMA J. Appl. Math. 13, 117-119.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["finite", "jacobian", "lu_factor", "lu_solve", "norm"]

_EPS = np.finfo(float).eps


def norm(x, scale):
    """RMS norm of ``x / scale``."""
    s = 0.0
    for i in range(x.size):
        v = x[i] / scale[i]
        s += v * v
    return np.sqrt(s / x.size)


def finite(x):
    """True if every entry of ``x`` is finite."""
    for v in x:
        if not np.isfinite(v):
            return False
    return True


def lu_factor(J, c, LU, piv, ptr, idx, val):
    """LU factors of ``I - c J`` with partial pivoting; False if singular. The factors are kept in
    compressed rows (``ptr``, ``idx``, ``val``: the nonzero entries of L below and of U above the
    diagonal, then the diagonal of U), so that solves skip the zeros of a sparse Jacobian."""
    n = J.shape[0]
    for i in range(n):
        for j in range(n):
            LU[i, j] = -c * J[i, j]
        LU[i, i] += 1.0
    for k in range(n):
        p = k
        big = abs(LU[k, k])
        for i in range(k + 1, n):
            if abs(LU[i, k]) > big:
                big = abs(LU[i, k])
                p = i
        piv[k] = p
        if not big > 0.0 or not np.isfinite(big):
            return False
        if p != k:
            for j in range(n):
                LU[k, j], LU[p, j] = LU[p, j], LU[k, j]
        inverse = 1.0 / LU[k, k]
        for i in range(k + 1, n):
            LU[i, k] *= inverse
            lik = LU[i, k]
            if lik != 0.0:
                for j in range(k + 1, n):
                    LU[i, j] -= lik * LU[k, j]
    nnz = 0
    for part in range(2):
        for i in range(n):
            ptr[part * n + i] = nnz
            for j in range(0, i) if part == 0 else range(i + 1, n):
                if LU[i, j] != 0.0:
                    idx[nnz] = j
                    val[nnz] = LU[i, j]
                    nnz += 1
    ptr[2 * n] = nnz
    for i in range(n):
        val[nnz + i] = LU[i, i]
    return True


def lu_solve(piv, ptr, idx, val, b):
    """Solve with the factors of :func:`lu_factor`, in place in ``b``."""
    n = b.size
    for k in range(n):
        p = piv[k]
        if p != k:
            b[k], b[p] = b[p], b[k]
    for i in range(n):
        s = b[i]
        for k in range(ptr[i], ptr[i + 1]):
            s -= val[k] * b[idx[k]]
        b[i] = s
    diagonal = ptr[2 * n]
    for i in range(n - 1, -1, -1):
        s = b[i]
        for k in range(ptr[n + i], ptr[n + i + 1]):
            s -= val[k] * b[idx[k]]
        b[i] = s / val[diagonal + i]


def jacobian(rates, t, y, f, J, rtol, atol, m, args, full, pattern, group):
    """Forward-difference Jacobian ``J`` of member ``m``; returns the number of rate evaluations.

    A ``full`` estimate perturbs one state at a time and records the nonzero entries in
    ``pattern``; later estimates perturb together the states whose columns share no nonzero row
    (``group``, Curtis, Powell and Reid 1974). The caller asks for a full estimate again before it
    shrinks the step for want of Newton convergence, so a dependence that appears later is
    picked up.
    """
    n = y.size
    h = np.empty(n)
    for j in range(n):
        hj = np.sqrt(_EPS) * max(abs(y[j]), atol[j] / rtol)
        hj = (y[j] + hj) - y[j]  # exactly representable
        h[j] = hj if hj != 0.0 else _EPS
    yg = y.copy()
    fg = np.empty(n)
    if full:
        for j in range(n):
            yg[j] = y[j] + h[j]
            rates(t, yg, fg, m, *args)
            yg[j] = y[j]
            for i in range(n):
                J[i, j] = (fg[i] - f[i]) / h[j]
                pattern[i, j] = J[i, j] != 0.0 or i == j
        # greedy column groups: a column joins the first group none of whose rows it touches
        rows = np.zeros((n, n), dtype=np.bool_)
        n_groups = 0
        for j in range(n):
            g = 0
            while g < n_groups:
                clash = False
                for i in range(n):
                    if pattern[i, j] and rows[g, i]:
                        clash = True
                        break
                if not clash:
                    break
                g += 1
            n_groups = max(n_groups, g + 1)
            group[j] = g
            for i in range(n):
                rows[g, i] = rows[g, i] or pattern[i, j]
        return n
    n_groups = 0
    for j in range(n):
        n_groups = max(n_groups, group[j] + 1)
    for g in range(n_groups):
        for j in range(n):
            if group[j] == g:
                yg[j] = y[j] + h[j]
        rates(t, yg, fg, m, *args)
        for j in range(n):
            if group[j] == g:
                yg[j] = y[j]
                for i in range(n):
                    J[i, j] = (fg[i] - f[i]) / h[j] if pattern[i, j] else 0.0
    return n_groups


# Compiled into the integrator's loops (remodel.solvers.bdf) and cached with them.
norm, finite, lu_factor, lu_solve, jacobian = (numba.njit(error_model="numpy")(f)
                                              for f in (norm, finite, lu_factor, lu_solve, jacobian))
