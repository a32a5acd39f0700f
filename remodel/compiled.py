r"""Compiled integration (numba, ``pip install "remodel[fast]"``): every member of a batch solved
alone, the members in parallel.

Each member is integrated by its own variable-order BDF/NDF (scipy's ``BDF`` of Shampine and
Reichelt 1997, as :class:`remodel.solver._BlockBDF`, but with the step size, order, Newton iteration
and Jacobian of the member alone): a member's trajectory does not depend on its batch-mates.

The right-hand side is not a second copy of the model: the functions of :mod:`remodel.model`
(:func:`~remodel.model.site_rates`) and of the blocks are compiled as they are, with the parameters
of a member as a record (``p["K_D2"]`` reads a field) and numbers for arrays. Compiled code is
cached on disk (numba ``cache=True``), so only the first use after an install compiles.
"""

from __future__ import annotations

import numpy as np

from .blocks import bone, cells, drugs, estradiol, mechanics, signalling
from .model import DAYS_PER_YEAR, SITE_STATES, Model, ageing, multipliers, site_rates
from .populations import SITES
from .solver import (_ALPHA, _EPS, _ERROR_CONST, _GAMMA, _MAX_FACTOR, _MAX_ORDER, _MIN_FACTOR, _NEWTON_MAXITER,
                     _compute_R)

try:
    import numba
    from numba.extending import register_jitable
except ImportError:  # the numpy engine of remodel.solver is used instead
    numba = None

__all__ = ["AVAILABLE", "integrate_members", "set_threads"]

AVAILABLE = numba is not None

_N_SITES = len(SITES)
_N_SITE_STATES = len(SITE_STATES)
_OBA, _OCA = SITE_STATES.index("OBa"), SITE_STATES.index("OCa")
#: Per-member numbers besides the parameters: the reference cells, the piecewise-constant drivers
#: of :class:`remodel.model.Constants` and, per site, turnover and loading.
_MEMBER_FIELDS = ("OBa_ref", "OCa_ref", "pi_ref", "m_pth", "m_supply", "m_k2", "m_inflammation", "m_aromatase",
                  "inhibition", "suppression", "occupancy", "trt")
(_OBA_REF, _OCA_REF, _PI_REF, _M_PTH, _M_SUPPLY, _M_K2, _M_INFLAMMATION, _M_AROMATASE, _INHIBITION, _SUPPRESSION,
 _OCCUPANCY, _TRT) = range(len(_MEMBER_FIELDS))
_RHO, _LOADING = 0, 1  # per site
#: Fewer members than this are integrated in the calling thread (a member takes 0.1-10 ms, more than
#: starting the threads; a single one gains nothing from them).
_PARALLEL_MIN_MEMBERS = 4
_STATUS = {1: "required step size is less than spacing between numbers", 2: "non-finite rates"}

#: scipy's ``compute_R(order, 1)`` for each order (upper left corners)
_U = np.zeros((_MAX_ORDER + 1, _MAX_ORDER + 1, _MAX_ORDER + 1))
for _order in range(_MAX_ORDER + 1):
    _U[_order, : _order + 1, : _order + 1] = _compute_R(_order, 1)


def parameter_records(model: Model):
    """The parameters of every member as records ``(N,)`` (a field per parameter) and, per site,
    turnover ``(N, site)``."""
    names = sorted(k for k, v in model.p.items() if np.ndim(v) == 1)
    records = np.empty(model.N, dtype=[(k, "f8") for k in names])
    for k in names:
        records[k] = model.p[k]
    return records, np.ascontiguousarray(model.p["rho"].T)


