"""The scenario schema: pydantic models of a scenario file's tables, and the one-line error formatter.

Every rule of the format lives here, once: key names and kinds (``strict``: TOML's types, no
coercion), unknown keys (``extra="forbid"``), ranges (read from the domain dataclasses' own
:func:`~remodel.bounds.bounded` declarations) and the cross-field rules (windows, the horizon,
arm names, factorial combinations, drugs that do not go together). A broken cross-field rule
raises :func:`rule`, which carries its key path as data; :func:`explain` turns the first error of
a :class:`pydantic.ValidationError` into ``(key path, problem, allowed)`` from the error's
``loc`` and the schema's field descriptions, for any model (the ``[sweep]`` table can use it too).
Each table model builds its domain object (:class:`~remodel.Population`,
:class:`~remodel.Therapy`, :class:`~remodel.Exercise`, ...) once it is valid.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import itertools
import json
import math
import re
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, create_model,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

from ..bounds import field_range
from ..parameters import parameter_set, parameter_set_names
from ..populations import POPULATIONS, SITES, Population
from ..regimen import EXERCISE_MODALITIES, Exercise, Habits, Nutrition, Regimen, Supplement
from ..therapies import DRUGS, Therapy

__all__ = ["SCHEMA_VERSION", "MAX_YEARS", "MIN_YEARS", "MAX_ARMS", "DAYS_PER_MONTH", "ScenarioFile", "dose_key",
           "explain", "key_path", "rule"]

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
#: Parameter set of a scenario that names none.
DEFAULT_PARAMETER_SET = "Remodel2026"


# ----------------------------------------------------------------------------------------------
# Errors: a rule carries its key path; explain() words any error of the schema
# ----------------------------------------------------------------------------------------------

def rule(problem: str, allowed: str, *key) -> PydanticCustomError:
    """A broken rule at ``key`` (a key path relative to the table being validated), to raise in a
    validator: pydantic reports it at the table's ``loc``, :func:`explain` appends ``key``."""
    return PydanticCustomError("scenario_rule", "{problem}", {"problem": problem, "allowed": allowed, "key": key})


def key_path(loc) -> str:
    """``("arms", 0, "therapies", 1, "drug")`` -> ``arms[0].therapies[1].drug`` (keys that are not
    bare TOML keys quoted)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part)
            path = f"{path}.{part}" if path else part
    return path or "(document)"


def _without_none(annotation):
    """``X`` of ``X | None``; other annotations unchanged."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 else annotation


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _lookup(model: type[BaseModel], loc):
    """``(annotation, field)`` at ``loc`` in ``model`` (field None for array items, table values
    and keys the model does not have)."""
    annotation, field = model, None
    for part in loc:
        annotation = _without_none(annotation)
        if _is_model(annotation):
            field = annotation.model_fields.get(part)
            annotation = None if field is None else field.annotation
        else:
            args = typing.get_args(annotation)
            annotation, field = (args[-1] if args else None), None
    return _without_none(annotation), field


#: Python type of a TOML value -> (one, many) in a TOML user's words.
_KINDS = {str: ("a string", "strings"), int: ("an integer", "integers"), float: ("a finite number", "finite numbers"),
          bool: ("a boolean", "booleans")}


def describe(value) -> str:
    """A TOML value as an error message names it: its kind, and for scalars the value."""
    if isinstance(value, (dict, list)):
        return "a table" if isinstance(value, dict) else "an array"
    kind = "a number" if type(value) is float else _KINDS.get(type(value), (f"a {type(value).__name__}",))[0]
    return f"{kind} ({json.dumps(value) if isinstance(value, (str, bool)) else value!s})"




