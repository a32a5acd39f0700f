"""The comparison of arms: BMD change, T-score, WHO category and threshold crossings per arm, site and year."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["WHO_CATEGORIES", "compare_rows", "crossing_years", "format_compare_table", "format_periods", "periods_below"]

#: Names of the values of a Dataset's ``who_category``.
WHO_CATEGORIES = ("normal", "osteopenia", "osteoporosis")


def periods_below(t_score, times, threshold, *, inclusive=False) -> list[tuple[float, float | None]]:
    """The periods in which a T-score series is below ``threshold`` (or at it when ``inclusive``):
    ``(start, end)`` in the units of ``times``, crossings linearly interpolated between output
    times; ``start`` is ``times[0]`` when below from the start, ``end`` None when still below at the
    last time."""
    t_score = np.asarray(t_score, dtype=float)
    times = np.asarray(times, dtype=float)
    below = t_score <= threshold if inclusive else t_score < threshold

    def crossing(i):  # between times[i - 1] and times[i]
        t0, t1, y0, y1 = times[i - 1], times[i], t_score[i - 1], t_score[i]
        return float(t0 + (t1 - t0) * (y0 - threshold) / (y0 - y1))

    periods = []
    for i in range(len(times)):
        if below[i] and (i == 0 or not below[i - 1]):
            periods.append([float(times[0]) if i == 0 else crossing(i), None])
        elif not below[i] and i > 0 and below[i - 1]:
            periods[-1][1] = crossing(i)
    return [tuple(p) for p in periods]


def crossing_years(t_score, times, threshold, *, inclusive=False) -> float | None:
    """First time a T-score series goes below ``threshold`` (or to it when ``inclusive``),
    linearly interpolated between output times; 0 if already there at the start, None if never."""
    periods = periods_below(t_score, times, threshold, inclusive=inclusive)
    return periods[0][0] if periods else None


def format_periods(periods, digits: int = 1) -> str:
    """``"0.0-2.3, 4.1-"`` for the periods of :func:`periods_below` (an open end: still there at the
    end), ``"-"`` for none."""
    return ", ".join(f"{a:.{digits}f}-" + ("" if b is None else f"{b:.{digits}f}") for a, b in periods) or "-"


def compare_rows(ds, years) -> list[dict[str, Any]]:
    """One row per arm, site and year: BMD % change, T-score, WHO category, and for osteopenia or
    worse (T < -1) and osteoporosis (T <= -2.5) the first year the arm is there (None if never),
    the years it spends there within the horizon and the periods (:func:`format_periods`), so that
    an arm that starts osteopenic and recovers reads as such."""
    rows = []
    times = ds["time"].values
    for arm in ds["arm"].values:
        for site in ds["site"].values:
            t = ds["t_score"].sel(arm=arm, site=site).values
            spans = {}
            for name, threshold, inclusive in (("osteopenia", -1.0, False), ("osteoporosis", -2.5, True)):
                periods = periods_below(t, times, threshold, inclusive=inclusive)
                spans |= {f"{name}_from_year": periods[0][0] if periods else None,
                          f"{name}_years": sum((float(times[-1]) if b is None else b) - a for a, b in periods),
                          f"{name}_periods": format_periods(periods)}
            for year in years:
                at = ds.sel(arm=arm, site=site).sel(time=year, method="nearest")
                if abs(float(at["time"]) - year) > 1e-6:
                    raise ValueError(f"year {year:g} is not an output time of the dataset")
                rows.append({
                    "arm": str(arm), "site": str(site), "year": float(year),
                    "bmd_change_percent": float(at["bmd_change"]), "t_score": float(at["t_score"]),
                    "who_category": WHO_CATEGORIES[int(at["who_category"])], **spans,
                })
    return rows


def format_compare_table(rows, years, horizon) -> str:
    """Plain-text table, one block per arm and one row per site, from :func:`remodel.report.compare_rows`."""
    header = ["site"]
    for y in years:
        header += [f"y{y:g} BMD %chg", f"y{y:g} T", f"y{y:g} WHO"]
    header += ["osteopenia (y)", "osteoporosis (y)"]
    blocks, arms = [], list(dict.fromkeys(r["arm"] for r in rows))
    table = []
    for arm in arms:
        for site in dict.fromkeys(r["site"] for r in rows if r["arm"] == arm):
            cells = [site]
            mine = {r["year"]: r for r in rows if r["arm"] == arm and r["site"] == site}
            for y in years:
                r = mine[float(y)]
                cells += [f"{r['bmd_change_percent']:+.1f}", f"{r['t_score']:.2f}", r["who_category"]]
            cells += [r["osteopenia_periods"], r["osteoporosis_periods"]]
            table.append((arm, cells))
    widths = [max(len(c[i]) for c in [header] + [cells for _, cells in table]) for i in range(len(header))]

    def line(cells):
        return "  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    for arm in arms:
        blocks.append(f"{arm}\n{line(header)}\n" + "\n".join(line(c) for a, c in table if a == arm))
    legend = (f"BMD %chg: change from baseline; T: T-score; WHO: {', '.join(WHO_CATEGORIES)}; osteopenia / "
              f"osteoporosis (y): the years with T < -1 / T <= -2.5 (0.0-2.3: from the start to year 2.3; 1.5-: from "
              f"year 1.5 to the end of the {horizon:g} years; -: never)")
    return legend + "\n\n" + "\n\n".join(blocks)
