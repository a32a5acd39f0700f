"""Global sensitivity analysis (SALib): Sobol indices and Morris elementary effects.

The analyses work on any function of a sample matrix: :func:`sobol` and :func:`morris` take
``func(X) -> Y`` (``X`` of shape ``(n_points, n_factors)``, ``Y`` of shape ``(n_points,)``) and a
SALib ``problem``. For the model, :func:`sobol_model` and :func:`morris_model` plug
:func:`remodel.sweep.sweep` in as that function, with an explicit design of SALib's points, and a
scalar output of the sweep's Dataset (:func:`scalar_output`, e.g. lumbar-spine BMD change at 5
years). The same code path therefore computes the indices of a test function and of the model.

Sobol indices by Saltelli's scheme: first order :math:`S_i = V[E(Y|X_i)]/V(Y)`, total
:math:`S_{T,i} = E[V(Y|X_{\\sim i})]/V(Y)`, with bootstrap confidence intervals (Saltelli2010,
Jansen1999 estimators as in SALib). Morris: mean of absolute elementary effects
:math:`\\mu^*` and their standard deviation :math:`\\sigma` (Campolongo2007).

References: Saltelli A et al. (2010) Comput Phys Commun 181:259-270; Morris MD (1991)
Technometrics 33:161-174; Campolongo F et al. (2007) Environ Model Softw 22:1509-1518;
Herman J, Usher W (2017) SALib, J Open Source Softw 2:97.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import xarray as xr

__all__ = ["problem", "sobol", "morris", "sobol_model", "morris_model", "scalar_output", "plot_indices",
           "format_indices"]


def problem(bounds: Mapping[str, tuple[float, float]]) -> dict:
    """A SALib problem dict from ``{name: (low, high)}``."""
    names = list(bounds)
    return {"num_vars": len(names), "names": names, "bounds": [[float(b[0]), float(b[1])] for b in bounds.values()]}


def _evaluate(func, X):
    Y = np.asarray(func(X), dtype=float).reshape(-1)
    if Y.shape != (X.shape[0],):
        raise ValueError(f"the output function returned {Y.size} values for {X.shape[0]} points; "
                         "it must return one scalar per point")
    if not np.all(np.isfinite(Y)):
        raise ValueError("the output function returned non-finite values")
    return Y


def sobol(func: Callable[[np.ndarray], np.ndarray], problem: dict, n: int, *, seed: int = 0,
          calc_second_order: bool = False, num_resamples: int = 100, conf_level: float = 0.95,
          return_samples: bool = False):
    """Sobol indices of ``func`` by Saltelli sampling (``n`` base samples, ``n (k + 2)`` points,
    ``n (2k + 2)`` with second order).

    Returns
    -------
    xarray.Dataset
        ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` along ``parameter`` (and ``S2``, ``S2_conf`` along
        ``parameter`` x ``parameter_2`` with ``calc_second_order``). With ``return_samples``, also
        the sample matrix and outputs: ``(indices, X, Y)``.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    X = sobol_sample.sample(problem, n, calc_second_order=calc_second_order, seed=seed)
    Y = _evaluate(func, X)
    Si = sobol_analyze.analyze(problem, Y, calc_second_order=calc_second_order, num_resamples=num_resamples,
                               conf_level=conf_level, seed=seed)
    names = list(problem["names"])
    data = {
        "S1": ("parameter", Si["S1"], {"long_name": "first-order Sobol index", "units": "1"}),
        "S1_conf": ("parameter", Si["S1_conf"], {"long_name": f"{conf_level:.0%} confidence half-width of S1", "units": "1"}),
        "ST": ("parameter", Si["ST"], {"long_name": "total-order Sobol index", "units": "1"}),
        "ST_conf": ("parameter", Si["ST_conf"], {"long_name": f"{conf_level:.0%} confidence half-width of ST", "units": "1"}),
    }
    coords = {"parameter": names}
    if calc_second_order:
        data["S2"] = (("parameter", "parameter_2"), Si["S2"], {"long_name": "second-order Sobol index", "units": "1"})
        data["S2_conf"] = (("parameter", "parameter_2"), Si["S2_conf"],
                           {"long_name": f"{conf_level:.0%} confidence half-width of S2", "units": "1"})
        coords["parameter_2"] = names
    ds = xr.Dataset(data, coords=coords, attrs={
        "title": "Sobol sensitivity indices", "method": "sobol", "base_samples": int(n),
        "evaluations": int(X.shape[0]), "seed": int(seed), "conf_level": float(conf_level),
        "output_variance": float(np.var(Y)),
        "references": "Saltelli2010 (Comput Phys Commun 181:259); SALib (Herman2017)",
    })
    return (ds, X, Y) if return_samples else ds


def morris(func: Callable[[np.ndarray], np.ndarray], problem: dict, n: int, *, levels: int = 4, seed: int = 0,
           num_resamples: int = 1000, conf_level: float = 0.95, return_samples: bool = False):
    """Morris elementary effects of ``func`` (``n`` trajectories, ``n (k + 1)`` points).

    Returns
    -------
    xarray.Dataset
        ``mu``, ``mu_star``, ``mu_star_conf`` and ``sigma`` along ``parameter``.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    X = morris_sample.sample(problem, n, num_levels=levels, seed=seed)
    Y = _evaluate(func, X)
    Si = morris_analyze.analyze(problem, X, Y, num_resamples=num_resamples, conf_level=conf_level,
                                num_levels=levels, seed=seed)
    names = list(problem["names"])
    ds = xr.Dataset({
        "mu": ("parameter", np.asarray(Si["mu"], dtype=float), {"long_name": "mean elementary effect"}),
        "mu_star": ("parameter", np.asarray(Si["mu_star"], dtype=float), {"long_name": "mean absolute elementary effect"}),
        "mu_star_conf": ("parameter", np.asarray(Si["mu_star_conf"], dtype=float),
                         {"long_name": f"{conf_level:.0%} confidence half-width of mu_star"}),
        "sigma": ("parameter", np.asarray(Si["sigma"], dtype=float), {"long_name": "standard deviation of elementary effects"}),
    }, coords={"parameter": names}, attrs={
        "title": "Morris elementary effects", "method": "morris", "trajectories": int(n), "levels": int(levels),
        "evaluations": int(X.shape[0]), "seed": int(seed), "conf_level": float(conf_level),
        "references": "Morris1991 (Technometrics 33:161); Campolongo2007; SALib (Herman2017)",
    })
    return (ds, X, Y) if return_samples else ds


def scalar_output(variable: str = "bmd_change", *, site: str | None = "lumbar_spine", year: float = 5.0,
                  arm: str | None = None) -> Callable[[xr.Dataset], xr.DataArray]:
    """A scalar output of a sweep Dataset: ``variable`` at ``site`` and ``year`` (and ``arm``), one
    value per sample. The year must be one of the output times (no interpolation)."""

    def output(ds: xr.Dataset) -> xr.DataArray:
        da = ds[variable]
        if site is not None and "site" in da.dims:
            da = da.sel(site=site)
        if arm is not None and "arm" in da.dims:
            da = da.sel(arm=arm)
        times = ds["time"].values
        hit = np.isclose(times, year, rtol=0, atol=1e-9)
        if not hit.any():
            raise ValueError(f"year {year:g} is not an output time of the sweep; add it to output_times")
        da = da.isel(time=int(np.argmax(hit)))
        extra = set(da.dims) - {"sample"}
        if extra:
            raise ValueError(f"the output still has dimensions {sorted(extra)}; choose site/arm")
        return da.assign_attrs(description=f"{variable} at {site or ''} {arm or ''} year {year:g}".replace("  ", " "))

    output.__name__ = f"{variable}_{site}_{year:g}"
    return output


def _model_function(population, regimen, output, names, sweep_kwargs, store, keep):
    """``func(X)``: the sweep of the model at the points ``X`` (explicit design), reduced by ``output``."""
    from .sweep import sweep

    def func(X):
        ds = sweep(population, regimen, design={k: X[:, i] for i, k in enumerate(names)}, store=store,
                   **sweep_kwargs)
        keep.append(ds)
        return np.asarray(output(ds).values, dtype=float)

    return func


def _model_kwargs(kwargs):
    kwargs = dict(kwargs)
    kwargs.setdefault("years", 5.0)
    return kwargs


def sobol_model(population, regimen, output: Callable[[xr.Dataset], xr.DataArray], *,
                bounds: Mapping[str, tuple[float, float] | None], n: int, seed: int = 0,
                calc_second_order: bool = False, store=None, return_sweep: bool = False, **sweep_kwargs):
    """Sobol indices of a scalar model output over parameter ranges.

    Parameters
    ----------
    population, regimen
        As in :func:`remodel.sweep.sweep`.
    output : callable
        Dataset -> DataArray along ``sample`` (see :func:`scalar_output`).
    bounds : dict of name to (low, high) or None (a parameter's own bounds)
    n : int
        Base samples (a power of two); ``n (k + 2)`` simulations.
    store, **sweep_kwargs
        Passed to :func:`remodel.sweep.sweep` (``years``, ``output_times``, ``chunk_size``,
        ``client``, ``progress``, ...).

    Returns
    -------
    xarray.Dataset, or (indices, sweep Dataset) with ``return_sweep``
    """
    prob, kwargs = _problem_and_kwargs(bounds, sweep_kwargs)
    keep: list = []
    func = _model_function(population, regimen, output, prob["names"], kwargs, store, keep)
    ds = sobol(func, prob, n, seed=seed, calc_second_order=calc_second_order)
    ds.attrs["output"] = getattr(output, "__name__", "output")
    return (ds, keep[-1]) if return_sweep else ds


def morris_model(population, regimen, output: Callable[[xr.Dataset], xr.DataArray], *,
                 bounds: Mapping[str, tuple[float, float] | None], n: int, levels: int = 4, seed: int = 0,
                 store=None, return_sweep: bool = False, **sweep_kwargs):
    """Morris elementary effects of a scalar model output (``n`` trajectories, ``n (k + 1)``
    simulations); arguments as :func:`sobol_model`."""
    prob, kwargs = _problem_and_kwargs(bounds, sweep_kwargs)
    keep: list = []
    func = _model_function(population, regimen, output, prob["names"], kwargs, store, keep)
    ds = morris(func, prob, n, levels=levels, seed=seed)
    ds.attrs["output"] = getattr(output, "__name__", "output")
    return (ds, keep[-1]) if return_sweep else ds


def _problem_and_kwargs(bounds, sweep_kwargs):
    from .parameters import parameter_set

    kwargs = _model_kwargs(sweep_kwargs)
    params = kwargs.get("parameters", "Remodel2026")
    params = parameter_set(params) if isinstance(params, str) else params
    resolved = {}
    for k, b in bounds.items():
        if b is None:
            if k not in params:
                raise ValueError(f"{k} is not a parameter of {params.name}; give its bounds")
            b = params[k].bounds
        resolved[k] = (float(b[0]), float(b[1]))
    return problem(resolved), kwargs


def format_indices(ds: xr.Dataset) -> str:
    """Plain-text table of Sobol or Morris indices."""
    names = [str(p) for p in ds["parameter"].values]
    width = max(len("parameter"), *(len(p) for p in names))
    if "S1" in ds:
        columns = ["S1", "S1_conf", "ST", "ST_conf"]
    else:
        columns = ["mu_star", "mu_star_conf", "sigma", "mu"]
    lines = [f"{ds.attrs.get('title', 'indices')} ({ds.attrs.get('evaluations', '?')} evaluations; "
             f"output {ds.attrs.get('output', '?')})",
             "  " + "parameter".ljust(width) + "".join(c.rjust(14) for c in columns)]
    for i, p in enumerate(names):
        lines.append("  " + p.ljust(width) + "".join(f"{float(ds[c].values[i]):14.4g}" for c in columns))
    return "\n".join(lines)


def plot_indices(ds: xr.Dataset, ax=None):
    """Bar chart of sensitivity indices: S1 and ST with confidence bars (Sobol), or mu_star with
    its confidence bar and sigma (Morris).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(6, 4), layout="constrained").subplots()
    names = [str(p) for p in ds["parameter"].values]
    x = np.arange(len(names))
    if "S1" in ds:
        w = 0.38
        ax.bar(x - w / 2, ds["S1"].values, w, yerr=ds["S1_conf"].values, capsize=3, label="S1 (first order)")
        ax.bar(x + w / 2, ds["ST"].values, w, yerr=ds["ST_conf"].values, capsize=3, label="ST (total)")
        ax.set_ylabel("Sobol index")
        ax.axhline(0.0, color="0.5", lw=0.8)
    elif "mu_star" in ds:
        w = 0.38
        ax.bar(x - w / 2, ds["mu_star"].values, w, yerr=ds["mu_star_conf"].values, capsize=3,
               label=ds["mu_star"].attrs.get("long_name", "mu*"))
        ax.bar(x + w / 2, ds["sigma"].values, w, label=ds["sigma"].attrs.get("long_name", "sigma"))
        ax.set_ylabel("elementary effect (output units per unit of range)")
    else:
        raise ValueError("plot_indices needs a Dataset of sobol() (S1, ST) or morris() (mu_star, sigma)")
    ax.set_xticks(x, names, rotation=30 if len(names) > 4 else 0, ha="right" if len(names) > 4 else "center")
    ax.set_xlabel("parameter")
    title = ds.attrs.get("title", "sensitivity indices")
    if ds.attrs.get("output"):
        title += f": {ds.attrs['output']}"
    ax.set_title(title)
    ax.legend()
    return ax
