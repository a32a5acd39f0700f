"""Validation against clinical trial arms: simulated vs observed, with a tolerance per row.

The default table is the widened one the parameters were fitted to: the packaged trial arms
(``calibration_trials.csv``: BMD endpoints) and ``extra_targets.csv`` (time courses, off-treatment
courses, dose-responses and serum markers).
Tolerance: a row's ``tolerance`` column when the table has one; otherwise +-2.0 percentage points
for differences of 5 points or more (the multi-year anti-resorptive trials, whose arms gain 6-9
points) and +-1.5 points for every other row (about the 95% confidence half-width of the larger
trial arms). Direction: the simulated sign must match the observed one; an observation within
+-0.25 points of zero counts as "no change" and is matched by a simulation within +-0.25 too.
Rows that report a median are compared with the median of a virtual cohort
(:func:`remodel.trials.simulated_values`). A row whose id is one of the calibration targets
was used to fit the parameters: on those rows the comparison measures the fit, not a validation;
the RMSE is reported apart for the rows that were not fitted (a table of your own, or the hold-out
table ``holdout_targets.csv``: published arms no parameter was fitted to, ``validate(holdout=True)``).
RMSEs are of the BMD rows (percentage points); serum marker rows (percent change) are counted apart.
The RMSE in tolerance units, sqrt(mean((d_i / t_i)^2)) over every row (difference d_i, tolerance
t_i), puts the BMD and marker rows on one scale: below 1 when the rows are, on average, within tolerance.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass

import numpy as np

from .trials import EXTRA_TARGETS, HOLDOUT_TARGETS, MARKER_METRICS, load_targets, load_trial_scenarios, simulated_values

__all__ = ["ValidationRow", "tolerance", "validate", "summary", "write_csv", "format_table"]

STABLE_BAND = 0.25


@dataclass(frozen=True)
class ValidationRow:
    id: str
    trial: str
    arm: str
    site: str
    time_years: float
    metric: str
    statistic: str
    observed: float
    simulated: float
    tolerance: float
    fitted: bool

    @property
    def difference(self) -> float:
        return self.simulated - self.observed

    @property
    def is_marker(self) -> bool:
        """A serum marker row (percent change), not a BMD row (percentage points)."""
        return self.metric in MARKER_METRICS

    @property
    def within_tolerance(self) -> bool:
        return abs(self.difference) <= self.tolerance

    @property
    def direction_ok(self) -> bool:
        if abs(self.observed) <= STABLE_BAND:
            return abs(self.simulated) <= STABLE_BAND or np.sign(self.simulated) == np.sign(self.observed)
        return bool(np.sign(self.simulated) == np.sign(self.observed))


def tolerance(row) -> float:
    """The row's ``tolerance`` column, else +-2.0 for differences of 5 points or more, else +-1.5."""
    if row.get("tolerance"):
        return float(row["tolerance"])
    return 2.0 if row["metric"] == "difference_vs_comparator" and abs(row["value"]) >= 5.0 else 1.5


def validate(table=None, scenarios=None, parameters="Remodel2026", holdout=False) -> list[ValidationRow]:
    """Simulate every row of a trial table (default: the packaged calibration table and the extra
    targets, every row the parameters were fitted to; ``holdout=True``: the hold-out table, arms no
    parameter was fitted to) with the scenarios of a directory (default: the packaged trial scenarios)."""
    if holdout and table is not None:
        raise ValueError("give either a trial table or holdout=True, not both")
    packaged = load_targets() + EXTRA_TARGETS
    rows = HOLDOUT_TARGETS if holdout else packaged if table is None else load_targets(table)
    values = simulated_values(rows, parameters, scenarios=load_trial_scenarios(rows, scenarios))
    fitted = {r["id"] for r in packaged}
    return [
        ValidationRow(r["id"], r["trial"], r.get("arm", ""), r["site"], r["time_years"], r["metric"],
                      r["statistic"], r["value"], float(v), tolerance(r), r["id"] in fitted)
        for r, v in zip(rows, values)
    ]


def _rmse(rows) -> float:
    return float(np.sqrt(np.mean([r.difference**2 for r in rows]))) if rows else float("nan")


def summary(rows) -> dict:
    """RMSE of the BMD rows (percentage points; also apart for the rows used to fit the parameters
    and the others), RMSE in tolerance units (all rows), direction errors and rows outside tolerance
    (all rows), and the serum marker rows counted apart."""
    bmd = [r for r in rows if not r.is_marker]
    return {
        "rmse": _rmse(bmd),
        "rmse_tolerance_units": float(np.sqrt(np.mean([(r.difference / r.tolerance) ** 2 for r in rows])))
        if rows and all(r.tolerance > 0 for r in rows) else float("nan"),
        "rmse_fitted": _rmse([r for r in bmd if r.fitted]),
        "rmse_not_fitted": _rmse([r for r in bmd if not r.fitted]),
        "fitted": sum(r.fitted for r in rows),
        "direction_errors": sum(not r.direction_ok for r in rows),
        "outside_tolerance": sum(not r.within_tolerance for r in rows),
        "markers": len(rows) - len(bmd),
        "markers_outside_tolerance": sum(not r.within_tolerance for r in rows if r.is_marker),
        "rows": len(rows),
    }


def write_csv(rows, path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*asdict(rows[0]).keys(), "difference", "within_tolerance", "direction_ok"])
        for r in rows:
            writer.writerow([*asdict(r).values(), round(r.difference, 4), r.within_tolerance, r.direction_ok])


def format_table(rows) -> str:
    """Plain-text table: id, trial, arm, site, time, statistic, observed, simulated, difference, within?"""
    w = max([9] + [len(r.id) + 1 for r in rows])
    header = (f"{'id':<{w}}{'trial':<22}{'arm':<34}{'site':<14}{'years':>6}{'stat':>7}{'obs':>8}{'sim':>8}{'diff':>7}"
              "  fit  ok")
    lines = [header, "-" * len(header)]
    for r in rows:
        ok = ("yes" if r.within_tolerance else "NO") + ("" if r.direction_ok else " (direction)")
        lines.append(f"{r.id:<{w}}{r.trial[:21]:<22}{r.arm[:33]:<34}{r.site:<14}{r.time_years:>6.2f}{r.statistic:>7}"
                     f"{r.observed:>8.2f}{r.simulated:>8.2f}{r.difference:>7.2f}  {'yes' if r.fitted else 'no ':<4}{ok}")
    s = summary(rows)
    lines.append(f"RMSE {s['rmse']:.2f} percentage points over the {s['rows'] - s['markers']} BMD rows, "
                 f"{s['rmse_tolerance_units']:.2f} tolerances over all {s['rows']} rows; "
                 f"{s['direction_errors']} direction errors; {s['outside_tolerance']} of {s['rows']} rows outside "
                 f"tolerance, of which {s['markers_outside_tolerance']} of the {s['markers']} serum marker rows (percent)")
    held_out = s["rows"] - s["fitted"]
    lines.append(f"{s['fitted']} of {s['rows']} rows were used to fit the parameters (column fit; BMD RMSE "
                 + (f"{s['rmse_fitted']:.2f}" if s["fitted"] else "-") + "): on them this measures the fit; "
                 + (f"RMSE of the {held_out} rows not fitted: {s['rmse_not_fitted']:.2f}" if held_out
                    else "no row was held out"))
    return "\n".join(lines)