def _kind(annotation) -> str:
    """What a value of ``annotation`` is, in a TOML user's words."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin is Literal:
        return "one of " + ", ".join(map(str, typing.get_args(annotation)))
    if origin is list:
        item = typing.get_args(annotation)[0]
        item = typing.get_args(item)[0] if typing.get_origin(item) is typing.Annotated else item
        return "an array of tables ([[...]])" if _is_model(item) else f"an array of {_KINDS.get(item, ('', 'values'))[1]}"
    if _is_model(annotation) or origin is dict:
        return "a table"
    return _KINDS.get(annotation, ("a value",))[0]


def explain(error: ValidationError, model: type[BaseModel], prefix=()) -> tuple[str, str, str]:
    """``(key path, problem, allowed)`` of the first error of ``error`` raised by ``model``.

    Unknown keys come first (a misspelt key also makes the intended one missing). ``prefix``
    is prepended to the key path (the table's own path when ``model`` validated a sub-table).
    """
    first = min(error.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    kind, loc, value, ctx = first["type"], tuple(first["loc"]), first.get("input"), first.get("ctx", {})
    if kind == "scenario_rule":
        return key_path(prefix + loc + tuple(ctx["key"])), ctx["problem"], ctx["allowed"]
    annotation, field = _lookup(model, loc)
    described = field.description if field is not None and field.description else _kind(annotation)
    key = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        owner, _ = _lookup(model, loc[:-1])
        known = list(owner.model_fields) if _is_model(owner) else []
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problem, allowed = f"unknown key {key!r}{hint}", ", ".join(known)
    elif kind == "missing":
        problem, allowed = "missing required key", f"{key}: {described}"
    elif kind == "literal_error":
        choices = [str(c) for c in typing.get_args(annotation)]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        named = json.dumps(value) if isinstance(value, str) else describe(value)
        problem, allowed = f"unknown {str(key).replace('_', ' ')} {named}{hint}", ", ".join(choices)
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        problem, allowed = f"{value!r} is out of range", described
    elif kind == "value_error":  # a domain check the schema's own rules missed
        problem, allowed = str(ctx["error"]), described
    elif kind in ("too_long", "too_short"):
        problem, allowed = f"{ctx['actual_length']} items", described
    else:  # a value of the wrong kind (string for a number, array for a table, inf, ...)
        problem, allowed = f"expected {_kind(annotation)}, got {describe(value)}", described
    return key_path(prefix + loc), problem, allowed


# ----------------------------------------------------------------------------------------------
# Building blocks
# ----------------------------------------------------------------------------------------------

def _bounds_text(ge=None, gt=None, le=None, units="") -> str:
    low = f">= {ge:g}" if ge is not None else f"> {gt:g}" if gt is not None else ""
    if ge is not None and le is not None:
        text = f"between {ge:g} and {le:g}"
    else:
        text = " and ".join(t for t in (low, "" if le is None else f"<= {le:g}") if t)
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


class Table(BaseModel):
    """A TOML table of the format: TOML's types only, unknown keys are errors."""

    model_config = ConfigDict(strict=True, extra="forbid")


class DomainTable(Table):
    """A table that becomes a domain object. ``check`` states the cross-field rules; the object
    is built as soon as the table is valid, so that a domain check the rules missed still names
    this table."""

    _value: Any = PrivateAttr(None)

    def check(self) -> None:
        """Raise :func:`rule` for a broken cross-field rule."""

    def build(self):
        """The domain object of this (valid) table."""
        raise NotImplementedError

    def given(self, *skip) -> dict:
        """The keys the file gives (the domain defaults apply to the rest)."""
        return {k: getattr(self, k) for k in self.model_fields_set if k not in skip}

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


class NutritionTable(_bounded_fields(Nutrition, DomainTable)):
    """``[...nutrition]``: fields of :class:`remodel.Nutrition` (usual diet)."""

    def build(self) -> Nutrition:
        return Nutrition(**self.given())


class HabitsTable(_bounded_fields(Habits, DomainTable)):
    """``[...habits]``: fields of :class:`remodel.Habits`."""

    def build(self) -> Habits:
        return Habits(**self.given())


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
                       dose=getattr(self, dose_key(self.drug)), interval_days=interval)


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
_ITEM_TRAITS = ("nutrition", "habits")


class LevelTable(Table):
    """A factorial level: a name and arm items."""

    name: str = Field(description="a unique name")
    therapies: list[TherapyTable] = Field([], description="[[...therapies]] tables")
    exercise: list[ExerciseTable] = Field([], description="[[...exercise]] tables")
    nutrition: NutritionTable | None = Field(None, description="a [...nutrition] table")
    supplements: list[SupplementTable] = Field([], description="[[...supplements]] tables")
    habits: HabitsTable | None = Field(None, description="a [...habits] table")

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
    sweep: dict[str, Any] | None = Field(None, description="[sweep]: a parameter sweep, read by remodel.sweep")

    _arms: dict[str, Regimen] = PrivateAttr(default_factory=dict)

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
        parts = [(arm.name, [(("arms", i), arm)]) for i, arm in enumerate(self.arms)]
        if self.factorial is not None:
            levels = [[(("factorial", f, i), level) for i, level in enumerate(v)] for f, v in self.factorial.items()]
            n = math.prod(map(len, levels))
            if n + len(parts) > MAX_ARMS:
                raise rule(f"{n} combinations (+ {len(parts)} explicit arms)", f"at most {MAX_ARMS} arms in one scenario",
                           "factorial")
            for combination in itertools.product(*levels):
                parts.append((" + ".join(level.name for _, level in combination), list(combination)))
        if not parts:
            raise rule("no arms", "one or more [[arms]] tables, or a [factorial] section", "arms")
        for _, tables in parts:
            for loc, table in tables:
                for kind, i, item in table.timed():
                    if item.start_year >= years:
                        raise rule(f"starts at year {item.start_year:g}, at or after the horizon ({years:g} years)",
                                   f"0 <= start_year < {years:g}", *loc, kind, i, "start_year")
        origin = {}
        for name, tables in parts:
            loc = tables[-1][0]
            if name in origin:
                raise rule(f"arm name {name!r} repeats the arm from {key_path(origin[name])}", "unique arm names",
                           *loc, "name")
            origin[name] = loc
            self._arms[name] = self._regimen(name, tables, info.context)
        return self

    def _regimen(self, name, tables, warnings) -> Regimen:
        """One arm from its tables (one explicit arm, or one level of each factor)."""
        items = {kind: [] for kind in _ITEM_LISTS}
        traits = {}
        for loc, table in tables:
            for kind, i, item in table.timed():
                items[kind].append(((*loc, kind, i), item.value))
            for kind in _ITEM_TRAITS:
                if getattr(table, kind) is not None:
                    if kind in traits:
                        raise rule(f"{kind} of arm {name!r} also set at {key_path(traits[kind][0])}",
                                   f"{kind} set by at most one level of each factorial arm", *loc, kind)
                    traits[kind] = ((*loc, kind), getattr(table, kind).value)
        _check_combinations(name, items["therapies"], self.population.value, self.simulation.years, warnings)
        return Regimen(**{k: tuple(v for _, v in items[k]) for k in _ITEM_LISTS},
                       **{k: v for k, (_, v) in traits.items()})

    @property
    def regimens(self) -> dict[str, Regimen]:
        """Arms in file order: explicit ``[[arms]]`` first, then the factorial combinations."""
        return dict(self._arms)


