"""Where a member's time goes: the work per segment and the cost of each kernel of the compiled BDF.

    python benchmarks/profile.py         # about a minute (compiles the kernel timers)

The scenario of benchmark (a): 64 draws of ``_common.draw``, the 32-year history from age 30 and 10
years of monthly output, rtol 1e-6; no drug, so every member is integrated by the model without
agents (its site states alone, :meth:`remodel.model.assembly.Assembly.integrate`), and so are the
kernels timed. For each segment: the CPU time per member on one thread (the
least of 7 runs; CPU time, so that other work on the machine matters less) and the work per member
(steps, rate evaluations, Jacobian estimates, LU factorisations). Then the cost of each kernel on one
member's state (rate evaluation, Jacobian column groups, LU factorisation, LU solve) and the
estimate of each one's share: its cost times its count, the rest being step-size and order control,
norms, predictions and the dense output.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numba  # noqa: E402
import numpy as np  # noqa: E402
from numba.extending import register_jitable  # noqa: E402

import remodel  # noqa: E402
from _common import MONTHLY, POPULATION, RTOL, YEARS, draw  # noqa: E402
from remodel.model.assembly import Assembly, assembly  # noqa: E402
from remodel.solvers import COMPILE_OPTIONS, linalg  # noqa: E402

N = 64


def captured_segments():
    """The integrator's inputs of each segment of the benchmark scenario."""
    segments, integrate = [], Assembly.integrate

    def capture(self, inputs, Y0, a, b, t_eval, **kwargs):
        segments.append((inputs, Y0.copy(), a, b, np.array(t_eval), kwargs["atol"]))
        return integrate(self, inputs, Y0, a, b, t_eval, **kwargs)

    Assembly.integrate = capture
    try:
        remodel.simulate(POPULATION, (), years=YEARS, output_times=MONTHLY, samples=draw(N, seed=1), rtol=RTOL,
                         variables=["bmd_change"])
    finally:
        Assembly.integrate = integrate
    return segments


