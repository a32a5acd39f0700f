r"""The implicit integrator: scipy's variable-order BDF/NDF, one member at a time, compiled with numba.

:class:`Integrator` integrates ``N`` independent members of ``n`` states, each with its own step
size, order, Newton iteration and Jacobian (a member's trajectory does not depend on its
batch-mates), the members in parallel. The method is that of :func:`scipy.integrate.solve_ivp`
(``method="BDF"``): the numerical differentiation formulas of orders 1 to 5 in the quasi-constant
step size form of Shampine and Reichelt (1997) (their coefficients, the differences rescaled to a new
step and the first step in :mod:`remodel.solvers.steps`), with the error constants, step and order selection
and simplified Newton iteration of scipy's ``BDF._step_impl`` and ``solve_bdf_system`` (the Jacobian also
estimated anew after a slowly converging iteration, :data:`_SLOW_RATE`), with CVODE's convergence test
(:data:`_NEWTON_COEFFICIENT`, :data:`_RATE_DECAY`). The
Jacobian is estimated by forward differences, grouping the columns that share no row of its
structural sparsity pattern (found once for all the members of a call, :func:`_structure`), and
``I - c J`` is factorised on the pattern and its fill-in (:mod:`remodel.solvers.linalg`). A member
steps exactly onto its own jumps (doses) and carries its history over them where that is accurate,
instead of restarting at order 1 (:mod:`remodel.solvers.jumps`).

The integrator is generic over the right-hand side: it is built for a plain Python function

.. code-block:: python

    def rates(t, y, dydt, m, *args):  # writes dy/dt of member m at time t and state y into dydt

that numba can compile (numbers and arrays; ``args`` is passed through unchanged and typically
holds the parameters of all members, indexed by ``m``). The compiled code is cached on disk, in a
directory keyed by the sources of the module that defines ``rates`` and of the modules it imports
(:mod:`remodel.solvers.cache`). Setting ``NUMBA_DISABLE_JIT=1`` runs the same code as Python, for
debugging.

References: Shampine and Reichelt (1997), SIAM J. Sci. Comput. 18, 1-22; Hindmarsh et al. (2005), ACM Trans. Math. Softw. 31,
363-396, and the CVODE user guide, section 2.1 (the Newton convergence test).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.machinery
import importlib.util
import os
import sys

import numba
import numpy as np
from numba.core import event as numba_event
from numba.extending import register_jitable

from . import COMPILE_OPTIONS, STATISTICS
from . import cache as _cache
from .jumps import add_jump_history, apply_jumps, carried_step, next_stop
from .linalg import column_groups, dependence, finite, jacobian, lu_factor, lu_solve, lu_structure, norm
from .steps import ALPHA, ERROR_CONST, GAMMA, MAX_ORDER, change_D, initial_step

__all__ = ["Integrator", "STATISTICS", "compilation_notice", "set_threads"]

_NEWTON_MAXITER = 4
_MIN_FACTOR = 0.2
_MAX_FACTOR = 10
#: A step whose Newton iteration converged more slowly than this (the ratio of successive corrections)
#: has the Jacobian estimated anew when the Newton matrix is next factorised (scipy's BDF only does
#: when the iteration fails): an iteration fewer in most of the steps that follow for 11 rate
#: evaluations (the column groups) with a factorisation that was due anyway.
_SLOW_RATE = 0.05
#: The Newton iteration of a step has converged when its estimated error, ``R / (1 - R)`` times the last
#: correction (``R`` the convergence rate), is below this fraction of the correction at which the error
#: test fails (``1 / error constant``, in the norm of the error estimate): CVODE's test (Hindmarsh et al.
#: 2005), with 0.03 instead of its 0.1. ``R`` is the ratio of the last two corrections, or for the first
#: iteration of a step the rate carried from the iterations since the Newton matrix was factorised
#: (:data:`_RATE_DECAY`), so that a step whose first correction is small enough takes one iteration.
#: scipy asks for ``min(0.03, rtol ** 0.5)`` of the tolerance and two iterations at least: 1e-3 at rtol
#: 1e-6, about 100 times less. The step sizes are chosen as with scipy's test (a step converged in one
#: iteration counts as two in the safety factor). Benchmark (a) at rtol 1e-6: 2.3 instead of 3.0 rate
#: evaluations a step (a quarter fewer), the same steps, and an error against a reference at rtol
#: 1e-11 of the same size.
_NEWTON_COEFFICIENT = 0.03
#: The convergence rate carried to the next iteration is the largest of the ratio of the last two
#: corrections and this times the rate before (CVODE's ``CRDOWN``); 1 (none yet) after each
#: factorisation of the Newton matrix, and not used when the step (``c``) has changed since.
_RATE_DECAY = 0.3
_EPS = np.finfo(float).eps
#: Most steps a member may take from the start or from one of its events (a dose) to the next: a
#: member that creeps on at tiny steps (a degenerate skeleton) fails instead of hanging. A member
#: takes about 150 steps for its life history and 10 years, some tens from one dose to the next;
#: 500,000 take about a second.
_MAX_STEPS = 500_000
#: Why a member failed, by the status its integration returns.
_STATUS = {1: "required step size is less than spacing between numbers", 2: "non-finite rates",
           3: f"more than {_MAX_STEPS} steps without an event"}
_STEPS, _RATE_EVALUATIONS, _JACOBIAN_EVALUATIONS, _LU_FACTORISATIONS = range(len(STATISTICS))


def _registries_without_scipy_linalg():
    """Load numba's implementations of numpy (its "registries", loaded when a process first
    compiles or loads compiled code) without importing :mod:`scipy.linalg`, which takes 0.3 s of a
    cold ``remodel run`` for nothing.

    numba probes for BLAS there (``numba.np.arraymath`` imports ``scipy.linalg.cython_blas``), and
    importing that extension module imports its package first. Here the extension module is loaded
    alone for the probe and taken out of ``sys.modules`` again, so that a later import of
    :mod:`scipy.linalg` (and of the extension module with it) is the usual one. Nothing is done if
    :mod:`scipy.linalg` is imported already, and anything unexpected leaves the usual path to numba.
    """
    name = "scipy.linalg.cython_blas"
    if "scipy.linalg" in sys.modules or name in sys.modules:
        return
    try:
        import scipy

        spec = importlib.machinery.PathFinder.find_spec("cython_blas", [os.path.join(os.path.dirname(scipy.__file__),
                                                                                     "linalg")])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception:  # noqa: BLE001 - any failure: numba imports scipy.linalg itself
        return
    sys.modules[name] = module
    try:
        from numba.core.registry import cpu_target

        cpu_target.target_context.refresh()
    finally:
        if sys.modules.get(name) is module:
            del sys.modules[name]


_registries_without_scipy_linalg()


def _structure(rates, t0, Y0, first, stop, args):
    """The structural sparsity pattern of the Jacobian (:func:`remodel.solvers.linalg.dependence`),
    its column groups and the order and entries of the LU factors (:func:`remodel.solvers.linalg.lu_structure`),
    from the first member of ``first`` to ``stop`` whose rates are finite at the start: the same
    whichever member it is. ``found`` is False if there is none (every member fails at once then).
    Its ``n + 1`` rate evaluations, once per call, are in no member's work counts."""
    n = Y0.shape[0]
    pattern = np.empty((n, n), dtype=np.bool_)
    group = np.empty(n, dtype=np.int64)
    perm = np.empty(n, dtype=np.int64)
    fill_ptr = np.empty(2 * n + 1, dtype=np.int64)
    fill_idx = np.empty(n * n, dtype=np.int64)
    col_ptr = np.empty(n + 1, dtype=np.int64)
    col_idx = np.empty(n * n, dtype=np.int64)
    found = False
    for m in range(first, stop):
        if dependence(rates, t0, Y0[:, m].copy(), m, args, pattern):
            found = True
            column_groups(pattern, group)
            lu_structure(pattern, perm, fill_ptr, fill_idx, col_ptr, col_idx)
            break
    return found, pattern, group, perm, fill_ptr, fill_idx, col_ptr, col_idx


