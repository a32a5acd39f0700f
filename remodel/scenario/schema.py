"""The scenario schema: pydantic models of a scenario file's tables, building the domain objects.

Every rule of the format is stated here once: key names and kinds (``strict``: TOML's types, no
coercion), unknown keys (``extra="forbid"``), ranges (read from the domain dataclasses' own
:func:`~remodel.bounds.bounded` declarations) and the cross-field rules (windows, the horizon,
arm names, factorial combinations, and through :mod:`~remodel.scenario.rules` the drugs that do
not go together). Field descriptions say what is allowed; a broken cross-field rule raises
:func:`~remodel.scenario.errors.rule` with its key path, and
:func:`~remodel.scenario.errors.explain` words any error. Each table model builds its domain
object (:class:`~remodel.Population`, :class:`~remodel.Therapy`, :class:`~remodel.Exercise`, ...)
once it is valid.
"""

from __future__ import annotations

from abc import abstractmethod

import dataclasses
import functools
import itertools
import math
import typing
from typing import Annotated, Any, Literal

import pydantic
from pydantic import (ConfigDict, Field, PrivateAttr, ValidationInfo, create_model, field_validator,
                      model_validator)
from pydantic_core import PydanticCustomError

from ..bounds import field_range
from ..clinical.dxa import Monitoring
from ..clinical.fracture import FractureInputs
from ..clinical.pathway import Pathway, TreatmentRule
from ..parameters import parameter_set, parameter_set_names
from ..model.timing import MAX_HISTORY_YEARS
from ..populations import POPULATIONS, REFERENCE_AGE, SITES, Population
from ..regimen import EXERCISE_MODALITIES, Exercise, Habits, Nutrition, Regimen, Supplement, WeightChange
from ..therapies import DRUGS, SELF_ADMINISTERED, Therapy
from .errors import _without_none, key_path, locate, rule
from .rules import check_combinations

__all__ = ["SCHEMA_VERSION", "MAX_YEARS", "MIN_YEARS", "MAX_ARMS", "DAYS_PER_MONTH", "ScenarioFile", "Table",
           "dose_key", "number"]

#: The scenario format version this schema reads.
SCHEMA_VERSION = 1
#: Horizon bounds (years): the ageing drivers are not meant for longer, a remodelling cycle is
#: months long.
MIN_YEARS, MAX_YEARS = 0.1, 100.0
#: Most arms in one scenario (a factorial multiplies quickly; all arms are solved in one batch).
MAX_ARMS = 64
#: Longest name of an arm or of a factorial factor or level, and longest title (characters).
MAX_NAME_LENGTH, MAX_TITLE_LENGTH = 120, 400
#: Days per month used to turn ``interval_months`` into the model's ``interval_days``.
DAYS_PER_MONTH = 365.25 / 12
#: Most virtual patients per arm in a scenario's cohort.
MAX_PATIENTS = 100_000
#: Parameter set of a scenario that names none.
DEFAULT_PARAMETER_SET = "Remodel2026"


# ----------------------------------------------------------------------------------------------
# Building blocks
# ----------------------------------------------------------------------------------------------

def _shown(value) -> str:
    """A bound as written in a message: integers with thousands separators, others as ``:g``."""
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _bounds_text(ge=None, gt=None, le=None, units="") -> str:
    """``between 0 and 21``, ``>= 0``, ``> 0 and <= 0.01``, followed by the units."""
    low = f">= {_shown(ge)}" if ge is not None else f"> {_shown(gt)}" if gt is not None else ""
    if ge is not None and le is not None:
        text = f"between {_shown(ge)} and {_shown(le)}"
    else:
        text = " and ".join(t for t in (low, "" if le is None else f"<= {_shown(le)}") if t)
    return f"{text} {units}".strip()


def number(meaning: str, default=..., *, ge=None, gt=None, le=None, units="") -> Any:
    """A finite number field; its description (the ``allowed`` of its errors) states the range."""
    bounds = _bounds_text(ge, gt, le, units)
    return Field(default, ge=ge, gt=gt, le=le, allow_inf_nan=False,
                 description=f"{meaning}, {bounds}" if bounds else meaning)


def bounded_number(cls, name: str, meaning: str, default=...) -> Any:
    """A number field with the range the domain dataclass ``cls`` declares for ``name``."""
    low, high, units = field_range(cls, name)
    return number(meaning, default, ge=low, le=high, units=units)


