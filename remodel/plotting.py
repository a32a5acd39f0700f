"""Plots of simulation results.

Every function takes the :class:`xarray.Dataset` returned by :func:`remodel.simulate`, draws on
``ax`` (a new figure when ``None``) and returns the Axes; axis labels come from the variables'
``long_name`` and ``units`` attributes. matplotlib is imported inside the functions so that
``import remodel`` does not need a display or matplotlib's start-up time, and nothing here calls
``plt.show()``.
"""

from __future__ import annotations

import numpy as np

from .model.physiology.bone import WHO_CATEGORIES, YOUNG_ADULT_REFERENCE

__all__ = ["plot_bmd", "band_legend_handles", "plot_arms_bar", "plot_mechanism", "plot_dose_response", "plot_markers", "plot_validation",
           "plot_pathway", "axis_label"]

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


def _wrap(label: str, width: int = 32) -> str:
    import textwrap

    return textwrap.fill(label, width)


def _require_variable(ds, variable):
    if variable not in ds.data_vars:
        raise ValueError(f"variable {variable!r} not in the dataset; variables: {', '.join(ds.data_vars)}")


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


def _draw_bands(ax, bands, unit, labels=True):
    """Shade WHO bands; label each visible band at the right (unless ``labels`` is False: a
    figure with many curves names them in a legend instead, :func:`band_legend_handles`).

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
        if labels:
            ax.text(0.99, (a + b) / 2, category, transform=text_at, ha="right", va="center",
                    fontsize="small", color="0.35", zorder=1)
    ax.set_ylim(lo, hi)


def band_legend_handles():
    """Legend handles of the WHO bands that :func:`plot_bmd` shades (normal, osteopenia, osteoporosis)."""
    from matplotlib.patches import Patch

    return [Patch(color=_BAND_COLOURS[c], alpha=0.6, label=c) for c in WHO_CATEGORIES]


def plot_bmd(ds, site: str = "lumbar_spine", ax=None, *, variable: str = "bmd", bands: bool = True,
             band_labels: bool = True, data_range=None):
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
    band_labels : bool
        Name the bands inside the axes, at the right (False: leave them to a legend, see
        :func:`band_legend_handles`).
    data_range : (float, float), optional
        Values the y-axis and the bands cover besides the lines drawn: the range of panels read
        side by side (rows of arms at one site).

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require_variable(ds, variable)
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
    if data_range is not None:
        ax.update_datalim([(float(time.values[0]), value) for value in data_range])
        ax.autoscale_view(scalex=False)
    if bands and _who_bands(ds, variable, site)[0]:
        _draw_bands(ax, *_who_bands(ds, variable, site), labels=band_labels)
    if "arm" in ds.dims:
        ax.legend(title=ds["arm"].attrs.get("long_name"), loc="best")
    return ax


def _at_year(ds, year):
    """The dataset at the output time nearest ``year`` (which must lie within the simulated span)."""
    times = ds["time"].values
    if not (np.isfinite(year) and times[0] - 1e-9 <= year <= times[-1] + 1e-9):
        raise ValueError(f"year {year} is outside the simulated times {times[0]:g} to {times[-1]:g} years")
    return ds.sel(time=year, method="nearest")


def _median_and_range(da):
    """Median over ``sample`` and its 5-95 % range (``None`` without a sample dimension)."""
    if "sample" not in da.dims:
        return da, None
    low, mid, high = (da.quantile(q, dim="sample").drop_vars("quantile") for q in (0.05, 0.5, 0.95))
    return mid, (low, high)


def plot_arms_bar(ds, year: float, site: str | None = None, variable: str = "bmd_change", ax=None):
    """Bar chart of the arms at one year.

    Parameters
    ----------
    ds : xarray.Dataset
        Result of :func:`remodel.simulate`, usually with an ``arm`` dimension. With a ``sample``
        dimension the bar is the median and the error bar the 5-95 % range.
    year : float
        Time (years since the start); the nearest output time is used.
    site : str, optional
        One site: one bar per arm, labelled on the x axis. ``None``: bars grouped by site (one
        group per site, one bar per arm in each, legend with the arm names). Ignored for
        variables without a ``site`` dimension (serum estradiol, ...).
    variable : str
        Variable to show (default ``"bmd_change"``, %).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require_variable(ds, variable)
    ax = _new_axes(ax)
    snap = _at_year(ds, year)
    da = snap[variable]
    if site is not None:
        da = _select_site(da, site)
    arms = _arm_names(ds)
    colours = [f"C{i}" for i in range(len(arms))]
    if "site" in da.dims:
        groups = [str(s) for s in da["site"].values]
        width = 0.8 / len(arms)
        for i, arm in enumerate(arms):
            values, spread = _median_and_range(da if arm is None else da.sel(arm=arm))
            x = np.arange(len(groups)) + (i - (len(arms) - 1) / 2) * width
            yerr = None if spread is None else np.abs(np.stack([spread[0] - values, spread[1] - values]).values)
            ax.bar(x, values.values, width, yerr=yerr, color=colours[i],
                   label="_nolegend_" if arm is None else arm)
        ax.set_xticks(np.arange(len(groups)), [g.replace("_", " ") for g in groups])
        ax.set_xlabel(axis_label(ds["site"]))
        if "arm" in ds.dims:
            ax.legend(title=ds["arm"].attrs.get("long_name"))
    else:
        values, spreads = zip(*(_median_and_range(da if arm is None else da.sel(arm=arm)) for arm in arms))
        heights = np.array([float(v) for v in values])
        yerr = None
        if spreads[0] is not None:
            yerr = np.abs(np.array([[float(lo) for lo, _ in spreads], [float(hi) for _, hi in spreads]]) - heights)
        ax.bar(np.arange(len(arms)), heights, 0.6, yerr=yerr, color=colours)
        ax.set_xticks(np.arange(len(arms)), ["" if a is None else a for a in arms])
        if "arm" in ds.dims:
            ax.set_xlabel(axis_label(ds["arm"]))
    ax.axhline(0.0, color="0.3", linewidth=0.8)
    ax.set_ylabel(axis_label(ds[variable]))
    where = "" if site is None or "site" not in ds[variable].dims else f"{site.replace('_', ' ')}, "
    ax.set_title(f"{where}year {float(snap['time']):g}")
    return ax