def _member(rates, m, t0, t_bound, Y0, t_eval, rtol, atol_all, values, Y_end, work, args, structure, event_times,
            event_rows, event_amounts):
    """Integrate member ``m`` (column ``m`` of ``Y0``, ``atol_all`` and ``Y_end`` ``(n_states, N)``)
    from ``t0`` to ``t_bound``; states at ``t_eval`` into ``values[:, :, m]``.

    The step of scipy's ``BDF._step_impl`` and Newton iteration of its ``solve_bdf_system``, for one
    member. Returns 0, or a key of :data:`_STATUS`. ``work`` (a row of :data:`STATISTICS`) counts
    the steps, rate and Jacobian evaluations and LU factorisations. ``structure`` is that of
    :func:`_structure`: with the structural pattern every Jacobian is estimated in column groups;
    without it (none found) the first is estimated column by column and finds the pattern of the
    member's nonzero entries, and so is the one after a Newton iteration that fails with a current
    Jacobian.

    Events (forward integration only): at ``event_times[k]`` (increasing, in ``[t0, t_bound)``),
    state ``event_rows[k]`` jumps by ``event_amounts[k, m]``. The member steps exactly onto each
    time at which it has a nonzero jump, in equal steps from the last ten before it (not a short
    last one), and reports the state after the jump there. It then goes on at its order and step
    with its history carried over the jump (:func:`remodel.solvers.jumps.carried_step`, at a shorter
    step if need be), or where that would not be accurate, restarts the method at order 1 from the
    step it would have taken. A zero jump (an event of batch-mates only) does not stop it.
    """
    n = Y0.shape[0]
    y0 = np.empty(n)
    atol = np.empty(n)
    for i in range(n):
        y0[i] = Y0[i, m]
        atol[i] = atol_all[i, m]
    t = t0
    direction = 1.0 if t_bound >= t0 else -1.0
    k_event = 0
    while k_event < event_times.size and event_times[k_event] < t0:
        k_event += 1
    if t0 < t_bound:
        k_event = apply_jumps(event_times, event_rows, event_amounts, m, k_event, t0, y0)
    t_stop, k_event = next_stop(event_times, event_amounts, m, k_event, t_bound)
    y = y0.copy()
    f = np.empty(n)
    rates(t, y, f, m, *args)
    work[_RATE_EVALUATIONS] += 1
    steps_since_event = 0
    n_eval = t_eval.size
    i_eval = 0
    if t == t_bound:
        for i in range(n):
            Y_end[i, m] = y[i]
            for k in range(n_eval):
                values[k, i, m] = y[i]
        return 0
    if not finite(f):
        return 2
    h_abs, evaluations = initial_step(rates, t, y, f, t_stop, rtol, atol, m, args)
    h_wanted = h_abs
    work[_RATE_EVALUATIONS] += evaluations
    J = np.empty((n, n))
    structural = structure[0]
    # the pattern, its column groups, and the order of elimination and entries of the LU factors:
    # read only if structural, the member's own otherwise
    pattern, group, perm, fill_ptr, fill_idx, col_ptr, col_idx = structure[1:]
    if not structural:
        pattern, group, perm = pattern.copy(), group.copy(), perm.copy()
        fill_ptr, fill_idx, col_ptr, col_idx = fill_ptr.copy(), fill_idx.copy(), col_ptr.copy(), col_idx.copy()
    work[_RATE_EVALUATIONS] += jacobian(rates, t, y, f, J, rtol, atol, m, args, not structural, pattern, group)
    work[_JACOBIAN_EVALUATIONS] += 1
    complete = True  # the pattern holds every dependence: structural, or found by the last estimate
    if not structural:
        lu_structure(pattern, perm, fill_ptr, fill_idx, col_ptr, col_idx)
    LU = np.empty((n, n))
    piv = np.empty(n, dtype=np.int64)
    rows = np.empty(n, dtype=np.int64)
    ptr = np.empty(2 * n + 1, dtype=np.int64)
    idx = np.empty(n * n, dtype=np.int64)
    val = np.empty(n * n + n)
    lu_ok = False
    slow = False
    carried_rate = 1.0  # the convergence rate of the iterations since the factorisation of c_lu, 1 if none
    c_lu = 0.0
    D = np.zeros((MAX_ORDER + 3, n))
    scratch = np.empty((2, MAX_ORDER + 1, MAX_ORDER + 1))
    old = np.empty((MAX_ORDER + 1, n))
    D[0] = y
    D[1] = f * h_abs * direction
    order = 1
    n_equal_steps = 0
    y_predict = np.empty(n)
    psi = np.empty(n)
    scale = np.empty(n)
    y_new = np.empty(n)
    d = np.empty(n)
    dy = np.empty(n)
    before = np.empty(n)
    f_before = np.empty(n)
    taylor = np.empty((MAX_ORDER + 1, n))
    weights = np.empty(MAX_ORDER)
    interpolated = np.empty(n)
    scratch_n = np.empty((2, n))
    while direction * (t - t_bound) < 0:
        min_step = 10 * abs(np.nextafter(t, direction * np.inf) - t)
        if h_abs < min_step:
            change_D(D, order, min_step / h_abs, scratch, old)
            h_abs = min_step
            n_equal_steps = 0
        current_jac = False
        while True:  # attempts of one step
            if h_abs < min_step:
                return 1
            h_wanted = h_abs
            t_new = t + h_abs * direction
            to_stop = abs(t_stop - t)
            if to_stop < _MAX_FACTOR * h_abs:  # equal steps to the stop, rather than a short last one
                steps_to_stop = np.ceil(to_stop / h_abs * (1 - 1e-12))
                if to_stop / steps_to_stop < h_abs * (1 - 1e-12):
                    change_D(D, order, to_stop / steps_to_stop / h_abs, scratch, old)
                    h_abs = to_stop / steps_to_stop
                    n_equal_steps = 0
                    lu_ok = False
                t_new = t_stop if steps_to_stop == 1 else t + h_abs * direction
            h = t_new - t
            h_abs = abs(h)
            # row by row, the inner loops over the states (contiguous)
            for k in range(n):
                y_predict[k] = D[0, k]
                psi[k] = 0.0
            for j in range(1, order + 1):
                for k in range(n):
                    y_predict[k] += D[j, k]
                    psi[k] += GAMMA[j] * D[j, k]
            for k in range(n):
                scale[k] = atol[k] + rtol * abs(y_predict[k])
                psi[k] /= ALPHA[order]
            c = h / ALPHA[order]
            newton_tol = max(10 * _EPS / rtol, _NEWTON_COEFFICIENT / ERROR_CONST[order])
            converged = False
            n_iter = 0
            f_predicted = False  # f holds the rates at (t_new, y_predict): those of a Jacobian estimate there
            while not converged:
                if not lu_ok:
                    if slow and not current_jac:  # a fresh Jacobian with the factorisation due anyway
                        rates(t_new, y_predict, f, m, *args)
                        complete = structural
                        work[_RATE_EVALUATIONS] += 1 + jacobian(rates, t_new, y_predict, f, J, rtol, atol, m, args,
                                                                False, pattern, group)
                        work[_JACOBIAN_EVALUATIONS] += 1
                        current_jac = True
                        f_predicted = True
                    lu_ok = lu_factor(J, c, LU, piv, rows, ptr, idx, val, perm, fill_ptr, fill_idx, col_ptr, col_idx)
                    carried_rate = 1.0
                    c_lu = c
                    work[_LU_FACTORISATIONS] += 1
                # Newton iteration (scipy's solve_bdf_system)
                y_new[:] = y_predict
                d[:] = 0.0
                dy_norm_old = -1.0
                for k in range(_NEWTON_MAXITER):
                    n_iter = k + 1
                    if not lu_ok:
                        break
                    if k > 0 or not f_predicted:  # the first iteration is at y_predict
                        rates(t_new, y_new, f, m, *args)
                        work[_RATE_EVALUATIONS] += 1
                    f_predicted = False
                    if not finite(f):
                        break
                    for i in range(n):
                        dy[i] = c * f[i] - psi[i] - d[i]
                    lu_solve(piv, rows, ptr, idx, val, dy)
                    dy_norm = norm(dy, scale)
                    if not np.isfinite(dy_norm):
                        break
                    rate = dy_norm / dy_norm_old if dy_norm_old >= 0 else -1.0
                    if rate >= 0 and (rate >= 1 or rate ** (_NEWTON_MAXITER - k) / (1 - rate) * dy_norm > newton_tol):
                        break
                    if rate >= 0:
                        carried_rate = max(_RATE_DECAY * carried_rate, rate)
                    for i in range(n):
                        y_new[i] += dy[i]
                        d[i] += dy[i]
                    estimate = rate if rate >= 0 else carried_rate if c == c_lu else 1.0
                    if dy_norm == 0 or estimate < 1 and estimate / (1 - estimate) * dy_norm < newton_tol:
                        converged = True
                        if rate >= 0:
                            slow = rate > _SLOW_RATE
                        break
                    dy_norm_old = dy_norm
                if not converged:
                    if current_jac and complete:
                        break
                    rates(t_new, y_predict, f, m, *args)
                    full = current_jac and not structural  # find the pattern anew
                    complete = structural or full
                    work[_RATE_EVALUATIONS] += 1 + jacobian(rates, t_new, y_predict, f, J, rtol, atol, m, args,
                                                            full, pattern, group)
                    work[_JACOBIAN_EVALUATIONS] += 1
                    if full:
                        lu_structure(pattern, perm, fill_ptr, fill_idx, col_ptr, col_idx)
                    lu_ok = False
                    current_jac = True
                    f_predicted = True
            if not converged:
                h_abs *= 0.5
                change_D(D, order, 0.5, scratch, old)
                n_equal_steps = 0
                lu_ok = False
                continue
            # scipy's safety factor, a step converged in one iteration counted as two (scipy's least):
            # the step sizes as with scipy's test
            safety = 0.9 * (2 * _NEWTON_MAXITER + 1) / (2 * _NEWTON_MAXITER + max(n_iter, 2))
            for i in range(n):
                scale[i] = atol[i] + rtol * abs(y_new[i])
            error_norm = ERROR_CONST[order] * norm(d, scale)
            if error_norm > 1:
                factor = max(_MIN_FACTOR, safety * error_norm ** (-1 / (order + 1)))
                h_abs *= factor
                change_D(D, order, factor, scratch, old)
                n_equal_steps = 0
            else:
                break
        work[_STEPS] += 1
        steps_since_event += 1
        if steps_since_event > _MAX_STEPS:
            return 3
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
            error_m_norm = ERROR_CONST[order - 1] * norm(D[order], scale) if order > 1 else np.inf
            error_p_norm = ERROR_CONST[order + 1] * norm(D[order + 2], scale) if order < MAX_ORDER else np.inf
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
            change_D(D, order, factor, scratch, old)
            n_equal_steps = 0
            lu_ok = False
        # dense output: the BDF interpolating polynomial of the step just taken (at an event, the
        # state after the jump is reported, once the next step is taken)
        at_event = t == t_stop and t_stop != t_bound
        while i_eval < n_eval and (direction * (t_eval[i_eval] - t) < 0 or t_eval[i_eval] == t and not at_event):
            if t_eval[i_eval] == t0:
                for i in range(n):
                    values[i_eval, i, m] = y0[i]
            elif t_eval[i_eval] == t:
                for i in range(n):
                    values[i_eval, i, m] = y[i]
            else:
                hd = h_abs * direction
                weight = 1.0  # of the differences, the same for every state
                for j in range(order):
                    weight *= (t_eval[i_eval] - (t - hd * j)) / (hd * (1 + j))
                    weights[j] = weight
                for i in range(n):  # row by row, the inner loops over the states (contiguous)
                    interpolated[i] = D[0, i]
                for j in range(order):
                    for i in range(n):
                        interpolated[i] += weights[j] * D[j + 1, i]
                for i in range(n):
                    values[i_eval, i, m] = interpolated[i]
            i_eval += 1
        if at_event:
            steps_since_event = 0
            before[:] = y
            rates(t, y, f_before, m, *args)
            k_event = apply_jumps(event_times, event_rows, event_amounts, m, k_event, t, y)
            t_stop, k_event = next_stop(event_times, event_amounts, m, k_event, t_bound)
            t0 = t
            y0[:] = y
            rates(t, y, f, m, *args)
            work[_RATE_EVALUATIONS] += 2
            if not finite(f):
                return 2
            n_equal_steps = 0
            # carry the history over the jump (at a shorter step if need be), or restart at order 1
            h_carried, refreshed = carried_step(rates, t, before, f_before, y, f, J, order, h_abs, m, args, rtol, atol,
                                                pattern, group, scale, taylor, scratch_n, work)
            if refreshed:
                lu_ok = False
            carried = h_carried >= _MIN_FACTOR * h_abs
            if carried:
                if h_carried < h_abs:
                    change_D(D, order, h_carried / h_abs, scratch, old)
                    h_abs = h_carried
                    lu_ok = False
                add_jump_history(D, order, h_abs * direction, y, before, taylor, scratch_n[0])
            if not carried:
                h_abs = h_wanted
                D[:] = 0.0
                D[0] = y
                D[1] = f * h_abs * direction
                order = 1
                lu_ok = False
    for i in range(n):
        Y_end[i, m] = y[i]
    return 0


