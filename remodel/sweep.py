"""Sweeps at scale: full grids and sampled designs over parameters and scenario inputs.

:func:`sweep` runs :func:`remodel.simulate` on chunks of the points of a design, keeps only the
variables, sites and output times asked for, and writes each finished chunk to a store
directory, so that an interrupted sweep resumes where it stopped. The same call runs the chunks
as tasks on a :class:`dask.distributed.Client` when one is given.

Store layout (one directory per sweep)::

    manifest.json        what the sweep is (fingerprint, names, number of points and chunks)
    points.nc            the design: one coordinate per swept name along ``point``
    chunk-00000.nc ...   finished chunks, written to a temporary name and renamed when complete
    chunks.log           one line per chunk computed: index, points, seconds, run id

A chunk file exists only when it is complete (written then renamed), so a sweep killed at any
moment leaves only whole chunks; a resumed sweep computes exactly the missing ones. The
fingerprint guards against resuming a store with a different sweep.

Scaling out
-----------
Pass a :class:`dask.distributed.Client`: every missing chunk is submitted as one task running
:func:`compute_chunk` (a pure function of the chunk's inputs); results come back to the calling
process, which writes the chunk files, so the workers need no shared file system, only
``remodel`` installed in the same version. To use a cluster::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")          # an existing scheduler
    # or, on an HPC batch system, with dask-jobqueue:
    # from dask_jobqueue import SLURMCluster
    # cluster = SLURMCluster(cores=8, processes=8, memory="16GB", walltime="02:00:00")
    # cluster.scale(jobs=10); client = Client(cluster)
    ds = sweep(..., client=client, store="runs/my_sweep")

Use one thread per worker process (``threads_per_worker=1``, or ``processes=cores``): the
solver is NumPy-bound and holds the GIL between array operations.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import xarray as xr

from .parameters import ParameterSet, parameter_set
from .populations import SITES, Population
from .populations import population as named_population
from .regimen import Regimen

__all__ = ["sweep", "compute_chunk", "design_points", "SweepError", "SweepSpec", "sweep_from_scenario", "run_spec",
           "main_sweep", "add_sweep_parser", "DESIGNS"]

#: Sampled designs: uniform random, Latin hypercube (scipy.stats.qmc), scrambled Sobol sequence.
DESIGNS = ("random", "lhs", "sobol")
STORE_FORMAT = 1


class SweepError(ValueError):
    """A sweep cannot be set up as asked (bad names, bounds, design or store); the message says why."""


# ----------------------------------------------------------------------------------------------
# Design
# ----------------------------------------------------------------------------------------------

def design_points(names, bounds, design, n, seed=0):
    """Points of a sampled design: ``{name: array of n values}`` within ``bounds``.

    Parameters
    ----------
    names : sequence of str
    bounds : mapping of name to (low, high)
    design : {"random", "lhs", "sobol"}
        Uniform random (``numpy.random.default_rng(seed)``), Latin hypercube
        (:class:`scipy.stats.qmc.LatinHypercube`) or scrambled Sobol sequence
        (:class:`scipy.stats.qmc.Sobol`; ``n`` should be a power of two for its balance properties).
    n : int
    seed : int
    """
    from scipy.stats import qmc

    if design not in DESIGNS:
        raise SweepError(f"unknown design {design!r}; allowed: {', '.join(DESIGNS)} (or a dict of explicit values)")
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise SweepError(f"design {design!r} needs n, a positive number of points, got {n!r}")
    d = len(names)
    if design == "random":
        unit = np.random.default_rng(seed).random((n, d))
    elif design == "lhs":
        unit = qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(n)
    else:
        sampler = qmc.Sobol(d=d, scramble=True, seed=np.random.default_rng(seed))
        # the first n points of a 2**m block: balanced when n is a power of two
        unit = sampler.random_base2(int(math.ceil(math.log2(n))))[:n]
    lo = np.array([bounds[k][0] for k in names], dtype=float)
    hi = np.array([bounds[k][1] for k in names], dtype=float)
    values = lo + unit * (hi - lo)
    return {k: values[:, i] for i, k in enumerate(names)}


@dataclasses.dataclass(frozen=True)
class _Plan:
    """Everything that determines a sweep's results, flattened to points."""

    kind: str                      # "grid", a design name, or "explicit"
    names: tuple[str, ...]         # swept names in dimension order
    dims: tuple[int, ...]          # grid shape (one entry per name) or (n_points,)
    points: dict                   # name -> (n_points,) float array, in point order
    parameter_names: tuple[str, ...]
    scenario_names: tuple[str, ...]
    bounds: dict


