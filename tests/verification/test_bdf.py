"""The compiled BDF integrator (remodel.solvers.bdf) on published stiff reference problems, against
their reference solutions and scipy's Radau at tight tolerances (diffrax's and scipy's practice:
every solver verified on problems with known answers)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate
import scipy.linalg

from remodel.solvers import linalg
from remodel.solvers.bdf import STATISTICS, Integrator


def robertson(t, y, dydt, m, k):
    """Robertson's chemical kinetics (Hairer and Wanner 1996, II sec. IV.1), rate constants ``k[m]``."""
    k1, k2, k3 = k[m, 0], k[m, 1], k[m, 2]
    dydt[0] = -k1 * y[0] + k3 * y[1] * y[2]
    dydt[1] = k1 * y[0] - k3 * y[1] * y[2] - k2 * y[1] ** 2
    dydt[2] = k2 * y[1] ** 2


def hires(t, y, dydt, m):
    """HIRES, the 'High Irradiance RESponse' of plant photomorphogenesis (Schaefer 1975; Hairer and
    Wanner 1996, II sec. IV.10): 8 stiff equations."""
    dydt[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007
    dydt[1] = 1.71 * y[0] - 8.75 * y[1]
    dydt[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4]
    dydt[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3]
    dydt[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6]
    dydt[5] = -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6]
    dydt[6] = 280.0 * y[5] * y[7] - 1.81 * y[6]
    dydt[7] = -dydt[6]


def van_der_pol(t, y, dydt, m, eps):
    """Van der Pol's oscillator in Hairer and Wanner's stiff scaling (II sec. IV.10), ``eps[m]``."""
    dydt[0] = y[1]
    dydt[1] = ((1 - y[0] ** 2) * y[1] - y[0]) / eps[m]


def linear(t, y, dydt, m, A):
    """``dy/dt = A[m] y``."""
    for i in range(y.size):
        s = 0.0
        for j in range(y.size):
            s += A[m, i, j] * y[j]
        dydt[i] = s


def runaway(t, y, dydt, m, growth):
    """``dy/dt = growth[m] y**3``: member with growth > 0 blows up in finite time."""
    dydt[0] = growth[m] * y[0] ** 3


def _radau(rates, y0, t_end, args, rtol, atol):
    """scipy's Radau IIA (order 5) on the same problem, one member."""
    def fun(t, y):
        dydt = np.empty_like(y)
        rates(t, y, dydt, 0, *args)
        return dydt
    sol = scipy.integrate.solve_ivp(fun, (0.0, t_end), y0, method="Radau", rtol=rtol, atol=atol)
    assert sol.success
    return sol.y[:, -1]


def test_robertson_matches_the_published_reference_and_radau():
    """Reference at t = 40 (Hairer and Wanner 1996, II sec. IV.10): y = (0.7158271, 9.185535e-6,
    0.2841637), 7 digits. Against Radau at rtol 1e-13: BDF at rtol 1e-10 agrees to 1e-8 (a global
    error of a hundred times the local tolerance)."""
    N = 4
    k = np.tile([0.04, 3e7, 1e4], (N, 1))
    y0 = np.tile([[1.0], [0.0], [0.0]], (1, N))
    atol = np.array([[1e-14], [1e-18], [1e-14]])
    values, end, failed, counts = Integrator(robertson)((k,), y0, 0.0, 40.0, [0.0, 40.0], rtol=1e-10, atol=atol)
    assert not failed
    np.testing.assert_allclose(end.T, np.tile([0.7158271, 9.185535e-6, 0.2841637], (N, 1)), rtol=1e-6)
    np.testing.assert_array_equal(values[0], y0)
    np.testing.assert_array_equal(values[1], end)
    radau = _radau(robertson, y0[:, 0], 40.0, (k,), rtol=1e-13, atol=atol[:, 0] * 1e-3)
    np.testing.assert_allclose(end[:, 0], radau, rtol=1e-8, atol=0)
    assert np.all(counts == counts[0])  # the same member four times: the same work