def cpu_seconds(fn, repeat=7):
    best = np.inf
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> int:
    numba.set_num_threads(1)
    segments = captured_segments()
    model = assembly()
    integrate = model.integrate
    n = model.n_site_rows  # the states integrated of a member without drug
    print(f"{n} states a member (of the model's {model.n_states}: no drug in the body); {N} members of "
          f"benchmark (a), rtol {RTOL:g}, one thread")
    totals = np.zeros(4)
    for inputs, Y0, a, b, t_eval, atol in segments:
        result = []
        seconds = cpu_seconds(lambda: result.append(integrate(inputs, Y0, a, b, t_eval, rtol=RTOL, atol=atol)))
        counts = result[-1][3].mean(axis=0)
        totals += counts
        print(f"  segment {a / 365.25:+.0f} to {b / 365.25:+.0f} years: {seconds / N * 1e6:5.0f} us CPU a member; "
              f"{counts[0]:.0f} steps, {counts[1]:.0f} rate evaluations, {counts[2]:.1f} Jacobian estimates, "
              f"{counts[3]:.0f} LU factorisations")
    total_us = sum(cpu_seconds(lambda: integrate(i, Y, a, b, t, rtol=RTOL, atol=at))
                   for i, Y, a, b, t, at in segments) / N * 1e6

    rates = register_jitable(**COMPILE_OPTIONS)(model._member_rates)

    @numba.njit(**COMPILE_OPTIONS)
    def rate_loop(K, t, y, out, args, dt):
        for k in range(K):
            rates(t + k * dt, y, out, 0, *args)

    @numba.njit(**COMPILE_OPTIONS)
    def structural_jacobian(t, y, f, J, atol, args, pattern, group):
        linalg.dependence(rates, t, y, 0, args, pattern)
        linalg.column_groups(pattern, group)
        rates(t, y, f, 0, *args)
        return linalg.jacobian(rates, t, y, f, J, RTOL, atol, 0, args, False, pattern, group)

    @numba.njit(**COMPILE_OPTIONS)
    def lu_loop(K, J, c, LU, piv, rows, ptr, idx, val, structure):
        for k in range(K):
            linalg.lu_factor(J, c, LU, piv, rows, ptr, idx, val, *structure)

    @numba.njit(**COMPILE_OPTIONS)
    def solve_loop(K, piv, rows, ptr, idx, val, b):
        for k in range(K):
            linalg.lu_solve(piv, rows, ptr, idx, val, b)

    inputs, Y0, a, b, _, atol = segments[-1]
    y, f, out = Y0[:n, 0].copy(), np.empty(n), np.empty(n)
    J, pattern, group = np.empty((n, n)), np.empty((n, n), dtype=np.bool_), np.empty(n, dtype=np.int64)
    structural_jacobian(a, y, f, J, np.broadcast_to(atol, Y0.shape)[:n, 0].copy(), inputs, pattern, group)
    LU, piv, ptr = np.empty((n, n)), np.empty(n, dtype=np.int64), np.empty(2 * n + 1, dtype=np.int64)
    idx, val, rhs = np.empty(n * n, dtype=np.int64), np.empty(n * n + n), np.ones(n)
    structure = (np.empty(n, dtype=np.int64), np.empty(2 * n + 1, dtype=np.int64), np.empty(n * n, dtype=np.int64),
                 np.empty(n + 1, dtype=np.int64), np.empty(n * n, dtype=np.int64))
    rows = np.empty(n, dtype=np.int64)
    linalg.lu_structure(pattern, *structure)
    c = 30.0  # h / alpha for a step of about a month
    rate_loop(1, a, y, out, inputs, 1e-9)
    lu_loop(1, J, c, LU, piv, rows, ptr, idx, val, structure)
    solve_loop(1, piv, rows, ptr, idx, val, rhs)
    K = 20000
    rate_us = cpu_seconds(lambda: rate_loop(K, a, y, out, inputs, 1e-9), 3) / K * 1e6  # a new time each
    same_time_us = cpu_seconds(lambda: rate_loop(K, a, y, out, inputs, 0.0), 3) / K * 1e6  # drivers computed once
    lu_us = cpu_seconds(lambda: lu_loop(K, J, c, LU, piv, rows, ptr, idx, val, structure), 3) / K * 1e6
    solve_us = cpu_seconds(lambda: solve_loop(K, piv, rows, ptr, idx, val, rhs), 3) / K * 1e6
    n_groups = group.max() + 1
    steps, rate_evaluations, jacobians, lus = totals
    newton = rate_evaluations - n_groups - (jacobians - 1) * (n_groups + 1)  # a solve per Newton iteration, roughly
    # about one evaluation a step at a new time (the first Newton iteration), the others at the time of the last
    shares = {"rate evaluations": steps * rate_us + (rate_evaluations - steps) * same_time_us,
              "LU factorisations": lus * lu_us,
              "LU solves (one a Newton iteration)": newton * solve_us}
    print(f"  whole member: {total_us:.0f} us CPU; {steps:.0f} steps, {rate_evaluations:.0f} rate evaluations "
          f"({jacobians:.1f} Jacobian estimates of {n_groups} column groups, the fewest possible: a row of the "
          f"structural pattern has {pattern.sum(axis=1).max()} nonzeros), {lus:.0f} LU factorisations")
    print(f"kernels: rate evaluation {rate_us:.2f} us ({same_time_us:.2f} us at the time of the last one: the drivers "
          f"computed once), LU factorisation {lu_us:.2f} us "
          f"({pattern.sum()} nonzeros of {n * n} in the Jacobian, {ptr[2 * n]} in L and U), LU solve {solve_us:.2f} us")
    for name, us in shares.items():
        print(f"  {name:36s} {us:5.0f} us  {100 * us / total_us:3.0f} %")
    rest = total_us - sum(shares.values())
    print(f"  {'the rest (step control, norms, ...)':36s} {rest:5.0f} us  {100 * rest / total_us:3.0f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