def _plan(params: ParameterSet, regimen, grid, design, n, seed, bounds) -> _Plan:
    if (grid is None) == (design is None):
        raise SweepError("give either grid={name: values} or design='random'|'lhs'|'sobol' (or a dict of values)")
    bounds = dict(bounds or {})
    if grid is not None:
        if not isinstance(grid, Mapping) or not grid:
            raise SweepError("grid must be a non-empty dict of name to values")
        names = tuple(str(k) for k in grid)
        axes = []
        for k in names:
            v = np.atleast_1d(np.asarray(grid[k], dtype=float))
            if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
                raise SweepError(f"grid[{k!r}] must be a non-empty 1-D array of finite numbers")
            axes.append(v)
        mesh = np.meshgrid(*axes, indexing="ij")
        points = {k: m.reshape(-1) for k, m in zip(names, mesh)}
        kind, dims = "grid", tuple(a.size for a in axes)
    elif isinstance(design, Mapping):
        names = tuple(str(k) for k in design)
        points = {k: np.atleast_1d(np.asarray(design[k], dtype=float)).reshape(-1) for k in names}
        sizes = {v.size for v in points.values()}
        if not names or len(sizes) != 1 or 0 in sizes:
            raise SweepError("an explicit design is a dict of name to equally long, non-empty arrays of values")
        if not all(np.all(np.isfinite(v)) for v in points.values()):
            raise SweepError("explicit design values must be finite")
        kind, dims = "explicit", (sizes.pop(),)
    else:
        if not bounds:
            raise SweepError(f"design {design!r} needs bounds={{name: (low, high)}} naming the swept inputs "
                             "(None as the range takes a parameter's own bounds)")
        names = tuple(str(k) for k in bounds)
        for k in names:
            if bounds[k] is None:
                if k not in params:
                    raise SweepError(f"bounds[{k!r}]: only model parameters have default bounds; give (low, high)")
                bounds[k] = tuple(params[k].bounds)
            lo, hi = (float(x) for x in bounds[k])
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise SweepError(f"bounds[{k!r}] must be (low, high) with low < high, got {bounds[k]!r}")
            bounds[k] = (lo, hi)
        points = design_points(names, bounds, design, n, seed)
        kind, dims = design, (int(n),)
    parameter_names = tuple(k for k in names if k in params)
    scenario_names = tuple(k for k in names if k not in params)
    if scenario_names and not callable(regimen):
        raise SweepError(
            f"{', '.join(map(repr, scenario_names))} are not parameters of {params.name}; to sweep a scenario "
            "input, pass regimen as a function of it returning a Regimen (e.g. lambda dose_mg: Regimen(...)); "
            f"parameters: {', '.join(sorted(params))}")
    return _Plan(kind, names, dims, points, parameter_names, scenario_names,
                 {k: tuple(bounds[k]) for k in names if k in bounds})


# ----------------------------------------------------------------------------------------------
# One chunk: a pure function of its inputs
# ----------------------------------------------------------------------------------------------

def compute_chunk(task: Mapping[str, Any]) -> xr.Dataset:
    """Simulate the points of one chunk and return their outputs along a ``point`` dimension.

    ``task`` holds ``population``, ``regimen`` (Regimen, list of Therapy, dict of arms, or a
    function of the scenario inputs returning one), ``parameters``, ``points`` (name -> values),
    ``parameter_names``, ``scenario_names``, ``years``, ``output_times``, ``variables``, ``sites``
    and ``rtol``. The result depends on nothing else, so a chunk gives the same numbers in any
    process: this is the function a dask worker runs.

    Points with the same scenario inputs are simulated in one batch (one :func:`remodel.simulate`
    call); with no scenario inputs, the whole chunk is one batch.
    """
    from .simulation import simulate, summed_solver_attributes

    points = {k: np.asarray(v, dtype=float) for k, v in task["points"].items()}
    n_points = len(next(iter(points.values())))
    params = task["parameters"]
    pnames, snames = task["parameter_names"], task["scenario_names"]
    if snames:
        keys = list(zip(*(points[k] for k in snames)))
        groups: dict[tuple, list[int]] = {}
        for i, key in enumerate(keys):
            groups.setdefault(key, []).append(i)
    else:
        groups = {(): list(range(n_points))}
    from .solvers import SolverError

    on_error = task.get("on_error", "raise")

    def run(regimen, index):
        """[(indices, Dataset or None)]: with on_error="nan", a failing batch is halved until the
        points that cannot be solved are alone (None)."""
        if pnames:
            samples = {k: points[k][index] for k in pnames}
        else:  # no parameter swept: a sample dimension of the set's own values
            first = next(iter(params.values()))
            samples = {first: np.full(len(index), params.values()[first])}
        try:  # the untreated reference members serve only Z-scores
            ds = simulate(task["population"], regimen, years=task["years"], output_times=task["output_times"],
                          parameters=params, samples=samples, rtol=task["rtol"],
                          natural_history="z_score" in task["variables"], variables=task["variables"])
        except SolverError:
            if on_error == "raise":
                raise
            if len(index) == 1:
                return [(index, None)]
            half = len(index) // 2
            return run(regimen, index[:half]) + run(regimen, index[half:])
        ds = ds[list(task["variables"])]
        if task["sites"] is not None:
            ds = ds.sel(site=list(task["sites"]))
        return [(index, ds.drop_vars(list(samples), errors="ignore").rename({"sample": "point"}))]

    results = []
    for key, index in groups.items():
        regimen = task["regimen"]
        if snames:
            regimen = regimen(**{k: float(v) for k, v in zip(snames, key)})
        results += run(regimen, index)
    template = next((ds for _, ds in results if ds is not None), None)
    if template is None:
        raise SolverError(f"none of the {n_points} points of this chunk could be solved")
    failed_any = any(ds is None for _, ds in results)
    parts, order = [], []
    for index, ds in results:
        failed = ds is None
        if failed:
            ds = xr.full_like(template.isel(point=[0]), np.nan, dtype=float)
        elif failed_any:
            ds = ds.astype(float)  # integer variables (WHO category) need NaN for the failed points
        if on_error == "nan":
            ds = ds.assign(solver_failed=("point", np.full(ds.sizes["point"], failed),
                                          {"long_name": "the model could not be solved at this point (values NaN)"}))
        parts.append(ds)
        order.extend(index)
    ds = parts[0] if len(parts) == 1 else xr.concat(parts, dim="point", data_vars="all", coords="minimal",
                                                  compat="override", join="override", combine_attrs="override")
    ds.attrs.update(summed_solver_attributes(ds for _, ds in results if ds is not None))
    if order != list(range(n_points)):
        ds = ds.isel(point=np.argsort(order, kind="stable"))
    return ds