#: Panels of :func:`plot_mechanism`, in the order of the causal chain: (variables, line styles).
MECHANISM_PANELS = (
    ("estradiol",),
    ("estrogen_receptor_activity",),
    ("rankl_opg_ratio",),
    ("active_osteoblasts", "active_osteoclasts"),
    ("formation_rate", "resorption_rate"),
    ("bmd",),
)
_STYLES = ("-", "--")


def _short_name(long_name: str) -> str:
    for word in ("concentration", "rate", "serum"):
        long_name = long_name.replace(f" {word}", "").replace(f"{word} ", "")
    return long_name


def plot_mechanism(ds, arm=None, axes=None, *, site: str = "lumbar_spine"):
    """The causal chain from hormones to BMD, one panel per step, over time.

    Panels: serum estradiol (for men also serum testosterone, dashed, on a right-hand axis:
    estradiol is made from it by aromatase); estrogen receptor activity in bone; RANKL/OPG ratio;
    active osteoblasts and osteoclasts (solid and dashed); formation and resorption rates (solid
    and dashed); BMD. Colours are arms (legend in the BMD panel). Long axis labels are wrapped.

    Parameters
    ----------
    ds : xarray.Dataset
        Result of :func:`remodel.simulate`. With a ``sample`` dimension the median is drawn.
    arm : str or list of str, optional
        Arm(s) to show; all arms when ``None``.
    axes : array of 6 matplotlib Axes, optional
        Where to draw; a new 2 x 3 figure when ``None``.
    site : str
        Site of the per-site variables.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        Flat, in the panel order above.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(2, 3, figsize=(13, 7), sharex=True, layout="constrained")
    axes = np.asarray(axes).ravel()
    if axes.size != len(MECHANISM_PANELS):
        raise ValueError(f"plot_mechanism needs {len(MECHANISM_PANELS)} axes, got {axes.size}")
    missing = [v for panel in MECHANISM_PANELS for v in panel if v not in ds.data_vars]
    if missing:
        raise ValueError(f"the dataset lacks {', '.join(missing)}")
    if arm is None:
        arms = _arm_names(ds)
    else:
        arms = [arm] if isinstance(arm, str) else list(arm)
        if "arm" not in ds.dims:
            raise ValueError("the dataset has no arm dimension; leave arm=None")
        unknown = [a for a in arms if a not in ds["arm"].values]
        if unknown:
            raise ValueError(f"arm(s) {unknown} not in the dataset; arms: {', '.join(map(str, ds['arm'].values))}")
    time = ds["time"].values
    all_arms = _arm_names(ds)

    def series(variable, a):
        da = _select_site(ds[variable], site)
        return _median_and_range(da if a is None else da.sel(arm=a))[0].values

    for ax, panel in zip(axes, MECHANISM_PANELS):
        for a in arms:
            colour = f"C{all_arms.index(a)}"
            for variable, style in zip(panel, _STYLES):
                label = a if a is not None and variable == panel[0] else "_nolegend_"
                ax.plot(time, series(variable, a), style, color=colour, label=label)
        if len(panel) == 1:
            label = axis_label(ds[panel[0]])
        else:
            (unit,) = {ds[v].attrs.get("units") for v in panel}
            label = " / ".join(_short_name(ds[v].attrs.get("long_name", v)) for v in panel) + f" ({_pretty_units(unit)})"
            from matplotlib.lines import Line2D

            handles = [Line2D([], [], color="0.2", linestyle=st, label=_short_name(ds[v].attrs.get("long_name", v)))
                       for v, st in zip(panel, _STYLES)]
            ax.legend(handles=handles, loc="best", fontsize="small")
        ax.set_ylabel(_wrap(label))
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
    if ds.attrs.get("population_sex") == "male" and "testosterone" in ds.data_vars:
        # in men estradiol comes from testosterone by aromatization: show the substrate too
        twin = axes[0].twinx()
        for a in arms:
            twin.plot(time, series("testosterone", a), _STYLES[1], color=f"C{all_arms.index(a)}")
        twin.set_ylabel(_wrap(axis_label(ds["testosterone"]) + ", dashed"))
    for ax in axes[-3:]:
        ax.set_xlabel(axis_label(ds["time"]))
    if "arm" in ds.dims:
        axes[-1].legend(title=ds["arm"].attrs.get("long_name"), fontsize="small")
    axes[0].figure.suptitle(f"mechanism ({site.replace('_', ' ')})")
    return axes


def _sweep_coordinate(ds, dim):
    """The numeric 1-D coordinate swept by ``dim`` (a coordinate name or a dimension name)."""
    if dim in ds.coords and ds[dim].ndim == 1 and np.issubdtype(ds[dim].dtype, np.number):
        return ds[dim]
    if dim in ds.dims:
        numeric = [c for c in ds.coords
                   if ds[c].dims == (dim,) and np.issubdtype(ds[c].dtype, np.number) and c != dim]
        if len(numeric) == 1:
            return ds[numeric[0]]
        raise ValueError(
            f"dimension {dim!r} needs exactly one numeric coordinate to plot against; found "
            f"{numeric or 'none'} (pass the coordinate's name, or add one with ds.assign_coords)"
        )
    raise ValueError(f"{dim!r} is neither a dimension nor a numeric coordinate of the dataset")


def plot_dose_response(ds, dim: str, year: float, site: str, variable: str = "bmd_change", ax=None):
    """Response at one year against a swept dose.

    Accepted shapes: the swept dimension is ``sample`` (from ``simulate(..., samples=...)``) or
    ``arm``, and carries a numeric 1-D coordinate giving the dose (e.g. ``sessions_per_week``
    along ``sample``, or ``ds.assign_coords(dose_mg=("arm", [...]))``). ``dim`` is the name of that
    coordinate, or of the dimension when exactly one numeric coordinate lies along it. Besides
    ``time`` (taken at ``year``) and ``site`` (taken at ``site``), at most one other dimension
    may remain (typically ``arm`` when sweeping ``sample``): it gives one line per value, with a
    legend.

    Parameters
    ----------
    ds : xarray.Dataset
    dim : str
        Swept coordinate or dimension.
    year : float
        Time (years since the start); the nearest output time is used.
    site : str
        Site of per-site variables.
    variable : str
        Response (default ``"bmd_change"``, %).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require_variable(ds, variable)
    dose = _sweep_coordinate(ds, dim)
    (swept,) = dose.dims
    da = _select_site(_at_year(ds, year)[variable], site)
    other = [d for d in da.dims if d != swept]
    if len(other) > 1:
        raise ValueError(f"plot_dose_response can show one further dimension as lines, got {other}; select the rest first")
    ax = _new_axes(ax)
    order = np.argsort(dose.values, kind="stable")
    x = dose.values[order]
    groups = [None] if not other else [str(v) for v in da[other[0]].values]
    for g in groups:
        line = da if g is None else da.sel({other[0]: g})
        ax.plot(x, line.transpose(swept).values[order], "o-", label="_nolegend_" if g is None else g)
    ax.set_xlabel(axis_label(dose))
    ax.set_ylabel(axis_label(ds[variable]))
    where = f"{site.replace('_', ' ')}, " if "site" in ds[variable].dims else ""
    ax.set_title(f"{where}year {float(_at_year(ds, year)['time']):g}")
    if other:
        ax.legend(title=ds[other[0]].attrs.get("long_name", other[0]))
    return ax