# Compiled into the loop that _driver builds for a right-hand side, and cached with it (not on
# their own: the helpers that take ``rates`` as an argument are compiled anew for each), as are
# those of remodel.solvers.linalg, remodel.solvers.steps and remodel.solvers.jumps.
_structure, _member = (numba.njit(**COMPILE_OPTIONS)(f) for f in (_structure, _member))


@functools.cache
def _driver(rates, cache_dir: str | None):
    """The compiled loop over the members for ``rates``, in parallel. One loop, also for a single
    member (starting the threads takes microseconds, a member milliseconds): a cold process loads
    one function from the disk cache, and an edit of the model compiles one.

    It is a closure over ``rates``, registered with numba as a plain function, so that numba's
    cache tells right-hand sides apart by the function's qualified name (a compiled function would
    be keyed by an identity that changes with every process).
    """
    rates = register_jitable(**COMPILE_OPTIONS)(rates)

    def in_parallel(t0, t_bound, Y0, t_eval, rtol, atol, values, Y_end, status, counts, args, events, first, stop):
        structure = _structure(rates, t0, Y0, first, stop, args)
        for m in numba.prange(first, stop):
            status[m] = _member(rates, m, t0, t_bound, Y0, t_eval, rtol, atol, values, Y_end, counts[m], args,
                                structure, *events)

    cached = cache_dir is not None
    default_cache_dir = numba.config.CACHE_DIR
    if cached:  # numba reads it when a function is decorated
        numba.config.CACHE_DIR = cache_dir
    try:
        return numba.njit(cache=cached, parallel=True, **COMPILE_OPTIONS)(in_parallel)
    finally:
        numba.config.CACHE_DIR = default_cache_dir