FiniteNumber = Annotated[float, Field(allow_inf_nan=False)]


def _name(value: str, what: str, longest: int = MAX_NAME_LENGTH, *key) -> str:
    """A stripped one-line name (arm, factor, level, title) of at most ``longest`` characters
    (``key``: where the name is, relative to the table validated)."""
    value = value.strip()
    if not value:
        raise rule("empty name", f"a non-empty {what}", *key)
    if not value.isprintable():
        bad = next(c for c in value if not c.isprintable())
        raise rule(f"name contains the control character {bad!r}", f"a {what} of printable characters", *key)
    if len(value) > longest:
        raise rule(f"{len(value)} characters", f"a {what} of at most {longest} characters", *key)
    return value


class Table(pydantic.BaseModel):
    """A TOML table of the format: TOML's types only, unknown keys are errors."""

    model_config = ConfigDict(strict=True, extra="forbid")


class DomainTable(Table):
    """A table that becomes a domain object. ``check`` states the cross-field rules; the object
    is built as soon as the table is valid, so that a domain check the rules missed still names
    this table."""

    _value: Any = PrivateAttr(None)

    def check(self) -> None:
        """Raise :func:`rule` for a broken cross-field rule."""

    @abstractmethod
    def build(self):
        """The domain object of this (valid) table."""

    def given(self) -> dict:
        """The keys the file gives (the domain defaults apply to the rest)."""
        return {k: getattr(self, k) for k in self.model_fields_set}

    @model_validator(mode="after")
    def _check_and_build(self):
        self.check()
        self._value = self.build()
        return self

    @property
    def value(self):
        """The domain object."""
        return self._value


class TimedTable(DomainTable):
    """An intervention with a window ``[start_year, stop_year)``."""

    start_year: float = number("years since the simulation start", 0.0, ge=0)
    stop_year: float | None = number("years since the simulation start, after start_year (omit: never stops)", None)

    def check(self) -> None:
        if self.stop_year is not None and not self.stop_year > self.start_year:
            raise rule(f"stop_year ({self.stop_year:g}) is not after start_year ({self.start_year:g})",
                       "stop_year after start_year (omit: never stops)", "stop_year")


def _bounded_fields(cls, base: type[Table]) -> type[Table]:
    """A table model with one number field per :func:`~remodel.bounds.bounded` field of dataclass
    ``cls`` (the domain default when omitted), on ``base``."""
    fields = {}
    for f in dataclasses.fields(cls):
        if "range" in f.metadata and f.name not in base.model_fields:
            default = ... if f.default is dataclasses.MISSING else f.default
            annotation = float if default is ... or default is not None else float | None
            fields[f.name] = (annotation, bounded_number(cls, f.name, f.name.replace("_", " "), default))
    return create_model(f"_{cls.__name__}Fields", __base__=base, **fields)


# ----------------------------------------------------------------------------------------------
# Lifestyle
# ----------------------------------------------------------------------------------------------

class ExerciseTable(_bounded_fields(Exercise, TimedTable)):
    """``[[...exercise]]``: fields of :class:`remodel.Exercise`."""

    modality: Literal[tuple(EXERCISE_MODALITIES)] = Field(description="one of " + ", ".join(EXERCISE_MODALITIES))

    def check(self) -> None:
        super().check()
        if self.load_pct_1rm is not None and self.modality != "resistance":
            raise rule(f"load_pct_1rm given for {self.modality}", "load_pct_1rm for resistance training only",
                       "load_pct_1rm")

    def build(self) -> Exercise:
        return Exercise(**self.given())


class SupplementTable(_bounded_fields(Supplement, TimedTable)):
    """``[[...supplements]]``: fields of :class:`remodel.Supplement`."""

    def build(self) -> Supplement:
        return Supplement(**self.given())


class ExposureTable(DomainTable):
    """A diet or habits table: lifelong, or from ``start_year`` to ``stop_year`` (fields of
    :class:`remodel.regimen.Exposure`)."""

    def check(self) -> None:
        if None not in (self.start_year, self.stop_year) and not self.stop_year > self.start_year:
            raise rule(f"stop_year ({self.stop_year:g}) is not after start_year ({self.start_year:g})",
                       "stop_year after start_year (omit start_year: lifelong; omit stop_year: never stops)",
                       "stop_year")