def member_inputs(model: Model, constants, records):
    """The arguments of the compiled right-hand side after the member: ``records`` of
    :func:`parameter_records`, the member numbers of :data:`_MEMBER_FIELDS` ``(N, k)``, turnover
    and loading per site ``(N, 2, site)``, the time at which the drivers are frozen (NaN if not)
    and the population's numbers."""
    records, rho = records
    ref = model.reference
    values = {"OBa_ref": ref["OBa"], "OCa_ref": ref["OCa"], "pi_ref": ref["pi"], **constants._asdict()}
    member = np.ascontiguousarray(np.stack([np.broadcast_to(values[k], (model.N,)) for k in _MEMBER_FIELDS], axis=1))
    per_site = np.ascontiguousarray(np.stack([rho, constants.loading.T], axis=1))  # _RHO, _LOADING
    population = model.population
    frozen_at = np.nan if model.frozen_at is None else float(model.frozen_at)
    return (records, member, per_site, frozen_at, population.sex == "female",
            *estradiol.population_constants(population), float(population.weight_kg))


def _rates(t, y, out, m, records, member, per_site, frozen_at, female, menopause_age, age_now, testosterone_now,
           weight_kg):
    """Rates ``out`` of member ``m`` at ``t`` (days) in state ``y`` (flat, as :class:`remodel.model.Model`);
    the drivers are those at ``frozen_at`` unless it is NaN."""
    p = records[m]
    c = member[m]
    age = age_now + (t if np.isnan(frozen_at) else frozen_at) / DAYS_PER_YEAR
    _, _, a_E, a_A = estradiol.steroid_levels(female, age, menopause_age, age_now, testosterone_now, c[_INHIBITION],
                                              c[_SUPPRESSION], c[_OCCUPANCY], c[_TRT], p, c[_M_AROMATASE])
    g = ageing(age, p)
    n = _N_SITE_STATES * _N_SITES
    S_a, S_b, A, C = y[n], y[n + 1], y[n + 2], y[n + 3]
    OBa_sum = 0.0
    OCa_sum = 0.0
    for i in range(_N_SITES):
        rates, _, _, _ = site_rates(y[i], y[_N_SITES + i], y[2 * _N_SITES + i], y[3 * _N_SITES + i],
                                    y[4 * _N_SITES + i], y[5 * _N_SITES + i], y[6 * _N_SITES + i],
                                    y[7 * _N_SITES + i], S_a, C, g, a_E,
                                    a_A, per_site[m, _LOADING, i], c[_M_PTH], c[_M_SUPPLY], c[_M_K2],
                                    c[_M_INFLAMMATION], per_site[m, _RHO, i], p, c[_OBA_REF], c[_OCA_REF], c[_PI_REF])
        for k in range(_N_SITE_STATES):
            out[k * _N_SITES + i] = rates[k]
        OBa_sum += y[_OBA * _N_SITES + i]
        OCa_sum += y[_OCA * _N_SITES + i]
    dS_a, dS_b, dA, dC = drugs.drug_rates(S_a, S_b, A, C, OBa_sum / _N_SITES / c[_OBA_REF],
                                          OCa_sum / _N_SITES / c[_OCA_REF], p, weight_kg)
    out[n], out[n + 1], out[n + 2], out[n + 3] = dS_a, dS_b, dA, dC


def _norm(x, scale):
    """RMS norm of ``x / scale``."""
    s = 0.0
    for i in range(x.size):
        v = x[i] / scale[i]
        s += v * v
    return np.sqrt(s / x.size)


def _finite(x):
    """True if every entry of ``x`` is finite."""
    for v in x:
        if not np.isfinite(v):
            return False
    return True


