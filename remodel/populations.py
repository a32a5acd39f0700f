"""Populations: who is simulated (sex, age, menopause, testosterone, body size, baseline BMD).

A population fixes the hormonal history that brings a person from a young-adult steady state at
``REFERENCE_AGE`` to the simulation start: the menopause transition in women, the slow decline of
testosterone and the age-related fall of osteoblast precursor supply in both sexes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .bounds import bounded, check_ranges
from .model.sites import SITES

__all__ = ["Population", "POPULATIONS", "population", "REFERENCE_AGE", "REFERENCE_BMI", "REFERENCE_HEIGHT_M",
           "REFERENCE_WEIGHT_KG", "SITES"]

#: Age (years) of the young-adult reference steady state from which every history starts.
REFERENCE_AGE = 30.0
#: Body weight (kg) and height (m) of the reference body, at which body size changes neither loading
#: nor estradiol (:mod:`remodel.model.physiology.body`): the default of every population. The height
#: is a round adult female height (BMI 26.7 with 70 kg), not a value taken from a survey.
REFERENCE_WEIGHT_KG, REFERENCE_HEIGHT_M = 70.0, 1.62
#: Body mass index (kg/m2) of the reference body.
REFERENCE_BMI = REFERENCE_WEIGHT_KG / (REFERENCE_HEIGHT_M * REFERENCE_HEIGHT_M)


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
        Baseline T-score per site (converted with the young-adult reference of :mod:`remodel.model.physiology.bone`).
    weight_kg : float
        Body weight over the life history up to the simulation start: loads the skeleton and, in
        women, raises peripheral estradiol (:mod:`remodel.model.physiology.body`); drug doses per kg.
    height_m : float
        Height (with ``weight_kg``, the body mass index of :mod:`remodel.model.physiology.body`).
    description : str
    """

    name: str
    sex: str
    age: float = bounded(REFERENCE_AGE, 100.0, "years")
    menopause_age: float | None = bounded(35.0, 65.0, "years", default=None)
    testosterone_ng_per_dl: float | None = bounded(20.0, 1500.0, "ng/dL", default=None)
    bmd_g_per_cm2: dict = bounded(0.2, 2.0, "g/cm2", default_factory=dict)
    t_scores: dict = bounded(-6.0, 4.0, default_factory=dict)
    weight_kg: float = bounded(30.0, 250.0, "kg", default=REFERENCE_WEIGHT_KG)
    height_m: float = bounded(1.2, 2.2, "m", default=REFERENCE_HEIGHT_M)
    description: str = ""

    def __post_init__(self):
        if self.sex not in ("female", "male"):
            raise ValueError(f"population {self.name}: sex must be 'female' or 'male', got {self.sex!r}")
        female = self.sex == "female"
        if female and self.menopause_age is None:
            raise ValueError(f"population {self.name}: menopause_age is required for women")
        if female and self.testosterone_ng_per_dl is not None:
            raise ValueError(f"population {self.name}: testosterone_ng_per_dl is for men only; omit it for women")
        if not female and self.testosterone_ng_per_dl is None:
            raise ValueError(f"population {self.name}: testosterone_ng_per_dl is required for men")
        if not female and self.menopause_age is not None:
            raise ValueError(f"population {self.name}: menopause_age is for women only; omit it for men")
        for label, values in (("bmd_g_per_cm2", self.bmd_g_per_cm2), ("t_scores", self.t_scores)):
            unknown = set(values) - set(SITES)
            if unknown:
                raise ValueError(f"population {self.name}: {label} has unknown sites {sorted(unknown)}; sites: {', '.join(SITES)}")
        check_ranges(self)


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