# ----------------------------------------------------------------------------------------------
# The store
# ----------------------------------------------------------------------------------------------

def _fingerprint(description: dict, points: dict) -> str:
    h = hashlib.sha256(json.dumps(description, sort_keys=True, default=str).encode())
    for k in sorted(points):
        h.update(k.encode())
        h.update(np.ascontiguousarray(points[k], dtype="<f8").tobytes())
    return h.hexdigest()


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


class _Store:
    """A sweep's directory: manifest, design, chunk files and a log of computed chunks."""

    def __init__(self, path, manifest: dict, points: dict):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.path / ".lock", "w")
        try:
            import fcntl

            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # not POSIX: no guard against two sweeps on one store
            pass
        except OSError:
            self._lock.close()
            raise SweepError(f"store {self.path} is in use by another running sweep") from None
        for stale in self.path.glob(".chunk-*.tmp-*"):
            stale.unlink()  # a chunk being written when a previous run was killed
        manifest_path = self.path / "manifest.json"
        if manifest_path.exists():
            old = json.loads(manifest_path.read_text())
            if old.get("fingerprint") != manifest["fingerprint"]:
                self.close()
                raise SweepError(
                    f"store {self.path} holds a different sweep (its manifest's fingerprint differs: other "
                    "design, points, model inputs or chunk size); use another store directory or delete this one")
        else:
            _atomic_write(self.path / "points.nc", lambda tmp: xr.Dataset(
                {k: ("point", v) for k, v in points.items()}).to_netcdf(tmp))
            _atomic_write(manifest_path, lambda tmp: Path(tmp).write_text(json.dumps(manifest, indent=1) + "\n"))

    def chunk_path(self, i: int) -> Path:
        return self.path / f"chunk-{i:05d}.nc"

    def done(self, n_chunks: int) -> set[int]:
        return {i for i in range(n_chunks) if self.chunk_path(i).exists()}

    def write(self, i: int, ds: xr.Dataset, seconds: float, run_id: str) -> None:
        ds = ds.assign_attrs(sweep_chunk=i, sweep_run_id=run_id)
        _atomic_write(self.chunk_path(i), lambda tmp: ds.to_netcdf(tmp))
        with open(self.path / "chunks.log", "a") as log:
            log.write(json.dumps({"chunk": i, "points": int(ds.sizes["point"]), "seconds": round(seconds, 3),
                                  "run_id": run_id}) + "\n")
            log.flush()
            os.fsync(log.fileno())

    def read(self, i: int) -> xr.Dataset:
        with xr.open_dataset(self.chunk_path(i)) as ds:
            return ds.load()

    def close(self) -> None:
        self._lock.close()


