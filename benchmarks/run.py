"""remodel benchmarks, all in one go: ratios measured side by side in the same run.

    python benchmarks/run.py            # about 3 minutes on 2 cores
    python benchmarks/run.py --quick    # smaller sizes, about 1 minute
    python benchmarks/run.py --full     # adds N = 100,000 to (c)

(a) remodel's batched solve (every member alone, the compiled BDF of :mod:`remodel.solvers.bdf`)
    vs solve_ivp RK45 and LSODA loops over the same model (:meth:`remodel.model.Model.rhs`, one
    member at a time).
(b) remodel vs the ``bone-models`` package (Pivonka 2008 with a PTH-injection load case) for the
    same number of scenarios.
(c) scenarios per second of :func:`remodel.sweep.sweep` at N = 1, 1e3, 1e4 (1e5 with --full),
    10 years of monthly BMD, also at rtol 1e-5, into a zarr store (the ratio to in memory), and on a
    2-worker dask LocalCluster (in memory, and into a store the workers write), and the ratio
    to the LSODA loop of (a); (d) the peak memory of each (resident set size of a fresh process, or
    of the largest dask worker).
(e) one flagship scenario file: the simulation (warm) and ``remodel run`` from a cold process.

Every line says what was measured. Timings on a shared machine are noisy: compare the ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numba  # noqa: E402
import numpy as np  # noqa: E402

import remodel  # noqa: E402
from remodel.model.physiology import site as site_block  # noqa: E402
from remodel.model.sites import SITES  # noqa: E402
from _common import MONTHLY, POPULATION, RTOL, SWEPT, YEARS, draw, loop_member  # noqa: E402


def clock(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def batched(samples):
    return remodel.simulate(POPULATION, (), years=YEARS, output_times=MONTHLY, samples=samples, rtol=RTOL,
                            variables=["bone_mineral_change"])


def section_a(n_loop: int, n_batch: int) -> float:
    """Returns the LSODA loop's seconds per scenario."""
    print(f"\n(a) batched vs one member at a time (10 years monthly, untreated {POPULATION}, rtol {RTOL:g})")
    samples = draw(max(n_loop, n_batch), seed=1)
    first = {k: v[:n_loop] for k, v in samples.items()}
    batched(draw(2, seed=0))  # load the compiled code (cached on disk) before timing: serial and
    batched(draw(8, seed=0))  # parallel (4 members or more) loops
    ds, t_small = clock(batched, first)
    _, t_big = clock(batched, samples)
    per_batch = t_big / n_batch
    print(f"  remodel batched ({numba.get_num_threads()} threads): {n_loop} scenarios "
          f"{t_small:.2f} s; {n_batch} scenarios {t_big:.2f} s ({per_batch * 1e3:.2f} ms/scenario)")
    per_scenario = {}
    for method in ("LSODA", "RK45"):
        worst, nfev, t0 = 0.0, 0, time.perf_counter()
        for i in range(n_loop):
            mineral, n = loop_member(first, i, method)
            nfev += n
            change = 100 * (mineral / mineral[0] - 1)
            ours = ds["bone_mineral_change"].isel(sample=i).sel(site="lumbar_spine").values
            worst = max(worst, float(np.max(np.abs(change - ours))))
        t_loop = time.perf_counter() - t0
        per_scenario[method] = t_loop / n_loop
        print(f"  solve_ivp {method} loop: {n_loop} scenarios {t_loop:.2f} s ({t_loop / n_loop * 1e3:.0f} ms/scenario, "
              f"{nfev / n_loop:.0f} rhs calls each); largest difference from remodel {worst:.1e} %-points of "
              f"lumbar-spine mineral")
        print(f"    ratio {method} loop / remodel batched: x{t_loop / t_small:.1f} at N = {n_loop}, "
              f"x{(t_loop / n_loop) / per_batch:.1f} per scenario against N = {n_batch}")
    return per_scenario["LSODA"]


def section_b(n: int) -> None:
    print(f"\n(b) remodel vs bone-models (Pivonka 2008, PTH injection), {n} scenarios of 10 years")
    try:
        from bone_models.load_cases.pivonka_load_cases import Pivonka_Load_Case_1
        from bone_models.models.pivonka_model import Pivonka_Model
    except ImportError:
        print("  bone-models is not installed (pip install bone-models): skipped")
        return
    rates = np.linspace(500.0, 1500.0, n)  # PTH injection rate of the load case, one per scenario

    def bone_models_loop():
        finals = []
        for rate in rates:
            case = Pivonka_Load_Case_1()
            case.PTH_injection = float(rate)
            model = Pivonka_Model(case)
            with contextlib.redirect_stdout(io.StringIO()):  # it prints progress
                sol = model.solve_bone_cell_population_model(tspan=[0, YEARS * 365.25])
            finals.append(sol.y[:, -1])
        return np.array(finals)

    finals, t_theirs = clock(bone_models_loop)
    _, t_ours = clock(batched, draw(n, seed=2))
    print(f"  bone-models Pivonka_Model loop (3 cell states, RK45 rtol 1e-8, PTH injection days 0-100): "
          f"{t_theirs:.2f} s ({t_theirs / n * 1e3:.1f} ms/scenario)")
    n_sites, n_kinds = len(SITES), len(site_block.STATES)
    print(f"  remodel batched ({n_sites * n_kinds} states: {n_sites} sites x {n_kinds}, no drug in the body, sex-steroid "
          f"drivers, 32-year history, "
          f"monthly output): {t_ours:.2f} s ({t_ours / n * 1e3:.1f} ms/scenario)")
    print(f"    ratio bone-models / remodel: x{t_theirs / t_ours:.2f} (different models: per-scenario work differs)")


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {here!r})
from _common import MONTHLY, POPULATION, YEARS, SWEPT
from remodel.sweep import sweep
def peak_mb():
    # VmHWM: this process's own high-water mark (ru_maxrss would include the parent's at fork time)
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
n, chunk, rtol, workers = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
kwargs = dict(design="random", n=n, seed=3, bounds={{k: None for k in SWEPT}}, years=YEARS, output_times=MONTHLY,
              variables=("bmd",), chunk_size=chunk, progress=False, rtol=rtol, on_error="nan", store=sys.argv[5] or None)
