"""The points of a sweep: a full grid, a sampled design or explicit values, flattened to a ``point``
dimension for computing and given back their own dimensions in the result.

A grid over names ``a`` (3 values) and ``b`` (2 values) is the 6 points of ``numpy.meshgrid(a, b,
indexing="ij")`` in C order; the result reshapes them to ``(a, b, ...)``. A sampled or explicit design
is its ``n`` points in order; the result calls the dimension ``sample`` and carries the values as
coordinates.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Mapping

import numpy as np

from ..parameters import ParameterSet
from .errors import SweepError

if TYPE_CHECKING:  # xarray is imported where a Dataset is built
    import xarray as xr

__all__ = ["DESIGNS", "Plan", "design_points", "make_plan", "sweep_attrs", "name_attrs", "assemble"]

#: Sampled designs: uniform random, Latin hypercube (scipy.stats.qmc), scrambled Sobol sequence.
DESIGNS = ("random", "lhs", "sobol")


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
class Plan:
    """Everything that determines a sweep's points, flattened to a ``point`` dimension."""

    kind: str                      # "grid", a design name, or "explicit"
    names: tuple[str, ...]         # swept names in dimension order
    dims: tuple[int, ...]          # grid shape (one entry per name) or (n_points,)
    points: dict                   # name -> (n_points,) float array, in point order
    parameter_names: tuple[str, ...]
    scenario_names: tuple[str, ...]
    bounds: dict
    seed: int | None               # of a sampled design

    @property
    def n_points(self) -> int:
        return len(next(iter(self.points.values())))


def make_plan(params: ParameterSet, regimen, grid, design, n, seed, bounds) -> Plan:
    """The :class:`Plan` of :func:`remodel.sweep.sweep`'s ``grid``, ``design``, ``n``, ``seed`` and
    ``bounds`` (see there); names that are not parameters of ``params`` need a callable ``regimen``."""
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
    return Plan(kind, names, dims, points, parameter_names, scenario_names,
                {k: tuple(bounds[k]) for k in names if k in bounds}, int(seed) if kind in DESIGNS else None)


def sweep_attrs(plan: Plan) -> dict:
    """The attributes that describe the design in a sweep's result and store."""
    attrs = dict(sweep_design=plan.kind, sweep_names=" ".join(plan.names))
    if plan.kind in DESIGNS:
        attrs.update(sweep_seed=plan.seed,
                     sweep_bounds="; ".join(f"{k}: {lo:g} to {hi:g}" for k, (lo, hi) in plan.bounds.items()))
    return attrs


def name_attrs(name: str, params: ParameterSet) -> dict:
    """Units and long name of a swept name: a parameter's own, or a scenario input's."""
    if name in params:
        return params[name].attrs
    return {"long_name": f"scenario input {name}"}


def assemble(ds: xr.Dataset, plan: Plan, params: ParameterSet) -> xr.Dataset:
    """Give the points of ``ds`` (dimension ``point``) the dimensions of the sweep: one per name of a
    grid, or ``sample`` with the swept values as coordinates."""
    import xarray as xr

    attrs = dict(ds.attrs, **sweep_attrs(plan))
    if plan.kind == "grid":
        shape = plan.dims
        coords = {k: v for k, v in ds.coords.items() if "point" not in v.dims}
        for axis, k in enumerate(plan.names):
            index = [0] * len(shape)
            index[axis] = slice(None)
            coords[k] = (k, plan.points[k].reshape(shape)[tuple(index)], name_attrs(k, params))
        data = {}
        for name, var in ds.data_vars.items():
            rest = var.dims[1:]
            data[name] = xr.Variable(plan.names + rest, var.data.reshape(shape + var.shape[1:]), var.attrs)
        return xr.Dataset(data, coords=coords, attrs=attrs)
    out = ds.rename({"point": "sample"})
    for k in plan.names:
        out.coords[k] = ("sample", plan.points[k], name_attrs(k, params))
    out.attrs = attrs
    return out
