"""What a person does: therapies, exercise programmes, immobilisation, usual diet, supplements, habits and weight change.

A :class:`Regimen` is one arm of a comparison. Diet and habits are exposures, lifelong by default
(from the young-adult reference age) or with start and stop times that may lie before the
simulation start. Therapies, exercise programmes and supplements are interventions with start and
stop times (years since the simulation start), and so is immobilisation (:class:`Disuse`); a weight
change happens over a window and lasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass

from .bounds import bounded, check_ranges
from .model.nutrients import NUTRIENTS
from .model.timing import MAX_HISTORY_YEARS
from .therapies import Therapy

__all__ = ["Disuse", "Exercise", "EXERCISE_MODALITIES", "Exposure", "Nutrition", "Supplement", "Habits", "WeightChange",
           "Regimen"]


#: Latest start of a timed item (years since the simulation start).
MAX_START_YEAR = 100.0


def _check_window(owner, start_year, stop_year):
    if stop_year is not None and not stop_year > start_year:
        raise ValueError(f"{owner}: stop_year ({stop_year}) must be after start_year ({start_year})")


#: Exercise modalities: (default loading cycles per session, default load in % of 1RM or None,
#: one-line description).
EXERCISE_MODALITIES = {
    "high_impact": (50.0, None, "jumping, hopping, drop landings (ground reaction forces 3-6 x body weight)"),
    "resistance": (40.0, 80.0, "progressive resistance training (squat, deadlift, press) at a % of one-repetition maximum"),
    "running": (1500.0, None, "running or jogging (about 2-3 x body weight per stride)"),
    "walking": (3000.0, None, "walking, stair climbing, low-impact weight-bearing (about 1.2 x body weight)"),
    "swimming": (0.0, None, "swimming: no skeletal impact"),
    "cycling": (0.0, None, "cycling: negligible skeletal loading"),
    "balance": (0.0, None, "balance training (tai chi, yoga): lowers falls, not BMD"),
}


@dataclass(frozen=True)
class Exercise:
    """An exercise programme.

    Parameters
    ----------
    modality : str
        A key of :data:`EXERCISE_MODALITIES`.
    sessions_per_week : float
    cycles_per_session : float, optional
        Loading cycles (impacts, repetitions, strides) per session; the modality default if omitted.
    load_pct_1rm : float, optional
        Resistance load as % of one-repetition maximum (resistance training only).
    adherence : float
        Fraction of prescribed sessions done (0-1).
    start_year, stop_year : float
    """

    modality: str
    sessions_per_week: float = bounded(0.0, 21.0)
    cycles_per_session: float | None = bounded(0.0, 20000.0, default=None)
    load_pct_1rm: float | None = bounded(10.0, 100.0, "%", default=None)
    adherence: float = bounded(0.0, 1.0, default=1.0)
    start_year: float = bounded(0.0, MAX_START_YEAR, "years", default=0.0)
    stop_year: float | None = None

    def __post_init__(self):
        if self.modality not in EXERCISE_MODALITIES:
            raise ValueError(f"unknown exercise modality {self.modality!r}; known: {', '.join(EXERCISE_MODALITIES)}")
        default_cycles, default_load, _ = EXERCISE_MODALITIES[self.modality]
        if self.cycles_per_session is None:
            object.__setattr__(self, "cycles_per_session", default_cycles)
        if self.load_pct_1rm is not None and self.modality != "resistance":
            raise ValueError(f"exercise {self.modality}: load_pct_1rm applies to resistance training only")
        if self.modality == "resistance" and self.load_pct_1rm is None:
            object.__setattr__(self, "load_pct_1rm", default_load)
        check_ranges(self)
        _check_window(f"exercise {self.modality}", self.start_year, self.stop_year)


@dataclass(frozen=True)
class Disuse:
    """Immobilisation (bed rest, a cast, paralysis, spaceflight) from ``start_year`` to ``stop_year``
    (years since the simulation start): the habitual daily loading falls to ``loading_fraction`` of
    the person's usual, 0 for strict bed rest (no weight bearing), 1 for none
    (:func:`remodel.model.physiology.exercise.loading`)."""

    loading_fraction: float = bounded(0.0, 1.0, "(fraction of the habitual daily loading that remains)")
    start_year: float = bounded(0.0, MAX_START_YEAR, "years", default=0.0)
    stop_year: float | None = None

    def __post_init__(self):
        check_ranges(self)
        _check_window("disuse", self.start_year, self.stop_year)


@dataclass(frozen=True)
class Exposure:
    """A diet or habits that hold throughout the life history, or from ``start_year`` to
    ``stop_year`` (years since the simulation start; a negative start is before it, e.g. -20 for
    twenty years of smoking, and a start before the young-adult reference age counts from it).
    ``stop_year=None`` means never stopped (``stop_year=0`` with an earlier start: a former smoker).
    Outside its window the exposure is absent: no habit, the adequate diet."""

    start_year: float | None = bounded(-MAX_HISTORY_YEARS, MAX_START_YEAR, "years", default=None)
    stop_year: float | None = bounded(-MAX_HISTORY_YEARS, MAX_START_YEAR, "years", default=None)

    def __post_init__(self):
        check_ranges(self)
        if self.start_year is not None:
            _check_window(type(self).__name__.lower(), self.start_year, self.stop_year)


def _nutrient_lines(nutrients, default):
    return "\n".join(f"    {n.key} : float, default {default(n):g}\n        {n.units}" for n in nutrients)


#: Usual daily intake (an :class:`Exposure`), a field per nutrient of :data:`remodel.model.nutrients.NUTRIENTS`.
Nutrition = make_dataclass(
    "Nutrition", [(n.key, float, n.diet_field()) for n in NUTRIENTS], bases=(Exposure,), frozen=True,
    namespace={"__module__": __name__, "__doc__": "Usual daily intake (an :class:`Exposure`). The defaults are "
               "adequate intakes, at which nutrition has no effect.\n\n    Parameters\n    ----------\n"
               + _nutrient_lines(NUTRIENTS, lambda n: n.adequate)})


def _check_supplement(self):
    check_ranges(self)
    _check_window("supplement", self.start_year, self.stop_year)


_SUPPLEMENTED = [n for n in NUTRIENTS if n.supplement]
#: Daily supplement added to the usual diet, a field per nutrient taken as a supplement, each at most
#: the most a usual diet may give of it (issue 16: 5000 of every nutrient, 5 kg of protein per kg of
#: body weight, was accepted).
Supplement = make_dataclass(
    "Supplement", [(n.key, float, n.supplement_field()) for n in _SUPPLEMENTED] + [
        ("start_year", float, bounded(0.0, MAX_START_YEAR, "years", default=0.0)), ("stop_year", float | None, None)],
    frozen=True,
    namespace={"__module__": __name__, "__post_init__": _check_supplement,
               "__doc__": "Daily supplement added to the usual diet from ``start_year`` to ``stop_year``.\n\n"
               "    Parameters\n    ----------\n" + _nutrient_lines(_SUPPLEMENTED, lambda n: 0.0)})


@dataclass(frozen=True)
class Habits(Exposure):
    """Smoking, alcohol and chronic inflammation (an :class:`Exposure`)."""

    cigarettes_per_day: float = bounded(0.0, 80.0, default=0.0)
    alcohol_drinks_per_day: float = bounded(0.0, 20.0, default=0.0)
    inflammation: float = bounded(0.0, 1.0, "(0 none, 1 active inflammatory disease)", default=0.0)


@dataclass(frozen=True)
class WeightChange:
    """A change of body weight by ``change_kg`` (negative: a loss) at a constant rate over
    ``over_years`` from ``start_year`` (years since the simulation start), kept afterwards
    (:mod:`remodel.model.physiology.body`)."""

    change_kg: float = bounded(-100.0, 100.0, "kg")
    start_year: float = bounded(-MAX_HISTORY_YEARS, MAX_START_YEAR, "years", default=0.0)
    over_years: float = bounded(0.1, 20.0, "years", default=1.0)

    def __post_init__(self):
        check_ranges(self)

    @property
    def stop_year(self) -> float:
        """End of the change (years since the simulation start)."""
        return self.start_year + self.over_years


@dataclass(frozen=True)
class Regimen:
    """One arm: therapies and lifestyle."""

    therapies: tuple[Therapy, ...] = ()
    exercise: tuple[Exercise, ...] = ()
    disuse: tuple[Disuse, ...] = ()
    nutrition: Nutrition = field(default_factory=Nutrition)
    supplements: tuple[Supplement, ...] = ()
    habits: Habits = field(default_factory=Habits)
    weight: WeightChange | None = None

    def __post_init__(self):
        for name in ("therapies", "exercise", "disuse", "supplements"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def interventions(self):
        """Every timed item (therapies, exercise, disuse, supplements, diet, habits, weight change)."""
        weight = () if self.weight is None else (self.weight,)
        return self.therapies + self.exercise + self.disuse + self.supplements + (self.nutrition, self.habits) + weight
