"""Scenario tables of who is simulated and for how long: ``[population]`` and ``[simulation]``."""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Literal

from pydantic import Field, create_model, model_validator

from ..bounds import field_range
from ..parameters import parameter_set, parameter_set_names
from ..populations import POPULATIONS, SITES, Population
from .errors import rule
from .tables import DomainTable, FiniteNumber, Table, bounded_number, number

__all__ = ["DEFAULT_PARAMETER_SET", "MAX_PATIENTS", "MAX_YEARS", "MIN_YEARS", "PopulationTable", "SimulationTable",
           "merge_times", "usable_parameter_sets"]

#: Horizon bounds (years): the ageing drivers are not meant for longer, a remodelling cycle is
#: months long.
MIN_YEARS, MAX_YEARS = 0.1, 100.0
#: Most virtual patients per arm in a scenario's cohort.
MAX_PATIENTS = 100_000
#: Parameter set of a scenario that names none.
DEFAULT_PARAMETER_SET = "Remodel2026"


def _site_table(name: str, label: str) -> type[Table]:
    """A table of site = value, with the range ``Population`` declares for ``name``."""
    low, high, units = field_range(Population, name)
    return create_model(f"_{name}", __base__=Table, **{
        site: (float | None, number(label, None, ge=low, le=high, units=units)) for site in SITES})


TScoresTable = _site_table("t_scores", "T-score")
BMDTable = _site_table("bmd_g_per_cm2", "BMD")


#: Scenario key -> Population field, where they differ.
_POPULATION_FIELDS = {"age_years": "age", "menopause_age_years": "menopause_age"}


class PopulationTable(DomainTable):
    """``[population]``: a preset, optionally overridden key by key, or explicit keys."""

    preset: Literal[tuple(POPULATIONS)] | None = Field(None, description="one of " + ", ".join(POPULATIONS))
    name: str = Field("custom", description="a short identifier")
    description: str = Field("", description="free text")
    sex: Literal["female", "male"] | None = Field(None, description="female or male")
    age_years: float | None = bounded_number(Population, "age", "age at the simulation start", None)
    menopause_age_years: float | None = bounded_number(
        Population, "menopause_age", "age at the final menstrual period (women)", None)
    testosterone_ng_per_dl: float | None = bounded_number(
        Population, "testosterone_ng_per_dl", "serum total testosterone (men)", None)
    weight_kg: float | None = bounded_number(Population, "weight_kg", "body weight", None)
    height_m: float | None = bounded_number(Population, "height_m", "height", None)
    t_scores: TScoresTable | None = Field(None, description="a table of site = T-score")
    bmd_g_per_cm2: BMDTable | None = Field(None, description="a table of site = BMD in g/cm2")

    def _fields(self) -> dict:
        """Population fields given by the file (sites tables as dicts of the sites given)."""
        given = {}
        for key in self.model_fields_set - {"preset"}:
            value = getattr(self, key)
            if isinstance(value, Table):
                value = {site: v for site, v in value.model_dump().items() if v is not None}
            given[_POPULATION_FIELDS.get(key, key)] = value
        return given

    def _resolved(self) -> dict:
        """Every Population field: the preset's overridden by the file's."""
        changes = self._fields()
        if self.preset is None:
            return {"name": self.name, "description": self.description, **changes}
        base = POPULATIONS[self.preset]
        for label in ("t_scores", "bmd_g_per_cm2"):
            if label in changes:
                changes[label] = {**getattr(base, label), **changes[label]}
        # switching the preset's sex drops the other sex's hormone field unless it is given
        if changes.get("sex", base.sex) != base.sex:
            changes.setdefault("menopause_age", None)
            changes.setdefault("testosterone_ng_per_dl", None)
        return {**dataclasses.asdict(base), **changes}

    def check(self) -> None:
        if self.preset is None:
            for key in ("sex", "age_years"):
                if getattr(self, key) is None:
                    raise rule("missing required key (no preset given)",
                               f"preset = one of {', '.join(POPULATIONS)}, or {key}: "
                               f"{type(self).model_fields[key].description}", key)
        fields = self._resolved()
        if fields["sex"] == "female":
            own, other, person, others = "menopause_age_years", "testosterone_ng_per_dl", "woman", "men"
        else:
            own, other, person, others = "testosterone_ng_per_dl", "menopause_age_years", "man", "women"
        if fields.get(_POPULATION_FIELDS.get(own, own)) is None:
            raise rule(f"missing required key for a {person}", f"{own}: {type(self).model_fields[own].description}", own)
        if fields.get(_POPULATION_FIELDS.get(other, other)) is not None:
            raise rule(f"{other} is for {others} only; omit it for a {person}", f"{other} for {others} only", other)

    def build(self) -> Population:
        return Population(**self._resolved())



