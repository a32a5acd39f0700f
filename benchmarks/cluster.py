"""A million patients on a dask cluster: the recipe of benchmarks/README.md, run on a LocalCluster.

    python benchmarks/cluster.py                        # N = 1,000,000, 2 workers, at most 30 minutes
    python benchmarks/cluster.py --n 100000 --time-limit 600
    python benchmarks/cluster.py --store runs/million   # run again to resume an interrupted sweep

The workload of benchmark (c): a random design over the parameters of ``_common.SWEPT``, 10 years
of monthly BMD at 3 sites, rtol 1e-6. :func:`remodel.sweep.sweep` with a ``dask.distributed``
client runs every chunk as a task; the worker that computed a chunk writes it into its region of one
zarr store, the client shows the progress bar and keeps no data (``load=False``). Once a fraction
of the chunks is done (``--kill-at``) one worker is killed with SIGKILL: its nanny starts a new one
and the chunk it was computing is computed again. Each worker may use at most ``--memory-limit``
(the nanny restarts a worker above it). At the time limit the client stops, and running the same
command with the same ``--store`` resumes from the chunks done. Prints the throughput, the chunks
computed again and the peak resident memory of the workers.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import MONTHLY, POPULATION, RTOL, SWEPT, YEARS  # noqa: E402


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM), MB."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024


def chunks_done(store: Path) -> int:
    """Chunks flagged done in the store (zarr format 2: one file per chunk of ``chunk_done``, written
    when the flag is set)."""
    folder = store / "chunk_done"
    return sum(p.name.isdigit() for p in folder.iterdir()) if folder.is_dir() else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="scenarios (default 1,000,000)")
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="2GB", help="per worker (default 2GB)")
    parser.add_argument("--time-limit", type=float, default=1800.0, help="seconds (default 1800)")
    parser.add_argument("--kill-at", type=float, default=0.1, help="fraction of chunks after which a worker is killed")
    parser.add_argument("--store", type=Path, help="zarr store (default: a temporary directory, removed)")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    from remodel.sweep import sweep

    n_chunks = -(-args.n // args.chunk_size)
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "store"
        before = chunks_done(store)
        print(f"N = {args.n:,} in {n_chunks} chunks of {args.chunk_size}, {args.workers} workers of 1 thread, "
              f"memory limit {args.memory_limit} each; {before} chunks already in {store}; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                          memory_limit=args.memory_limit) as cluster, Client(cluster) as client:
            killed = []

            def kill_a_worker():
                while chunks_done(store) < before + max(1, args.kill_at * (n_chunks - before)):
                    if stop.wait(0.5):
                        return
                pid = next(iter(client.run(os.getpid).values()))
                killed.append(chunks_done(store))
                os.kill(pid, signal.SIGKILL)

            def time_limit():
                if not stop.wait(args.time_limit):
                    print(f"\ntime limit of {args.time_limit:g} s: the client stops (run again with --store to "
                          "resume)", flush=True)
                    client.close()

            stop = threading.Event()
            threads = [threading.Thread(target=f, daemon=True) for f in (kill_a_worker, time_limit)]
            for thread in threads:
                thread.start()
            t0 = time.perf_counter()
            try:
                sweep(POPULATION, (), design="random", n=args.n, seed=3, bounds={k: None for k in SWEPT},
                      years=YEARS, output_times=MONTHLY, variables=("bmd",), chunk_size=args.chunk_size, rtol=RTOL,
                      on_error="nan", store=store, client=client, load=False)
                complete = True
            except Exception as exc:  # the client closed at the time limit
                complete = False
                print(f"stopped: {type(exc).__name__}", flush=True)
            seconds = time.perf_counter() - t0
            stop.set()
            workers_mb = client.run(peak_mb).values() if complete else []
        done = chunks_done(store)
        computed = min(done * args.chunk_size, args.n) - min(before * args.chunk_size, args.n)
        print(f"{'complete' if complete else 'incomplete'}: {done} of {n_chunks} chunks in the store; "
              f"{computed:,} scenarios in {seconds:.0f} s = {computed / seconds:.0f} scenarios/s")
        if killed:
            print(f"  a worker was killed with SIGKILL after {killed[0]} chunks; the cluster went on")
        if workers_mb:
            print(f"  peak resident memory of the workers (since each started): "
                  f"{', '.join(f'{mb:.0f}' for mb in workers_mb)} MB; client {peak_mb():.0f} MB")
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