def test_hires_matches_the_published_reference_and_radau():
    """Reference at t = 321.8122 (Mazzia and Magherini, Test Set for IVP Solvers, release 2.4,
    problem HIRES, computed with RADAU5 at tolerance 1e-18). BDF at rtol 1e-10 agrees with it and
    with scipy's Radau at rtol 1e-13 to 1e-7 relative (global error)."""
    reference = np.array([7.371312573325668e-4, 1.442485726316185e-4, 5.888729740967575e-5,
                          1.175651343283149e-3, 2.386356198831331e-3, 6.238968252742796e-3,
                          2.849998395185769e-3, 2.850001604814231e-3])
    y0 = np.array([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057])
    t_end = 321.8122
    _, end, failed, counts = Integrator(hires)((), y0[:, None], 0.0, t_end, [t_end], rtol=1e-10, atol=1e-16)
    assert not failed
    np.testing.assert_allclose(end[:, 0], reference, rtol=1e-7)
    radau = _radau(hires, y0, t_end, (), rtol=1e-13, atol=1e-19)
    np.testing.assert_allclose(end[:, 0], radau, rtol=1e-7)


def test_van_der_pol_matches_the_published_reference_and_each_member_takes_its_own_steps():
    """Van der Pol at eps = 1e-6 (very stiff) on [0, 2] from (2, -0.66): reference at t = 2 (Mazzia
    and Magherini, Test Set for IVP Solvers, problem VDPOL, computed with RADAU5). BDF at rtol 1e-10
    agrees to 1e-6 relative (two fast transitions; scipy's BDF: 2e-7). At eps = 1e-3 it agrees
    with scipy's Radau at rtol 1e-13 to 1e-7. The members take their own steps: each alone or in a
    batch of five gives the same result with the same work."""
    eps = np.array([1e-6, 1e-3, 1e-6, 1e-3, 1e-6])
    y0 = np.tile([[2.0], [-0.66]], (1, eps.size))
    integrate = Integrator(van_der_pol)
    _, end, failed, counts = integrate((eps,), y0, 0.0, 2.0, [2.0], rtol=1e-10, atol=1e-10)
    assert not failed
    np.testing.assert_allclose(end[:, 0], [1.706167732170483, -0.8928097010247975], rtol=1e-6)
    radau = _radau(van_der_pol, y0[:, 1], 2.0, (eps[1:2],), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(end[:, 1], radau, rtol=1e-7)
    for m in (0, 1):
        _, alone, _, alone_counts = integrate((eps[m:m + 1],), y0[:, m:m + 1], 0.0, 2.0, [2.0], rtol=1e-10,
                                              atol=1e-10)
        np.testing.assert_array_equal(alone[:, 0], end[:, m])
        np.testing.assert_array_equal(alone_counts[0], counts[m])
    assert counts[0, STATISTICS.index("steps")] != counts[1, STATISTICS.index("steps")]


@pytest.mark.parametrize("N", [1, 10])  # in the calling thread, and in parallel
def test_a_batch_of_stiff_linear_systems_matches_the_matrix_exponential(N):
    """Eigenvalues from -1e3 to -1e-2 in random bases with structural zeros (a sparse Jacobian):
    the dense output at the requested times matches ``expm(A t) y0``."""
    rng = np.random.default_rng(N)
    n = 4
    A = np.zeros((N, n, n))
    for m in range(N):
        Q = scipy.linalg.block_diag(*(np.linalg.qr(rng.normal(size=(2, 2)))[0] for _ in range(2)))
        A[m] = Q @ np.diag(-np.logspace(-2, 3, n) * rng.uniform(0.5, 2.0, n)) @ Q.T
    assert np.all(A[:, 0, 2:] == 0)
    y0 = rng.uniform(1.0, 2.0, (n, N))
    times = np.array([0.0, 0.1, 1.0, 3.7, 10.0])
    values, end, failed, _ = Integrator(linear)((A,), y0, 0.0, 10.0, times, rtol=1e-8, atol=1e-12)
    assert not failed
    exact = np.stack([np.einsum("mij,jm->im", scipy.linalg.expm(A * t), y0) for t in times])
    err = np.abs(values - exact) / np.maximum(np.abs(exact), 1e-3 * np.abs(y0).max())
    assert err.max() < 1e-5, err.max()
    np.testing.assert_array_equal(values[-1], end)


def test_newton_takes_one_iteration_a_step_where_it_converges_at_once():
    """On a linear system the simplified Newton iteration with a current Jacobian converges at once:
    the rate carried from the iterations since the last factorisation (CVODE's test) then accepts the
    first iteration of most steps: 1.5 rate evaluations a step here, where scipy's test needs two
    Newton iterations at least (2.03 with it), and the solution still matches ``expm(A t) y0``."""
    rng = np.random.default_rng(7)
    n = 4
    Q = np.linalg.qr(rng.normal(size=(n, n)))[0]
    A = (Q @ np.diag(-np.logspace(-2, 3, n)) @ Q.T)[None]
    y0 = rng.uniform(1.0, 2.0, (n, 1))
    times = np.array([0.0, 1.0, 30.0, 300.0])
    values, _, failed, counts = Integrator(linear)((A,), y0, 0.0, 300.0, times, rtol=1e-7, atol=1e-12)
    assert not failed
    steps, rate_evaluations = counts[0, STATISTICS.index("steps")], counts[0, STATISTICS.index("rate_evaluations")]
    assert steps > 50 and rate_evaluations < 1.75 * steps, (steps, rate_evaluations)
    exact = np.stack([scipy.linalg.expm(A[0] * t) @ y0 for t in times])
    err = np.abs(values - exact) / np.maximum(np.abs(exact), 1e-3 * np.abs(y0).max())
    assert err.max() < 1e-4, err.max()


def _factor_and_solve(J, c, b):
    """``(I - c J)^-1 b`` by :func:`remodel.solvers.linalg.lu_factor` on the pattern of ``J``, and
    whether the factorisation kept the diagonal pivots (the sparse path)."""
    n = J.shape[0]
    structure = (np.empty(n, dtype=np.int64), np.empty(2 * n + 1, dtype=np.int64), np.empty(n * n, dtype=np.int64),
                 np.empty(n + 1, dtype=np.int64), np.empty(n * n, dtype=np.int64))
    linalg.lu_structure((J != 0) | np.eye(n, dtype=bool), *structure)
    piv, rows, ptr = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(2 * n + 1, dtype=np.int64)
    idx, val = np.empty(n * n, dtype=np.int64), np.empty(n * n + n)
    assert linalg.lu_factor(J, c, np.empty((n, n)), piv, rows, ptr, idx, val, *structure)
    x = b.copy()
    linalg.lu_solve(piv, rows, ptr, idx, val, x)
    return x, bool(np.all(piv == np.arange(n)))


@pytest.mark.parametrize("c", [0.1, 30.0, 3e4])
def test_the_sparse_lu_solves_the_newton_system_with_and_without_row_exchanges(c):
    """A bordered block-diagonal Jacobian (three 5-state blocks coupled through 4 shared states, as
    the sites of the model through the drug states) keeps its diagonal pivots and the solution
    matches a dense solve; with a zero on the diagonal of ``I - c J`` the factorisation exchanges
    rows (dense partial pivoting) and still solves the system."""
    rng = np.random.default_rng(7)
    blocks, size, shared = 3, 5, 4
    n = blocks * size + shared
    J = np.zeros((n, n))
    for k in range(blocks):
        block = slice(k * size, (k + 1) * size)
        J[block, block] = rng.normal(size=(size, size)) * (rng.random((size, size)) < 0.5)
        J[block, blocks * size:] = rng.normal(size=(size, shared)) * (rng.random((size, shared)) < 0.3)
        J[blocks * size:, block] = rng.normal(size=(shared, size)) * (rng.random((shared, size)) < 0.3)
    J[np.diag_indices(n)] = -rng.uniform(0.5, 2.0, n)  # decay: I - c J diagonally heavy
    b = rng.normal(size=n)
    x, sparse = _factor_and_solve(J, c, b)
    np.testing.assert_allclose(x, np.linalg.solve(np.eye(n) - c * J, b), rtol=1e-9, atol=1e-12 * np.abs(x).max())
    assert sparse
    J[0, 0] = 1.0 / c  # a zero pivot: row exchanges needed
    J[1, 0] = J[0, 1] = 1.0
    x, sparse = _factor_and_solve(J, c, b)
    np.testing.assert_allclose(x, np.linalg.solve(np.eye(n) - c * J, b), rtol=1e-9, atol=1e-12 * np.abs(x).max())
    assert not sparse


def test_a_runaway_member_fails_alone_and_quietly():
    """Regression (benchmark at N = 1e5): a member whose state overflowed raised a floating-point
    RuntimeWarning under warnings-as-errors, which on_error='nan' could not catch. Now the member is
    reported failed, without a warning, and its batch-mates are solved."""
    growth = np.array([0.0, 1.0, 0.0, 0.0])
    y0 = np.ones((1, 4))
    _, end, failed, counts = Integrator(runaway)((growth,), y0, 0.0, 10.0, [10.0], rtol=1e-6, atol=1e-9)
    assert list(failed) == [1] and "step size" in failed[1]
    np.testing.assert_array_equal(end[:, [0, 2, 3]], 1.0)
    assert counts[1, STATISTICS.index("steps")] > 0  # the work of a failed member is counted too
    _, _, failed, _ = Integrator(runaway)((growth,), np.array([[1.0, 1e300, 1.0, 1.0]]), 0.0, 1.0, [1.0],
                                          rtol=1e-6, atol=1e-9)
    assert failed == {1: "non-finite rates"}


def depot(t, y, dydt, m, k):
    """A depot ``y[0]`` absorbed at rate ``k[m, 0]`` into ``y[1]``, eliminated at rate ``k[m, 1]`` (the
    shape of the denosumab and bisphosphonate kinetics)."""
    dydt[0] = -k[m, 0] * y[0]
    dydt[1] = k[m, 0] * y[0] - k[m, 1] * y[1]


def _depot_exact(k_a, k_e, doses, t):
    """``y[1](t)`` after unit doses into the depot at ``doses`` (superposition of Bateman functions)."""
    return sum(np.where(t >= d, k_a / (k_a - k_e) * (np.exp(-k_e * (t - d)) - np.exp(-k_a * (t - d))), 0.0)
               for d in doses)


def test_each_member_jumps_at_its_own_events_and_reports_the_state_after_them():
    """Doses as events inside one call: member 0 dosed at 0, 1.5 and 3, member 1 at 0.7 and 2 (twice at
    2: the jumps add), member 2 never (its events are all zero jumps). The states at the event
    times are those after the dose; the undosed member takes exactly the steps it takes alone."""
    k = np.array([[2.0, 0.3], [1.0, 0.5], [3.0, 0.2]])
    times = np.array([0.0, 0.7, 1.5, 2.0, 2.0, 3.0, 4.0])  # the last at t_end: not given
    amounts = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 1, 0]], dtype=float)
    y0 = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    t_eval = np.array([0.0, 0.7, 1.0, 1.5, 2.0, 3.0, 3.5, 4.0])
    integrate = Integrator(depot)
    values, end, failed, counts = integrate((k,), y0, 0.0, 4.0, t_eval, rtol=1e-10, atol=1e-14,
                                            events=(times, np.zeros(times.size, dtype=np.int64), amounts))
    assert not failed
    for m, doses in ((0, [0.0, 1.5, 3.0]), (1, [0.7, 2.0, 2.0])):
        np.testing.assert_allclose(values[:, 1, m], _depot_exact(*k[m], doses, t_eval), rtol=1e-7, atol=1e-12)
        depot_after = sum(np.where(t_eval >= d, np.exp(-k[m, 0] * (t_eval - d)), 0.0) for d in doses)
        np.testing.assert_allclose(values[:, 0, m], depot_after, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(end[:, :2], values[-1, :, :2], rtol=1e-12)
    alone_values, alone_end, _, alone_counts = integrate((k[2:],), y0[:, 2:], 0.0, 4.0, t_eval, rtol=1e-10,
                                                         atol=1e-14)
    np.testing.assert_array_equal(alone_values[:, :, 0], values[:, :, 2])
    np.testing.assert_array_equal(alone_counts[0], counts[2])


def test_daily_doses_carry_the_history_over_and_keep_the_tolerance():
    """Issue 16: 64 arms x 100 years of daily doses took minutes, most of it restarting the method
    at order 1 after every dose (here 70-94 rate evaluations a dose). The history is now carried
    over the dose (22-42 here), and 200 daily doses still match the exact solution to the
    tolerance."""
    k = np.array([[0.8, 0.05], [0.3, 0.02]])
    doses = np.arange(0.0, 200.0)
    t_eval = np.linspace(0.0, 200.0, 401)
    values, _, failed, counts = Integrator(depot)((k,), np.zeros((2, 2)), 0.0, 200.0, t_eval, rtol=1e-8, atol=1e-14,
                                                  events=(doses, np.zeros(doses.size, dtype=np.int64),
                                                          np.ones((doses.size, 2))))
    assert not failed
    for m in range(2):
        exact = _depot_exact(*k[m], doses, t_eval)
        np.testing.assert_allclose(values[:, 1, m], exact, rtol=0, atol=1e-8 * exact.max())
    assert (counts[:, STATISTICS.index("rate_evaluations")] < 60 * doses.size).all()


def test_a_part_of_a_batch_is_integrated_as_in_the_whole_batch():
    """``members=(first, stop)`` (used to report progress) changes no member's result."""
    k = np.array([[2.0, 0.3], [1.0, 0.5], [3.0, 0.2], [0.5, 0.1], [4.0, 1.0]])
    y0 = np.vstack([np.ones(5), np.zeros(5)])
    integrate = Integrator(depot)
    whole, whole_end, _, whole_counts = integrate((k,), y0, 0.0, 3.0, [1.0, 3.0], rtol=1e-9, atol=1e-12)
    out = np.full_like(whole, -1.0)
    _, part_end, _, part_counts = integrate((k,), y0, 0.0, 3.0, [1.0, 3.0], rtol=1e-9, atol=1e-12, out=out,
                                            members=(1, 3))
    np.testing.assert_array_equal(out[:, :, 1:3], whole[:, :, 1:3])
    assert (out[:, :, [0, 3, 4]] == -1.0).all() and np.isnan(part_end[:, [0, 3, 4]]).all()
    np.testing.assert_array_equal(part_end[:, 1:3], whole_end[:, 1:3])
    np.testing.assert_array_equal(part_counts[1:3], whole_counts[1:3])


def test_the_compilation_notice_comes_when_numba_compiles_and_only_then(tmp_path, monkeypatch):
    """What `remodel run` tells a new user during the first, long compilation (issue 16): notified
    once in a new cache, not for a call compiled in this process, nor for one loaded from the disk
    cache by a new process (here: a new integrator after the in-process driver is forgotten), for
    any number of members. Regression: a run that loaded a serial driver from the cache announced a
    compilation because the parallel one was not there (there is one driver now)."""
    import numba

    from remodel.solvers import bdf

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    notices = []

    def call(integrate, members=1):
        with bdf.compilation_notice(lambda: notices.append(members)):
            integrate((np.full(members, -1.0),), np.ones((1, members)), 0.0, 1.0, [1.0], rtol=1e-6, atol=1e-9)

    call(Integrator(runaway))
    assert notices == [1]
    call(Integrator(runaway))
    assert notices == [1]
    bdf._driver.cache_clear()
    call(Integrator(runaway), members=4)  # from the disk cache: the same loop for any number of members
    assert notices == [1]