@functools.cache
def usable_parameter_sets() -> tuple[str, ...]:
    """Parameter sets covering the whole model (not only the cell model)."""
    full = set(parameter_set(DEFAULT_PARAMETER_SET))
    return tuple(n for n in parameter_set_names() if full <= set(parameter_set(n)))


def merge_times(times, report_years, years) -> tuple[float, ...]:
    """Sorted union of output times, report years, 0 and the horizon (values within 1e-9 y merged)."""
    merged: list[float] = []
    for t in sorted({0.0, float(years), *map(float, times), *map(float, report_years)}):
        if 0.0 <= t <= years and not (merged and t - merged[-1] < 1e-9):
            merged.append(t)
    if years - merged[-1] < 1e-9:
        merged[-1] = float(years)
    return tuple(merged)


class SimulationTable(Table):
    """``[simulation]``: horizon, output times, parameter set and report years."""

    years: float = number("horizon in years", ge=MIN_YEARS, le=MAX_YEARS)
    output_step_months: float | None = number("output every so many months (default 1), within the horizon",
                                              None, ge=0.25)
    output_years: list[FiniteNumber] | None = Field(None, description="increasing output times in years within the horizon")
    parameter_set: str = Field(DEFAULT_PARAMETER_SET, description="a parameter set name (default Remodel2026)")
    report_years: list[FiniteNumber] | None = Field(
        None, description="increasing years tabulated by `remodel compare`, within the horizon")
    patients: int | None = Field(None, ge=1, le=MAX_PATIENTS, description=f"simulate each arm as a cohort of so many "
                                 f"virtual patients (remodel.cohort), 1 to {MAX_PATIENTS:,} (omit: one mean person)")
    seed: int = Field(0, ge=0, description="seed of the random draws (virtual patients, DXA measurement errors), "
                                           "an integer >= 0 (default 0)")

    @model_validator(mode="after")
    def _check(self):
        years = self.years
        if self.output_step_months is not None and self.output_years is not None:
            raise rule("both output_step_months and output_years given", "one of output_step_months or output_years",
                       "output_years")
        times = self.output_years
        if times is not None and (not times or any(b <= a for a, b in zip(times, times[1:]))
                                  or times[0] < 0 or times[-1] > years):
            raise rule(f"{times} is not an increasing list within the horizon", f"increasing years in [0, {years:g}]",
                       "output_years")
        step = self.output_step_months
        if step is not None and step > 12 * years:
            raise rule(f"step of {step:g} months", f"0.25 to {12 * years:g} months (the horizon)", "output_step_months")
        report = self.report_years
        if report is not None:
            outside = [y for y in report if not 0 < y <= years]
            if not report or outside:
                raise rule(f"{outside or 'empty list'} outside the horizon", f"increasing years in (0, {years:g}]",
                           "report_years")
            if any(b <= a for a, b in zip(report, report[1:])):
                raise rule(f"{report} is not increasing", f"increasing years in (0, {years:g}]", "report_years")
        if self.parameter_set not in usable_parameter_sets():
            problem = f"{self.parameter_set!r} covers only the cell model, not the drivers" \
                if self.parameter_set in parameter_set_names() else f"unknown parameter set {self.parameter_set!r}"
            raise rule(problem, ", ".join(usable_parameter_sets()), "parameter_set")
        return self

    def report(self) -> tuple[float, ...]:
        """Report years: as given, or 1, 2, 5, 10, 20, 50 within the horizon and the horizon."""
        if self.report_years is not None:
            return tuple(map(float, self.report_years))
        return tuple(y for y in (1.0, 2.0, 5.0, 10.0, 20.0, 50.0) if y < self.years) + (float(self.years),)

    def output_times(self) -> tuple[float, ...]:
        """Output times including 0, the horizon and the report years."""
        if self.output_years is not None:
            times = self.output_years
        else:
            step = 1.0 if self.output_step_months is None else self.output_step_months
            times = [k * step / 12 for k in range(math.floor(self.years * 12 / step + 1e-9) + 1)]
        return merge_times(times, self.report(), self.years)

