"""Scenario files: a population, a simulation horizon and arms of therapies and lifestyle, in TOML.

A scenario file is read with the standard library's :mod:`tomllib`, checked key by key and turned
into a :class:`Scenario`; :func:`run_scenario` simulates every arm in one batch. Every problem in a
file raises one :class:`ScenarioError` whose message is a single line::

    <file>: <key.path>: <problem>; allowed: <what>

Format (``schema_version = 1``; units are in the key names; unknown keys are errors)::

    schema_version = 1
    title = "..."
    description = "..."

    [population]                    # a preset, optionally overridden field by field,
    preset = "postmenopausal_woman" # or explicit: sex, age_years, menopause_age_years,
    age_years = 64                  # testosterone_ng_per_dl, weight_kg
    [population.t_scores]           # optional baseline per site (or [population.bmd_g_per_cm2])
    lumbar_spine = -1.2

    [simulation]
    years = 5                       # horizon, at most 100
    output_step_months = 1          # or output_years = [0, 0.5, 1, ...]
    parameter_set = "Remodel2026"
    report_years = [1, 2, 5]        # years tabulated by ``remodel compare``

    [[arms]]
    name = "anastrozole"
    [[arms.therapies]]
    drug = "anastrozole"
    dose_mg_per_day = 1             # dose key named after the drug's units, see dose_key()
    start_year = 0
    stop_year = 5
    [[arms.exercise]]               # fields of remodel.Exercise
    [arms.nutrition]                # fields of remodel.Nutrition (usual diet)
    [[arms.supplements]]            # fields of remodel.Supplement
    [arms.habits]                   # fields of remodel.Habits

    [[factorial.<factor name>]]     # one table per level: name + any arm items;
    name = "..."                    # arms = every combination of one level per factor,
                                    # named "level + level + ...", after the explicit arms
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import json
import math
import re
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .parameters import parameter_set as _parameter_set
from .parameters import parameter_set_names
from .populations import POPULATIONS, SITES, Population
from .regimen import EXERCISE_MODALITIES, Exercise, Habits, Nutrition, Regimen, Supplement
from .therapies import DRUGS, Therapy

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioWarning",
    "SCHEMA_VERSION",
    "dose_key",
    "load_scenario",
    "parse_scenario",
    "run_scenario",
    "crossing_years",
    "compare_rows",
]

#: The scenario format version this module reads.
SCHEMA_VERSION = 1
#: Longest horizon accepted (years); the model's ageing drivers are not meant for longer.
MAX_YEARS = 100.0
#: Most arms in one scenario (a factorial multiplies quickly; all arms are solved in one batch).
MAX_ARMS = 64
#: Days per month used to turn ``interval_months`` into the model's ``interval_days``.
DAYS_PER_MONTH = 365.25 / 12

WHO_CATEGORIES = ("normal", "osteopenia", "osteoporosis")


class ScenarioError(ValueError):
    """A scenario file is unreadable or invalid. The message is one line:
    ``<file>: <key.path>: <problem>; allowed: <what>``."""

    def __init__(self, source: str, path: str, problem: str, allowed: str):
        self.source, self.path, self.problem, self.allowed = str(source), path or "(document)", problem, allowed
        message = f"{self.source}: {self.path}: {problem}; allowed: {allowed}"
        super().__init__(" ".join(message.split()))


class ScenarioWarning(UserWarning):
    """A combination that is valid but clinically unusual (the message says why)."""


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: everything :func:`run_scenario` needs, plus the file text verbatim.

    Attributes
    ----------
    title, description : str
    population : Population
    arms : dict of str to Regimen
        Arms in file order: explicit ``[[arms]]`` first, then the factorial combinations.
    years : float
        Horizon in years.
    output_times : tuple of float
        Output times in years; always include 0, the horizon and the report years.
    parameter_set : str
        Name of the parameter set.
    report_years : tuple of float
        Years tabulated by ``remodel compare``.
    text : str
        The scenario file text, verbatim.
    source : str
        File name (or ``"<string>"``).
    warnings : tuple of str
        Clinically unusual combinations found while loading (also issued as ScenarioWarning).
    """

    title: str
    description: str
    population: Population
    arms: dict[str, Regimen]
    years: float
    output_times: tuple[float, ...]
    parameter_set: str
    report_years: tuple[float, ...]
    text: str
    source: str = "<string>"
    schema_version: int = SCHEMA_VERSION
    warnings: tuple[str, ...] = ()

    def with_report_years(self, years) -> "Scenario":
        """Copy reporting ``years`` instead (added to the output times).

        Raises
        ------
        ValueError
            If a year is outside ``(0, horizon]``.
        """
        years = tuple(float(y) for y in years)
        bad = [y for y in years if not (math.isfinite(y) and 0 < y <= self.years)]
        if bad or not years:
            raise ValueError(f"report years must be in (0, {self.years:g}] (the horizon), got {list(years) or 'none'}")
        return dataclasses.replace(self, report_years=years, output_times=_merge_times(self.output_times, years, self.years))