class NutritionTable(_bounded_fields(Nutrition, ExposureTable)):
    """``[...nutrition]``: fields of :class:`remodel.Nutrition` (usual diet)."""

    def build(self) -> Nutrition:
        return Nutrition(**self.given())


class HabitsTable(_bounded_fields(Habits, ExposureTable)):
    """``[...habits]``: fields of :class:`remodel.Habits`."""

    def build(self) -> Habits:
        return Habits(**self.given())


class WeightTable(_bounded_fields(WeightChange, DomainTable)):
    """``[...weight]``: a change of body weight over a window, kept afterwards (fields of
    :class:`remodel.WeightChange`)."""

    change_kg: float = bounded_number(WeightChange, "change_kg", "change of body weight (negative: a loss)")
    start_year: float = bounded_number(WeightChange, "start_year", "year the change begins", 0.0)
    over_years: float = bounded_number(WeightChange, "over_years", "years over which the change happens", 1.0)

    def build(self) -> WeightChange:
        return WeightChange(**self.given())


# ----------------------------------------------------------------------------------------------
# Therapies
# ----------------------------------------------------------------------------------------------

def dose_key(drug: str) -> str:
    """Scenario key of a drug's dose, named after its units.

    ``mg/day`` -> ``dose_mg_per_day``, ``mg`` -> ``dose_mg``, ``mg/28 days`` ->
    ``dose_mg_per_28_days``; testosterone therapy is dosed by the serum level it maintains:
    ``ng/dL`` -> ``target_ng_per_dl``.
    """
    d = DRUGS[drug]
    slug = "_".join(d.dose_units.lower().replace("/", " per ").split())
    return ("target_" if d.action == "androgen" else "dose_") + slug


_DOSE_KEYS = sorted({dose_key(d) for d in DRUGS})
_DISCRETE_DRUGS = sorted(d for d in DRUGS if DRUGS[d].standard_interval_days is not None)
_INTERVAL_DAYS = field_range(Therapy, "interval_days")


class TherapyTable(create_model("_Doses", __base__=TimedTable, **{
        key: (float | None, number("a positive dose in the drug's units (see `remodel list`)", None))
        for key in _DOSE_KEYS})):
    """``[[...therapies]]``: a drug, its dose under the key named after its units (:func:`dose_key`),
    its window and, for discrete-dose drugs, its interval."""

    drug: Literal[tuple(sorted(DRUGS))] = Field(description="one of " + ", ".join(sorted(DRUGS)))
    start_year: float = number("years since the simulation start; negative: taken before it (therapy history)",
                               0.0, ge=-MAX_HISTORY_YEARS)
    stop_year: float | None = number("years since the simulation start, after start_year; <= 0: stopped before "
                                     "the start (omit: never stops)", None)
    adherence: float | None = number("fraction of the prescribed doses taken, for drugs the patient takes herself "
                                     f"({', '.join(SELF_ADMINISTERED)})", None, ge=0, le=1)
    interval_days: float | None = number("dosing interval of discrete-dose drugs", None, ge=_INTERVAL_DAYS[0],
                                         le=_INTERVAL_DAYS[1], units="days")
    interval_months: float | None = number("dosing interval of discrete-dose drugs", None,
                                           ge=round(_INTERVAL_DAYS[0] / DAYS_PER_MONTH, 3),
                                           le=round(_INTERVAL_DAYS[1] / DAYS_PER_MONTH, 3), units="months")

    def check(self) -> None:
        super().check()
        drug, key = DRUGS[self.drug], dose_key(self.drug)
        wrong = sorted(set(_DOSE_KEYS) & self.model_fields_set - {key})
        if wrong:
            raise rule(f"wrong dose key for {self.drug}, whose dose is in {drug.dose_units}",
                       f"{key} = <{drug.dose_units}>", wrong[0])
        dose = getattr(self, key)
        if dose is not None and not 0 < dose <= drug.max_dose:
            raise rule(f"{dose:g} {drug.dose_units} is out of range for {self.drug}",
                       f"a positive dose of at most {drug.max_dose:g} {drug.dose_units} "
                       f"(standard {drug.standard_dose:g})", key)
        if self.adherence is not None and not drug.self_administered:
            raise rule(f"adherence given for {self.drug}, whose doses the model does not count as taken by the patient",
                       f"adherence for {', '.join(SELF_ADMINISTERED)}", "adherence")
        given = [k for k in ("interval_days", "interval_months") if k in self.model_fields_set]
        if len(given) == 2:
            raise rule("both interval_days and interval_months given", "one of interval_days or interval_months",
                       "interval_months")
        if given and drug.standard_interval_days is None:
            raise rule(f"{self.drug} is taken continuously; a dosing interval applies to discrete-dose drugs only",
                       ", ".join(_DISCRETE_DRUGS), given[0])
        if self.interval_months is not None and not (
                _INTERVAL_DAYS[0] <= self.interval_months * DAYS_PER_MONTH <= _INTERVAL_DAYS[1]):
            raise rule(f"{self.interval_months!r} months is out of range",
                       type(self).model_fields["interval_months"].description, "interval_months")

    def build(self) -> Therapy:
        interval = self.interval_days if self.interval_months is None else self.interval_months * DAYS_PER_MONTH
        return Therapy(self.drug, start_year=self.start_year, stop_year=self.stop_year,
                       dose=getattr(self, dose_key(self.drug)), interval_days=interval,
                       adherence=1.0 if self.adherence is None else self.adherence)