#: Bone turnover markers: variable, what it measures.
MARKERS = (("ctx_change", "resorption"), ("p1np_change", "formation"))


def plot_markers(ds, ax=None, *, arm=None, site: str | None = None):
    """Bone turnover markers (serum CTX, resorption; P1NP, formation) as % change from baseline.

    One line per marker and arm: colour is the arm, solid CTX, dashed P1NP. Legend entries are
    ``"<arm>: <marker long_name>"`` (just the long name without an arm dimension).

    Parameters
    ----------
    ds : xarray.Dataset
        With variables ``ctx_change`` and ``p1np_change`` (same units, normally %), dims ``time``
        and optionally ``arm``, ``site`` and ``sample`` (median drawn).
    ax : matplotlib.axes.Axes, optional
    arm : str or list of str, optional
        Arm(s) to show; all when ``None``.
    site : str, optional
        Needed only if the markers have a ``site`` dimension.

    Returns
    -------
    matplotlib.axes.Axes
    """
    names = [m for m, _ in MARKERS]
    missing = [m for m in names if m not in ds.data_vars]
    if missing:
        raise ValueError(f"the dataset lacks the turnover markers {', '.join(missing)}")
    units = {ds[m].attrs.get("units") for m in names}
    if len(units) != 1:
        raise ValueError(f"the markers have different units {sorted(map(str, units))}")
    if any("site" in ds[m].dims for m in names) and site is None:
        raise ValueError(f"the markers are per site; pass site= one of {', '.join(map(str, ds['site'].values))}")
    all_arms = _arm_names(ds)
    arms = all_arms if arm is None else ([arm] if isinstance(arm, str) else list(arm))
    ax = _new_axes(ax)
    for a in arms:
        colour = f"C{all_arms.index(a)}"
        for (m, _), style in zip(MARKERS, _STYLES):
            da = _select_site(ds[m], site) if site is not None else ds[m]
            da, _ = _median_and_range(da if a is None else da.sel(arm=a))
            name = ds[m].attrs.get("long_name", m)
            ax.plot(ds["time"].values, da.values, style, color=colour, label=name if a is None else f"{a}: {name}")
    ax.axhline(0.0, color="0.3", linewidth=0.8)
    (unit,) = units
    ax.set_ylabel(f"change from baseline ({_pretty_units(unit)})")
    ax.set_xlabel(axis_label(ds["time"]))
    ax.set_title("bone turnover markers" + (f" ({site.replace('_', ' ')})" if site else ""))
    ax.legend(fontsize="small")
    return ax


