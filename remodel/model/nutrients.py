"""The nutrients of the model: one table drives the usual diet (:class:`remodel.Nutrition`), the
supplements (:class:`remodel.Supplement`) and the nutrition block
(:mod:`remodel.model.physiology.nutrition`).

Per nutrient: its name in the equations, its key (the field of the diet and supplements, and of
scenario files; units in the name), units, the adequate intake (the default diet, at which nutrition
has no effect), the range accepted for the usual diet, and whether it is taken as a supplement (at
most the most a usual diet may give of it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..bounds import bounded

__all__ = ["NUTRIENTS", "Nutrient"]


@dataclass(frozen=True)
class Nutrient:
    """One nutrient (see module docstring)."""

    name: str
    key: str
    units: str
    adequate: float
    diet_range: tuple[float, float]
    supplement: bool

    def diet_field(self):
        """The dataclass field of the usual diet: the adequate intake by default."""
        return bounded(*self.diet_range, default=self.adequate)

    def supplement_field(self):
        """The dataclass field of a supplement: none by default, at most the diet's largest."""
        return bounded(0.0, self.diet_range[1], default=0.0)


#: The nutrients, in the order of the fields of the diet and supplements.
NUTRIENTS = (
    Nutrient("calcium", "calcium_mg_per_day", "mg/day", 1000.0, (0.0, 5000.0), True),
    Nutrient("vitamin_d", "vitamin_d_iu_per_day", "IU/day", 800.0, (0.0, 10000.0), True),
    Nutrient("protein", "protein_g_per_kg_per_day", "g/kg/day", 1.0, (0.2, 4.0), True),
    Nutrient("k2", "vitamin_k2_ug_per_day", "ug/day", 90.0, (0.0, 1000.0), True),
    Nutrient("magnesium", "magnesium_mg_per_day", "mg/day", 320.0, (0.0, 2000.0), True),
    Nutrient("sodium", "sodium_mg_per_day", "mg/day", 2300.0, (0.0, 15000.0), False),
)