# ----------------------------------------------------------------------------------------------
# Keys of each table: kind, and for the error messages what a value means.
# ----------------------------------------------------------------------------------------------

_ROOT = {
    "schema_version": ("integer", f"{SCHEMA_VERSION}"),
    "title": ("string", "a one-line title"),
    "description": ("string", "free text"),
    "population": ("table", "[population]"),
    "simulation": ("table", "[simulation]"),
    "arms": ("tables", "[[arms]] tables"),
    "factorial": ("table", "[factorial] with one array of level tables per factor"),
    "sweep": ("table", "[sweep]: a parameter sweep, read by remodel.sweep.sweep_from_scenario"),
}
_POPULATION = {
    "preset": ("string", "one of " + ", ".join(POPULATIONS)),
    "name": ("string", "a short identifier"),
    "description": ("string", "free text"),
    "sex": ("string", "'female' or 'male'"),
    "age_years": ("number", "age at the simulation start, 30 to 100"),
    "menopause_age_years": ("number", "age at the final menstrual period (women), 35 to 65"),
    "testosterone_ng_per_dl": ("number", "serum total testosterone (men), 20 to 1500"),
    "weight_kg": ("number", "body weight, 30 to 250"),
    "t_scores": ("table", "a table of site = T-score"),
    "bmd_g_per_cm2": ("table", "a table of site = BMD in g/cm2"),
}
#: Scenario key -> Population field.
_POPULATION_FIELDS = {
    "name": "name", "description": "description", "sex": "sex", "age_years": "age",
    "menopause_age_years": "menopause_age", "testosterone_ng_per_dl": "testosterone_ng_per_dl",
    "weight_kg": "weight_kg", "t_scores": "t_scores", "bmd_g_per_cm2": "bmd_g_per_cm2",
}
_SIMULATION = {
    "years": ("number", f"horizon in years, > 0 and <= {MAX_YEARS:g}"),
    "output_step_months": ("number", "output every so many months (default 1)"),
    "output_years": ("numbers", "increasing output times in years within the horizon"),
    "parameter_set": ("string", "a parameter set name (default Remodel2026)"),
    "report_years": ("numbers", "years tabulated by `remodel compare`, within the horizon"),
}
_ARM_ITEMS = {
    "therapies": ("tables", "[[...therapies]] tables"),
    "exercise": ("tables", "[[...exercise]] tables"),
    "nutrition": ("table", "a [...nutrition] table"),
    "supplements": ("tables", "[[...supplements]] tables"),
    "habits": ("table", "a [...habits] table"),
}
_ARM = {"name": ("string", "a unique arm name"), "description": ("string", "free text"), **_ARM_ITEMS}
_THERAPY_BASE = {
    "drug": ("string", "one of " + ", ".join(sorted(DRUGS))),
    "start_year": ("number", "years since the simulation start, >= 0"),
    "stop_year": ("number", "years since the simulation start, after start_year (omit: never stops)"),
    "interval_days": ("number", "dosing interval of discrete-dose drugs, 1 to 3650 days"),
    "interval_months": ("number", "dosing interval of discrete-dose drugs in months"),
}


def dose_key(drug: str) -> str:
    """Scenario key of a drug's dose, named after its units.

    ``mg/day`` -> ``dose_mg_per_day``, ``mg`` -> ``dose_mg``, ``mg/28 days`` ->
    ``dose_mg_per_28_days``; testosterone therapy is dosed by the serum level it maintains:
    ``ng/dL`` -> ``target_ng_per_dl``.
    """
    d = DRUGS[drug]
    slug = "_".join(d.dose_units.lower().replace("/", " per ").split())
    return ("target_" if d.action == "androgen" else "dose_") + slug


