"""Numerical building blocks: batched Newton for steady states and segment-wise integration."""

from __future__ import annotations

import numpy as np
import scipy.sparse

__all__ = ["SolverError", "newton_log", "integrate", "BlockSparsity", "block_sparsity"]


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


class BlockSparsity(tuple):
    """The Jacobian pattern of ``N`` independent members of ``n_states`` states (state-major), without
    the ``n_states**2 N`` entries of :func:`block_sparsity`: ``BlockSparsity(n_states, N)``."""

    def __new__(cls, n_states, N):
        return super().__new__(cls, (int(n_states), int(N)))

    def matrix(self):
        return block_sparsity(*self)


def block_sparsity(n_states, N):
    """Jacobian sparsity of ``N`` independent members of ``n_states`` states, state-major order."""
    return scipy.sparse.kron(np.ones((n_states, n_states)), scipy.sparse.identity(N), format="csr")


def integrate(fun, y0, t_start, t_end, t_eval, *, rtol, atol, jac_sparsity):
    """Integrate ``dy/dt = fun(t, y)`` (flat ``y``) over one smooth segment with BDF.

    Returns the states at ``t_eval`` (shape ``(len(t_eval), n)``) and at ``t_end``.

    When ``jac_sparsity`` is the pattern of :func:`block_sparsity` (``N`` independent members of
    ``n`` states), or a :class:`BlockSparsity` naming it without building it, the batch is integrated by :class:`_BlockBDF`: the variable-order BDF/NDF method
    of :func:`scipy.integrate.solve_ivp` (Shampine and Reichelt 1997) with the Jacobian and its LU
    factors kept as ``N`` dense ``n x n`` blocks, and every error and Newton norm taken per member
    (the largest member norm decides), so that a member is solved at least as accurately in a batch
    as alone. Any other pattern goes to :func:`scipy.integrate.solve_ivp` (BDF).
    """
    t_eval = np.asarray(t_eval, dtype=float)
    y0 = np.asarray(y0, dtype=float)
    if isinstance(jac_sparsity, BlockSparsity):
        if jac_sparsity[0] * jac_sparsity[1] != y0.size:
            raise ValueError(f"{jac_sparsity!r} does not match a state of size {y0.size}")
        blocks = tuple(jac_sparsity)
    else:
        blocks = _block_shape(jac_sparsity, y0.size)
    if blocks is not None:
        # Floating-point overflow and invalid operations are not warnings here: a member whose
        # state runs away gives non-finite rates, which fail the Newton iteration (smaller steps),
        # and a non-finite result is a SolverError below.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            values, end, ok, message = _BlockBDF(fun, t_start, y0, t_end, rtol, atol, *blocks).run(t_eval)
    else:
        from scipy.integrate import solve_ivp  # here: a cold start of the compiled path does not load it

        with_end = t_eval if t_eval.size and t_eval[-1] == t_end else np.append(t_eval, t_end)
        if isinstance(jac_sparsity, BlockSparsity):
            jac_sparsity = jac_sparsity.matrix()
        sol = solve_ivp(
            fun, (t_start, t_end), y0, method="BDF", t_eval=with_end, rtol=rtol, atol=atol,
            jac_sparsity=jac_sparsity,
        )
        ok, message = sol.success, sol.message
        values, end = (sol.y[:, : t_eval.size].T, sol.y[:, -1]) if ok else (None, None)
    if not ok:
        raise SolverError(
            f"integration failed between day {t_start:g} and {t_end:g}: {message} "
            "Try a tighter rtol, or check parameters far outside their bounds."
        )
    if not (np.all(np.isfinite(values)) and np.all(np.isfinite(end))):
        raise SolverError(f"integration produced non-finite values between day {t_start:g} and {t_end:g}")
    return values, end


# ----------------------------------------------------------------------------------------------
# Block-diagonal BDF
# ----------------------------------------------------------------------------------------------