def _overlap(a: Therapy, b: Therapy):
    """Overlap ``(from, to)`` of two therapies' windows, or None."""
    low, high = max(a.start_year, b.start_year), min(a.stop, b.stop)
    return (low, high) if low < high else None


def _check_combinations(name, therapies, population: Population, years, warnings) -> None:
    """Reject (or warn about) therapies that do not go together.

    Rejected, because no clinical protocol combines them or the model would silently ignore them:
    * two drugs of the same class at the same time (two aromatase inhibitors, two
      bisphosphonates, a drug listed twice): duplicate therapy; the model would add the effects;
    * an aromatase inhibitor in a premenopausal woman without ovarian suppression: contraindicated
      (functioning ovaries escape inhibition, with a reflex gonadotropin rise); trials such as
      ABCSG-12 and SOFT/TEXT always combine it with ovarian suppression;
    * testosterone therapy in women and ovarian suppression in men: not modelled (the model
      would silently show no effect).
    Warned (``(loc, message)`` appended to ``warnings``), because it is clinically possible though
    not recommended:
    * tamoxifen with an aromatase inhibitor: the ATAC trial had a combination arm (closed early
      for lack of benefit), so a researcher may want to simulate it.
    """
    female = population.sex == "female"
    for (la, a), (lb, b) in itertools.combinations(therapies, 2):
        both = _overlap(a, b)
        if both is None or both[0] >= years:
            continue
        when = f"from year {both[0]:g}" + ("" if math.isinf(both[1]) else f" to {min(both[1], years):g}")
        if a.action == b.action:
            what = "the same drug twice" if a.drug == b.drug else f"two {a.action.replace('_', ' ')}s"
            raise rule(f"{b.drug} overlaps {a.drug} ({key_path(la)}) in arm {name!r} {when}: {what} at the same time",
                       f"one {a.action.replace('_', ' ')} at a time (stop one before the next starts)", *lb, "drug")
        if {a.action, b.action} == {"serm", "aromatase_inhibitor"} and warnings is not None:
            warnings.append((lb, f"{b.drug} with {a.drug} ({key_path(la)}) in arm {name!r} {when}: tamoxifen with an "
                                 "aromatase inhibitor is not recommended (ATAC combination arm: no benefit over "
                                 "anastrozole alone)"))
    for loc, therapy in therapies:
        if therapy.action == "androgen" and female:
            raise rule("testosterone therapy in a woman is not modelled", "testosterone therapy for men", *loc, "drug")
        if therapy.action == "ovarian_suppression" and not female:
            raise rule(f"{therapy.drug} (ovarian suppression) in a man is not modelled", "ovarian suppression for women",
                       *loc, "drug")
        if therapy.action == "aromatase_inhibitor" and female:
            premenopausal_until = min(population.menopause_age - population.age, years)
            need = (therapy.start_year, min(therapy.stop, premenopausal_until))
            if need[0] < need[1]:
                covered = need[0]
                for start, stop in sorted((t.start_year, t.stop) for _, t in therapies
                                          if t.action == "ovarian_suppression"):
                    if start <= covered < stop:
                        covered = stop
                if covered < need[1]:
                    raise rule(f"{therapy.drug} in arm {name!r} in a premenopausal woman (menopause at age "
                               f"{population.menopause_age:g}) without ovarian suppression from year {covered:g}",
                               "an aromatase inhibitor with ovarian suppression (e.g. goserelin) covering the "
                               "premenopausal years", *loc, "drug")