def _jacobian(t, y, f, J, rtol, atol, m, args, full, pattern, group):
    """Forward-difference Jacobian ``J`` of member ``m``; returns the number of rate evaluations.

    A ``full`` estimate perturbs one state at a time and records the nonzero entries in
    ``pattern``; later estimates perturb together the states whose columns share no nonzero row
    (``group``, Curtis, Powell and Reid 1974). The caller asks for a full estimate again before it
    shrinks the step for want of Newton convergence, so a dependence that appears later is
    picked up (as :meth:`remodel.solver._BlockBDF._jacobian`).
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
            _rates(t, yg, fg, m, *args)
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
        _rates(t, yg, fg, m, *args)
        for j in range(n):
            if group[j] == g:
                yg[j] = y[j]
                for i in range(n):
                    J[i, j] = (fg[i] - f[i]) / h[j] if pattern[i, j] else 0.0
    return n_groups


def _lu_factor(J, c, LU, piv, ptr, idx, val):
    """LU factors of ``I - c J`` with partial pivoting; False if singular. The factors are kept in
    compressed rows (``ptr``, ``idx``, ``val``: the nonzero entries of L below and of U above the
    diagonal, then the diagonal of U), so that solves skip the zeros of the sparse Jacobian."""
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
    for part in range(2):  # rows of L, then rows of U
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


def _lu_solve(piv, ptr, idx, val, b):
    """Solve with the factors of :func:`_lu_factor`, in place in ``b``."""
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


def _fill_R(order, factor, R):
    """scipy's ``compute_R`` into ``R[:order + 1, :order + 1]``."""
    for j in range(order + 1):
        R[0, j] = 1.0
    for i in range(1, order + 1):
        R[i, 0] = 0.0
        for j in range(1, order + 1):
            R[i, j] = R[i - 1, j] * (i - 1 - factor * j) / i


def _change_D(D, order, factor, work, old):
    """Rescale the differences ``D`` to a step ``factor`` times the current one (scipy's
    ``change_D``); ``work`` ``(2, 6, 6)`` and ``old`` ``(6, n)`` are scratch."""
    R, RU = work[0], work[1]
    _fill_R(order, factor, R)
    U = _U[order]
    for i in range(order + 1):
        for j in range(order + 1):
            s = 0.0
            for k in range(order + 1):
                s += R[i, k] * U[k, j]
            RU[i, j] = s
    n = D.shape[1]
    for j in range(order + 1):
        for k in range(n):
            old[j, k] = D[j, k]
    for i in range(order + 1):
        for k in range(n):
            s = 0.0
            for j in range(order + 1):
                s += RU[j, i] * old[j, k]
            D[i, k] = s


def _initial_step(t, y, f0, t_bound, rtol, atol, m, args):
    """Hairer, Norsett and Wanner (II.4), as scipy's ``select_initial_step``."""
    interval = abs(t_bound - t)
    scale = atol + np.abs(y) * rtol
    d0 = _norm(y, scale)
    d1 = _norm(f0, scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, interval)
    direction = 1.0 if t_bound >= t else -1.0
    f1 = np.empty(y.size)
    _rates(t + h0 * direction, y + h0 * direction * f0, f1, m, *args)
    d2 = _norm(f1 - f0, scale) / h0
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** 0.5
    h = min(100 * h0, h1, interval)
    return h if np.isfinite(h) and h > 0 else min(1e-6, interval)