def plot_validation(rows, ax=None):
    """Simulated against observed BMD change of clinical trial arms (:func:`remodel.validation.validate`
    rows): one marker per BMD row (serum marker rows, in percent, are left to the table), a marker
    shape per trial, the identity line and each row's tolerance as an error bar. Returns the Axes."""
    ax = _new_axes(ax)
    rows = [r for r in rows if not r.is_marker]
    values = [r.observed for r in rows] + [r.simulated for r in rows]
    lo, hi = (min(values) - 1.0, max(values) + 1.0) if values else (-1.0, 1.0)
    ax.plot([lo, hi], [lo, hi], color="0.5", lw=1, label="identity")
    markers = "osD^v<>phP*X"
    for i, trial in enumerate(dict.fromkeys(r.trial for r in rows)):
        sel = [r for r in rows if r.trial == trial]
        ax.errorbar([r.observed for r in sel], [r.simulated for r in sel], yerr=[r.tolerance for r in sel],
                    fmt=markers[i % len(markers)], ms=5, capsize=2, lw=0.8, label=trial)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("observed BMD change (percentage points)")
    ax.set_ylabel("simulated BMD change (percentage points)")
    ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    return ax


def plot_pathway(ds, arm: str, patient: int | None = None, site: str = "femoral_neck", ax=None):
    """One person's clinical pathway in an arm (:mod:`remodel.clinical`): her simulated T-score at
    ``site`` (line), the measured T-scores of her scans (markers with their precision error, and a
    band of the least significant change around the baseline scan: a scan outside it is a
    significant change), the start of the first therapy of the arm's rules (vertical line), the
    visits at which a stop rule ended a therapy and her simulated fracture (vertical lines, when the
    dataset has them) and, on a right-hand axis, her ten-year probability of hip and major
    osteoporotic fracture when the dataset has them.

    Parameters
    ----------
    ds : xarray.Dataset
        Result of :func:`remodel.run_scenario` for a scenario with monitoring.
    arm : str
        The arm.
    patient : int, optional
        Index of the patient of a cohort (required when ``ds`` has a ``patient`` dimension).
    site : str
        Skeletal site of the T-scores.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The T-score axes (the fracture axes is ``ax.right_axis``, when drawn).
    """
    _require_variable(ds, "measured_t_score")
    if ("patient" in ds.dims) != (patient is not None):
        raise ValueError("give patient= for a cohort (a dataset with a patient dimension), and only then")
    person = ds.sel(arm=arm) if patient is None else ds.sel(arm=arm).isel(patient=patient)
    ax = _new_axes(ax)
    time = ds["time"]
    ax.plot(time.values, _select_site(person["t_score"], site).values, color="k", label="simulated T-score")
    scans = person["scan_time"].values
    measured = _select_site(person["measured_t_score"], site).values
    # precision (CV, % of BMD) and least significant change in T-score units: % x BMD / young-adult SD
    young_sd = YOUNG_ADULT_REFERENCE[ds.attrs["population_sex"]][site][1]
    bmd = _select_site(person["measured_bmd"], site).values
    lsc = float(_select_site(ds["least_significant_change"], site))
    ax.errorbar(scans, measured, yerr=lsc / 2.77 / 100.0 * bmd / young_sd, fmt="o", color="tab:blue", capsize=3,
                label="measured T-score ± precision error (1 SD)")
    band = lsc / 100.0 * bmd[0] / young_sd
    ax.axhspan(measured[0] - band, measured[0] + band, color="tab:blue", alpha=0.12,
               label="baseline scan ± least significant change")
    start = float(person["treatment_start_time"].values)
    if np.isfinite(start):
        ax.axvline(start, color="tab:red", linestyle="--", label=f"therapy started (year {start:g})")
    if "rule_action" in ds:
        for action, fired in zip(person["rule_action"].values, np.atleast_1d(person["rule_fired_time"].values)):
            if action == "stop" and np.isfinite(fired):
                ax.axvline(fired, color="tab:gray", linestyle="--", label=f"therapy stopped (year {fired:g})")
    if "simulated_fracture_time" in ds and np.isfinite(float(person["simulated_fracture_time"])):
        fracture = float(person["simulated_fracture_time"])
        ax.axvline(fracture, color="tab:orange", linestyle=":", label=f"simulated fracture (year {fracture:.2f})")
    ax.set_xlabel(axis_label(time))
    ax.set_ylabel(f"T-score, {site.replace('_', ' ')}")
    ax.set_xlim(float(time.values[0]), float(time.values[-1]))
    handles, labels = ax.get_legend_handles_labels()
    if "hip_fracture_probability_10y" in ds:
        right = ax.twinx()
        for kind, style in (("hip", ":"), ("major", "-.")):
            name = f"{kind}_fracture_probability_10y"
            right.plot(time.values, person[name].values, color="tab:green", linestyle=style,
                       label=_wrap(person[name].attrs["long_name"], 40))
        right.set_ylabel("10-year fracture probability (%)")
        more = right.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
        ax.right_axis = right
    ax.legend(handles, labels, loc="best", fontsize="small")
    ax.set_title(f"{arm}" + ("" if patient is None else f", patient {patient}"))
    return ax
