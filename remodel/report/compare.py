"""The comparison of arms: BMD change, T-score, WHO category and threshold crossings per arm, site and year."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["WHO_CATEGORIES", "compare_rows", "crossing_years"]

#: Names of the values of a Dataset's ``who_category``.
WHO_CATEGORIES = ("normal", "osteopenia", "osteoporosis")


def crossing_years(t_score, times, threshold, *, inclusive=False) -> float | None:
    """First time a T-score series goes below ``threshold`` (or to it when ``inclusive``),
    linearly interpolated between output times; 0 if already there at the start, None if never."""
    t_score = np.asarray(t_score, dtype=float)
    times = np.asarray(times, dtype=float)
    below = t_score <= threshold if inclusive else t_score < threshold
    if not below.any():
        return None
    i = int(np.argmax(below))
    if i == 0:
        return float(times[0])
    t0, t1, y0, y1 = times[i - 1], times[i], t_score[i - 1], t_score[i]
    return float(t0 + (t1 - t0) * (y0 - threshold) / (y0 - y1))


def compare_rows(ds, years) -> list[dict[str, Any]]:
    """One row per arm, site and year: BMD % change, T-score, WHO category, and the years the arm
    first crosses into osteopenia (T < -1) and osteoporosis (T <= -2.5) (None if never)."""
    rows = []
    times = ds["time"].values
    for arm in ds["arm"].values:
        for site in ds["site"].values:
            t = ds["t_score"].sel(arm=arm, site=site).values
            osteopenia = crossing_years(t, times, -1.0)
            osteoporosis = crossing_years(t, times, -2.5, inclusive=True)
            for year in years:
                at = ds.sel(arm=arm, site=site).sel(time=year, method="nearest")
                if abs(float(at["time"]) - year) > 1e-6:
                    raise ValueError(f"year {year:g} is not an output time of the dataset")
                rows.append({
                    "arm": str(arm), "site": str(site), "year": float(year),
                    "bmd_change_percent": float(at["bmd_change"]), "t_score": float(at["t_score"]),
                    "who_category": WHO_CATEGORIES[int(at["who_category"])],
                    "osteopenia_from_year": osteopenia, "osteoporosis_from_year": osteoporosis,
                })
    return rows