def _block_shape(sparsity, size):
    """``(n, N)`` if ``sparsity`` is exactly ``block_sparsity(n, N)`` for a state of ``size``, else None."""
    if sparsity is None or not scipy.sparse.issparse(sparsity) or sparsity.shape != (size, size):
        return None
    S = scipy.sparse.csr_matrix(sparsity)
    row0 = S.indices[S.indptr[0]:S.indptr[1]]
    n = row0.size
    if n == 0 or size % n or S.nnz != n * size:
        return None
    N = size // n
    if not np.all(np.diff(S.indptr) == n):
        return None
    S = S.copy() if not S.has_sorted_indices else S
    S.sort_indices()
    expected = (np.arange(n) * N)[None, :] + (np.arange(size) % N)[:, None]
    if not np.array_equal(S.indices.reshape(size, n), expected):
        return None
    return n, N


_MAX_ORDER = 5
#: Up to this many members the Newton matrix goes to SuperLU as one sparse matrix (each solve is
#: one call); above it the vectorised elimination of :class:`_SparseLU` is faster.
_SUPERLU_MAX_MEMBERS = 64
_NEWTON_MAXITER = 4
_MIN_FACTOR = 0.2
_MAX_FACTOR = 10
_EPS = np.finfo(float).eps
_KAPPA = np.array([0, -0.1850, -1 / 9, -0.0823, -0.0415, 0])
_GAMMA = np.hstack((0, np.cumsum(1 / np.arange(1, _MAX_ORDER + 1))))
_ALPHA = (1 - _KAPPA) * _GAMMA
_ERROR_CONST = _KAPPA * _GAMMA + 1 / np.arange(1, _MAX_ORDER + 2)


def _compute_R(order, factor):
    I = np.arange(1, order + 1)[:, None]
    J = np.arange(1, order + 1)
    M = np.zeros((order + 1, order + 1))
    M[1:, 1:] = (I - 1 - factor * J) / I
    M[0] = 1
    return np.cumprod(M, axis=0)


def _combine(weights, rows):
    """``weights @ rows`` for a short weight vector and long rows, without BLAS (whose threads
    spin and slow these small products a thousandfold on a loaded machine)."""
    out = weights[0] * rows[0]
    for w, r in zip(weights[1:], rows[1:]):
        out += w * r
    return out