@contextlib.contextmanager
def compilation_notice(notify):
    """Within the block, call ``notify()`` (once) when numba starts to compile: the integrator and
    the right-hand side it calls are not in the disk cache (about a minute for the model). Loading
    them from the cache or from memory calls nothing."""
    notified = False

    class Listener(numba_event.Listener):
        def on_start(self, event):
            nonlocal notified
            if not notified:
                notified = True
                notify()

        def on_end(self, event):
            pass

    with numba_event.install_listener("numba:compile", Listener()):
        yield


def set_threads(n: int) -> None:
    """Use ``n`` threads for the members (default: every core; one per process when processes
    share the cores, as dask workers do)."""
    numba.set_num_threads(n)


class Integrator:
    """The BDF integrator for one right-hand side.

    Parameters
    ----------
    rates : callable
        ``rates(t, y, dydt, m, *args)``: writes ``dy/dt`` of member ``m`` at time ``t`` in state
        ``y`` (1-D) into ``dydt``; a plain Python function numba can compile.
    cache : bool
        Cache the compiled code on disk (:func:`remodel.solvers.cache.directory` of the module of
        ``rates`` and of ``modules``), or compile it in every process.
    modules : sequence of str
        Modules of the functions ``rates`` calls that its own module does not import (a right-hand
        side assembled at run time): their sources are in the cache key too.

    Examples
    --------
    >>> def decay(t, y, dydt, m, k):
    ...     dydt[0] = -k[m] * y[0]
    >>> integrate = Integrator(decay, cache=False)
    >>> values, end, failed, counts = integrate((np.array([1.0, 2.0]),), np.ones((1, 2)), 0.0, 1.0, [1.0],
    ...                                         rtol=1e-10, atol=1e-14)
    >>> np.allclose(end, np.exp([[-1.0, -2.0]]), rtol=1e-8)
    True
    """

    def __init__(self, rates, *, cache: bool = True, modules=()):
        self._cache_dir = _cache.directory(rates.__module__, *modules) if cache else None
        self._in_parallel = _driver(rates, self._cache_dir)

    def __call__(self, args, Y0, t_start, t_end, t_eval, *, rtol, atol, out=None, events=None, members=None):
        """Integrate every member alone from ``t_start`` to ``t_end``.

        ``args`` are passed to ``rates`` after the member; ``Y0`` and ``atol`` are ``(n_states, N)``
        (``atol`` broadcasts). ``events`` ``(times, rows, amounts)``, for a forward integration:
        at ``times[k]`` (non-decreasing, those in ``[t_start, t_end)`` apply) state ``rows[k]`` of
        member ``m`` jumps by ``amounts[k, m]`` (shape ``(E, N)``; a member with a zero jump is not
        stopped there, so it takes the same steps whatever its batch-mates' events); the state
        reported at an event time is the state after the jump. Returns the states at ``t_eval``
        ``(T, n_states, N)`` (written into ``out`` if given, which may have more rows of states:
        ``(T, n, N)``, ``n >= n_states``, those after the first ``n_states`` left as they are) and
        at ``t_end`` ``(n_states, N)``, the
        failure message of each failed member (``{member: message}``; its values are undefined)
        and the work of each member ``(N, 4)``, the columns of :data:`STATISTICS`. ``members``
        ``(first, stop)`` integrates only those (a part of a batch, for progress reports): the
        other members' states are NaN at ``t_end`` and left as they are in ``out``.
        """
        t_eval = np.require(t_eval, float, "CW")
        n, N = Y0.shape
        times, rows, amounts = (np.empty(0), np.empty(0, dtype=np.int64), np.empty((0, N))) if events is None \
            else (np.ascontiguousarray(events[0], dtype=float), np.ascontiguousarray(events[1], dtype=np.int64),
                  np.ascontiguousarray(np.broadcast_to(events[2], (len(events[0]), N)), dtype=float))
        if times.size and (t_end < t_start or np.any(np.diff(times) < 0) or rows.shape != times.shape
                           or rows.min() < 0 or rows.max() >= n):
            raise ValueError("events need a forward integration, non-decreasing times and state rows in range")
        values = np.empty((t_eval.size, n, N)) if out is None else out
        first, stop = (0, N) if members is None else (int(members[0]), int(members[1]))
        Y_end = np.full((n, N), np.nan)
        status = np.zeros(N, dtype=np.int64)
        counts = np.zeros((N, len(STATISTICS)), dtype=np.int64)
        previous = numba.set_parallel_chunksize(1)  # members differ in cost: hand them out one at a time
        try:
            with np.errstate(all="ignore"):  # arrays writable: a read-only one is another compiled signature
                self._in_parallel(
                    float(t_start), float(t_end), np.require(Y0, float, "CW"), t_eval,
                    max(float(rtol), 100 * _EPS), np.require(np.broadcast_to(atol, Y0.shape), float, "CW"),
                    values, Y_end, status, counts, args, (times, rows, amounts), first, stop)
        finally:
            numba.set_parallel_chunksize(previous)
        failed = {int(m): _STATUS[int(status[m])] for m in np.nonzero(status)[0]}
        return values, Y_end, failed, counts