class _Progress:
    """Plain-text progress on stderr: one line per finished chunk."""

    def __init__(self, enabled: bool, n_chunks: int, n_points: int, done_chunks: int, done_points: int):
        self.enabled, self.n_chunks, self.n_points = enabled, n_chunks, n_points
        self.chunks, self.points, self.start_points = done_chunks, done_points, done_points
        self.t0 = time.perf_counter()
        if enabled and done_chunks:
            print(f"sweep: resuming, {done_chunks}/{n_chunks} chunks already in the store", file=sys.stderr)

    def update(self, points: int) -> None:
        self.chunks += 1
        self.points += points
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.t0
        rate = (self.points - self.start_points) / elapsed if elapsed > 0 else float("nan")
        left = (self.n_points - self.points) / rate if rate > 0 else float("nan")
        print(f"sweep: {self.chunks}/{self.n_chunks} chunks, {self.points}/{self.n_points} points "
              f"({100 * self.points / self.n_points:.0f}%), {elapsed:.1f} s, {rate:.1f} points/s, "
              f"~{left:.0f} s left", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# The entry point
# ----------------------------------------------------------------------------------------------

def _describe_regimen(regimen) -> str:
    if callable(regimen) and not isinstance(regimen, Regimen):
        return f"callable {getattr(regimen, '__module__', '?')}.{getattr(regimen, '__qualname__', repr(regimen))}"
    if isinstance(regimen, Mapping):
        return repr({str(k): v for k, v in regimen.items()})
    return repr(regimen if isinstance(regimen, Regimen) else tuple(regimen))


def sweep(
    population: Population | str,
    regimen: Regimen | Sequence | Mapping | Callable[..., Regimen] = (),
    *,
    grid: Mapping[str, Sequence[float]] | None = None,
    design: str | Mapping[str, Sequence[float]] | None = None,
    n: int | None = None,
    seed: int = 0,
    bounds: Mapping[str, tuple[float, float] | None] | None = None,
    years: float,
    output_times=None,
    variables: str | Sequence[str] = ("bmd_change",),
    sites: str | Sequence[str] | None = None,
    chunk_size: int = 512,
    store: str | os.PathLike | None = None,
    client=None,
    progress: bool = True,
    parameters: ParameterSet | str = "Remodel2026",
    rtol: float = 1e-7,
    on_error: str = "raise",
) -> xr.Dataset:
    """Simulate a population over a grid or a sampled design of parameters and scenario inputs.

    Parameters
    ----------
    population : Population or str
    regimen : Regimen, list of Therapy, dict of arms, or callable
        What is simulated at every point, as in :func:`remodel.simulate` (a dict of arms adds an
        ``arm`` dimension). A callable receives the swept names that are not model parameters
        (scenario inputs, e.g. ``dose_mg``) as keyword arguments and returns a Regimen.
    grid : dict of str to array-like, optional
        Full factorial grid: the result has one dimension per name, in this order.
    design : {"random", "lhs", "sobol"} or dict of str to array-like, optional
        A sampled design of ``n`` points within ``bounds`` (uniform random, Latin hypercube,
        scrambled Sobol sequence), or explicit points (a dict of equally long arrays). The result
        has a ``sample`` dimension with the sampled values as coordinates.
    n : int
        Number of points of a sampled design.
    seed : int
        Seed of the sampled design.
    bounds : dict of str to (low, high) or None
        Ranges of a sampled design; ``None`` takes a parameter's own plausible bounds
        (:attr:`remodel.Parameter.bounds`).
    years : float
        Horizon (years).
    output_times : array-like, optional
        Output times (years) to keep; default monthly. Fewer times, variables and sites keep the
        result and the store small.
    variables : str or sequence of str
        Variables of :func:`remodel.simulate` to keep (default ``bmd_change``).
    sites : str or sequence of str, optional
        Sites to keep (default all).
    chunk_size : int
        Points per chunk: one batch solved together, one file in the store, one dask task.
    store : path, optional
        Directory for the chunk files. If it holds chunks of the same sweep, only the missing
        chunks are computed (resume). Without a store, results stay in memory. The store's
        fingerprint covers the design points and every input, except the body of a regimen
        function (recorded by name): after changing one, use a new store.
    client : dask.distributed.Client, optional
        Run chunks as tasks on this client's cluster (see the module docstring).
    progress : bool
        Print one progress line per chunk on stderr.
    parameters : ParameterSet or str
    rtol : float
        Relative tolerance of the integrator.
    on_error : {"raise", "nan"}
        What a point the solver cannot solve does: raise :class:`remodel.SolverError`, or give NaN
        there and ``solver_failed = True`` (its chunk is halved until the failing points are alone).

    Returns
    -------
    xarray.Dataset
        The chosen variables with dimensions ``(<swept names>..., [arm,] time, [site])`` for a
        grid, or ``(sample, [arm,] time, [site])`` with one coordinate per swept name for a design.
        Attributes of :func:`remodel.simulate` (its ``solver_*`` counts summed over every chunk,
        and with ``on_error="nan"`` ``solver_failed_points``) plus ``sweep_design``,
        ``sweep_names`` and, for sampled designs, ``sweep_seed`` and ``sweep_bounds``.

    Raises
    ------
    SweepError
        For an inconsistent request (unknown names, bounds, design or variables; a store holding a
        different sweep).
    remodel.SolverError
        When a chunk cannot be solved.

    Examples
    --------
    >>> ds = sweep("postmenopausal_woman", [Therapy("anastrozole")], grid={"K_E2": [10, 20, 40]},
    ...            years=5, output_times=[0, 1, 5])                                  # doctest: +SKIP
    >>> ds = sweep("postmenopausal_woman", (), design="lhs", n=1000, bounds={"K_E2": None, "gamma_age": None},
    ...            years=10, store="runs/lhs", chunk_size=500)                       # doctest: +SKIP
    """
    from .simulation import _VARIABLES, model_version

    if isinstance(population, str):
        population = named_population(population)
    params = parameter_set(parameters)
    variables = (variables,) if isinstance(variables, str) else tuple(variables)
    unknown = [v for v in variables if v not in _VARIABLES]
    if not variables or unknown:
        raise SweepError(f"unknown variables {unknown}; allowed: {', '.join(_VARIABLES)}")
    if sites is not None:
        sites = (sites,) if isinstance(sites, str) else tuple(sites)
        bad = [s for s in sites if s not in SITES]
        if not sites or bad:
            raise SweepError(f"unknown sites {bad}; sites: {', '.join(SITES)}")
    if on_error not in ("raise", "nan"):
        raise SweepError(f"on_error must be 'raise' or 'nan', got {on_error!r}")
    if not (isinstance(chunk_size, (int, np.integer)) and chunk_size >= 1):
        raise SweepError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    plan = _plan(params, regimen, grid, design, n, seed, bounds)
    for k in plan.parameter_names:
        if not np.all(plan.points[k] >= 0):
            raise SweepError(f"{k}: parameter values must not be negative")
    output_times = None if output_times is None else tuple(float(t) for t in np.atleast_1d(output_times))
    n_points = len(next(iter(plan.points.values())))
    n_chunks = -(-n_points // int(chunk_size))

    task_common = dict(population=population, regimen=regimen, parameters=params,
                       parameter_names=plan.parameter_names, scenario_names=plan.scenario_names,
                       years=float(years), output_times=output_times, variables=variables, sites=sites,
                       rtol=float(rtol), on_error=on_error)

    def task(i):
        sl = slice(i * chunk_size, min((i + 1) * chunk_size, n_points))
        return dict(task_common, points={k: v[sl] for k, v in plan.points.items()})

    description = dict(
        store_format=STORE_FORMAT, remodel=model_version(), population=repr(population),
        regimen=_describe_regimen(regimen), parameters=params.name,
        parameter_values=sorted(params.values().items()), names=plan.names, kind=plan.kind, dims=plan.dims,
        years=float(years), output_times=output_times, variables=variables, sites=sites, rtol=float(rtol),
        chunk_size=int(chunk_size), on_error=on_error,
    )
    fingerprint = _fingerprint(description, plan.points)
    run_id = uuid.uuid4().hex
    store_obj = None
    if store is not None:
        manifest = dict(description, fingerprint=fingerprint, n_points=n_points, n_chunks=n_chunks,
                        seed=seed if plan.kind in DESIGNS else None, bounds=plan.bounds)
        store_obj = _Store(store, manifest, plan.points)
    try:
        results: dict[int, xr.Dataset] = {}
        done = store_obj.done(n_chunks) if store_obj else set()
        todo = [i for i in range(n_chunks) if i not in done]
        bar = _Progress(progress, n_chunks, n_points, len(done),
                        sum(min(chunk_size, n_points - i * chunk_size) for i in done))

        def finish(i, ds, seconds):
            if store_obj is not None:
                store_obj.write(i, ds, seconds, run_id)
            else:
                results[i] = ds
            bar.update(ds.sizes["point"])

        if client is None:
            for i in todo:
                t0 = time.perf_counter()
                ds = compute_chunk(task(i))
                finish(i, ds, time.perf_counter() - t0)
        else:
            _run_on_client(client, todo, task, finish)
        chunks = [store_obj.read(i) if store_obj else results[i] for i in range(n_chunks)]
    finally:
        if store_obj is not None:
            store_obj.close()
    return _assemble(chunks, plan, seed, params)


def _numpy_friendly_malloc() -> None:
    """Undo dask's ``MALLOC_TRIM_THRESHOLD_=65536`` for this worker process (glibc only).

    That setting (the nanny's default ``pre-spawn-environ``) also freezes glibc's mmap threshold at
    128 KiB, so every NumPy temporary of the solver is a fresh mmap and page faults: a chunk runs
    2.5 times slower in a worker than in the calling process (measured). Large arrays come from the
    heap again (up to 32 MiB) and the heap is trimmed above 128 MiB.
    """
    if not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 32 * 2**20)
        libc.mallopt(m_trim_threshold, 128 * 2**20)
    except (OSError, AttributeError):  # not glibc: nothing to undo
        pass


def _timed_chunk(task):
    from .solvers.bdf import set_threads

    _numpy_friendly_malloc()
    set_threads(1)  # one worker process per core
    t0 = time.perf_counter()
    ds = compute_chunk(task)
    return ds, time.perf_counter() - t0


def _run_on_client(client, todo, task, finish) -> None:
    """Submit every missing chunk as a task; write each as it completes (in any order)."""
    from dask.distributed import as_completed

    futures = {client.submit(_timed_chunk, task(i), pure=False, key=f"remodel-sweep-chunk-{i}-{uuid.uuid4().hex[:8]}"): i
               for i in todo}
    try:
        for future in as_completed(futures):
            ds, seconds = future.result()
            finish(futures[future], ds, seconds)
            future.release()
    finally:
        for future in futures:
            future.cancel()


def _assemble(chunks: list[xr.Dataset], plan: _Plan, seed, params: ParameterSet) -> xr.Dataset:
    """Concatenate the chunks along ``point`` and give the result its sweep dimensions."""
    from .simulation import summed_solver_attributes

    ds = xr.concat(chunks, dim="point", data_vars="all", coords="minimal", compat="override",
                   join="override", combine_attrs="override")
    attrs = {k: v for k, v in chunks[0].attrs.items() if k not in ("sweep_chunk", "sweep_run_id")}
    attrs.update(summed_solver_attributes(chunks))
    if "solver_failed" in ds:
        attrs.update(solver_failed_points=int(ds["solver_failed"].sum()))
    attrs.update(sweep_design=plan.kind, sweep_names=" ".join(plan.names))
    if plan.kind in DESIGNS:
        attrs.update(sweep_seed=int(seed),
                     sweep_bounds="; ".join(f"{k}: {lo:g} to {hi:g}" for k, (lo, hi) in plan.bounds.items()))
    if plan.kind == "grid":
        shape = plan.dims
        coords = {k: v for k, v in ds.coords.items() if "point" not in v.dims}
        for axis, k in enumerate(plan.names):
            index = [0] * len(shape)
            index[axis] = slice(None)
            coords[k] = (k, plan.points[k].reshape(shape)[tuple(index)], _name_attrs(k, params))
        data = {}
        for name, var in ds.data_vars.items():
            rest = var.dims[1:]
            data[name] = xr.Variable(plan.names + rest, var.values.reshape(shape + var.shape[1:]), var.attrs)
        out = xr.Dataset(data, coords=coords, attrs=attrs)
    else:
        out = ds.rename({"point": "sample"})
        for k in plan.names:
            out.coords[k] = ("sample", plan.points[k], _name_attrs(k, params))
        out.attrs = attrs
    return out


def _name_attrs(name: str, params: ParameterSet) -> dict:
    if name in params:
        p = params[name]
        return {"units": p.units, "long_name": p.description}
    return {"long_name": f"scenario input {name}"}


# ----------------------------------------------------------------------------------------------
# Scenario files: the [sweep] table
# ----------------------------------------------------------------------------------------------

_SWEEP_KEYS = {
    "design": "grid, random, lhs or sobol",
    "n": "number of points of a sampled design",
    "seed": "integer seed of a sampled design",
    "chunk_size": "points per chunk",
    "arm": "the scenario arm to sweep (default: every arm, as an arm dimension)",
    "variables": "variables to keep, e.g. [\"bmd_change\"]",
    "sites": "sites to keep",
    "output_years": "output times to keep (years)",
    "rtol": "relative tolerance of the integrator",
    "parameters": "[sweep.parameters]: name = [low, high] (sampled designs) or [values...] (grid)",
    "analysis": "sobol or morris: sensitivity indices of output at site and year",
    "output": "variable of the sensitivity output",
    "site": "site of the sensitivity output",
    "year": "year of the sensitivity output",
    "levels": "Morris grid levels (default 4)",
}


@dataclasses.dataclass(frozen=True)
class SweepSpec:
    """A scenario with its ``[sweep]`` table, ready for :func:`sweep` (see :func:`sweep_from_scenario`)."""

    scenario: Any
    text: str
    kwargs: dict
    analysis: str | None
    output: tuple[str, str, float] | None
    parameter_bounds: dict
    n: int | None
    seed: int
    levels: int


def _strip_sweep_table(text: str, source: str, doc: dict) -> str:
    """The scenario text without its ``[sweep]`` tables (the scenario reader rejects unknown tables)."""
    import re
    import tomllib

    lines = text.splitlines(keepends=True)
    header = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_\-\"'. ]+?)\s*\]\]?\s*(#.*)?$")
    keep, in_sweep = [], False
    for line in lines:
        m = header.match(line)
        if m:
            in_sweep = m.group(1).split(".")[0].strip().strip("\"'") == "sweep"
        if not in_sweep:
            keep.append(line)
    stripped = "".join(keep)
    expected = {k: v for k, v in doc.items() if k != "sweep"}
    try:
        same = tomllib.loads(stripped) == expected
    except tomllib.TOMLDecodeError:
        same = False
    if not same:
        raise SweepError(f"{source}: sweep: write the sweep settings as a [sweep] table with [sweep.parameters] "
                         "(standard table headers), not as dotted keys or inline tables")
    return stripped


