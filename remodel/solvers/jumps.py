r"""Doses in the BDF integrator (:mod:`remodel.solvers.bdf`): a member's jumps at its event times, and
its history carried over a jump.

A member steps exactly onto the times of its own jumps (:func:`next_stop`), applies them
(:func:`apply_jumps`) and goes on at its order and step: the history of the BDF (its differences)
is shifted by the Taylor polynomial of the change the jump makes to the solution
(:func:`add_jump_history`), whose derivatives follow the variational equation
(:func:`jump_derivatives`), at a step no longer than keeps that polynomial accurate
(:func:`carried_steps`). With daily doses, restarting the method at order 1 at each dose was most of
the work.
"""

from __future__ import annotations

import numba
import numpy as np

from . import COMPILE_OPTIONS, STATISTICS
from .linalg import finite, jacobian, norm

__all__ = ["CARRIED_DEPARTURE", "add_jump_history", "apply_jumps", "carried_step", "carried_steps", "jump_derivatives",
           "next_stop"]

_RATE_EVALUATIONS, _JACOBIAN_EVALUATIONS = STATISTICS.index("rate_evaluations"), STATISTICS.index("jacobian_evaluations")

#: How far the history carried over a jump may depart from the solution after it, on each of two
#: counts, in the norm of the error estimate (:func:`carried_steps`): together, no more than the
#: local error a step is allowed.
CARRIED_DEPARTURE = 0.5


def apply_jumps(event_times, event_rows, event_amounts, m, k, t, y):
    """Add to ``y`` the jumps of member ``m`` of the events at time ``t`` from index ``k`` on;
    returns the index of the first later event."""
    while k < event_times.size and event_times[k] == t:
        y[event_rows[k]] += event_amounts[k, m]
        k += 1
    return k


def next_stop(event_times, event_amounts, m, k, t_bound):
    """``(time, index)`` of the next event of member ``m`` (a nonzero jump) from index ``k`` on, before
    ``t_bound``; ``(t_bound, size)`` if there is none."""
    while k < event_times.size and event_times[k] < t_bound:
        if event_amounts[k, m] != 0.0:
            return event_times[k], k
        k += 1
    return t_bound, event_times.size


def jump_derivatives(rates, t, before, f_before, y, f, J, order, h, m, args, derivative, scratch):
    r"""The derivatives at ``t`` of the change a jump makes to a member's solution, into
    ``derivative[:order + 1]``; False if they are not finite.

    :math:`v` is the solution before the jump (state ``before``, rates ``f_before``), :math:`u` after
    it (``y``, ``f``); their difference obeys :math:`\delta' = f(u) - f(v)`, so :math:`\delta'` is
    ``f - f_before`` exactly, :math:`\delta''` comes from the rates a short time (``h / 1000``) later
    along both solutions (two rate evaluations), and beyond,
    :math:`\delta^{(k+1)} \approx J \delta^{(k)}` (the variational equation, with the member's
    Jacobian ``J``). ``scratch`` ``(2, n)``.
    """
    n = y.size
    value, shifted = scratch[0], scratch[1]
    for i in range(n):
        derivative[0, i] = f[i] - f_before[i]
    dt = 1e-3 * h
    for i in range(n):
        shifted[i] = y[i] + dt * f[i]
    rates(t + dt, shifted, value, m, *args)
    for i in range(n):
        derivative[1, i] = value[i] - derivative[0, i]
        shifted[i] = before[i] + dt * f_before[i]
    rates(t + dt, shifted, value, m, *args)
    for i in range(n):
        derivative[1, i] = (derivative[1, i] - value[i]) / dt
    for k in range(2, order + 1):
        for i in range(n):
            s = 0.0
            for j in range(n):
                s += J[i, j] * derivative[k - 1, j]
            derivative[k, i] = s
    return finite(derivative[1]) and finite(derivative[order])