def _member(m, t0, t_bound, Y0, t_eval, rtol, atol_all, values, Y_end, counts, args):
    """Integrate member ``m`` (column ``m`` of ``Y0``, ``atol_all`` and ``Y_end`` ``(n_states, N)``)
    from ``t0`` to ``t_bound``; states at ``t_eval`` into ``values[:, :, m]``.

    The step of scipy's ``BDF._step_impl`` and Newton iteration of its ``solve_bdf_system``, for one
    member. Returns 0, or a key of :data:`_STATUS`. ``counts[m]`` receives the numbers of steps,
    rate and Jacobian evaluations and LU factorisations.
    """
    n = Y0.shape[0]
    y0 = np.empty(n)
    atol = np.empty(n)
    for i in range(n):
        y0[i] = Y0[i, m]
        atol[i] = atol_all[i, m]
    t = t0
    direction = 1.0 if t_bound >= t0 else -1.0
    y = y0.copy()
    f = np.empty(n)
    _rates(t, y, f, m, *args)
    nfev = 1
    n_eval = t_eval.size
    i_eval = 0
    if t == t_bound:
        for i in range(n):
            Y_end[i, m] = y[i]
            for k in range(n_eval):
                values[k, i, m] = y[i]
        return 0
    if not _finite(f):
        return 2
    h_abs = _initial_step(t, y, f, t_bound, rtol, atol, m, args)
    nfev += 1
    newton_tol = max(10 * _EPS / rtol, min(0.03, rtol ** 0.5))
    J = np.empty((n, n))
    pattern = np.empty((n, n), dtype=np.bool_)
    group = np.empty(n, dtype=np.int64)
    nfev += _jacobian(t, y, f, J, rtol, atol, m, args, True, pattern, group)
    njev = 1
    nlu = 0
    J_full = True
    LU = np.empty((n, n))
    piv = np.empty(n, dtype=np.int64)
    ptr = np.empty(2 * n + 1, dtype=np.int64)
    idx = np.empty(n * n, dtype=np.int64)
    val = np.empty(n * n + n)
    lu_ok = False
    D = np.zeros((_MAX_ORDER + 3, n))
    work = np.empty((2, _MAX_ORDER + 1, _MAX_ORDER + 1))
    old = np.empty((_MAX_ORDER + 1, n))
    D[0] = y
    D[1] = f * h_abs * direction
    order = 1
    n_equal_steps = 0
    steps = 0
    y_predict = np.empty(n)
    psi = np.empty(n)
    scale = np.empty(n)
    y_new = np.empty(n)
    d = np.empty(n)
    dy = np.empty(n)
    while direction * (t - t_bound) < 0:
        min_step = 10 * abs(np.nextafter(t, direction * np.inf) - t)
        if h_abs < min_step:
            _change_D(D, order, min_step / h_abs, work, old)
            h_abs = min_step
            n_equal_steps = 0
        current_jac = False
        while True:  # attempts of one step
            if h_abs < min_step:
                return 1
            t_new = t + h_abs * direction
            if direction * (t_new - t_bound) > 0:
                t_new = t_bound
                _change_D(D, order, abs(t_new - t) / h_abs, work, old)
                n_equal_steps = 0
                lu_ok = False
            h = t_new - t
            h_abs = abs(h)
            for k in range(n):
                s = 0.0
                for j in range(order + 1):
                    s += D[j, k]
                y_predict[k] = s
                scale[k] = atol[k] + rtol * abs(s)
                s = 0.0
                for j in range(1, order + 1):
                    s += _GAMMA[j] * D[j, k]
                psi[k] = s / _ALPHA[order]
            c = h / _ALPHA[order]
            converged = False
            n_iter = 0
            while not converged:
                if not lu_ok:
                    lu_ok = _lu_factor(J, c, LU, piv, ptr, idx, val)
                    nlu += 1
                # Newton iteration (scipy's solve_bdf_system)
                y_new[:] = y_predict
                d[:] = 0.0
                dy_norm_old = -1.0
                for k in range(_NEWTON_MAXITER):
                    n_iter = k + 1
                    if not lu_ok:
                        break
                    _rates(t_new, y_new, f, m, *args)
                    nfev += 1
                    if not _finite(f):
                        break
                    for i in range(n):
                        dy[i] = c * f[i] - psi[i] - d[i]
                    _lu_solve(piv, ptr, idx, val, dy)
                    dy_norm = _norm(dy, scale)
                    if not np.isfinite(dy_norm):
                        break
                    rate = dy_norm / dy_norm_old if dy_norm_old >= 0 else -1.0
                    if rate >= 0 and (rate >= 1 or rate ** (_NEWTON_MAXITER - k) / (1 - rate) * dy_norm > newton_tol):
                        break
                    for i in range(n):
                        y_new[i] += dy[i]
                        d[i] += dy[i]
                    if dy_norm == 0 or rate >= 0 and rate / (1 - rate) * dy_norm < newton_tol:
                        converged = True
                        break
                    dy_norm_old = dy_norm
                if not converged:
                    if current_jac and J_full:
                        break
                    _rates(t_new, y_predict, f, m, *args)
                    J_full = current_jac
                    nfev += 1 + _jacobian(t_new, y_predict, f, J, rtol, atol, m, args, J_full, pattern, group)
                    njev += 1
                    lu_ok = False
                    current_jac = True
            if not converged:
                h_abs *= 0.5
                _change_D(D, order, 0.5, work, old)
                n_equal_steps = 0
                lu_ok = False
                continue
            safety = 0.9 * (2 * _NEWTON_MAXITER + 1) / (2 * _NEWTON_MAXITER + n_iter)
            for i in range(n):
                scale[i] = atol[i] + rtol * abs(y_new[i])
            error_norm = _ERROR_CONST[order] * _norm(d, scale)
            if error_norm > 1:
                factor = max(_MIN_FACTOR, safety * error_norm ** (-1 / (order + 1)))
                h_abs *= factor
                _change_D(D, order, factor, work, old)
                n_equal_steps = 0
            else:
                break
        steps += 1
        n_equal_steps += 1
        t = t_new
        y[:] = y_new
        for i in range(n):
            D[order + 2, i] = d[i] - D[order + 1, i]
            D[order + 1, i] = d[i]
        for j in range(order, -1, -1):
            for i in range(n):
                D[j, i] += D[j + 1, i]
        if n_equal_steps >= order + 1:
            error_m_norm = _ERROR_CONST[order - 1] * _norm(D[order], scale) if order > 1 else np.inf
            error_p_norm = _ERROR_CONST[order + 1] * _norm(D[order + 2], scale) if order < _MAX_ORDER else np.inf
            best = -1
            best_factor = -1.0
            for k, e in enumerate((error_m_norm, error_norm, error_p_norm)):
                fk = e ** (-1.0 / (order + k)) if e > 0 else np.inf
                if fk > best_factor:
                    best_factor = fk
                    best = k
            order += best - 1
            factor = min(_MAX_FACTOR, safety * best_factor)
            h_abs *= factor
            _change_D(D, order, factor, work, old)
            n_equal_steps = 0
            lu_ok = False
        # dense output: the BDF interpolating polynomial of the step just taken
        while i_eval < n_eval and direction * (t_eval[i_eval] - t) <= 0:
            if t_eval[i_eval] == t0:
                for i in range(n):
                    values[i_eval, i, m] = y0[i]
            elif t_eval[i_eval] == t:
                for i in range(n):
                    values[i_eval, i, m] = y[i]
            else:
                hd = h_abs * direction
                for i in range(n):
                    weight = 1.0
                    v = D[0, i]
                    for j in range(order):
                        weight *= (t_eval[i_eval] - (t - hd * j)) / (hd * (1 + j))
                        v += weight * D[j + 1, i]
                    values[i_eval, i, m] = v
            i_eval += 1
    for i in range(n):
        Y_end[i, m] = y[i]
    counts[m, 0], counts[m, 1], counts[m, 2], counts[m, 3] = steps, nfev, njev, nlu
    return 0