def sweep_from_scenario(path) -> SweepSpec:
    """Read a scenario file with a ``[sweep]`` table.

    Schema (units in key names as elsewhere; unknown keys are errors)::

        [sweep]
        design = "sobol"             # grid | random | lhs | sobol
        n = 256                      # points of a sampled design (sobol: a power of two)
        seed = 0
        chunk_size = 256
        arm = "anastrozole"          # one arm of the scenario (default: all arms)
        variables = ["bmd_change"]   # kept in the result (default bmd_change)
        sites = ["lumbar_spine"]     # default all
        output_years = [0, 1, 5]     # default the scenario's output times
        analysis = "sobol"           # optional: sobol | morris sensitivity of the output below
        output = "bmd_change"        # scalar output of the analysis: variable, site and year
        site = "lumbar_spine"
        year = 5
        [sweep.parameters]           # sampled designs and analyses: [low, high] ([] = own bounds);
        K_E2 = [10, 40]              # grid: the values, e.g. [10, 20, 40]
        gamma_age = []

    With ``analysis``, the design is the analysis' own (Saltelli for Sobol, trajectories for
    Morris, with ``n`` base samples or trajectories) and ``design`` must be left out.

    Raises
    ------
    remodel.scenario.ScenarioError
        For an invalid scenario part.
    SweepError
        For an invalid ``[sweep]`` table (one line naming the file and the key).
    """
    import tomllib

    from .scenario import parse_scenario

    path = Path(path)
    source = str(path)
    scenario = load_scenario_or_sweep(path)  # the scenario reader words unreadable files and TOML errors
    text = path.read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    if "sweep" not in doc:
        raise SweepError(f"{source}: sweep: missing [sweep] table; allowed: a [sweep] table with "
                         f"{', '.join(_SWEEP_KEYS)}")
    if scenario is None:
        scenario = parse_scenario(_strip_sweep_table(text, source, doc), source)
    return _spec(scenario, doc["sweep"], source, text)