def _dataclass_spec(cls) -> dict:
    """Keys of a regimen dataclass: its fields (strings stay strings, the rest are numbers)."""
    doc = {
        "modality": "one of " + ", ".join(EXERCISE_MODALITIES),
        "start_year": "years since the simulation start, >= 0",
        "stop_year": "years since the simulation start, after start_year (omit: never stops)",
    }
    return {
        f.name: ("string" if f.type == "str" else "number", doc.get(f.name, f"a number ({cls.__name__}.{f.name})"))
        for f in dataclasses.fields(cls)
    }


_ITEM_CLASSES = {"exercise": Exercise, "nutrition": Nutrition, "supplements": Supplement, "habits": Habits}


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------

def _describe(value) -> str:
    kind = {bool: "a boolean", str: "a string", int: "an integer", float: "a number", list: "an array",
            dict: "a table"}.get(type(value), f"a {type(value).__name__}")
    if isinstance(value, (dict, list)):
        return kind
    return f"{kind} ({json.dumps(value) if isinstance(value, (str, bool)) else value!s})"


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
    return f"{path}.{key}" if path else key


def _overlap(a, b):
    """Overlap of two [start, stop) windows (``None`` stop means never), or None."""
    lo = max(a[0], b[0])
    hi = min(math.inf if a[1] is None else a[1], math.inf if b[1] is None else b[1])
    return (lo, hi) if lo < hi else None


def _merge_times(times, report_years, years):
    """Sorted union of output times, report years, 0 and the horizon (values within 1e-9 y merged)."""
    merged: list[float] = []
    for t in sorted({0.0, float(years), *map(float, times), *map(float, report_years)}):
        if 0.0 <= t <= years and not (merged and t - merged[-1] < 1e-9):
            merged.append(t)
    if years - merged[-1] < 1e-9:
        merged[-1] = float(years)
    return tuple(merged)


