"""Therapies: drugs of the catalogue (:data:`DRUGS`, declared by the agents of
:mod:`remodel.model.agents`) with start and stop times."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bounds import bounded, check_ranges
from .model.agents import DRUGS
from .model.declare import MAX_DOSE_FACTOR, Drug
from .model.timing import MAX_HISTORY_YEARS, active, window

__all__ = ["Drug", "DRUGS", "MAX_DOSE_FACTOR", "SELF_ADMINISTERED", "Therapy", "active", "window"]

#: Drugs whose doses the patient takes herself: ``Therapy.adherence`` applies to them.
SELF_ADMINISTERED = tuple(sorted(name for name, drug in DRUGS.items() if drug.self_administered))


@dataclass(frozen=True)
class Therapy:
    """A drug taken from ``start_year`` to ``stop_year`` (years from the start of the simulation).

    Parameters
    ----------
    drug : str
        A key of :data:`DRUGS`.
    start_year, stop_year : float
        Start and stop in years since the simulation start; ``stop_year=None`` means never.
    dose : float, optional
        Dose in the drug's ``dose_units``; the standard dose when omitted.
    interval_days : float, optional
        Dosing interval of drugs given as discrete doses (bisphosphonates, denosumab); the
        standard interval when omitted. The first dose is at ``start_year``; no dose is given at
        or after ``stop_year``. Down to an hour: hourly doses of a short-lived drug stand for a
        continuous infusion (Frolik2003 spread a daily PTH dose over hours in small injections).
    adherence : float
        Fraction of the prescribed doses taken (0-1), for the drugs the patient takes herself
        (``Drug.self_administered``: oral bisphosphonates); it multiplies the person's
        ``adherence`` parameter, as for exercise.

    A negative ``start_year`` is therapy history: a woman arriving after five years of tamoxifen
    took it from -5 to 0. The history begins at the young-adult reference age (30), so a start
    earlier than that is not simulated before it.
    """

    drug: str
    start_year: float = bounded(-MAX_HISTORY_YEARS, 100.0, "years", default=0.0)
    stop_year: float | None = None
    dose: float | None = None
    interval_days: float | None = bounded(1.0 / 24.0, 3650.0, "days", default=None)
    adherence: float = bounded(0.0, 1.0, default=1.0)

    def __post_init__(self):
        if self.drug not in DRUGS:
            raise ValueError(f"unknown drug {self.drug!r}; known drugs: {', '.join(sorted(DRUGS))}")
        if not math.isfinite(self.start_year) or self.start_year < -MAX_HISTORY_YEARS:
            raise ValueError(f"{self.drug}: start_year must be a finite number >= {-MAX_HISTORY_YEARS:g}, "
                             f"got {self.start_year}")
        if self.adherence != 1.0 and not DRUGS[self.drug].self_administered:
            raise ValueError(f"{self.drug}: adherence applies to drugs the patient takes herself "
                             f"({', '.join(SELF_ADMINISTERED)})")
        if self.stop_year is not None and not self.stop_year > self.start_year:
            raise ValueError(f"{self.drug}: stop_year ({self.stop_year}) must be after start_year ({self.start_year})")
        if self.dose is None:
            object.__setattr__(self, "dose", DRUGS[self.drug].standard_dose)
        elif not (math.isfinite(self.dose) and 0 < self.dose <= DRUGS[self.drug].max_dose):
            raise ValueError(f"{self.drug}: dose must be a positive number of {DRUGS[self.drug].dose_units} up to "
                             f"{DRUGS[self.drug].max_dose:g}, got {self.dose}")
        standard = DRUGS[self.drug].standard_interval_days
        if standard is None:
            if self.interval_days is not None:
                raise ValueError(f"{self.drug} is taken continuously; interval_days applies to discrete-dose drugs only")
        elif self.interval_days is None:
            object.__setattr__(self, "interval_days", standard)
        check_ranges(self)

    @property
    def action(self) -> str:
        return DRUGS[self.drug].action

    @property
    def stop(self) -> float:
        return math.inf if self.stop_year is None else self.stop_year
