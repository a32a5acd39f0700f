"""Therapies (drugs with start and stop times) and the catalogue of supported drugs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .bounds import bounded, check_ranges, field_range
from .populations import Population

__all__ = ["Drug", "DRUGS", "MAX_DOSE_FACTOR", "Therapy", "active", "window"]


def window(item) -> tuple[float, float]:
    """``(start, stop)`` in years since the simulation start of a timed item (therapy, exercise
    programme, supplement, habits): a missing start is -inf (the whole history), a missing stop inf."""
    return (-math.inf if item.start_year is None else item.start_year,
            math.inf if item.stop_year is None else item.stop_year)


def active(item, t_years):
    """1.0 where a timed item is taken at ``t_years`` (years since the simulation start; start
    inclusive, stop exclusive), else 0.0."""
    start, stop = window(item)
    return ((t_years >= start) & (t_years < stop)) * 1.0


#: Largest dose accepted as a multiple of the standard (label) dose: the drug effects are
#: calibrated at label doses, and no label allows more than a few times its standard dose.
MAX_DOSE_FACTOR = 4.0


@dataclass(frozen=True)
class Drug:
    """A supported drug: what it acts on, its dose units and standard dose."""

    name: str
    action: str
    dose_units: str
    standard_dose: float
    description: str
    citations: tuple[str, ...]
    standard_interval_days: float | None = None

    @property
    def max_dose(self) -> float:
        """Largest dose accepted, in ``dose_units``: :data:`MAX_DOSE_FACTOR` times the standard
        (label) dose; for testosterone therapy the top of the physiological range of men."""
        if self.action == "androgen":
            return field_range(Population, "testosterone_ng_per_dl")[1]
        return MAX_DOSE_FACTOR * self.standard_dose


DRUGS: dict[str, Drug] = {
    d.name: d
    for d in [
        Drug("anastrozole", "aromatase_inhibitor", "mg/day", 1.0,
             "non-steroidal aromatase inhibitor: blocks androgen to estrogen conversion", ("Geisler2002",)),
        Drug("letrozole", "aromatase_inhibitor", "mg/day", 2.5,
             "non-steroidal aromatase inhibitor", ("Geisler2002",)),
        Drug("exemestane", "aromatase_inhibitor", "mg/day", 25.0,
             "steroidal (irreversible) aromatase inactivator", ("Geisler1998",)),
        Drug("tamoxifen", "serm", "mg/day", 20.0,
             "selective estrogen receptor modulator: partial agonist on bone", ("Powles1996",)),
        Drug("goserelin", "ovarian_suppression", "mg/28 days", 3.6,
             "GnRH agonist: suppresses ovarian estradiol secretion", ("Randolph2011",)),
        Drug("testosterone", "androgen", "ng/dL", 550.0,
             "testosterone therapy; dose is the serum total testosterone it maintains", ("Finkelstein2016",)),
        Drug("zoledronic_acid", "bisphosphonate", "mg", 5.0,
             "intravenous bisphosphonate (5 mg yearly for osteoporosis, 4 mg every 6 months in oncology)",
             ("Chen2002", "Black2007"), 365.25),
        Drug("alendronate", "bisphosphonate", "mg", 70.0, "oral bisphosphonate, weekly", ("Khan1997",), 7.0),
        Drug("risedronate", "bisphosphonate", "mg", 35.0, "oral bisphosphonate, weekly", ("Mitchell2000",), 7.0),
        Drug("ibandronate", "bisphosphonate", "mg", 150.0, "oral bisphosphonate, monthly", ("Barrett2004",), 30.4375),
        Drug("denosumab", "rankl_antibody", "mg", 60.0,
             "subcutaneous anti-RANKL antibody every 6 months", ("Sutjandra2011", "MartinezReina2019"), 182.625),
    ]
}


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
