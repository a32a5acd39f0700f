"""Plots of simulation results.

Every function takes the :class:`xarray.Dataset` returned by :func:`remodel.simulate`, draws on
``ax`` (a new figure when ``None``) and returns the Axes; axis labels come from the variables'
``long_name`` and ``units`` attributes. matplotlib is imported inside the functions so that
``import remodel`` does not need a display or matplotlib's start-up time, and nothing here calls
``plt.show()``.
"""

from __future__ import annotations

import numpy as np

from .blocks.bone import WHO_CATEGORIES, YOUNG_ADULT_REFERENCE

__all__ = ["plot_bmd", "axis_label"]

#: WHO T-score thresholds (Kanis1994): osteopenia below -1, osteoporosis at or below -2.5.
T_SCORE_THRESHOLDS = (-1.0, -2.5)

_BAND_COLOURS = {"normal": "#d9f0d3", "osteopenia": "#fee8c8", "osteoporosis": "#fcbba1"}


def _pretty_units(units: str) -> str:
    if units in ("1", ""):
        return "dimensionless"
    return units.replace("cm2", "cm²").replace("m2", "m²")


def axis_label(da) -> str:
    """``"long_name (units)"`` from a variable's or coordinate's attributes."""
    name = da.attrs.get("long_name", da.name)
    units = da.attrs.get("units")
    return f"{name} ({_pretty_units(units)})" if units is not None else str(name)


def _new_axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _select_site(da, site):
    if "site" in da.dims:
        sites = [str(s) for s in da["site"].values]
        if site not in sites:
            raise ValueError(f"site {site!r} not in the dataset; sites: {', '.join(sites)}")
        return da.sel(site=site)
    return da


def _arm_names(ds):
    return [str(a) for a in ds["arm"].values] if "arm" in ds.dims else [None]


def _who_bands(ds, variable, site):
    """WHO bands ``[(lower, upper, category)]`` in the units of ``variable`` (empty when none
    apply) and one T-score unit in those units."""
    if variable == "t_score":
        cuts, unit = T_SCORE_THRESHOLDS, 1.0
    elif variable == "bmd":
        sex = ds.attrs.get("population_sex")
        if sex not in YOUNG_ADULT_REFERENCE:
            return [], None
        mean, unit = YOUNG_ADULT_REFERENCE[sex][site]
        cuts = tuple(mean + t * unit for t in T_SCORE_THRESHOLDS)
    else:
        return [], None
    edges = (np.inf, cuts[0], cuts[1], -np.inf)
    return [(edges[i + 1], edges[i], WHO_CATEGORIES[i]) for i in range(3)], unit


def _draw_bands(ax, bands, unit):
    """Shade WHO bands; label each visible band at the right.

    The y-limits follow the data, widened to show a threshold lying within one T-score unit of
    it (so the reader sees how near the next category is) but never to a far threshold, which
    would flatten the curves."""
    from matplotlib.transforms import blended_transform_factory

    lo, hi = ax.dataLim.intervaly
    near = [b for lower, upper, _ in bands for b in (lower, upper)
            if np.isfinite(b) and lo - unit <= b <= hi + unit]
    lo, hi = min([lo, *near]), max([hi, *near])
    pad = 0.05 * (hi - lo) if hi > lo else 0.05 * unit
    lo, hi = lo - pad, hi + pad
    text_at = blended_transform_factory(ax.transAxes, ax.transData)
    for lower, upper, category in bands:
        a, b = max(lower, lo), min(upper, hi)
        if a >= b:
            continue
        ax.axhspan(a, b, color=_BAND_COLOURS[category], alpha=0.6, zorder=0, linewidth=0)
        ax.text(0.99, (a + b) / 2, category, transform=text_at, ha="right", va="center",
                fontsize="small", color="0.35", zorder=1)
    ax.set_ylim(lo, hi)


def plot_bmd(ds, site: str = "lumbar_spine", ax=None, *, variable: str = "bmd", bands: bool = True):
    """Trajectory of BMD (or another per-site variable) at one site, one line per arm.

    Parameters
    ----------
    ds : xarray.Dataset
        Result of :func:`remodel.simulate`. With an ``arm`` dimension one line is drawn per arm
        (legend with the arm names); without, one line. With a ``sample`` dimension the line is the
        median over samples and the 5-95 % range is shaded.
    site : str
        Skeletal site (a value of ``ds.site``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    variable : str
        Variable to plot (default ``"bmd"``, g/cm2), e.g. ``"bmd_change"``, ``"t_score"``.
    bands : bool
        Shade the WHO categories (normal, osteopenia, osteoporosis; Kanis1994). For ``"bmd"`` the
        thresholds are the T-scores -1 and -2.5 converted with the young-adult reference of
        ``ds.attrs["population_sex"]`` at ``site``; for ``"t_score"`` they are -1 and -2.5
        directly. Other variables have no bands.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if variable not in ds.data_vars:
        raise ValueError(f"variable {variable!r} not in the dataset; variables: {', '.join(ds.data_vars)}")
    ax = _new_axes(ax)
    da = _select_site(ds[variable], site)
    time = ds["time"]
    for arm in _arm_names(ds):
        line = da if arm is None else da.sel(arm=arm)
        label = "_nolegend_" if arm is None else arm
        if "sample" in line.dims:
            low, mid, high = (line.quantile(q, dim="sample").values for q in (0.05, 0.5, 0.95))
            (drawn,) = ax.plot(time.values, mid, label=label)
            ax.fill_between(time.values, low, high, color=drawn.get_color(), alpha=0.25, linewidth=0)
        else:
            ax.plot(time.values, line.values, label=label)
    ax.set_xlabel(axis_label(time))
    ax.set_ylabel(axis_label(ds[variable]))
    ax.set_title(site.replace("_", " "))
    ax.set_xlim(float(time.values[0]), float(time.values[-1]))
    if bands and _who_bands(ds, variable, site)[0]:
        _draw_bands(ax, *_who_bands(ds, variable, site))
    if "arm" in ds.dims:
        ax.legend(title=ds["arm"].attrs.get("long_name"), loc="best")
    return ax