def _integrate_members(t0, t_bound, Y0, t_eval, rtol, atol, values, Y_end, status, counts, args):
    """:func:`_member` for every member, in parallel; states are ``(n_states, N)``, ``values``
    ``(T, n_states, N)``, the layout of :func:`remodel.simulation._run` (no copies)."""
    for m in numba.prange(Y0.shape[1]):
        status[m] = _member(m, t0, t_bound, Y0, t_eval, rtol, atol, values, Y_end, counts, args)


def _integrate_serially(t0, t_bound, Y0, t_eval, rtol, atol, values, Y_end, status, counts, args):
    """:func:`_integrate_members` in the calling thread (a function of its own: numba's cache
    tells compilations apart by function, not by the ``parallel`` option)."""
    for m in range(Y0.shape[1]):
        status[m] = _member(m, t0, t_bound, Y0, t_eval, rtol, atol, values, Y_end, counts, args)


def _cache_dir():
    """A numba cache directory keyed by the sources the compiled code comes from (numba itself
    checks only the time stamp of this file, so an edit of the model or a block would otherwise
    reuse stale code): under ``NUMBA_CACHE_DIR`` if set, else the user's cache directory, else the
    temporary directory."""
    import hashlib
    import os
    import tempfile
    from pathlib import Path

    digest = hashlib.sha256()
    for source in (bone, cells, drugs, estradiol, mechanics, signalling, multipliers, _compute_R, _rates):
        digest.update(Path(source.__code__.co_filename if callable(source) else source.__file__).read_bytes())
    key = Path("remodel", "numba", digest.hexdigest()[:16])
    user = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    for root in (numba.config.CACHE_DIR, user, tempfile.gettempdir()):
        if root:
            try:
                (Path(root) / key).mkdir(parents=True, exist_ok=True)
            except OSError:
                continue
            if os.access(Path(root) / key, os.W_OK):
                return str(Path(root) / key)
    return ""  # nowhere to write: numba's own choice next to this file


