r"""The steps of the BDF integrator (:mod:`remodel.solvers.bdf`): the coefficients of the method, its
differences rescaled to a new step size, and the first step.

The method is scipy's variable-order BDF/NDF (:func:`scipy.integrate.solve_ivp`, ``method="BDF"``):
the numerical differentiation formulas of orders 1 to :data:`MAX_ORDER` of Shampine and Reichelt
(1997) in their quasi-constant step size form, whose history is the backward differences ``D`` of
the solution at the current step; a new step size rescales them (:func:`change_D`). The first step is
that of Hairer, Norsett and Wanner (II.4), grown from a steady start (:func:`initial_step`).

References: Shampine and Reichelt (1997), SIAM J. Sci. Comput. 18, 1-22; Hairer, Norsett and Wanner
(1993), Solving Ordinary Differential Equations I, section II.4.
"""

from __future__ import annotations

import numba
import numpy as np

from . import COMPILE_OPTIONS
from .linalg import norm

__all__ = ["ALPHA", "ERROR_CONST", "GAMMA", "INITIAL_TRIALS", "MAX_ORDER", "change_D", "fill_R", "initial_step"]

MAX_ORDER = 5
#: Trial steps of :func:`initial_step` at most (each a rate evaluation).
INITIAL_TRIALS = 4
#: The NDF coefficients of each order (0 for the BDF; Shampine and Reichelt 1997, table 1).
_KAPPA = np.array([0, -0.1850, -1 / 9, -0.0823, -0.0415, 0])
GAMMA = np.hstack((0, np.cumsum(1 / np.arange(1, MAX_ORDER + 1))))
ALPHA = (1 - _KAPPA) * GAMMA
#: The error constant of each order: the local error is about this times the last correction.
ERROR_CONST = _KAPPA * GAMMA + 1 / np.arange(1, MAX_ORDER + 2)


def fill_R(order, factor, R):
    """scipy's ``compute_R``: the matrix that rescales the differences of a BDF of ``order`` to a
    step ``factor`` times the current one, into ``R[:order + 1, :order + 1]``."""
    for j in range(order + 1):
        R[0, j] = 1.0
    for i in range(1, order + 1):
        R[i, 0] = 0.0
        for j in range(1, order + 1):
            R[i, j] = R[i - 1, j] * (i - 1 - factor * j) / i


#: ``compute_R(order, 1)`` for each order (upper left corners)
_UNIT = np.zeros((MAX_ORDER + 1, MAX_ORDER + 1, MAX_ORDER + 1))
for _order in range(MAX_ORDER + 1):
    fill_R(_order, 1.0, _UNIT[_order])


def change_D(D, order, factor, work, old):
    """Rescale the differences ``D`` to a step ``factor`` times the current one (scipy's
    ``change_D``); ``work`` ``(2, 6, 6)`` and ``old`` ``(6, n)`` are scratch."""
    R, RU = work[0], work[1]
    fill_R(order, factor, R)
    U = _UNIT[order]
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
    for i in range(order + 1):  # row by row, the inner loop over the states (contiguous)
        for k in range(n):
            D[i, k] = RU[0, i] * old[0, k]
        for j in range(1, order + 1):
            for k in range(n):
                D[i, k] += RU[j, i] * old[j, k]


def initial_step(rates, t, y, f0, t_bound, rtol, atol, m, args):
    """Hairer, Norsett and Wanner (II.4), as scipy's ``select_initial_step``, with the trial step
    grown while it limits the result; returns the step and the rate evaluations it took.

    The first trial step ``h0`` is ``0.01 |y| / |f|``, or 1e-6 where the rates are negligible (a
    steady state, such as the young-adult reference the life history starts from); the step is the
    least of ``100 h0`` and ``h1``, the step at which the second derivative, estimated from the
    rates at ``t + h0`` (``d2``), would make a first-order step err by 1 %. Where ``100 h0``
    decides, ``h0`` is multiplied by 100 (at most :data:`INITIAL_TRIALS` times): a steady start
    would otherwise take about two steps per factor 10 of step size to reach the step its drivers
    allow.
    """
    interval = abs(t_bound - t)
    scale = atol + np.abs(y) * rtol
    d0 = norm(y, scale)
    d1 = norm(f0, scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, interval)
    direction = 1.0 if t_bound >= t else -1.0
    f1 = np.empty(y.size)
    y1 = np.empty(y.size)
    h = h0
    evaluations = 0
    for _ in range(INITIAL_TRIALS):
        for i in range(y.size):
            y1[i] = y[i] + h0 * direction * f0[i]
        rates(t + h0 * direction, y1, f1, m, *args)
        evaluations += 1
        for i in range(y.size):
            f1[i] -= f0[i]
        d2 = norm(f1, scale) / h0
        if d1 <= 1e-15 and d2 <= 1e-15:
            h1 = max(1e-6, h0 * 1e-3)
        else:
            h1 = (0.01 / max(d1, d2)) ** 0.5
        h = min(100 * h0, h1, interval)
        if not (np.isfinite(h) and h > 0):
            return min(1e-6, interval), evaluations
        if h < 100 * h0 or h == interval:
            break
        h0 = h
    return h, evaluations


# Compiled into the integrator's loops (remodel.solvers.bdf) and cached with them.
fill_R, change_D, initial_step = (numba.njit(**COMPILE_OPTIONS)(f) for f in (fill_R, change_D, initial_step))