def carried_steps(derivative, J, order, scale, scratch):
    r"""The longest steps ``(truncation, jacobian)`` at which the history of order ``order``,
    carried over a jump with ``derivative`` (:func:`jump_derivatives`), departs from the solution
    after the jump by at most :data:`CARRIED_DEPARTURE` in the norm of the error estimate (``scale``)
    on each of two counts (the error estimate of the following steps would not see it).

    Over the ``order`` steps the history spans, the Taylor term left out departs by
    :math:`\|J \delta^{(k)}\| (k h)^{k+1} / (k+1)!`; for orders above 2, the terms taken from
    ``J`` by :math:`\|J \delta' - \delta''\| \, \|\delta''\| / \|\delta'\| \, (k h)^3 / 6`
    (``J`` assumed as wrong on :math:`\delta''` as on :math:`\delta'`); no limit is ``inf``.
    """
    n = derivative.shape[1]
    left_out = norm(derivative[order], scale)
    for k in range(order + 1):
        left_out /= k + 1
    truncation = (CARRIED_DEPARTURE / left_out) ** (1.0 / (order + 1)) / order if left_out > 0.0 else np.inf
    jacobian = np.inf
    first = norm(derivative[0], scale)
    if order > 2 and first > 0.0:
        for i in range(n):
            s = 0.0
            for j in range(n):
                s += J[i, j] * derivative[0, j]
            scratch[i] = s - derivative[1, i]
        wrong = norm(scratch, scale) * norm(derivative[1], scale) / first / 6
        if wrong > 0.0:
            jacobian = (CARRIED_DEPARTURE / wrong) ** (1.0 / 3) / order
    return truncation, jacobian


def add_jump_history(D, order, h, y, before, derivative, value):
    """Add to the differences ``D`` of order ``order`` at step ``h`` those of the Taylor polynomial of
    the jump's change (the jump ``y - before`` and its ``derivative``), at the points ``t - j h`` of
    the history: the history then interpolates the solution after the jump continued backwards."""
    n = y.size
    for j in range(order + 1):  # D[i] += sum_j (-1)^j binom(i, j) delta(t - j h), i = 0..order
        for i in range(n):
            s = y[i] - before[i]
            power = 1.0
            for k in range(order):
                power *= -j * h / (k + 1)
                s += power * derivative[k, i]
            value[i] = s
        binomial = 1.0
        for i in range(j, order + 1):  # binomial = binom(i, j)
            sign = -binomial if j % 2 else binomial
            for r in range(n):
                D[i, r] += sign * value[r]
            binomial = binomial * (i + 1) / (i + 1 - j)


def carried_step(rates, t, before, f_before, y, f, J, order, h, m, args, rtol, atol, pattern, group, scale, taylor,
                 scratch, work):
    """The longest step (at most ``h``) at which the history of order ``order`` can be carried over
    the jump from ``before`` to ``y`` at ``t`` (0 if its derivatives are not finite), with the
    jump's derivatives in ``taylor``, and whether ``J`` was estimated anew (when the old one limited
    the step: :func:`carried_steps`). Counts its rate and Jacobian evaluations in ``work``
    (:data:`remodel.solvers.STATISTICS`); ``scale`` ``(n,)`` and ``scratch`` ``(2, n)`` are scratch."""
    for i in range(y.size):
        scale[i] = atol[i] + rtol * abs(y[i])
    if not jump_derivatives(rates, t, before, f_before, y, f, J, order, h, m, args, taylor, scratch):
        return 0.0, False
    work[_RATE_EVALUATIONS] += 2
    truncation, h_jacobian = carried_steps(taylor, J, order, scale, scratch[0])
    refreshed = h_jacobian < min(h, truncation)
    if refreshed:  # a fresh Jacobian carries it further
        work[_RATE_EVALUATIONS] += 2 + jacobian(rates, t, y, f, J, rtol, atol, m, args, False, pattern, group)
        work[_JACOBIAN_EVALUATIONS] += 1
        if jump_derivatives(rates, t, before, f_before, y, f, J, order, h, m, args, taylor, scratch):
            truncation, h_jacobian = carried_steps(taylor, J, order, scale, scratch[0])
        else:
            truncation = 0.0
    return min(h, truncation, h_jacobian), refreshed


# Compiled into the integrator's loops (remodel.solvers.bdf) and cached with them.
apply_jumps, next_stop, jump_derivatives, carried_steps, add_jump_history, carried_step = (
    numba.njit(**COMPILE_OPTIONS)(f)
    for f in (apply_jumps, next_stop, jump_derivatives, carried_steps, add_jump_history, carried_step))