class _BlockBDF:
    """scipy's BDF (``scipy.integrate._ivp.bdf``) for ``N`` independent members of ``n`` states.

    The flat state is state-major (``y.reshape(n, N)``). The Jacobian is ``N`` blocks of
    ``n x n``, estimated by forward differences with every member perturbed at once
    (:meth:`_jacobian`). ``I - cJ`` is factorised by SuperLU for a few members, otherwise by
    elimination on the blocks' common sparsity pattern vectorised over members
    (:class:`_SparseLU`, with :class:`_DenseLU`, partial pivoting, where a pivot is unusable).
    Norms are RMS norms per member; the largest decides. Step size, order and the Newton
    iteration are scipy's, shared by the batch.
    """

    def __init__(self, fun, t0, y0, t_bound, rtol, atol, n, N):
        self.fun, self.n, self.N = fun, n, N
        self.t, self.t_bound = float(t0), float(t_bound)
        self.direction = np.sign(self.t_bound - self.t) if self.t_bound != self.t else 1.0
        self.y = y0.astype(float).copy()
        self.rtol = max(float(rtol), 100 * _EPS)
        self.atol = np.broadcast_to(np.asarray(atol, dtype=float), y0.shape)
        self.nfev = self.njev = self.nlu = 0
        f = self._fun(self.t, self.y)
        self.h_abs = self._initial_step(f)
        self.newton_tol = max(10 * _EPS / self.rtol, min(0.03, self.rtol ** 0.5))
        self._pattern = None
        self.J = self._jacobian(self.t, self.y, f)
        self.LU = None
        self._symbolic = {}
        self.D = np.empty((_MAX_ORDER + 3, self.y.size))
        self.D[0] = self.y
        self.D[1] = f * self.h_abs * self.direction
        self.order = 1
        self.n_equal_steps = 0

    # -- helpers --------------------------------------------------------------------------------
    def _fun(self, t, y):
        self.nfev += 1
        return np.asarray(self.fun(t, y), dtype=float)

    def _norm(self, x):
        """Largest per-member RMS norm of the flat ``x``."""
        x = x.reshape(self.n, self.N)
        return np.sqrt(np.max(np.mean(x * x, axis=0))) if x.size else np.float64(0.0)

    def _initial_step(self, f0):
        """Hairer, Norsett and Wanner (II.4), as scipy's ``select_initial_step``, member-wise."""
        interval = abs(self.t_bound - self.t)
        if interval == 0.0:
            return 0.0
        scale = self.atol + np.abs(self.y) * self.rtol
        d0 = np.sqrt(np.min(np.mean((self.y / scale).reshape(self.n, self.N) ** 2, axis=0)))
        d1 = self._norm(f0 / scale)
        h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
        h0 = min(h0, interval)
        f1 = self._fun(self.t + h0 * self.direction, self.y + h0 * self.direction * f0)
        d2 = self._norm((f1 - f0) / scale) / h0
        if d1 <= 1e-15 and d2 <= 1e-15:
            h1 = max(1e-6, h0 * 1e-3)
        else:
            h1 = (0.01 / max(d1, d2)) ** (1 / 2)
        h = min(100 * h0, h1, interval)
        # non-finite initial rates: any small step; the Newton iteration will fail and say so
        return float(h) if np.isfinite(h) and h > 0 else min(1e-6, interval)

    def _jacobian(self, t, y, f, full=False):
        """Blocks ``J[i, j, m] = d f_i / d y_j`` of member ``m`` by forward differences.

        A full estimate perturbs one state at a time (``n`` evaluations) and records which
        entries are nonzero in any member; later estimates perturb together the states whose
        columns share no nonzero row (Curtis, Powell and Reid 1974). :meth:`step` asks for a
        full estimate again before it shrinks the step for want of Newton convergence, so a
        dependence that appears later in the segment is picked up.
        """
        self.njev += 1
        n, N = self.n, self.N
        Y = y.reshape(n, N)
        F = f.reshape(n, N)
        h = np.sqrt(_EPS) * np.maximum(np.abs(Y), self.atol.reshape(n, N) / self.rtol)
        h = (Y + h) - Y  # exactly representable steps
        h[h == 0] = _EPS
        J = np.zeros((n, n, N))
        if full or self._pattern is None:
            for j in range(n):
                Yj = Y.copy()
                Yj[j] += h[j]
                J[:, j, :] = (self._fun(t, Yj.reshape(-1)).reshape(n, N) - F) / h[j]
            self._pattern = np.any(J != 0, axis=2) | np.eye(n, dtype=bool)
            self._groups = _column_groups(self._pattern)
            self.J_full = True
        else:
            for group in self._groups:
                Yg = Y.copy()
                Yg[group] += h[group]
                dF = self._fun(t, Yg.reshape(-1)).reshape(n, N) - F
                for j in group:
                    rows = self._pattern[:, j]
                    J[rows, j, :] = dF[rows] / h[j]
            self.J_full = False
        self._colmax = np.max(np.abs(J), axis=0)
        return J

    def _lu(self, c):
        """Factorise ``I - c J`` for every member (:class:`_SparseLU`, or dense with partial pivoting
        where a pivot of the sparse elimination is unusable)."""
        self.nlu += 1
        if self.N <= _SUPERLU_MAX_MEMBERS:
            return _SuperLU(self.J, c)
        pattern = np.any(self.J != 0, axis=2) | np.eye(self.n, dtype=bool)
        key = pattern.tobytes()
        if key not in self._symbolic:
            self._symbolic[key] = _SparseLU(pattern)
        lu = self._symbolic[key].factor(self.J, c, np.maximum(1.0, abs(c) * self._colmax))
        return lu if lu is not None else _DenseLU(self.J, c)

    def _solve(self, LU, b):
        return LU.solve(b.reshape(self.n, self.N)).reshape(-1)

    def _change_D(self, order, factor):
        RU = _compute_R(order, factor) @ _compute_R(order, 1)
        D = self.D[: order + 1].copy()
        for i in range(order + 1):
            self.D[i] = _combine(RU[:, i], D)

    # -- stepping -------------------------------------------------------------------------------
    def _newton(self, t_new, y_predict, c, psi, LU, scale):
        d = 0
        y = y_predict.copy()
        dy_norm_old = None
        converged = False
        k = 0
        for k in range(_NEWTON_MAXITER):
            f = self._fun(t_new, y)
            if not np.all(np.isfinite(f)):
                break
            dy = self._solve(LU, c * f - psi - d)
            dy_norm = self._norm(dy / scale)
            if not np.isfinite(dy_norm):
                break
            rate = None if dy_norm_old is None else dy_norm / dy_norm_old
            if rate is not None and (rate >= 1 or rate ** (_NEWTON_MAXITER - k) / (1 - rate) * dy_norm > self.newton_tol):
                break
            y += dy
            d = d + dy
            if dy_norm == 0 or rate is not None and rate / (1 - rate) * dy_norm < self.newton_tol:
                converged = True
                break
            dy_norm_old = dy_norm
        return converged, k + 1, y, d

    def step(self):
        t, D = self.t, self.D
        min_step = 10 * np.abs(np.nextafter(t, self.direction * np.inf) - t)
        if self.h_abs < min_step:
            h_abs = min_step
            self._change_D(self.order, min_step / self.h_abs)
            self.n_equal_steps = 0
        else:
            h_abs = self.h_abs
        order = self.order
        J_current = False
        LU = self.LU
        while True:
            if h_abs < min_step:
                return False
            h = h_abs * self.direction
            t_new = t + h
            if self.direction * (t_new - self.t_bound) > 0:
                t_new = self.t_bound
                self._change_D(order, np.abs(t_new - t) / h_abs)
                self.n_equal_steps = 0
                LU = None
            h = t_new - t
            h_abs = np.abs(h)
            y_predict = np.sum(D[: order + 1], axis=0)
            scale = self.atol + self.rtol * np.abs(y_predict)
            psi = _combine(_GAMMA[1: order + 1], D[1: order + 1]) / _ALPHA[order]
            c = h / _ALPHA[order]
            converged = False
            while not converged:
                if LU is None:
                    LU = self._lu(c)
                converged, n_iter, y_new, d = self._newton(t_new, y_predict, c, psi, LU, scale)
                if not converged:
                    if J_current and self.J_full:
                        break
                    self.J = self._jacobian(t_new, y_predict, self._fun(t_new, y_predict), full=J_current)
                    LU = None
                    J_current = True
            if not converged:
                h_abs *= 0.5
                self._change_D(order, 0.5)
                self.n_equal_steps = 0
                LU = None
                continue
            safety = 0.9 * (2 * _NEWTON_MAXITER + 1) / (2 * _NEWTON_MAXITER + n_iter)
            scale = self.atol + self.rtol * np.abs(y_new)
            error_norm = self._norm(_ERROR_CONST[order] * d / scale)
            if error_norm > 1:
                factor = max(_MIN_FACTOR, safety * error_norm ** (-1 / (order + 1)))
                h_abs *= factor
                self._change_D(order, factor)
                self.n_equal_steps = 0
            else:
                break

        self.n_equal_steps += 1
        self.t, self.y, self.h_abs, self.LU = t_new, y_new, h_abs, LU
        D[order + 2] = d - D[order + 1]
        D[order + 1] = d
        for i in reversed(range(order + 1)):
            D[i] += D[i + 1]
        if self.n_equal_steps < order + 1:
            return True
        error_m_norm = self._norm(_ERROR_CONST[order - 1] * D[order] / scale) if order > 1 else np.inf
        error_p_norm = self._norm(_ERROR_CONST[order + 1] * D[order + 2] / scale) if order < _MAX_ORDER else np.inf
        with np.errstate(divide="ignore"):
            factors = np.array([error_m_norm, error_norm, error_p_norm]) ** (-1 / np.arange(order, order + 3))
        order += int(np.argmax(factors)) - 1
        self.order = order
        factor = min(_MAX_FACTOR, safety * np.max(factors))
        self.h_abs *= factor
        self._change_D(order, factor)
        self.n_equal_steps = 0
        self.LU = None
        return True

    def _dense(self, t):
        """States at times ``t`` (1-D) within the last step: the BDF interpolating polynomial."""
        h = self.h_abs * self.direction
        order = self.order
        t_shift = self.t - h * np.arange(order)
        denom = h * (1 + np.arange(order))
        out = np.empty((t.size, self.y.size))
        for i, ti in enumerate(t):
            p = np.cumprod((ti - t_shift) / denom)
            out[i] = self.D[0] + _combine(p, self.D[1: order + 1])
        return out

    def run(self, t_eval):
        values = np.empty((t_eval.size, self.y.size))
        i = 0
        if self.t == self.t_bound:
            values[:] = self.y
            return values, self.y, True, ""
        while True:
            t_old = self.t
            if not self.step():
                return None, None, False, f"Required step size is less than spacing between numbers (at day {t_old:g})."
            j = np.searchsorted(t_eval, self.t, side="right") if self.direction > 0 else \
                np.searchsorted(-t_eval, -self.t, side="right")
            if j > i:
                exact = t_eval[i:j] == self.t
                values[i:j] = self._dense(t_eval[i:j])
                values[i:j][exact] = self.y
                i = j
            if self.direction * (self.t - self.t_bound) >= 0:
                return values, self.y.copy(), True, ""


