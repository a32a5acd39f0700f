r"""The linear algebra of the BDF integrator (:mod:`remodel.solvers.bdf`), for one member: norms,
the Jacobian by grouped forward differences, and the LU factors of the Newton matrix ``I - c J``.

The Jacobian is estimated by forward differences, perturbing together the states whose columns
share no nonzero row (Curtis, Powell and Reid 1974) of its structural sparsity pattern
(:func:`dependence`: which rates a NaN in each state reaches, found once for a batch), or of the
pattern of nonzero entries that a full estimate (one state at a time) has found where the
structural one is not at hand. ``I - c J`` is factorised on the sparsity pattern of the Jacobian and its fill-in
(:func:`lu_structure`, found once per pattern) with the diagonal as pivot, unless that makes the
entries of U grow (:data:`GROWTH_LIMIT`) or meets a zero pivot: then densely with partial pivoting.
The factors are kept in compressed rows, so that the solves skip the zeros of a sparse Jacobian.

The states of the sites are coupled only through a few shared (systemic) states, so the pattern
is sparse: 170 of the 1,681 entries of the model of 41 states are structurally nonzero, 140 in L
and U besides the diagonal with the fill-in in the order of :func:`lu_structure`, and a
factorisation takes a few hundred multiply-adds instead of the ~23,000 of the dense one. Its
matrices need no row exchanges: without them the largest entry of ``|L| |U|`` is that of
``|I - c J|`` (checked on the Jacobian of benchmark (a) for ``c`` from 0.1 to 30,000 days; the
rows of U grow by at most 1.2 for ``c`` up to 30 days, 13 at 3,000), as with partial pivoting,
which the states' units defeat anyway (a drug's depot and serum rows differ by orders of
magnitude, and partial pivoting would exchange them for nothing).

References: Curtis, Powell and Reid (1974), IMA J. Appl. Math. 13, 117-119; Welsh and Powell
(1967), Comput. J. 10, 85-86 (largest-first colouring); Duff, Erisman and Reid
(1986), Direct Methods for Sparse Matrices, Oxford, section 4.3 (growth); Tinney and Walker
(1967), Proc. IEEE 55, 1801-1809 (orderings by degree).
"""

from __future__ import annotations

import numba
import numpy as np

from . import COMPILE_OPTIONS

__all__ = ["GROWTH_LIMIT", "column_groups", "dependence", "finite", "jacobian", "lu_factor", "lu_solve",
           "lu_structure", "norm"]

_EPS = np.finfo(float).eps
#: The diagonal pivots of the sparse factorisation are kept if no row of U has an entry larger than
#: this times the largest of the same row of ``I - c J`` (growth by the elimination; else the
#: factorisation is dense with partial pivoting).
GROWTH_LIMIT = 1e3


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