# ----------------------------------------------------------------------------------------------
# The clinical pathway: DXA monitoring, a treatment rule, fracture risk
# ----------------------------------------------------------------------------------------------

class MonitoringTable(_bounded_fields(Monitoring, DomainTable)):
    """``[...monitoring]``: DXA scans at ``start_year`` and every ``interval_months`` to the horizon
    (fields of :class:`remodel.clinical.dxa.Monitoring`)."""

    interval_months: float = bounded_number(Monitoring, "interval_months", "months between DXA scans", 24.0)
    start_year: float = bounded_number(Monitoring, "start_year", "year of the first (baseline) scan", 0.0)

    def build(self) -> Monitoring:
        return Monitoring(**self.given())


#: Lowest T-score threshold of a rule: the Population's baseline T-scores go down to -6, so a
#: threshold at or below -5 would practically never fire.
_RULE_T_SCORE = (-5.0, 4.0)


class RuleTable(DomainTable):
    """``[...rule]``: start ``[...rule.therapy]`` at the first scan whose measurement meets the rule
    (:class:`remodel.clinical.pathway.TreatmentRule`)."""

    site: Literal[("any", *SITES)] = Field("any", description="any (any site) or one of " + ", ".join(SITES))
    t_score_below: float | None = number("start when the measured T-score is below this", None,
                                         gt=_RULE_T_SCORE[0], le=_RULE_T_SCORE[1])
    significant_loss: bool = Field(False, description="start when the measured BMD has fallen from the baseline "
                                                      "scan by at least the least significant change (true/false)")
    duration_years: float | None = number("how long the therapy is taken (omit: to the horizon)", None, gt=0,
                                          le=MAX_YEARS, units="years")
    therapy: TherapyTable = Field(description="the therapy started: keys of [[...therapies]] without "
                                              "start_year and stop_year")

    def check(self) -> None:
        if self.t_score_below is None and not self.significant_loss:
            raise rule("the rule has no condition and can never fire",
                       "t_score_below = <T-score> and/or significant_loss = true", "t_score_below")
        timed = sorted({"start_year", "stop_year"} & self.therapy.model_fields_set)
        if timed:
            raise rule(f"{timed[0]} given for the therapy of a rule", "no start_year or stop_year: the therapy "
                       "starts at the scan where the rule fires (duration_years sets how long)", "therapy", timed[0])

    def build(self) -> TreatmentRule:
        return TreatmentRule(self.therapy.value, t_score_below=self.t_score_below,
                             significant_loss=self.significant_loss, site=self.site,
                             duration_years=self.duration_years)


class FractureRiskTable(_bounded_fields(FractureInputs, DomainTable)):
    """``[fracture_risk]``: report fracture probabilities (:mod:`remodel.clinical.fracture`) with
    these risk factors (fields of :class:`remodel.clinical.fracture.FractureInputs`)."""

    prior_fracture: bool = Field(False, description="a fragility fracture after the age of 50 (true/false)")
    fall_rate_ratio: float = bounded_number(FractureInputs, "fall_rate_ratio", "rate of falls relative to the "
                                            "reference population (1: usual), before balance training", 1.0)

    def build(self) -> FractureInputs:
        return FractureInputs(**self.given())