def _column_groups(pattern):
    """Greedy groups of columns that share no nonzero row."""
    groups, used_rows = [], []
    for j in range(pattern.shape[1]):
        for g, rows in zip(groups, used_rows):
            if not np.any(rows & pattern[:, j]):
                g.append(j)
                rows |= pattern[:, j]
                break
        else:
            groups.append([j])
            used_rows.append(pattern[:, j].copy())
    return [np.array(g) for g in groups]


def _min_degree_order(pattern):
    """Greedy minimum-degree elimination order of the symmetrised pattern (small ``n``)."""
    G = pattern | pattern.T
    n = len(G)
    G = G.copy()
    left = list(range(n))
    order = []
    while left:
        degree = [int(G[i, left].sum()) for i in left]
        k = left[int(np.argmin(degree))]
        nbrs = [j for j in left if G[k, j] and j != k]
        for i in nbrs:
            G[i, nbrs] = True
        left.remove(k)
        order.append(k)
    return np.array(order)


class _SparseLU:
    """Gaussian elimination without pivoting on a fixed sparsity pattern, vectorised over members.

    The symbolic part (ordering, fill-in, index lists) is done once per pattern; :meth:`factor`
    returns None when a pivot is zero, non-finite or tiny against its column, so that the caller
    can fall back to partial pivoting.
    """

    def __init__(self, pattern):
        n = len(pattern)
        self.n = n
        self.q = _min_degree_order(pattern)
        F = pattern[np.ix_(self.q, self.q)].copy()
        for k in range(n):
            rows = np.nonzero(F[k + 1:, k])[0] + k + 1
            cols = np.nonzero(F[k, k + 1:])[0] + k + 1
            F[np.ix_(rows, cols)] = True
        self.rows_idx, self.cols_idx = np.nonzero(F)
        pos = -np.ones((n, n), dtype=np.intp)
        pos[self.rows_idx, self.cols_idx] = np.arange(self.rows_idx.size)
        self.diag = pos[np.arange(n), np.arange(n)]
        self.steps = []
        for k in range(n):
            rows = np.nonzero(F[k + 1:, k])[0] + k + 1
            cols = np.nonzero(F[k, k + 1:])[0] + k + 1
            self.steps.append((
                rows, cols, pos[rows, k], pos[k, cols],
                pos[np.ix_(rows, cols)].reshape(-1),
                np.repeat(pos[rows, k], cols.size), np.tile(pos[k, cols], rows.size),
            ))
        # original (unpermuted) coordinates of the stored entries
        self.src_rows, self.src_cols = self.q[self.rows_idx], self.q[self.cols_idx]

    def factor(self, J, c, column_scale):
        """LU factors of ``I - c J`` (``J`` of shape ``(n, n, N)``); ``column_scale`` ``(n, N)``
        bounds each column of ``I - c J`` and judges the pivots."""
        V = -c * J[self.src_rows, self.src_cols]
        V[self.diag] += 1.0
        scale = column_scale[self.q]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for k, (rows, cols, lpos, upos, upd, upd_l, upd_u) in enumerate(self.steps):
                pivot = V[self.diag[k]]
                if not np.all(np.abs(pivot) > 1e-10 * scale[k]):
                    return None
                if rows.size:
                    V[lpos] /= pivot
                    if cols.size:
                        V[upd] -= V[upd_l] * V[upd_u]
            inverse_pivot = 1.0 / V[self.diag]
        if not np.all(np.isfinite(V)):
            return None
        return _SparseFactors(self, V, inverse_pivot)