def load_scenario_or_sweep(path):
    """The scenario of ``path``, or None when the scenario reader rejects only its ``[sweep]`` table
    (a reader that knows the table returns the scenario with the text verbatim)."""
    from .scenario import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        if exc.path == "sweep":
            return None
        raise


def _spec(scenario, table, source, text) -> SweepSpec:
    def bad(key, problem, allowed):
        return SweepError(f"{source}: sweep.{key}: {problem}; allowed: {allowed}")

    if not isinstance(table, dict):
        raise bad("", "expected a table", "a [sweep] table")
    for key in table:
        if key not in _SWEEP_KEYS:
            raise bad(key, f"unknown key {key!r}", ", ".join(_SWEEP_KEYS))

    def get(key, kind, default=None):
        if key not in table:
            return default
        v = table[key]
        ok = {"str": isinstance(v, str), "int": isinstance(v, int) and not isinstance(v, bool),
              "number": isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
              "strings": isinstance(v, list) and all(isinstance(x, str) for x in v),
              "numbers": isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v),
              }[kind]
        if not ok:
            raise bad(key, f"expected {kind}, got {v!r}", _SWEEP_KEYS[key])
        return v

    analysis = get("analysis", "str")
    if analysis is not None and analysis not in ("sobol", "morris"):
        raise bad("analysis", f"unknown analysis {analysis!r}", "sobol, morris")
    design = get("design", "str")
    if analysis is not None and design is not None:
        raise bad("design", "a sensitivity analysis brings its own design", "design left out when analysis is set")
    if analysis is None:
        design = design or "grid"
        if design not in ("grid",) + DESIGNS:
            raise bad("design", f"unknown design {design!r}", "grid, random, lhs, sobol")
    n = get("n", "int")
    if (analysis is not None or design in DESIGNS) and (n is None or n < 1):
        raise bad("n", "missing or not positive", "a positive integer number of points")
    parameters = table.get("parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise bad("parameters", "missing or empty", "[sweep.parameters] with name = [low, high] or [values]")
    params = parameter_set(scenario.parameter_set)
    ranges = {}
    for k, v in parameters.items():
        if k not in params:
            raise bad(f"parameters.{k}", f"unknown parameter {k!r}", ", ".join(sorted(params)))
        if not (isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                            and math.isfinite(x) for x in v)):
            raise bad(f"parameters.{k}", f"expected an array of numbers, got {v!r}", _SWEEP_KEYS["parameters"])
        if design == "grid" and analysis is None:
            if not v:
                raise bad(f"parameters.{k}", "a grid needs values", "[value, ...]")
            ranges[k] = [float(x) for x in v]
        else:
            if v == []:
                v = list(params[k].bounds)
            if len(v) != 2 or not v[0] < v[1]:
                raise bad(f"parameters.{k}", f"expected [low, high] with low < high, got {v!r}", "[low, high] or []")
            ranges[k] = (float(v[0]), float(v[1]))
    arms = dict(scenario.arms)
    arm = get("arm", "str")
    if arm is not None:
        if arm not in arms:
            raise bad("arm", f"unknown arm {arm!r}", ", ".join(arms))
        regimen = arms[arm]
    else:
        regimen = arms if len(arms) > 1 else next(iter(arms.values()))
    variables = get("variables", "strings", ["bmd_change"])
    sites = get("sites", "strings")
    output_years = get("output_years", "numbers", list(scenario.output_times))
    output = None
    if analysis is not None:
        variable, site, year = get("output", "str"), get("site", "str"), get("year", "number")
        if variable is None or site is None or year is None:
            raise bad("output", "an analysis needs output, site and year", "output = \"bmd_change\", site = ..., year = ...")
        if isinstance(regimen, dict):
            raise bad("arm", "an analysis needs one arm", ", ".join(arms))
        output = (variable, site, float(year))
        variables = sorted(set(variables) | {variable})
        output_years = sorted(set(float(y) for y in output_years) | {float(year)})
        if sites is not None:
            sites = sorted(set(sites) | {site}, key=list(SITES).index)
    kwargs = dict(population=scenario.population, regimen=regimen, years=scenario.years,
                  output_times=output_years, variables=tuple(variables), sites=sites,
                  chunk_size=get("chunk_size", "int", 512), parameters=scenario.parameter_set,
                  rtol=float(get("rtol", "number", 1e-7)))
    if analysis is None:
        if design == "grid":
            kwargs["grid"] = ranges
        else:
            kwargs.update(design=design, n=n, seed=get("seed", "int", 0), bounds=ranges)
    return SweepSpec(scenario=scenario, text=text, kwargs=kwargs, analysis=analysis, output=output,
                     parameter_bounds=ranges, n=n, seed=get("seed", "int", 0), levels=get("levels", "int", 4))