# ----------------------------------------------------------------------------------------------
# Population
# ----------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------
# Simulation
# ----------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------
# Arms and the file
# ----------------------------------------------------------------------------------------------

_ITEM_LISTS = ("therapies", "exercise", "supplements")
_ITEM_TRAITS = ("nutrition", "habits", "weight")
_PATHWAY_TRAITS = ("monitoring", "rule")


class LevelTable(Table):
    """A factorial level: a name and arm items."""

    name: str = Field(description="a unique name")
    therapies: list[TherapyTable] = Field([], description="[[...therapies]] tables")
    exercise: list[ExerciseTable] = Field([], description="[[...exercise]] tables")
    nutrition: NutritionTable | None = Field(None, description="a [...nutrition] table")
    supplements: list[SupplementTable] = Field([], description="[[...supplements]] tables")
    habits: HabitsTable | None = Field(None, description="a [...habits] table")
    weight: WeightTable | None = Field(None, description="a [...weight] table: a change of body weight")
    monitoring: MonitoringTable | None = Field(None, description="a [...monitoring] table: DXA scans")
    rule: RuleTable | None = Field(None, description="a [...rule] table: a therapy started from what a scan measures")

    @field_validator("name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return _name(value, "name")

    def timed(self):
        """``(key, index, table)`` of every timed item."""
        return [(kind, i, item) for kind in _ITEM_LISTS for i, item in enumerate(getattr(self, kind))]


class ArmTable(LevelTable):
    """An ``[[arms]]`` table: a level with a description."""

    description: str = Field("", description="free text")


def _traits(name, tables, kinds) -> dict:
    """``{kind: (key path, domain object)}`` of the tables of ``kinds`` (``nutrition``,
    ``monitoring``, ...) that arm ``name``'s tables set, each by at most one of them."""
    found = {}
    for loc, table in tables:
        for kind in kinds:
            if getattr(table, kind) is not None:
                if kind in found:
                    raise rule(f"{kind} of arm {name!r} also set at {key_path(found[kind][0])}",
                               f"{kind} set by at most one level of each factorial arm", *loc, kind)
                found[kind] = ((*loc, kind), getattr(table, kind).value)
    return found


class ScenarioFile(Table):
    """A whole scenario file. Validate with ``ScenarioFile.model_validate(doc, context=[])``: the
    context list receives ``(loc, message)`` of clinically unusual combinations (warnings)."""

    schema_version: int = Field(description=f"the version of the scenario format, {SCHEMA_VERSION}")
    title: str = Field(description="a one-line title")
    description: str = Field("", description="free text")
    population: PopulationTable = Field(description="[population]")
    simulation: SimulationTable = Field(description="[simulation]")
    arms: list[ArmTable] = Field([], max_length=MAX_ARMS, description=f"[[arms]] tables, at most {MAX_ARMS}")
    factorial: dict[str, list[LevelTable]] | None = Field(
        None, description="[factorial] with one array of level tables per factor")
    sweep: dict[str, Any] | None = Field(None, description="[sweep]: a parameter sweep (remodel.sweep.table)")
    fracture_risk: FractureRiskTable | None = Field(
        None, description="[fracture_risk]: report fracture probabilities with these risk factors")

    _arms: dict[str, Regimen] = PrivateAttr(default_factory=dict)
    _pathways: dict[str, Pathway] = PrivateAttr(default_factory=dict)
    _sweep: Any = PrivateAttr(None)

    @field_validator("schema_version")
    @classmethod
    def _supported(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise rule(f"unsupported schema version {value}", f"{SCHEMA_VERSION}")
        return value

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return _name(value, "title", MAX_TITLE_LENGTH)

    @field_validator("factorial")
    @classmethod
    def _levels(cls, factors):
        if factors is None:
            return None
        if not factors:
            raise rule("no factors", "[[factorial.<factor>]] tables, one per level")
        for factor, levels in factors.items():
            _name(factor, "factor name", MAX_NAME_LENGTH, factor)
            if not levels:
                raise rule("factor without levels", "one or more level tables", factor)
            seen = {}
            for i, level in enumerate(levels):
                if level.name in seen:
                    raise rule(f"level name {level.name!r} repeats {key_path(('factorial', factor, seen[level.name]))}",
                               "unique level names within a factor", factor, i, "name")
                seen[level.name] = i
        return factors

    @model_validator(mode="after")
    def _arms_rules(self, info: ValidationInfo):
        years = self.simulation.years
        explicit = [(("arms", i), arm) for i, arm in enumerate(self.arms)]
        levels = [[(("factorial", f, i), level) for i, level in enumerate(v)] for f, v in (self.factorial or {}).items()]
        for loc, table in explicit + [level for factor in levels for level in factor]:
            history = REFERENCE_AGE - self.population.value.age  # the life history starts at 30
            for kind, i, item in table.timed():
                if item.start_year >= years:
                    raise rule(f"starts at year {item.start_year:g}, at or after the horizon ({years:g} years)",
                               f"start_year < {years:g}", *loc, kind, i, "start_year")
                if item.start_year < history:
                    raise rule(f"starts at year {item.start_year:g}, before age {REFERENCE_AGE:g} where the simulated "
                               "life history begins", f"{history:g} <= start_year < {years:g}", *loc, kind, i,
                               "start_year")
        parts = [(arm.name, [(loc, arm)]) for loc, arm in explicit]
        if levels:
            n = math.prod(map(len, levels))
            if n + len(parts) > MAX_ARMS:
                raise rule(f"{n} combinations (+ {len(parts)} explicit arms)", f"at most {MAX_ARMS} arms in one scenario",
                           "factorial")
            for combination in itertools.product(*levels):
                parts.append((" + ".join(level.name for _, level in combination), list(combination)))
        if not parts:
            raise rule("no arms", "one or more [[arms]] tables, or a [factorial] section", "arms")
        origin = {}
        for name, tables in parts:
            loc = tables[-1][0]
            if name in origin:
                raise rule(f"arm name {name!r} repeats the arm from {key_path(origin[name])}", "unique arm names",
                           *loc, "name")
            origin[name] = loc
            self._arms[name] = self._regimen(name, tables, info.context)
            pathway = self._pathway(name, tables, info.context)
            if pathway is not None:
                self._pathways[name] = pathway
        if self.sweep is not None:
            clinical = "a [...monitoring] or [...rule] table" if self._pathways else \
                "[simulation] patients" if self.simulation.patients is not None else \
                "a [fracture_risk] table" if self.fracture_risk is not None else None
            if clinical is not None:
                raise rule(f"a sweep with {clinical}", "a sweep of arms without monitoring, rules, a cohort or "
                           "fracture risk", "sweep")
            self._sweep = self._sweep_table()
        return self

    def _sweep_table(self):
        """The ``[sweep]`` table validated by the sweep package's model, with the arms, horizon and
        parameter set of this file; its errors keep their key path under ``sweep``."""
        from ..sweep.table import SweepTable  # the sweep package's own table, imported by files that have one

        try:
            table = SweepTable.model_validate(self.sweep)
            table.resolve(self._arms, self.simulation.years, self.simulation.parameter_set)
        except pydantic.ValidationError as exc:
            key, problem, allowed = locate(exc, SweepTable)
            raise rule(problem, allowed, "sweep", *key) from None
        except PydanticCustomError as exc:
            raise rule(exc.context["problem"], exc.context["allowed"], "sweep", *exc.context["key"]) from None
        return table

    def _regimen(self, name, tables, warnings) -> Regimen:
        """One arm from its tables (one explicit arm, or one level of each factor)."""
        items = {kind: [] for kind in _ITEM_LISTS}
        for loc, table in tables:
            for kind, i, item in table.timed():
                items[kind].append(((*loc, kind, i), item.value))
        traits = _traits(name, tables, _ITEM_TRAITS)
        if "weight" in traits:
            self._check_weight(*traits["weight"])
        check_combinations(name, items["therapies"], self.population.value, self.simulation.years, warnings)
        return Regimen(**{k: tuple(v for _, v in items[k]) for k in _ITEM_LISTS},
                       **{k: v for k, (_, v) in traits.items()})

    def _check_weight(self, loc, change: WeightChange) -> None:
        """A weight change starts within the horizon and ends at a weight a population may have."""
        years = self.simulation.years
        if change.start_year >= years:
            raise rule(f"starts at year {change.start_year:g}, at or after the horizon ({years:g} years)",
                       f"start_year < {years:g}", *loc, "start_year")
        weight = self.population.value.weight_kg
        low, high, _ = field_range(Population, "weight_kg")
        if not low <= weight + change.change_kg <= high:
            raise rule(f"{weight:g} kg {change.change_kg:+g} kg ends at {weight + change.change_kg:g} kg",
                       f"a change to a weight between {low:g} and {high:g} kg "
                       f"({low - weight:+g} to {high - weight:+g} kg from [population] weight_kg)", *loc, "change_kg")

    def _pathway(self, name, tables, warnings) -> Pathway | None:
        """The clinical pathway of one arm (its monitoring and rule, each set by at most one of its
        tables), or None."""
        found = _traits(name, tables, _PATHWAY_TRAITS)
        years = self.simulation.years
        if "monitoring" in found:
            loc, monitoring = found["monitoring"]
            if monitoring.start_year >= years:
                raise rule(f"first scan at year {monitoring.start_year:g}, at or after the horizon ({years:g} years)",
                           f"0 <= start_year < {years:g}", *loc, "start_year")
        if "rule" not in found:
            return None if "monitoring" not in found else Pathway(found["monitoring"][1])
        loc, treatment = found["rule"]
        if "monitoring" not in found:
            raise rule(f"arm {name!r} has a rule but no scans, so the rule can never fire",
                       "a [...monitoring] table in the same arm (or factorial arm) as the rule", *loc)
        monitoring = found["monitoring"][1]
        first = treatment.started(monitoring.scan_years(years)[0])
        therapies = [((*tloc, kind, i), item.value) for tloc, table in tables for kind, i, item in table.timed()
                     if kind == "therapies"]
        found_warnings = []  # those of the arm's own therapies were issued with its regimen
        check_combinations(name, therapies + [((*loc, "therapy"), first)], self.population.value, years,
                           found_warnings)
        if warnings is not None:
            warnings.extend(w for w in found_warnings if w[0] == (*loc, "therapy"))
        return Pathway(monitoring, treatment)

    @property
    def pathways(self) -> dict[str, "Pathway"]:
        """The clinical pathways (:class:`remodel.clinical.pathway.Pathway`) of the arms that have one."""
        return dict(self._pathways)

    @property
    def sweep_table(self):
        """The validated ``[sweep]`` table (:class:`remodel.sweep.table.SweepTable`), or None."""
        return self._sweep

    @property
    def regimens(self) -> dict[str, Regimen]:
        """Arms in file order: explicit ``[[arms]]`` first, then the factorial combinations."""
        return dict(self._arms)


# ----------------------------------------------------------------------------------------------
# The catalogue of keys (``remodel list``)
# ----------------------------------------------------------------------------------------------

def _table_of(annotation):
    """``(model, is_array)`` if ``annotation`` is a table, an array of tables or a table of arrays of
    tables (``[factorial]``), else None."""
    annotation = _without_none(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation, False
    if origin is list and isinstance(args[0], type) and issubclass(args[0], pydantic.BaseModel):
        return args[0], True
    if origin is dict and typing.get_origin(args[1]) is list:
        return _table_of(args[1])
    return None


def catalogue(model: type[Table] = ScenarioFile, path: str = "", array: bool = False, tables=None,
              seen=None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every key of the scenario format, from the schema itself: ``[(table heading, [(key,
    description), ...]), ...]``, depth first; a description says what is allowed (kind, range,
    units). ``tables`` maps a key to the model of a table the schema keeps as a plain table
    (default ``sweep``: :class:`remodel.sweep.table.SweepTable`); a table whose model was listed
    already (``seen``: model -> heading) is named, not listed again."""
    if tables is None:
        from ..sweep.table import SweepTable

        tables = {"sweep": SweepTable}
    heading = f"[[{path}]]" if array else f"[{path}]" if path else "(top level)"
    seen = {} if seen is None else seen
    if model in seen:
        return [(heading, [("", f"the keys of {seen[model]}")])]
    seen[model] = heading
    keys, nested = [], []
    for key, field in model.model_fields.items():
        found = (tables[key], False) if key in tables else _table_of(field.annotation)
        if found is None:
            keys.append((key, field.description or ""))
            continue
        name = f"{path}.{key}" if path else key
        if key not in tables and typing.get_origin(_without_none(field.annotation)) is dict:
            name += ".<factor>"
        nested += catalogue(found[0], name, found[1], {}, seen)
    return ([(heading, keys)] if keys else []) + nested
