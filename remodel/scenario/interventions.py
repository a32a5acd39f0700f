"""Scenario tables of what an arm does: exercise, immobilisation, supplements, diet, habits, a weight change and
therapies (each builds its domain object: :class:`remodel.Exercise`, :class:`remodel.Therapy`, ...)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, create_model

from ..bounds import field_range
from ..model.timing import MAX_HISTORY_YEARS
from ..regimen import EXERCISE_MODALITIES, Disuse, Exercise, Habits, Nutrition, Supplement, WeightChange
from ..therapies import DRUGS, SELF_ADMINISTERED, Therapy
from .errors import rule
from .tables import DomainTable, TimedTable, bounded_fields, bounded_number, number

__all__ = ["DAYS_PER_MONTH", "DisuseTable", "ExerciseTable", "HabitsTable", "NutritionTable", "SupplementTable", "TherapyTable",
           "WeightTable", "dose_key"]

#: Days per month used to turn ``interval_months`` into the model's ``interval_days``.
DAYS_PER_MONTH = 365.25 / 12


class ExerciseTable(bounded_fields(Exercise, TimedTable)):
    """``[[...exercise]]``: fields of :class:`remodel.Exercise`."""

    modality: Literal[tuple(EXERCISE_MODALITIES)] = Field(description="one of " + ", ".join(EXERCISE_MODALITIES))

    def check(self) -> None:
        super().check()
        if self.load_pct_1rm is not None and self.modality != "resistance":
            raise rule(f"load_pct_1rm given for {self.modality}", "load_pct_1rm for resistance training only",
                       "load_pct_1rm")

    def build(self) -> Exercise:
        return Exercise(**self.given())


class DisuseTable(bounded_fields(Disuse, TimedTable)):
    """``[[...disuse]]``: immobilisation or bed rest, fields of :class:`remodel.Disuse`."""

    def build(self) -> Disuse:
        return Disuse(**self.given())


class SupplementTable(bounded_fields(Supplement, TimedTable)):
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


class NutritionTable(bounded_fields(Nutrition, ExposureTable)):
    """``[...nutrition]``: fields of :class:`remodel.Nutrition` (usual diet)."""

    def build(self) -> Nutrition:
        return Nutrition(**self.given())


class HabitsTable(bounded_fields(Habits, ExposureTable)):
    """``[...habits]``: fields of :class:`remodel.Habits`."""

    def build(self) -> Habits:
        return Habits(**self.given())


class WeightTable(bounded_fields(WeightChange, DomainTable)):
    """``[...weight]``: a change of body weight over a window, kept afterwards (fields of
    :class:`remodel.WeightChange`)."""

    change_kg: float = bounded_number(WeightChange, "change_kg", "change of body weight (negative: a loss)")
    start_year: float = bounded_number(WeightChange, "start_year", "year the change begins (negative: before the "
                                       "simulation start, a weight history; [population] weight_kg is the weight at "
                                       "the start)", 0.0)
    over_years: float = bounded_number(WeightChange, "over_years", "years over which the change happens", 1.0)

    def build(self) -> WeightChange:
        return WeightChange(**self.given())



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