def lu_structure(pattern, perm, fill_ptr, fill_idx, col_ptr, col_idx):
    """The order of elimination and the entries of the LU factors of a matrix with nonzero
    ``pattern`` (and diagonal), without row exchanges.

    The states are eliminated in ``perm`` (``(n,)``) in a minimum-degree order (Tinney and Walker
    1967, scheme 2): next the state with the fewest entries in its row and column among the states
    left, counting the fill-in of those eliminated before it (ties in state order), which keeps the
    fill-in small (the model of 41 states: 140 entries in L and U besides the diagonal on its
    structural pattern; for the model of 40 states 136, against 149 in the order by the entries of
    the pattern alone and 218 in the order of the states). The entries, in the positions of the permuted
    matrix: in compressed rows (``fill_ptr`` ``(2n + 1,)``, ``fill_idx`` ``(n * n,)``: the columns
    of L below, then of U above the diagonal, row by row, as :func:`lu_factor` keeps the factors)
    and the rows of each column of L (``col_ptr`` ``(n + 1,)``, ``col_idx`` ``(n * n,)``)."""
    n = pattern.shape[0]
    filled = pattern.copy()  # the pattern with the fill-in of the states eliminated so far
    done = np.zeros(n, dtype=np.bool_)
    for k in range(n):
        best, least = -1, n + n
        for v in range(n):
            if not done[v]:
                degree = 0
                for u in range(n):
                    if u != v and not done[u] and (filled[v, u] or filled[u, v]):
                        degree += 1
                if degree < least:
                    best, least = v, degree
        perm[k] = best
        done[best] = True
        for i in range(n):
            if not done[i] and filled[i, best]:
                for j in range(n):
                    if not done[j] and filled[best, j]:
                        filled[i, j] = True
    filled = np.empty((n, n), dtype=np.bool_)
    for i in range(n):
        for j in range(n):
            filled[i, j] = pattern[perm[i], perm[j]]
    for k in range(n):  # symbolic elimination: row i gains the columns of row k right of k
        for i in range(k + 1, n):
            if filled[i, k]:
                for j in range(k + 1, n):
                    if filled[k, j]:
                        filled[i, j] = True
    nnz = 0
    for part in range(2):
        for i in range(n):
            fill_ptr[part * n + i] = nnz
            for j in range(0, i) if part == 0 else range(i + 1, n):
                if filled[i, j]:
                    fill_idx[nnz] = j
                    nnz += 1
    fill_ptr[2 * n] = nnz
    nnz = 0
    for k in range(n):
        col_ptr[k] = nnz
        for i in range(k + 1, n):
            if filled[i, k]:
                col_idx[nnz] = i
                nnz += 1
    col_ptr[n] = nnz


def lu_factor(J, c, LU, piv, rows, ptr, idx, val, perm, fill_ptr, fill_idx, col_ptr, col_idx):
    """LU factors of ``I - c J``; False if singular. In the order and on the entries of
    :func:`lu_structure` (``perm`` and the pattern of ``J`` with its fill-in) with the diagonal as
    pivot, unless a pivot is zero or U grows (:data:`GROWTH_LIMIT`): then densely with partial
    pivoting (row exchanges ``piv``, in the order of the states). For :func:`lu_solve`: the rows in
    the order of elimination (``rows``, states) and the factors in compressed rows (``ptr``,
    ``idx``, ``val``: the nonzero entries of L below and of U above the diagonal, by the states of
    their columns, then the inverse of the diagonal of U, multiplied rather than divided by: the
    back substitution is a chain of dependent operations), so that solves skip the zeros of a
    sparse Jacobian."""
    n = J.shape[0]
    row_max = val[n * n:]  # scratch until the factors are written
    for i in range(n):  # LU holds the permuted matrix
        LU[i, i] = 1.0 - c * J[perm[i], perm[i]]
        big = abs(LU[i, i])
        for q in range(fill_ptr[i], fill_ptr[i + 1]):
            LU[i, fill_idx[q]] = -c * J[perm[i], perm[fill_idx[q]]]
            big = max(big, abs(LU[i, fill_idx[q]]))
        for q in range(fill_ptr[n + i], fill_ptr[n + i + 1]):
            LU[i, fill_idx[q]] = -c * J[perm[i], perm[fill_idx[q]]]
            big = max(big, abs(LU[i, fill_idx[q]]))
        row_max[i] = big
    sparse = True
    for k in range(n):
        pivot = LU[k, k]
        if not (abs(pivot) > 0.0 and abs(pivot) <= GROWTH_LIMIT * row_max[k]):  # zero, grown, or not finite
            sparse = False
            break
        big = 0.0
        for r in range(fill_ptr[n + k], fill_ptr[n + k + 1]):
            big = max(big, abs(LU[k, fill_idx[r]]))
        if not big <= GROWTH_LIMIT * row_max[k]:
            sparse = False
            break
        inverse = 1.0 / pivot
        for q in range(col_ptr[k], col_ptr[k + 1]):
            i = col_idx[q]
            lik = LU[i, k] * inverse
            LU[i, k] = lik
            if lik != 0.0:
                for r in range(fill_ptr[n + k], fill_ptr[n + k + 1]):
                    LU[i, fill_idx[r]] -= lik * LU[k, fill_idx[r]]
    if sparse:
        nnz = fill_ptr[2 * n]
        for r in range(2 * n + 1):
            ptr[r] = fill_ptr[r]
        for i in range(n):
            piv[i] = i
            rows[i] = perm[i]
            for q in range(fill_ptr[i], fill_ptr[i + 1]):
                idx[q] = perm[fill_idx[q]]
                val[q] = LU[i, fill_idx[q]]
            for q in range(fill_ptr[n + i], fill_ptr[n + i + 1]):
                idx[q] = perm[fill_idx[q]]
                val[q] = LU[i, fill_idx[q]]
            val[nnz + i] = 1.0 / LU[i, i]
        return True
    for i in range(n):
        rows[i] = i
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
        val[nnz + i] = 1.0 / LU[i, i]
    return True