if workers:
    from dask.distributed import Client, LocalCluster
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \\
            Client(cluster) as client:
        t0 = time.perf_counter()
        ds = sweep(POPULATION, (), client=client, **kwargs)
        seconds = time.perf_counter() - t0
        worker_rss = max(client.run(peak_mb).values())
else:
    t0 = time.perf_counter()
    ds = sweep(POPULATION, (), **kwargs)
    seconds = time.perf_counter() - t0
    worker_rss = 0.0
print(json.dumps(dict(n=n, seconds=seconds, maxrss_mb=max(worker_rss, peak_mb()),
                      result_mb=ds.nbytes / 2**20, failed=int(ds["solver_failed"].sum()))))
"""


def throughput(n: int, chunk: int, rtol: float = RTOL, workers: int = 0, store: bool = False) -> dict:
    code = _CHILD.format(here=str(HERE))
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(n), str(chunk), repr(rtol), str(workers),
                              f"{tmp}/store" if store else ""],
                             capture_output=True, text=True, env=dict(os.environ, PYTHONWARNINGS="error"))
    if out.returncode:
        raise RuntimeError(f"throughput N = {n} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def section_c(sizes, chunk: int, extra: int, lsoda_seconds: float) -> None:
    print(f"\n(c, d) sweep throughput and peak memory: random design over {', '.join(SWEPT)}, "
          f"10 years of monthly BMD at 3 sites, chunk_size {chunk}; peak RSS of a fresh process (largest worker with dask)")

    def row(label, n, workers=0, **kwargs):
        # with workers, at least two chunks per worker so that both stay busy
        r = throughput(n, min(n, chunk, max(1, n // (2 * workers)) if workers else chunk), workers=workers, **kwargs)
        print(f"  {label:<34} N = {n:>7,}: {r['seconds']:7.1f} s {n / r['seconds']:7.0f} scenarios/s  "
              f"peak RSS {r['maxrss_mb']:5.0f} MB  (result {r['result_mb']:.1f} MB"
              + (f"; {r['failed']} points not solvable, NaN" if r["failed"] else "") + ")", flush=True)
        return n / r["seconds"]

    threads = numba.get_num_threads()
    for n in sizes:
        rate = row(f"1 process, {threads} threads, rtol {RTOL:g}", n)
    row(f"1 process, {threads} threads, rtol 1e-05", extra, rtol=1e-5)
    memory = row(f"1 process, {threads} threads, rtol {RTOL:g}", extra)
    store = row("  the same into a zarr store", extra, store=True)
    print(f"    zarr store / in memory: x{store / memory:.2f} the throughput")
    row(f"dask LocalCluster 2 workers, rtol {RTOL:g}", extra, workers=2)
    row("  the same into a zarr store (workers write)", extra, workers=2, store=True)
    print(f"  largest N ({sizes[-1]:,}) at rtol {RTOL:g}: {rate:.0f} scenarios/s, x{rate * lsoda_seconds:.0f} the "
          f"solve_ivp LSODA loop of (a) (issue 15: >= 10,000/s and >= x2,000 at N = 100,000; target 20,000/s)")


def section_e(scenario: Path) -> None:
    print(f"\n(e) one scenario file: {scenario.name}")
    from remodel.runner import run_scenario
    from remodel.scenario import load_scenario

    loaded = load_scenario(scenario)
    run_scenario(loaded)  # load the compiled code before timing
    seconds = sorted(clock(run_scenario, loaded)[1] for _ in range(5))
    print(f"  run_scenario ({len(loaded.arms)} arms, {loaded.years:g} years, every variable): median "
          f"{seconds[2] * 1e3:.0f} ms, best {seconds[0] * 1e3:.0f} ms (issue 15: <= 25 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        cold = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "remodel", "run", str(scenario), "-o", f"{tmp}/out.nc", "--force"],
                           check=True, capture_output=True)
            cold.append(time.perf_counter() - t0)
    print(f"  remodel run, cold process to netCDF file: {', '.join(f'{c:.2f}' for c in cold)} s (issue 15: <= 1.2 s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 1 minute)")
    parser.add_argument("--full", action="store_true", help="also N = 100,000 in (c)")
    args = parser.parse_args(argv)
    print(f"remodel {remodel.model_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    if args.quick:
        lsoda = section_a(n_loop=3, n_batch=200)
        section_b(10)
        section_c([1, 1000], chunk=1000, extra=1000, lsoda_seconds=lsoda)
    else:
        lsoda = section_a(n_loop=10, n_batch=1000)
        section_b(20)
        section_c([1, 1000, 10_000] + ([100_000] if args.full else []), chunk=2000, extra=10_000, lsoda_seconds=lsoda)
    section_e(HERE.parent / "scenarios" / "anastrozole_postmenopausal.toml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
