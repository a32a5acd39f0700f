"""The figure of a comparison: BMD over time at every site, one line per arm, in rows of panels
when the arms are many (``remodel compare``). Matplotlib is imported when a figure is drawn."""

from __future__ import annotations

import numpy as np

__all__ = ["compare_figure"]


#: Most lines in one row of panels of the compare figure (the colours of ``tab10``); more arms are
#: drawn in rows of panels.
_LINES_PER_ROW = 10


def _identical_arms(ds) -> list[list[str]]:
    """The arms grouped by trajectory: arms whose BMD agrees at every site and time to 1e-9 share a
    group (they would hide each other), in the order of their first arm."""
    groups: list[list[str]] = []
    for arm in (str(a) for a in ds["arm"].values):
        values = ds["bmd"].sel(arm=arm).values
        same = next((g for g in groups if np.allclose(ds["bmd"].sel(arm=g[0]).values, values, rtol=1e-9, atol=0)),
                    None)
        (same.append(arm) if same is not None else groups.append([arm]))
    return groups


def _rows_of_lines(names: list[str], depth: int = 0) -> list[list[str]]:
    """``names`` (one per line, in order) in rows of at most :data:`_LINES_PER_ROW`, split where
    their leading ``" + "``-separated parts change (the levels of a factorial's first factors, in
    order): runs of names sharing their first ``depth + 1`` parts, each split further if too long,
    packed into rows in order; names without such parts in rows of even size."""
    if len(names) <= _LINES_PER_ROW:
        return [names]
    keys = [" + ".join(name.split(" + ")[:depth + 1]) for name in names]
    runs = [[names[0]]]
    for previous, key, name in zip(keys, keys[1:], names[1:]):
        (runs[-1].append(name) if key == previous else runs.append([name]))
    if len(runs) == 1 and all(name.count(" + ") > depth for name in names):
        return _rows_of_lines(names, depth + 1)
    if len(runs) in (1, len(names)):
        n_rows = -(-len(names) // _LINES_PER_ROW)
        return [names[i * len(names) // n_rows:(i + 1) * len(names) // n_rows] for i in range(n_rows)]
    rows: list[list[str]] = []
    for block in (row for run in runs for row in _rows_of_lines(run, depth + 1)):
        if rows and len(rows[-1]) + len(block) <= _LINES_PER_ROW:
            rows[-1] = rows[-1] + block
        else:
            rows.append(block)
    return rows


def _shared_levels(names: list[str]) -> str:
    """The leading ``" + "``-separated parts all ``names`` share (the levels of a factorial's first
    factors), leaving each name at least one part of its own; "" if none."""
    parts = [name.split(" + ") for name in names]
    shared = []
    for level in zip(*parts):
        if len(set(level)) > 1:
            break
        shared.append(level[0])
    return " + ".join(shared[:min(map(len, parts)) - 1])


def compare_figure(ds, title: str | None = None):
    """BMD over time at every site (a column of panels per site, one line per arm, WHO T-score
    bands), drawn with :func:`remodel.plotting.plot_bmd`.

    Readable from one to 64 arms: up to :data:`_LINES_PER_ROW` arms share one row of panels; more
    are drawn in rows (small multiples, the y-axis of a site the same in every row) split where the
    levels of a factorial change (:func:`_rows_of_lines`), each row with its own legend at its right,
    titled with the levels its arms share (their names then list only the rest), the ten colours
    of ``tab10`` in each. Arms with the same trajectory are one line labelled with their names
    joined by `` = `` (they would hide each other); the bands are named in a legend of their own,
    not over the curves.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        ``(rows, sites)``, the sites in the order of ``ds.site``.
    """
    import textwrap

    from matplotlib.figure import Figure

    from ..plotting import band_legend_handles, plot_bmd

    sites = [str(s) for s in ds["site"].values]
    groups = _identical_arms(ds)
    drawn = ds.sel(arm=[g[0] for g in groups]).assign_coords(arm=[" = ".join(g) for g in groups])
    rows = _rows_of_lines([str(a) for a in drawn["arm"].values])
    fig = Figure(figsize=(4.4 * len(sites) + 4.6, 0.9 + (2.9 if len(rows) > 1 else 3.8) * len(rows)),
                 layout="constrained")
    grid = fig.add_gridspec(len(rows), len(sites) + 1, width_ratios=[1.0] * len(sites) + [1.05])
    axes = np.array([[fig.add_subplot(grid[r, c]) for c in range(len(sites))] for r in range(len(rows))])
    for c, site in enumerate(sites):
        values = drawn["bmd"].sel(site=site).values
        data_range = (float(np.nanmin(values)), float(np.nanmax(values)))
        for r, names in enumerate(rows):
            ax = axes[r, c]
            plot_bmd(drawn.sel(arm=names), site=site, ax=ax, band_labels=False, data_range=data_range)
            ax.get_legend().remove()
            if r:
                ax.set_title("")
            if r < len(rows) - 1:
                ax.set_xlabel("")
            if c:
                ax.set_ylabel("")
    for r, names in enumerate(rows):
        shared = _shared_levels(names)
        labels = [textwrap.fill(" = ".join(arm.removeprefix(f"{shared} + ") for arm in name.split(" = ")), 44)
                  for name in names]
        legend_ax = fig.add_subplot(grid[r, len(sites)])
        legend_ax.axis("off")
        legend_ax.legend(axes[r, 0].get_lines()[:len(names)], labels, loc="center left", frameon=False,
                         fontsize="small", title=textwrap.fill(shared + " +", 44) if shared else "arm",
                         title_fontsize="small", alignment="left")
    fig.legend(handles=band_legend_handles(), loc="outside upper right", title="WHO category", fontsize="small",
               frameon=False, ncols=3)
    if title:
        fig.suptitle(title)
    return axes