def lu_solve(piv, rows, ptr, idx, val, b):
    """Solve with the factors of :func:`lu_factor`, in place in ``b``: its row exchanges ``piv``,
    then forward and back substitution with the rows in the order ``rows``."""
    n = b.size
    for k in range(n):
        p = piv[k]
        if p != k:
            b[k], b[p] = b[p], b[k]
    for r in range(n):
        i = rows[r]
        s = b[i]
        for k in range(ptr[r], ptr[r + 1]):
            s -= val[k] * b[idx[k]]
        b[i] = s
    diagonal = ptr[2 * n]
    for r in range(n - 1, -1, -1):
        i = rows[r]
        s = b[i]
        for k in range(ptr[n + r], ptr[n + r + 1]):
            s -= val[k] * b[idx[k]]
        b[i] = s * val[diagonal + r]


def column_groups(pattern, group):
    """Column groups of ``pattern`` into ``group`` (Curtis, Powell and Reid 1974): columns in
    decreasing order of the number of other columns they share a row with (largest first, Welsh and
    Powell 1967), each joining the first group none of whose rows it touches. Returns the number of
    groups (at least the most nonzeros in a row)."""
    n = pattern.shape[0]
    clashes = np.zeros(n, dtype=np.int64)
    for j in range(n):
        for k in range(n):
            if k != j:
                for i in range(n):
                    if pattern[i, j] and pattern[i, k]:
                        clashes[j] += 1
                        break
    order = np.argsort(-clashes, kind="mergesort")
    rows = np.zeros((n, n), dtype=np.bool_)
    n_groups = 0
    for j in order:
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
    return n_groups


def dependence(rates, t, y, m, args, pattern):
    """The structural sparsity pattern of the Jacobian of ``rates`` (member ``m``), into ``pattern``:
    ``pattern[i, j]`` if rate ``i`` depends on state ``j`` (and on the diagonal). Found by setting
    one state at a time to NaN, which propagates through every arithmetic operation whatever the
    values (``0 * NaN`` is NaN, so a parameter or state that happens to be zero hides no
    dependence, unlike a finite difference) and through ``np.maximum``, ``np.abs`` and the
    elementary functions; a right-hand side that branches on a state's value could hide one, and
    the integrator falls back on a full finite-difference estimate when Newton's iteration fails
    anyway. So the pattern is the same for every member of a batch: a property of the code, not of
    the member's numbers. Returns False (and the pattern is undefined) if the rates at ``y`` are not
    finite to start with."""
    n = y.size
    out = np.empty(n)
    yg = y.copy()
    rates(t, yg, out, m, *args)
    if not finite(out):
        return False
    for j in range(n):
        yg[j] = np.nan
        rates(t, yg, out, m, *args)
        yg[j] = y[j]
        for i in range(n):
            pattern[i, j] = i == j or np.isnan(out[i])
    return True


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
        column_groups(pattern, group)
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
norm, finite, lu_structure, lu_factor, lu_solve, column_groups, dependence, jacobian = (
    numba.njit(**COMPILE_OPTIONS)(f)
    for f in (norm, finite, lu_structure, lu_factor, lu_solve, column_groups, dependence, jacobian))
