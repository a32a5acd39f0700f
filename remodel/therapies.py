"""Therapies: drugs of the catalogue (:data:`DRUGS`, declared by the agents of
:mod:`remodel.model.agents`) with start and stop times."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bounds import bounded, check_ranges
from .model.agents import DRUGS
from .model.declare import MAX_DOSE_FACTOR, Drug
from .model.timing import active, window

__all__ = ["Drug", "DRUGS", "MAX_DOSE_FACTOR", "Therapy", "active", "window"]


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
        or after ``stop_year``.
    """

    drug: str
    start_year: float = 0.0
    stop_year: float | None = None
    dose: float | None = None
    interval_days: float | None = bounded(1.0, 3650.0, "days", default=None)

    def __post_init__(self):
        if self.drug not in DRUGS:
            raise ValueError(f"unknown drug {self.drug!r}; known drugs: {', '.join(sorted(DRUGS))}")
        if not math.isfinite(self.start_year) or self.start_year < 0:
            raise ValueError(f"{self.drug}: start_year must be a finite number >= 0, got {self.start_year}")
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
