"""The entry point of a sweep: :func:`sweep` plans the points, runs the chunks (here, or on a dask
client), keeps them in memory or in a store, and returns the result with the sweep's dimensions."""

from __future__ import annotations

import os
import sys
from typing import Callable, Mapping, Sequence

import numpy as np
import xarray as xr
from tqdm import tqdm

from ..parameters import ParameterSet, parameter_set
from ..populations import SITES, Population
from ..populations import population as named_population
from ..regimen import Regimen
from ..simulation import summed_solver_attributes
from .design import Plan, assemble, make_plan, name_attrs, sweep_attrs
from .errors import SweepError
from .execute import compute_chunk
from .store import STORE_FORMAT, SweepStore, fingerprint, write_chunk

__all__ = ["sweep"]


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
    load: bool = True,
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
        Points per chunk: one batch solved together, one region of the store, one dask task.
    store : path, optional
        Directory of a zarr store (:mod:`remodel.sweep.store`, needs ``remodel[sweep]``): each
        chunk is written into it as it finishes; if it holds chunks of the same sweep, only the
        missing chunks are computed (resume). Without a store, results stay in memory. The
        store's fingerprint covers the design points and every input, except the body of a
        regimen function (recorded by name): after changing one, use a new store.
    client : dask.distributed.Client, optional
        Run chunks as tasks on this client's cluster; with a store, the workers write their
        chunks into it (:mod:`remodel.sweep.distributed`).
    progress : bool
        Show a progress bar (tqdm) on stderr.
    parameters : ParameterSet or str
    rtol : float
        Relative tolerance of the integrator.
    on_error : {"raise", "nan"}
        What a point the solver cannot solve does: raise :class:`remodel.SolverError`, or give NaN
        there and ``solver_failed = True`` (its chunk is halved until the failing points are alone).
    load : bool
        With a store, ``False`` returns the result backed by the store (dask arrays, one chunk per
        sweep chunk, read when used) instead of in memory: for results larger than memory (a
        million points of monthly BMD at 3 sites are 3 GB).

    Returns
    -------
    xarray.Dataset
        The chosen variables with dimensions ``(<swept names>..., [arm,] time, [site])`` for a
        grid, or ``(sample, [arm,] time, [site])`` with one coordinate per swept name for a design.
        Attributes of :func:`remodel.simulate` plus ``sweep_design``, ``sweep_names`` and, for
        sampled designs, ``sweep_seed`` and ``sweep_bounds``.

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
    from ..simulation import _VARIABLES, model_version

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
    chunk_size = int(chunk_size)
    plan = make_plan(params, regimen, grid, design, n, seed, bounds)
    for k in plan.parameter_names:
        if not np.all(plan.points[k] >= 0):
            raise SweepError(f"{k}: parameter values must not be negative")
    output_times = None if output_times is None else tuple(float(t) for t in np.atleast_1d(output_times))
    n_points = plan.n_points
    n_chunks = -(-n_points // chunk_size)

    task_common = dict(population=population, regimen=regimen, parameters=params,
                       parameter_names=plan.parameter_names, scenario_names=plan.scenario_names,
                       years=float(years), output_times=output_times, variables=variables, sites=sites,
                       rtol=float(rtol), on_error=on_error)

    def start(i):
        return i * chunk_size

    def task(i):
        chunk = slice(start(i), min(start(i) + chunk_size, n_points))
        return dict(task_common, points={k: v[chunk] for k, v in plan.points.items()})

    stored = None if store is None else _open_store(store, plan, params, dict(
        store_format=STORE_FORMAT, remodel=model_version(), population=repr(population),
        regimen=_describe_regimen(regimen), parameters=params.name,
        parameter_values=sorted(params.values().items()), names=plan.names, kind=plan.kind, dims=plan.dims,
        years=float(years), output_times=output_times, variables=variables, sites=sites, rtol=float(rtol),
        chunk_size=chunk_size, on_error=on_error,
    ), chunk_size)
    try:
        done = stored.done() if stored is not None else np.zeros(n_chunks, dtype=bool)
        todo = [i for i in range(n_chunks) if not done[i]]
        results: dict[int, xr.Dataset] = {}
        with tqdm(total=n_points, initial=sum(_size(i, chunk_size, n_points) for i in np.flatnonzero(done)),
                  unit="point", desc="sweep", disable=not progress, file=sys.stderr, dynamic_ncols=True) as bar:
            def finish(i, result):
                if stored is None:
                    results[i] = result
                bar.update(_size(i, chunk_size, n_points))

            if client is not None:
                from .distributed import run_on_client

                run_on_client(client, todo, task, start, stored, finish)
            else:
                for i in todo:
                    ds = compute_chunk(task(i))
                    if stored is not None:
                        if not stored.laid_out:
                            stored.lay_out(ds)
                        write_chunk(stored.path, i, start(i), ds)
                    finish(i, ds)
        if stored is not None:
            points = stored.read(load)
        else:
            points = xr.concat([results[i] for i in range(n_chunks)], dim="point", data_vars="all",
                               coords="minimal", compat="override", join="override", combine_attrs="override")
            points.attrs.update(summed_solver_attributes(results.values()))
    finally:
        if stored is not None:
            stored.close()
    if "solver_failed" in points:
        points.attrs["solver_failed_points"] = int(points["solver_failed"].sum())
    return assemble(points, plan, params)


def _size(i: int, chunk_size: int, n_points: int) -> int:
    """Points of chunk ``i``."""
    return min(chunk_size, n_points - i * chunk_size)


def _open_store(path, plan: Plan, params: ParameterSet, description: dict, chunk_size: int) -> SweepStore:
    try:
        import dask.array  # noqa: F401  (lays the store out)
        import zarr  # noqa: F401
    except ImportError as exc:
        raise SweepError(f"a sweep store needs zarr and dask: pip install 'remodel[sweep]' ({exc})") from None
    coords = {k: ("point", plan.points[k], name_attrs(k, params)) for k in plan.names}
    return SweepStore(path, fingerprint(description, plan.points), n_points=plan.n_points, chunk_size=chunk_size,
                      coords=coords, attrs=sweep_attrs(plan))
