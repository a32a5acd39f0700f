"""One chunk of a sweep: its points simulated in batches, a pure function of its inputs."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import xarray as xr

__all__ = ["compute_chunk"]


def compute_chunk(task: Mapping[str, Any]) -> xr.Dataset:
    """Simulate the points of one chunk and return their outputs along a ``point`` dimension.

    ``task`` holds ``population``, ``regimen`` (Regimen, list of Therapy, dict of arms, or a
    function of the scenario inputs returning one), ``parameters``, ``points`` (name -> values),
    ``parameter_names``, ``scenario_names``, ``years``, ``output_times``, ``variables``, ``sites``,
    ``rtol`` and ``on_error`` (default ``"raise"``). The result depends on nothing else, so a
    chunk gives the same numbers in any process: this is the function a dask worker runs.

    Points with the same scenario inputs are simulated in one batch (one :func:`remodel.simulate`
    call); with no scenario inputs, the whole chunk is one batch. With ``on_error="nan"`` the points
    of which a member cannot be solved are NaN and flagged in ``solver_failed`` (the batch goes on
    without them: each member is integrated alone); a batch that fails as a whole (its steady
    state) is halved until the failing points are alone. Every variable is then floating point (so
    that every chunk of a sweep has the same data types, whether or not one of its points failed).

    Raises
    ------
    remodel.SolverError
        With ``on_error="raise"`` when a batch cannot be solved; with ``"nan"`` when no point can.
    """
    from ..simulation import simulate, summed_solver_attributes
    from ..solvers import SolverError

    points = {k: np.asarray(v, dtype=float) for k, v in task["points"].items()}
    n_points = len(next(iter(points.values())))
    params = task["parameters"]
    pnames, snames = task["parameter_names"], task["scenario_names"]
    if snames:
        groups: dict[tuple, list[int]] = {}
        for i, key in enumerate(zip(*(points[k] for k in snames))):
            groups.setdefault(key, []).append(i)
    else:
        groups = {(): list(range(n_points))}
    on_error = task.get("on_error", "raise")

    def run(regimen, index):
        """[(indices, Dataset or None, failed points or None)]: with on_error="nan", the points of
        which a member failed are flagged, and a batch that fails as a whole is halved until the
        points that cannot be solved are alone (None)."""
        if pnames:
            samples = {k: points[k][index] for k in pnames}
        else:  # no parameter swept: a sample dimension of the set's own values
            first = next(iter(params.values()))
            samples = {first: np.full(len(index), params.values()[first])}
        try:  # the untreated reference members serve only Z-scores
            ds = simulate(task["population"], regimen, years=task["years"], output_times=task["output_times"],
                          parameters=params, samples=samples, rtol=task["rtol"],
                          natural_history="z_score" in task["variables"], variables=task["variables"],
                          on_error=on_error)
        except SolverError:
            if on_error == "raise":
                raise
            if len(index) == 1:
                return [(index, None, None)]
            half = len(index) // 2
            return run(regimen, index[:half]) + run(regimen, index[half:])
        failed = None
        if on_error == "nan":
            failed = ds["solver_failed"]
            failed = (failed.any("arm") if "arm" in failed.dims else failed).values
        ds = ds[list(task["variables"])]
        if task["sites"] is not None:
            ds = ds.sel(site=list(task["sites"]))
        return [(index, ds.drop_vars(list(samples), errors="ignore").rename({"sample": "point"}), failed)]

    results = []
    for key, index in groups.items():
        regimen = task["regimen"]
        if snames:
            regimen = regimen(**{k: float(v) for k, v in zip(snames, key)})
        results += run(regimen, index)
    if not any(ds is not None and (failed is None or not failed.all()) for _, ds, failed in results):
        raise SolverError(f"none of the {n_points} points of this chunk could be solved")
    template = next(ds for _, ds, _ in results if ds is not None)
    parts, order = [], []
    for index, ds, failed in results:
        if on_error == "nan":
            if ds is None:
                ds, failed = xr.full_like(template.isel(point=[0]), np.nan, dtype=float), np.ones(1, dtype=bool)
            ds = ds.astype(float).where(xr.DataArray(~failed, dims="point"))
            ds = ds.assign(solver_failed=("point", failed,
                                          {"long_name": "the model could not be solved at this point (values NaN)"}))
        parts.append(ds)
        order.extend(index)
    ds = parts[0] if len(parts) == 1 else xr.concat(parts, dim="point", data_vars="all", coords="minimal",
                                                  compat="override", join="override", combine_attrs="override")
    ds.attrs.update(summed_solver_attributes(ds for _, ds, _ in results if ds is not None))
    if order != list(range(n_points)):
        ds = ds.isel(point=np.argsort(order, kind="stable"))
    return ds
