"""The scenario schema: pydantic models of a scenario file's tables, building the domain objects.

Every rule of the format is stated once, in the table modules this file assembles
(:mod:`~remodel.scenario.tables`, :mod:`~remodel.scenario.population`,
:mod:`~remodel.scenario.interventions`, :mod:`~remodel.scenario.clinical`; ``[sweep]``:
:mod:`remodel.sweep.table`): key names and kinds (``strict``: TOML's types, no
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

import difflib
import itertools
import math
import typing
from typing import Any

import pydantic
from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..bounds import field_range
from ..clinical.fracture import SHARED_FACTORS
from ..clinical.pathway import Pathway, StopRule, TreatmentRule
from ..mixture import Mixture
from ..model.physiology.body import weight_range
from ..populations import REFERENCE_AGE, Population
from ..regimen import Regimen, WeightChange
from .clinical import FractureRiskTable, MonitoringTable, RuleTable
from .errors import _without_none, key_path, locate, rule
from .interventions import (DAYS_PER_MONTH, DisuseTable, ExerciseTable, HabitsTable, NutritionTable, SupplementTable, TherapyTable,
                            WeightTable, dose_key)
from .population import MAX_YEARS, MIN_YEARS, PopulationTable, SimulationTable, merge_times, usable_parameter_sets
from .rules import check_combinations
from .tables import MAX_NAME_LENGTH, MAX_TITLE_LENGTH, FiniteNumber, Table, number, one_line_name

__all__ = ["SCHEMA_VERSION", "MAX_YEARS", "MIN_YEARS", "MAX_ARMS", "DAYS_PER_MONTH", "ScenarioFile", "Table",
           "catalogue", "dose_key", "merge_times", "number", "usable_parameter_sets"]

#: The scenario format version this schema reads.
SCHEMA_VERSION = 1
#: Most arms in one scenario (a factorial multiplies quickly; all arms are solved in one batch).
MAX_ARMS = 64


# ----------------------------------------------------------------------------------------------
# Arms and the file
# ----------------------------------------------------------------------------------------------

_ITEM_LISTS = ("therapies", "exercise", "disuse", "supplements")
_ITEM_TRAITS = ("nutrition", "habits", "weight")


class LevelTable(Table):
    """A factorial level: a name and arm items."""

    name: str = Field(description="a unique name")
    therapies: list[TherapyTable] = Field([], description="[[...therapies]] tables")
    exercise: list[ExerciseTable] = Field([], description="[[...exercise]] tables")
    disuse: list[DisuseTable] = Field([], description="[[...disuse]] tables: immobilisation, bed rest")
    nutrition: NutritionTable | None = Field(None, description="a [...nutrition] table")
    supplements: list[SupplementTable] = Field([], description="[[...supplements]] tables")
    habits: HabitsTable | None = Field(None, description="a [...habits] table")
    weight: WeightTable | None = Field(None, description="a [...weight] table: a change of body weight")
    monitoring: MonitoringTable | None = Field(None, description="a [...monitoring] table: DXA scans")
    rule: RuleTable | None = Field(None, description="a [...rule] table: a therapy started or stopped from what a "
                                                      "visit finds")
    rules: list[RuleTable] = Field([], description="[[...rules]] tables: several rules, evaluated in their order at "
                                                   "each visit (instead of [...rule])")

    @field_validator("name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return one_line_name(value, "name")

    def timed(self):
        """``(key, index, table)`` of every timed item."""
        return [(kind, i, item) for kind in _ITEM_LISTS for i, item in enumerate(getattr(self, kind))]


class ArmTable(LevelTable):
    """An ``[[arms]]`` table: a level with a description."""

    description: str = Field("", description="free text")


class MixTable(Table):
    """A ``[[mixes]]`` table: an arm made of other arms in stated shares (:mod:`remodel.mixture`)."""

    name: str = Field(description="a name unique among the arms and mixes")
    description: str = Field("", description="free text")
    shares: dict[str, FiniteNumber] = Field(
        description="a table of arm name = share of patients, > 0 and <= 1, adding up to 1")

    @field_validator("name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return one_line_name(value, "name")


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
    mixes: list[MixTable] = Field([], description="[[mixes]] tables: arms that are stated mixes of other arms")

    _arms: dict[str, Regimen] = PrivateAttr(default_factory=dict)
    _pathways: dict[str, Pathway] = PrivateAttr(default_factory=dict)
    _mixtures: dict[str, Mixture] = PrivateAttr(default_factory=dict)
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
        return one_line_name(value, "title", MAX_TITLE_LENGTH)

    @field_validator("factorial")
    @classmethod
    def _levels(cls, factors):
        if factors is None:
            return None
        if not factors:
            raise rule("no factors", "[[factorial.<factor>]] tables, one per level")
        for factor, levels in factors.items():
            one_line_name(factor, "factor name", MAX_NAME_LENGTH, factor)
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
        self._mix(origin)
        if self.fracture_risk is not None and self.simulation.patients is None:
            for name in SHARED_FACTORS:
                value = getattr(self.fracture_risk, name)
                if not isinstance(value, bool) and 0 < value < 1:
                    raise rule(f"a share of patients ({value:g}) in a run of one mean person",
                               "true or false, or a share with [simulation] patients (a cohort)", "fracture_risk", name)
        if self.sweep is not None:
            clinical = "a [...monitoring] or [...rule] table" if self._pathways else \
                "a [[mixes]] table" if self.mixes else \
                "[simulation] patients" if self.simulation.patients is not None else \
                "a [fracture_risk] table" if self.fracture_risk is not None else None
            if clinical is not None:
                raise rule(f"a sweep with {clinical}", "a sweep of arms without monitoring, rules, a cohort, "
                           "fracture risk or mixes", "sweep")
            self._sweep = self._sweep_table()
        return self

    def _mix(self, origin) -> None:
        """The ``[[mixes]]``: names unique among the arms and mixes, shares of existing arms."""
        if len(self._arms) + len(self.mixes) > MAX_ARMS:
            raise rule(f"{len(self._arms)} arms and {len(self.mixes)} mixes", f"at most {MAX_ARMS} arms and mixes in "
                       "one scenario", "mixes")
        for i, mix in enumerate(self.mixes):
            if mix.name in origin:
                raise rule(f"mix name {mix.name!r} repeats the arm or mix from {key_path(origin[mix.name])}",
                           "a name unique among the arms and mixes", "mixes", i, "name")
            origin[mix.name] = ("mixes", i)
            for arm, share in mix.shares.items():
                if not 0 < share <= 1:
                    raise rule(f"{share!r} is out of range", "a share of patients > 0 and <= 1", "mixes", i, "shares",
                               arm)
                if arm not in self._arms:
                    close = difflib.get_close_matches(arm, list(self._arms), n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise rule(f"unknown arm {arm!r}{hint}", "names of arms of the file: " + ", ".join(self._arms),
                               "mixes", i, "shares", arm)
            total = sum(mix.shares.values())
            if len(mix.shares) < 2 or not math.isclose(total, 1.0, abs_tol=1e-9):
                raise rule(f"{len(mix.shares)} arms with shares adding up to {total:g}",
                           "two or more arms whose shares add up to 1", "mixes", i, "shares")
            self._mixtures[mix.name] = Mixture(dict(mix.shares))

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
        """A weight change starts within the life history and the horizon, and its weights before and
        after are weights a population may have."""
        years = self.simulation.years
        history = REFERENCE_AGE - self.population.value.age
        if not history <= change.start_year < years:
            raise rule(f"starts at year {change.start_year:g}, outside the simulated life (from age {REFERENCE_AGE:g}) "
                       f"or at or after the horizon ({years:g} years)", f"{history:g} <= start_year < {years:g}", *loc,
                       "start_year")
        weight = self.population.value.weight_kg
        low, high, _ = field_range(Population, "weight_kg")
        before, after = weight_range(weight, change)
        if not (low <= before <= high and low <= after <= high):
            raise rule(f"{change.change_kg:+g} kg goes from {before:g} to {after:g} kg ([population] weight_kg "
                       f"{weight:g} at the start)", f"weights between {low:g} and {high:g} kg before and after the "
                       "change", *loc, "change_kg")

    def _pathway(self, name, tables, warnings) -> Pathway | None:
        """The clinical pathway of one arm: its monitoring (set by at most one of its tables) and its
        rules in file order (factor by factor), or None."""
        found = _traits(name, tables, ("monitoring",))
        years = self.simulation.years
        if "monitoring" in found:
            loc, monitoring = found["monitoring"]
            if monitoring.start_year >= years:
                raise rule(f"first scan at year {monitoring.start_year:g}, at or after the horizon ({years:g} years)",
                           f"0 <= start_year < {years:g}", *loc, "start_year")
        rules = []
        for loc, table in tables:
            if table.rule is not None and table.rules:
                raise rule("both rule and rules given", "[...rule] for one rule, or [[...rules]] for several", *loc,
                           "rules")
            rules += [((*loc, "rule"), table.rule.value)] if table.rule is not None else []
            rules += [((*loc, "rules", i), r.value) for i, r in enumerate(table.rules)]
        if not rules:
            return None if "monitoring" not in found else Pathway(found["monitoring"][1])
        if "monitoring" not in found:
            raise rule(f"arm {name!r} has a rule but no scans, so the rule can never fire",
                       "a [...monitoring] table in the same arm (or factorial arm) as the rule", *rules[0][0])
        monitoring = found["monitoring"][1]
        therapies = [((*tloc, kind, i), item.value) for tloc, table in tables for kind, i, item in table.timed()
                     if kind == "therapies"]
        taken = {t.drug for _, t in therapies} | {r.drug for _, r in rules if isinstance(r, TreatmentRule)}
        for loc, treatment in rules:
            if isinstance(treatment, StopRule):
                self._check_stop(name, loc, treatment, taken)
                continue
            if treatment.after_fracture and self.fracture_risk is None:
                raise rule("a rule after a fracture in a file without fracture risk factors",
                           "a [fracture_risk] table (the risk from which fractures are drawn)", *loc, "after_fracture")
            first = treatment.started(monitoring.scan_years(years)[0])
            found_warnings = []  # those of the arm's own therapies were issued with its regimen
            check_combinations(name, therapies + [((*loc, "therapy"), first)], self.population.value, years,
                               found_warnings)
            if warnings is not None:
                warnings.extend(w for w in found_warnings if w[0] == (*loc, "therapy"))
        return Pathway(monitoring, tuple(r for _, r in rules))

    def _check_stop(self, name, loc, stop: StopRule, taken) -> None:
        """A stop rule stops a drug the arm takes, within the horizon."""
        years = self.simulation.years
        if stop.drug not in taken:
            raise rule(f"arm {name!r} never takes {stop.drug}, so the rule can never fire", "a drug of the arm's "
                       f"therapies or started by one of its rules: {', '.join(sorted(taken)) or 'none'}", *loc, "drug")
        if stop.after_years is not None and stop.after_years >= years:
            raise rule(f"after {stop.after_years:g} years, at or after the horizon ({years:g} years), so the rule "
                       "can never fire", f"after_years < {years:g}", *loc, "after_years")

    @property
    def pathways(self) -> dict[str, "Pathway"]:
        """The clinical pathways (:class:`remodel.clinical.pathway.Pathway`) of the arms that have one."""
        return dict(self._pathways)

    @property
    def mixtures(self) -> dict[str, Mixture]:
        """The ``[[mixes]]`` (:class:`remodel.mixture.Mixture`) in file order."""
        return dict(self._mixtures)

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