def _split_message(message: str) -> tuple[str, str | None]:
    """Split a model ValueError into (problem, allowed) where the message says what is allowed."""
    for marker in ("; known drugs: ", "; known: ", "; available: ", "; sites: "):
        if marker in message:
            problem, allowed = message.split(marker, 1)
            return problem, allowed
    m = re.search(r"\bmust be (.+?)(?:, got .*)?$", message)
    if m:
        return message, m.group(1)
    return message, None


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.warnings: list[str] = []

    def error(self, path, problem, allowed):
        return ScenarioError(self.source, path, problem, allowed)

    # -- generic checks ------------------------------------------------------------------------
    def table(self, value, path, spec, required=()):
        """Check a table's keys and value kinds; returns it."""
        if not isinstance(value, dict):
            raise self.error(path, f"expected a table, got {_describe(value)}", "a table of " + ", ".join(spec))
        for key in value:
            if key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.error(_join(path, key), f"unknown key {key!r}{hint}", ", ".join(spec))
        for key in required:
            if key not in value:
                raise self.error(_join(path, key), "missing required key", f"{key}: {spec[key][1]}")
        for key, item in value.items():
            self.kind(item, _join(path, key), *spec[key])
        return value

    def kind(self, value, path, kind, meaning):
        ok = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
            "numbers": lambda v: isinstance(v, list)
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v),
            "table": lambda v: isinstance(v, dict),
            "tables": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
        }[kind]
        if not ok(value):
            expected = {
                "string": "a string", "integer": "an integer", "number": "a finite number",
                "numbers": "an array of finite numbers", "table": "a table",
                "tables": "an array of tables ([[...]])",
            }[kind]
            raise self.error(path, f"expected {expected}, got {_describe(value)}", meaning)

    def build(self, cls, path, key_of_field, **kwargs):
        """``cls(**kwargs)``; a ValueError becomes a ScenarioError at the offending key."""
        try:
            return cls(**kwargs)
        except ValueError as exc:
            message = str(exc)
            # the field named first in the message is the offending one ("stop_year (1) must be after start_year (2)")
            hits = []
            for name, key in key_of_field.items():
                m = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message)
                if m:
                    hits.append((m.start(), -len(name), key))
            where = _join(path, min(hits)[2]) if hits else path
            # drop the dataclass's own prefix ("exercise resistance: ", "population x: ")
            if ": " in message and hits and min(hits)[0] > message.index(": "):
                message = message.split(": ", 1)[1]
            problem, allowed = _split_message(message)
            raise self.error(where, problem, allowed or f"see help(remodel.{cls.__name__})") from None

    def window(self, item, path, years):
        start = item.get("start_year", 0.0)
        if start >= years:
            raise self.error(_join(path, "start_year"), f"starts at year {start:g}, at or after the horizon ({years:g} years)",
                             f"0 <= start_year < {years:g}")

    # -- sections ------------------------------------------------------------------------------
    def population(self, value):
        data = self.table(value, "population", _POPULATION)
        for label in ("t_scores", "bmd_g_per_cm2"):
            if label in data:
                meaning = "T-score" if label == "t_scores" else "BMD in g/cm2"
                self.table(data[label], f"population.{label}", {s: ("number", meaning) for s in SITES})
        if "preset" in data:
            if data["preset"] not in POPULATIONS:
                close = difflib.get_close_matches(data["preset"], list(POPULATIONS), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.error("population.preset", f"unknown population {data['preset']!r}{hint}", ", ".join(POPULATIONS))
            base = POPULATIONS[data["preset"]]
            changes = {_POPULATION_FIELDS[k]: v for k, v in data.items() if k != "preset"}
            for label in ("t_scores", "bmd_g_per_cm2"):
                if label in changes:
                    changes[label] = {**getattr(base, label), **changes[label]}
            # switching the preset's sex drops the other sex's hormone field unless it is given
            if changes.get("sex", base.sex) != base.sex:
                changes.setdefault("menopause_age", None)
                changes.setdefault("testosterone_ng_per_dl", None)
            kwargs = {**dataclasses.asdict(base), **changes}
        else:
            for key in ("sex", "age_years"):
                if key not in data:
                    raise self.error(f"population.{key}", "missing required key (no preset given)",
                                     f"preset = one of {', '.join(POPULATIONS)}, or {key}: {_POPULATION[key][1]}")
            kwargs = {_POPULATION_FIELDS[k]: v for k, v in data.items()}
            kwargs.setdefault("name", "custom")
        fields = {f: k for k, f in _POPULATION_FIELDS.items()}
        return self.build(Population, "population", fields, **kwargs)

    def simulation(self, value):
        data = self.table(value, "simulation", _SIMULATION, required=("years",))
        years = float(data["years"])
        if not 0 < years <= MAX_YEARS:
            raise self.error("simulation.years", f"horizon of {years:g} years", f"0 < years <= {MAX_YEARS:g}")
        if "output_step_months" in data and "output_years" in data:
            raise self.error("simulation.output_years", "both output_step_months and output_years given",
                             "one of output_step_months or output_years")
        if "output_years" in data:
            times = [float(t) for t in data["output_years"]]
            if not times or any(b <= a for a, b in zip(times, times[1:])) or times[0] < 0 or times[-1] > years:
                raise self.error("simulation.output_years", f"{times} is not an increasing list within the horizon",
                                 f"increasing years in [0, {years:g}]")
        else:
            step = float(data.get("output_step_months", 1.0))
            if not 0.25 <= step <= 12 * years:
                raise self.error("simulation.output_step_months", f"step of {step:g} months",
                                 f"0.25 to {12 * years:g} months (the horizon)")
            n = math.floor(years * 12 / step + 1e-9)
            times = [k * step / 12 for k in range(n + 1)]
        if "report_years" in data:
            report = [float(y) for y in data["report_years"]]
            bad = [y for y in report if not 0 < y <= years]
            if not report or bad:
                raise self.error("simulation.report_years", f"{bad or 'empty list'} outside the horizon",
                                 f"years in (0, {years:g}]")
        else:
            report = [y for y in (1.0, 2.0, 5.0, 10.0, 20.0, 50.0) if y < years] + [years]
        name = data.get("parameter_set", "Remodel2026")
        usable = [n for n in parameter_set_names() if set(_parameter_set("Remodel2026")) <= set(_parameter_set(n))]
        if name not in usable:
            known = f"{name!r} covers only the cell model, not the drivers" if name in parameter_set_names() \
                else f"unknown parameter set {name!r}"
            raise self.error("simulation.parameter_set", known, ", ".join(usable))
        return years, _merge_times(times, report, years), name, tuple(report)

    def therapy(self, value, path, years):
        if not isinstance(value, dict):
            self.kind(value, path, "table", "a therapy table")
        if "drug" not in value:
            raise self.error(_join(path, "drug"), "missing required key", "drug: " + _THERAPY_BASE["drug"][1])
        drug = value["drug"]
        self.kind(drug, _join(path, "drug"), *_THERAPY_BASE["drug"])
        if drug not in DRUGS:
            close = difflib.get_close_matches(drug, list(DRUGS), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(_join(path, "drug"), f"unknown drug {drug!r}{hint}", ", ".join(sorted(DRUGS)))
        dose = dose_key(drug)
        spec = {**_THERAPY_BASE, dose: ("number", f"dose in {DRUGS[drug].dose_units} (standard {DRUGS[drug].standard_dose:g})")}
        for key in value:
            if key not in spec and (key.startswith("dose_") or key.startswith("target_")):
                raise self.error(_join(path, key), f"wrong dose key for {drug}, whose dose is in {DRUGS[drug].dose_units}",
                                 f"{dose} = <{DRUGS[drug].dose_units}>")
        self.table(value, path, spec)
        if "interval_days" in value and "interval_months" in value:
            raise self.error(_join(path, "interval_months"), "both interval_days and interval_months given",
                             "one of interval_days or interval_months")
        self.window(value, path, years)
        interval = value.get("interval_days")
        if "interval_months" in value:
            interval = value["interval_months"] * DAYS_PER_MONTH
        keys = {"drug": "drug", "start_year": "start_year", "stop_year": "stop_year", "dose": dose,
                "interval_days": "interval_months" if "interval_months" in value else "interval_days"}
        return self.build(Therapy, path, keys, drug=drug, start_year=value.get("start_year", 0.0),
                          stop_year=value.get("stop_year"), dose=value.get(dose), interval_days=interval)

    def item(self, kind, value, path, years):
        cls = _ITEM_CLASSES[kind]
        spec = _dataclass_spec(cls)
        required = ("modality", "sessions_per_week") if cls is Exercise else ()
        data = self.table(value, path, spec, required=required)
        if "start_year" in spec:
            self.window(data, path, years)
        if cls is Exercise and data["modality"] not in EXERCISE_MODALITIES:
            close = difflib.get_close_matches(data["modality"], list(EXERCISE_MODALITIES), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(_join(path, "modality"), f"unknown exercise modality {data['modality']!r}{hint}",
                             ", ".join(EXERCISE_MODALITIES))
        return self.build(cls, path, {k: k for k in spec}, **data)

    def arm_part(self, value, path, years, spec):
        """A partial arm (an ``[[arms]]`` entry or a factorial level): items with their paths."""
        data = self.table(value, path, spec, required=("name",))
        if not data["name"].strip():
            raise self.error(_join(path, "name"), "empty name", "a non-empty, unique name")
        part = {"therapies": [], "exercise": [], "supplements": [], "nutrition": None, "habits": None}
        for i, item in enumerate(data.get("therapies", [])):
            p = _join(_join(path, "therapies"), i)
            part["therapies"].append((self.therapy(item, p, years), p))
        for kind in ("exercise", "supplements"):
            for i, item in enumerate(data.get(kind, [])):
                p = _join(_join(path, kind), i)
                part[kind].append((self.item(kind, item, p, years), p))
        for kind in ("nutrition", "habits"):
            if kind in data:
                p = _join(path, kind)
                part[kind] = (self.item(kind, data[kind], p, years), p)
        return data["name"].strip(), part

    def combine(self, name, parts):
        """One arm from partial arms (a factorial combination, or one explicit arm)."""
        items = {"therapies": [], "exercise": [], "supplements": [], "nutrition": None, "habits": None}
        for part in parts:
            for kind in ("therapies", "exercise", "supplements"):
                items[kind] += part[kind]
            for kind in ("nutrition", "habits"):
                if part[kind] is not None:
                    if items[kind] is not None:
                        raise self.error(part[kind][1], f"{kind} of arm {name!r} also set at {items[kind][1]}",
                                         f"{kind} set by at most one level of each factorial arm")
                    items[kind] = part[kind]
        return items

    def conflicts(self, name, therapies, population, years):
        """Reject (or warn about) therapies that do not go together.

        Rejected, because no clinical protocol combines them or the model would silently ignore them:
        * two drugs of the same class at the same time (two aromatase inhibitors, two
          bisphosphonates, a drug listed twice): duplicate therapy; the model would add the effects;
        * an aromatase inhibitor in a premenopausal woman without ovarian suppression: contraindicated
          (functioning ovaries escape inhibition, with a reflex gonadotropin rise); trials such as
          ABCSG-12 and SOFT/TEXT always combine it with ovarian suppression;
        * testosterone therapy in women and ovarian suppression in men: not modelled (the model
          would silently show no effect).
        Warned, because it is clinically possible though not recommended:
        * tamoxifen with an aromatase inhibitor: the ATAC trial had a combination arm (closed early
          for lack of benefit), so a researcher may want to simulate it.
        """
        female = population.sex == "female"
        for (a, pa), (b, pb) in itertools.combinations(therapies, 2):
            both = _overlap((a.start_year, a.stop_year), (b.start_year, b.stop_year))
            if both is None or both[0] >= years:
                continue
            when = f"from year {both[0]:g}" + ("" if math.isinf(both[1]) else f" to {min(both[1], years):g}")
            if a.action == b.action:
                what = "the same drug twice" if a.drug == b.drug else f"two {a.action.replace('_', ' ')}s"
                raise self.error(_join(pb, "drug"), f"{b.drug} overlaps {a.drug} ({pa}) in arm {name!r} {when}: {what} at the same time",
                                 f"one {a.action.replace('_', ' ')} at a time (stop one before the next starts)")
            if {a.action, b.action} == {"serm", "aromatase_inhibitor"}:
                message = (f"{self.source}: {pb}: {b.drug} with {a.drug} ({pa}) in arm {name!r} {when}: tamoxifen with an "
                           "aromatase inhibitor is not recommended (ATAC combination arm: no benefit over anastrozole alone)")
                self.warnings.append(message)
        for therapy, path in therapies:
            if therapy.action == "androgen" and female:
                raise self.error(_join(path, "drug"), "testosterone therapy in a woman is not modelled",
                                 "testosterone therapy for men")
            if therapy.action == "ovarian_suppression" and not female:
                raise self.error(_join(path, "drug"), f"{therapy.drug} (ovarian suppression) in a man is not modelled",
                                 "ovarian suppression for women")
            if therapy.action == "aromatase_inhibitor" and female:
                premenopausal_until = min(population.menopause_age - population.age, years)
                need = (therapy.start_year, min(therapy.stop, premenopausal_until))
                if need[0] < need[1]:
                    covered = need[0]
                    for s in sorted((t.start_year, t.stop) for t, _ in therapies if t.action == "ovarian_suppression"):
                        if s[0] <= covered < s[1]:
                            covered = s[1]
                    if covered < need[1]:
                        raise self.error(
                            _join(path, "drug"),
                            f"{therapy.drug} in arm {name!r} in a premenopausal woman (menopause at age "
                            f"{population.menopause_age:g}) without ovarian suppression from year {covered:g}",
                            "an aromatase inhibitor with ovarian suppression (e.g. goserelin) covering the premenopausal years",
                        )

    def arms(self, doc, population, years):
        arms_parts: list[tuple[str, list, str]] = []
        if "arms" in doc:
            for i, value in enumerate(doc["arms"]):
                path = _join("arms", i)
                name, part = self.arm_part(value, path, years, _ARM)
                arms_parts.append((name, [part], path))
        if "factorial" in doc:
            factors = doc["factorial"]
            if not factors:
                raise self.error("factorial", "no factors", "[[factorial.<factor>]] tables, one per level")
            levels = []
            for factor, value in factors.items():
                path = _join("factorial", factor)
                self.kind(value, path, "tables", f"[[{path}]] tables, one per level")
                if not value:
                    raise self.error(path, "factor without levels", "one or more level tables")
                seen = {}
                factor_levels = []
                for i, level in enumerate(value):
                    level_path = _join(path, i)
                    name, part = self.arm_part(level, level_path, years, {"name": _ARM["name"], **_ARM_ITEMS})
                    if name in seen:
                        raise self.error(_join(level_path, "name"), f"level name {name!r} repeats {seen[name]}",
                                         "unique level names within a factor")
                    seen[name] = level_path
                    factor_levels.append((name, part, level_path))
                levels.append(factor_levels)
            n = math.prod(len(f) for f in levels)
            if n + len(arms_parts) > MAX_ARMS:
                raise self.error("factorial", f"{n} combinations (+ {len(arms_parts)} explicit arms)",
                                 f"at most {MAX_ARMS} arms in one scenario")
            for combination in itertools.product(*levels):
                name = " + ".join(level[0] for level in combination)
                arms_parts.append((name, [level[1] for level in combination], combination[-1][2]))
        if not arms_parts:
            raise self.error("arms", "no arms", "one or more [[arms]] tables, or a [factorial] section")
        if len(arms_parts) > MAX_ARMS:
            raise self.error("arms", f"{len(arms_parts)} arms", f"at most {MAX_ARMS} arms in one scenario")
        arms: dict[str, Regimen] = {}
        origin: dict[str, str] = {}
        for name, parts, path in arms_parts:
            if name in arms:
                raise self.error(_join(path, "name"), f"arm name {name!r} repeats the arm from {origin[name]}",
                                 "unique arm names")
            items = self.combine(name, parts)
            self.conflicts(name, items["therapies"], population, years)
            kwargs = {k: tuple(x for x, _ in items[k]) for k in ("therapies", "exercise", "supplements")}
            for kind in ("nutrition", "habits"):
                if items[kind] is not None:
                    kwargs[kind] = items[kind][0]
            arms[name] = Regimen(**kwargs)
            origin[name] = path
        return arms


def parse_scenario(text: str, source: str = "<string>") -> Scenario:
    """Scenario from TOML text (``source`` names it in error messages).

    Raises
    ------
    ScenarioError
        For TOML syntax errors and every invalid key or value.
    """
    reader = _Reader(source)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {m.group(1)}, column {m.group(2)}" if m else "(document)"
        problem = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise ScenarioError(source, where, f"TOML syntax error: {problem}", "TOML 1.0 syntax (https://toml.io)") from None
    if "schema_version" not in doc:
        raise reader.error("schema_version", "missing required key", f"schema_version = {SCHEMA_VERSION}")
    reader.kind(doc["schema_version"], "schema_version", *_ROOT["schema_version"])
    if doc["schema_version"] != SCHEMA_VERSION:
        raise reader.error("schema_version", f"unsupported schema version {doc['schema_version']}", f"{SCHEMA_VERSION}")
    reader.table(doc, "", _ROOT, required=("title", "population", "simulation"))
    population = reader.population(doc["population"])
    years, times, parameters, report = reader.simulation(doc["simulation"])
    arms = reader.arms(doc, population, years)
    for message in reader.warnings:
        warnings.warn(message, ScenarioWarning, stacklevel=3)
    return Scenario(
        title=doc["title"], description=doc.get("description", ""), population=population, arms=arms,
        years=years, output_times=times, parameter_set=parameters, report_years=report, text=text,
        source=source, schema_version=doc["schema_version"], warnings=tuple(reader.warnings),
    )


def load_scenario(path) -> Scenario:
    """Read a scenario file.

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not UTF-8, is not TOML, or is not a valid scenario.
    """
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(source, "(file)", f"cannot read: {exc.strerror or exc}", "a readable scenario file") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(source, f"line {line}, column {column}", f"byte 0x{data[exc.start]:02x} is not UTF-8",
                            "UTF-8 encoded text") from None
    return parse_scenario(text, source)


def run_scenario(scenario: Scenario, *, rtol: float = 1e-7):
    """Simulate every arm of ``scenario`` (one batch) and return the Dataset of :func:`remodel.simulate`
    with an ``arm`` dimension and the scenario recorded in its attributes (``scenario`` verbatim,
    ``scenario_file``, ``scenario_title``, ``scenario_description``, ``report_years``).

    Raises
    ------
    remodel.SolverError
        If the model cannot be solved.
    """
    from .simulation import simulate

    ds = simulate(scenario.population, dict(scenario.arms), years=scenario.years,
                  output_times=np.asarray(scenario.output_times), parameters=scenario.parameter_set, rtol=rtol)
    ds.attrs.update(
        title=f"{scenario.title} (remodel scenario)",
        scenario_title=scenario.title,
        scenario_description=scenario.description,
        scenario_file=Path(scenario.source).name,
        scenario_schema_version=scenario.schema_version,
        scenario=scenario.text,
        report_years=np.asarray(scenario.report_years, dtype=float),
    )
    return ds


# ----------------------------------------------------------------------------------------------
# Comparison of arms
# ----------------------------------------------------------------------------------------------

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