class _SparseFactors:
    def __init__(self, symbolic, V, inverse_pivot):
        self.s, self.V, self.inverse_pivot = symbolic, V, inverse_pivot

    def solve(self, b):
        s, V = self.s, self.V
        x = b[s.q]
        with np.errstate(invalid="ignore", over="ignore"):
            for k, (rows, cols, lpos, upos, *_) in enumerate(s.steps):
                if rows.size:
                    x[rows] -= V[lpos] * x[k]
            for k in range(s.n - 1, -1, -1):
                rows, cols, lpos, upos = s.steps[k][:4]
                if cols.size:
                    x[k] -= np.sum(V[upos] * x[cols], axis=0)
                x[k] *= self.inverse_pivot[k]
        out = np.empty_like(x)
        out[s.q] = x
        return out


class _SuperLU:
    """``I - c J`` as one sparse block-diagonal matrix factorised by SuperLU (few members)."""

    def __init__(self, J, c):
        import scipy.sparse.linalg  # here: a cold start of the compiled path does not load it

        n, _, N = J.shape
        i, j, m = np.nonzero(J)
        diag = np.arange(n * N)
        M = scipy.sparse.csc_matrix(
            (np.concatenate([-c * J[i, j, m], np.ones(n * N)]),
             (np.concatenate([i * N + m, diag]), np.concatenate([j * N + m, diag]))),
            shape=(n * N, n * N))
        self.shape = (n, N)
        try:
            self.lu = scipy.sparse.linalg.splu(M)
        except RuntimeError:  # singular or non-finite: the Newton iteration fails, the step shrinks
            self.lu = None

    def solve(self, b):
        if self.lu is None:
            return np.full(self.shape, np.nan)
        return self.lu.solve(b.reshape(-1)).reshape(self.shape)


