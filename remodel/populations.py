"""Populations: who is simulated (sex, age, menopause, testosterone, baseline BMD).

A population fixes the hormonal history that brings a person from a young-adult steady state at
``REFERENCE_AGE`` to the simulation start: the menopause transition in women, the slow decline of
testosterone and the age-related fall of osteoblast precursor supply in both sexes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["Population", "POPULATIONS", "population", "REFERENCE_AGE", "SITES"]

#: Age (years) of the young-adult reference steady state from which every history starts.
REFERENCE_AGE = 30.0

#: Skeletal sites simulated, in output order.
SITES = ("lumbar_spine", "total_hip", "femoral_neck")


@dataclass(frozen=True)
class Population:
    """A person (or the mean of a trial arm) to simulate.

    Parameters
    ----------
    name : str
        Short identifier.
    sex : {"female", "male"}
    age : float
        Age in years at the simulation start (>= 30).
    menopause_age : float, optional
        Age at the final menstrual period (women); ``None`` for men.
    testosterone_ng_per_dl : float, optional
        Serum total testosterone at the simulation start (men).
    bmd_g_per_cm2 : dict, optional
        Baseline areal BMD per site; where absent, ``t_scores`` or the population default is used.
    t_scores : dict, optional
        Baseline T-score per site (converted with the young-adult reference of :mod:`remodel.blocks.bone`).
    weight_kg : float
        Body weight (used by drug doses per kg).
    description : str
    """

    name: str
    sex: str
    age: float
    menopause_age: float | None = None
    testosterone_ng_per_dl: float | None = None
    bmd_g_per_cm2: dict = field(default_factory=dict)
    t_scores: dict = field(default_factory=dict)
    weight_kg: float = 70.0
    description: str = ""

    def __post_init__(self):
        if self.sex not in ("female", "male"):
            raise ValueError(f"population {self.name}: sex must be 'female' or 'male', got {self.sex!r}")
        if not (math.isfinite(self.age) and REFERENCE_AGE <= self.age <= 100):
            raise ValueError(f"population {self.name}: age must be between {REFERENCE_AGE:g} and 100 years, got {self.age}")
        if self.sex == "female":
            if self.menopause_age is None or not 35 <= self.menopause_age <= 65:
                raise ValueError(f"population {self.name}: menopause_age must be between 35 and 65 years, got {self.menopause_age}")
            if self.testosterone_ng_per_dl is not None:
                raise ValueError(f"population {self.name}: testosterone_ng_per_dl is for men only; omit it for women")
        else:
            if self.menopause_age is not None:
                raise ValueError(f"population {self.name}: menopause_age is for women only; omit it for men")
            if self.testosterone_ng_per_dl is None or not 20 <= self.testosterone_ng_per_dl <= 1500:
                raise ValueError(
                    f"population {self.name}: testosterone_ng_per_dl must be between 20 and 1500, got {self.testosterone_ng_per_dl}"
                )
        if not 30 <= self.weight_kg <= 250:
            raise ValueError(f"population {self.name}: weight_kg must be between 30 and 250, got {self.weight_kg}")
        for label, values in (("bmd_g_per_cm2", self.bmd_g_per_cm2), ("t_scores", self.t_scores)):
            unknown = set(values) - set(SITES)
            if unknown:
                raise ValueError(f"population {self.name}: {label} has unknown sites {sorted(unknown)}; sites: {', '.join(SITES)}")
        for site, value in self.bmd_g_per_cm2.items():
            if not 0.2 <= value <= 2.0:
                raise ValueError(f"population {self.name}: bmd_g_per_cm2.{site} must be between 0.2 and 2.0, got {value}")
        for site, value in self.t_scores.items():
            if not -6 <= value <= 4:
                raise ValueError(f"population {self.name}: t_scores.{site} must be between -6 and 4, got {value}")


POPULATIONS: dict[str, Population] = {
    p.name: p
    for p in [
        Population("premenopausal_woman", "female", 42.0, menopause_age=51.0,
                   description="healthy premenopausal woman, menopause expected at 51"),
        Population("perimenopausal_woman", "female", 50.0, menopause_age=51.0,
                   description="woman one year before her final menstrual period"),
        Population("postmenopausal_woman", "female", 62.0, menopause_age=51.0,
                   description="woman 11 years after natural menopause (typical of aromatase-inhibitor trials)"),
        Population("older_man", "male", 70.0, testosterone_ng_per_dl=450.0,
                   description="man of 70 with mid-normal testosterone"),
        Population("hypogonadal_man", "male", 65.0, testosterone_ng_per_dl=250.0,
                   description="man of 65 with low testosterone (candidate for testosterone therapy)"),
    ]
}


def population(name: str) -> Population:
    """Built-in population by name (the error lists the valid names)."""
    try:
        return POPULATIONS[name]
    except KeyError:
        raise KeyError(f"unknown population {name!r}; available: {', '.join(sorted(POPULATIONS))}") from None
