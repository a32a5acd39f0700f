"""Validation against clinical trial arms: simulated vs observed, with a tolerance per row.

Tolerance: a row's ``tolerance`` column when the table has one; otherwise +-2.0 percentage points
for differences of 5 points or more (the multi-year anti-resorptive trials, whose arms gain 6-9
points) and +-1.5 points for every other row (about the 95% confidence half-width of the larger
trial arms). Direction: the simulated sign must match the observed one; an observation within
+-0.25 points of zero counts as "no change" and is matched by a simulation within +-0.25 too.
Rows that report a median are compared with the median of a virtual cohort
(:func:`remodel.trials.simulated_values`).
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass

import numpy as np

from .trials import load_targets, load_trial_scenarios, simulated_values

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

    @property
    def difference(self) -> float:
        return self.simulated - self.observed

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


def validate(table=None, scenarios=None, parameters="Remodel2026") -> list[ValidationRow]:
    """Simulate every row of a trial table (default: the packaged calibration table) with the
    scenarios of a directory (default: the packaged trial scenarios)."""
    rows = load_targets(table)
    values = simulated_values(rows, parameters, scenarios=load_trial_scenarios(rows, scenarios))
    return [
        ValidationRow(r["id"], r["trial"], r.get("arm", ""), r["site"], r["time_years"], r["metric"],
                      r["statistic"], r["value"], float(v), tolerance(r))
        for r, v in zip(rows, values)
    ]


def summary(rows) -> dict:
    """RMSE (percentage points), direction errors and rows outside tolerance."""
    errors = np.array([r.difference for r in rows])
    return {
        "rmse": float(np.sqrt(np.mean(errors**2))),
        "direction_errors": sum(not r.direction_ok for r in rows),
        "outside_tolerance": sum(not r.within_tolerance for r in rows),
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
    header = (f"{'id':<9}{'trial':<22}{'arm':<34}{'site':<14}{'years':>6}{'stat':>7}{'obs':>8}{'sim':>8}{'diff':>7}"
              "  ok")
    lines = [header, "-" * len(header)]
    for r in rows:
        ok = ("yes" if r.within_tolerance else "NO") + ("" if r.direction_ok else " (direction)")
        lines.append(f"{r.id:<9}{r.trial[:21]:<22}{r.arm[:33]:<34}{r.site:<14}{r.time_years:>6.2f}{r.statistic:>7}"
                     f"{r.observed:>8.2f}{r.simulated:>8.2f}{r.difference:>7.2f}  {ok}")
    s = summary(rows)
    lines.append(f"RMSE {s['rmse']:.2f} percentage points; {s['direction_errors']} direction errors; "
                 f"{s['outside_tolerance']} of {s['rows']} rows outside tolerance")
    return "\n".join(lines)
