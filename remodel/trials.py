"""Clinical trial arms used to calibrate and validate the model.

:data:`TRIAL_ARMS` maps a row id of ``calibration_trials.csv`` to the simulation that reproduces
it: the population (mean characteristics of the trial arm), the therapies of the arm and of its
comparator, the site and time. :func:`simulated_values` runs them all in as few batched
simulations as possible.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from .populations import Population
from .simulation import simulate
from .therapies import Therapy

__all__ = ["TrialArm", "TRIAL_ARMS", "load_targets", "simulated_values"]


@dataclass(frozen=True)
class TrialArm:
    """How to simulate one row of the trial table."""

    population: Population
    therapies: tuple[Therapy, ...] = ()
    comparator: tuple[Therapy, ...] | None = None
    rationale: str = ""
    citations: tuple[str, ...] = field(default=())


# Trial populations: mean age and years since menopause as reported by the trials.
SWAN = Population("SWAN", "female", 50.0, menopause_age=51.0,
                  description="SWAN women one year before the final menstrual period (Greendale 2012)")
POWLES_PREMENOPAUSAL = Population("Powles1996_premenopausal", "female", 44.0, menopause_age=51.0,
                                  description="healthy premenopausal women, mean age about 44 (Powles 1996)")
IBIS2 = Population("IBIS-II", "female", 59.0, menopause_age=50.0,
                   description="IBIS-II bone substudy: postmenopausal women, mean age about 59 (Sestak 2014)")
ATAC = Population("ATAC", "female", 64.0, menopause_age=50.0,
                  description="ATAC bone substudy: postmenopausal women, mean age about 64 (Eastell 2006)")
ZOFAST = Population("ZO-FAST", "female", 57.0, menopause_age=50.0,
                    description="ZO-FAST: postmenopausal women starting letrozole, mean age about 57 (Bundred 2008)")
ROCHESTER = Population("Rochester", "female", 68.0, menopause_age=50.0,
                       description="Rochester cohort: postmenopausal women, mean age about 68 (Melton 2000)")
KENNY = Population("Kenny2010", "male", 70.0, testosterone_ng_per_dl=300.0,
                   description="men over 60 with low testosterone (Kenny 2010; Tracz 2006)")
MROS = Population("MrOS", "male", 73.0, testosterone_ng_per_dl=420.0,
                  description="MrOS men aged 65 and over, mean age 73 (Cawthon 2009)")

TRIAL_ARMS: dict[str, TrialArm] = {
    "CAL01": TrialArm(SWAN, rationale="3 years from FMP-1 y"),
    "CAL02": TrialArm(SWAN, rationale="3 years from FMP-1 y"),
    "CAL03": TrialArm(POWLES_PREMENOPAUSAL),
    "CAL04": TrialArm(IBIS2),
    "CAL05": TrialArm(IBIS2),
    "CAL06": TrialArm(ATAC, (Therapy("anastrozole"),)),
    "CAL07": TrialArm(ATAC, (Therapy("anastrozole"),)),
    "CAL08": TrialArm(ATAC, (Therapy("tamoxifen"),)),
    "CAL09": TrialArm(ATAC, (Therapy("tamoxifen"),)),
    "CAL24": TrialArm(KENNY, (Therapy("testosterone", dose=550.0),),
                      rationale="therapy restores testosterone to mid-normal (550 ng/dL)"),
    "CAL25": TrialArm(MROS),
    "CAL26": TrialArm(ROCHESTER),
}


def load_targets(path=None) -> list[dict]:
    """Rows of a trial table (the packaged ``calibration_trials.csv`` by default)."""
    if path is None:
        text = resources.files("remodel").joinpath("data/calibration_trials.csv").read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        row["time_years"] = float(row["time_years"])
        row["value"] = float(row["value"])
    return rows


def simulated_values(rows, parameters="Remodel2026", samples=None, arms=TRIAL_ARMS, rtol=1e-7):
    """Simulated value of each row (array ``(len(rows),)``, or ``(sample, len(rows))`` with samples).

    Rows sharing a population are simulated together, one arm per distinct regimen.
    """
    groups: dict[str, list] = {}
    for i, row in enumerate(rows):
        groups.setdefault(arms[row["id"]].population.name, []).append(i)
    out = np.full((1 if samples is None else len(next(iter(samples.values()))), len(rows)), np.nan)
    for indices in groups.values():
        population = arms[rows[indices[0]]["id"]].population
        regimens = {}
        for i in indices:
            spec = arms[rows[i]["id"]]
            for regimen in (spec.therapies, spec.comparator):
                if regimen is not None:
                    regimens.setdefault(regimen, f"r{len(regimens)}")
        horizon = max(1.0 / 12.0, *(rows[i]["time_years"] for i in indices))
        times = sorted({0.0, *(rows[i]["time_years"] for i in indices)})
        ds = simulate(population, {name: list(reg) for reg, name in regimens.items()}, years=horizon,
                      output_times=times, parameters=parameters, samples=samples, rtol=rtol)
        for i in indices:
            row, spec = rows[i], arms[rows[i]["id"]]
            at = dict(site=row["site"], time=row["time_years"])
            change = ds["bmd_change"]
            value = change.sel(arm=regimens[spec.therapies], **at)
            if row["metric"] == "difference_vs_comparator":
                value = value - change.sel(arm=regimens[spec.comparator], **at)
            elif row["metric"] == "pct_change_per_year":
                value = value / row["time_years"]
            out[:, i] = np.atleast_1d(value.values)
    return out if samples is not None else out[0]