if AVAILABLE:
    _default_cache_dir, numba.config.CACHE_DIR = numba.config.CACHE_DIR, _cache_dir()
    for _function in (signalling.activator, signalling.repressor, signalling.signals, cells.cell_rates,
                      bone.bone_rates, mechanics.softplus, mechanics.tissue_stimulus,
                      mechanics.mechanostat, mechanics.steady_setpoint, mechanics.setpoint_rate, drugs.bisphosphonate_apoptosis,
                      drugs.rankl_sink, drugs.drug_rates, estradiol.endogenous_testosterone,
                      estradiol.steroid_levels, ageing, multipliers, site_rates):
        register_jitable(_function)
    _jit = numba.njit(cache=True, error_model="numpy")
    _rates, _finite, _norm, _jacobian, _lu_factor, _lu_solve, _fill_R, _change_D, _initial_step, _member = (
        _jit(f) for f in (_rates, _finite, _norm, _jacobian, _lu_factor, _lu_solve, _fill_R, _change_D,
                          _initial_step, _member))
    _integrate_serially = _jit(_integrate_serially)
    _integrate_members = numba.njit(cache=True, parallel=True, error_model="numpy")(_integrate_members)
    numba.config.CACHE_DIR = _default_cache_dir


def set_threads(n: int) -> None:
    """Use ``n`` threads for the members (default: every core; one per process when processes
    share the cores, as dask workers do)."""
    if AVAILABLE:
        numba.set_num_threads(n)


def integrate_members(inputs, Y0, t_start, t_end, t_eval, *, rtol, atol, out=None):
    """Integrate every member alone over one smooth segment.

    ``inputs`` are those of :func:`member_inputs` for the segment's piecewise-constant drivers,
    ``Y0`` and ``atol`` are ``(n_states, N)``. Returns the states at ``t_eval`` ``(T, n_states, N)``
    (written into ``out`` if given) and at ``t_end`` ``(n_states, N)``, the failure message of each
    failed member (``{member: message}``) and the work of each member ``(N, 4)``: steps, rate
    evaluations, Jacobian estimates and LU factorisations.
    """
    if not AVAILABLE:
        raise ImportError('the compiled engine needs numba: pip install "remodel[fast]"')
    t_eval = np.ascontiguousarray(t_eval, dtype=float)
    n, N = Y0.shape
    values = np.empty((t_eval.size, n, N)) if out is None else out
    Y_end = np.empty((n, N))
    status = np.zeros(N, dtype=np.int64)
    counts = np.zeros((N, 4), dtype=np.int64)
    # members differ in cost: in parallel, hand them out one at a time; a few are not worth the threads
    parallel = N >= _PARALLEL_MIN_MEMBERS
    previous = numba.set_parallel_chunksize(1) if parallel else None
    with np.errstate(all="ignore"):
        (_integrate_members if parallel else _integrate_serially)(
            float(t_start), float(t_end), np.ascontiguousarray(Y0, dtype=float), t_eval, max(float(rtol), 100 * _EPS),
            np.ascontiguousarray(np.broadcast_to(atol, Y0.shape)), values, Y_end, status, counts, inputs)
    if parallel:
        numba.set_parallel_chunksize(previous)
    failed = {int(m): _STATUS[int(status[m])] for m in np.nonzero(status)[0]}
    return values, Y_end, failed, counts