class _DenseLU:
    """``I - c J`` factorised member by member with partial pivoting (vectorised over members)."""

    def __init__(self, J, c):
        n, _, N = J.shape
        A = -c * J
        A[np.arange(n), np.arange(n)] += 1.0
        perm = np.repeat(np.arange(n)[:, None], N, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            for k in range(n - 1):
                p = k + np.argmax(np.abs(A[k:, k, :]), axis=0)
                swap = np.nonzero(p != k)[0]
                if swap.size:
                    ps = p[swap]
                    row_k = A[k][:, swap].copy()
                    A[k][:, swap] = A[ps, :, swap].T
                    A[ps, :, swap] = row_k.T
                    perm_k = perm[k, swap].copy()
                    perm[k, swap] = perm[ps, swap]
                    perm[ps, swap] = perm_k
                A[k + 1:, k, :] /= A[k, k, :]
                A[k + 1:, k + 1:, :] -= A[k + 1:, k, None, :] * A[k, None, k + 1:, :]
        self.A, self.perm, self.n = A, perm, n

    def solve(self, b):
        A, n = self.A, self.n
        x = np.take_along_axis(b, self.perm, axis=0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for i in range(1, n):
                x[i] -= np.sum(A[i, :i] * x[:i], axis=0)
            for i in range(n - 1, -1, -1):
                if i < n - 1:
                    x[i] -= np.sum(A[i, i + 1:] * x[i + 1:], axis=0)
                x[i] /= A[i, i]
        return x