def run_spec(spec: SweepSpec, *, store=None, client=None, progress=True):
    """Run a :class:`SweepSpec`: returns the sweep Dataset, or with an analysis ``(indices, sweep)``."""
    from . import sensitivity

    if spec.analysis is None:
        ds = sweep(**spec.kwargs, store=store, client=client, progress=progress)
        ds.attrs["scenario"] = spec.text
        return ds, None
    variable, site, year = spec.output
    kwargs = {k: v for k, v in spec.kwargs.items() if k not in ("population", "regimen")}
    output = sensitivity.scalar_output(variable, site=site, year=year)
    run = sensitivity.sobol_model if spec.analysis == "sobol" else sensitivity.morris_model
    extra = {"levels": spec.levels} if spec.analysis == "morris" else {}
    indices, ds = run(spec.kwargs["population"], spec.kwargs["regimen"], output, bounds=spec.parameter_bounds,
                      n=spec.n, seed=spec.seed, store=store, client=client, progress=progress,
                      return_sweep=True, **extra, **kwargs)
    ds.attrs["scenario"] = spec.text
    return ds, indices


def main_sweep(args) -> int:
    """``remodel sweep FILE [-o out.nc] [--indices out.nc] [--store DIR] [--scheduler ADDRESS]
    [--force] [--quiet]``: run the ``[sweep]`` table of a scenario file.

    ``args`` is the argparse namespace of the ``sweep`` subcommand (see :func:`add_sweep_parser`).
    Writes the sweep Dataset (netCDF) and, with an analysis, the indices; prints the indices.

    Raises
    ------
    SweepError
        Bad arguments or ``[sweep]`` table, or an output that exists without ``--force``.
    """
    file = Path(args.file)
    stem = file.stem
    out = Path(args.output) if args.output else Path.cwd() / f"{stem}_sweep.nc"
    spec = sweep_from_scenario(file)
    indices_out = None
    if spec.analysis is not None:
        indices_out = Path(args.indices) if args.indices else Path.cwd() / f"{stem}_{spec.analysis}.nc"
    for path, option in ((out, "-o"), (indices_out, "--indices")):
        if path is None:
            continue
        if path.exists() and not args.force:
            raise SweepError(f"{path} exists; use --force to overwrite it, or choose another path with {option}")
        if not path.parent.is_dir():
            raise SweepError(f"{path.parent} is not a directory (output {path}); create it or choose another path with {option}")
    client = None
    with contextlib.ExitStack() as stack:
        if args.scheduler:
            try:
                from dask.distributed import Client
            except ImportError:
                raise SweepError("--scheduler needs dask.distributed: pip install 'remodel[sweep]'") from None
            client = stack.enter_context(Client(args.scheduler))
        n_desc = spec.kwargs.get("design", spec.analysis or "grid")
        print(f"sweeping {', '.join(spec.parameter_bounds)} ({n_desc}) for {spec.scenario.title!r}...", file=sys.stderr)
        ds, indices = run_spec(spec, store=args.store, client=client, progress=not args.quiet)
    _atomic_write(out, lambda tmp: ds.to_netcdf(tmp))
    print(f"wrote {out}", file=sys.stderr)
    if indices is not None:
        from .sensitivity import format_indices

        print(format_indices(indices))
        _atomic_write(indices_out, lambda tmp: indices.to_netcdf(tmp))
        print(f"wrote {indices_out}", file=sys.stderr)
    return 0


def add_sweep_parser(sub) -> None:
    """Add the ``sweep`` subcommand to an argparse ``sub`` (subparsers) object; it calls :func:`main_sweep`."""
    p = sub.add_parser("sweep", help="sweep parameters of a scenario file ([sweep] table): grid, designs, Sobol/Morris")
    p.add_argument("file", help="scenario file (TOML) with a [sweep] table")
    p.add_argument("-o", "--output", help="netCDF file for the sweep (default: ./<scenario>_sweep.nc)")
    p.add_argument("--indices", help="netCDF file for sensitivity indices (default: ./<scenario>_<analysis>.nc)")
    p.add_argument("--store", help="directory for chunk files; an interrupted sweep resumes from it")
    p.add_argument("--scheduler", help="dask scheduler address (tcp://host:8786) to run chunks on")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
