r"""Testosterone therapy: the dose is the serum total testosterone it maintains while taken, which
replaces the endogenous level in :mod:`remodel.model.physiology.estradiol` (Finkelstein2016)."""

from __future__ import annotations

from ...bounds import field_range
from ...populations import Population
from ..declare import Agent, Drug

CITATIONS = ("Finkelstein2016",)


def serum_level(therapy, p):
    """Serum total testosterone (ng/dL) maintained."""
    return therapy.dose


AGENT = Agent(
    "testosterone",
    drugs=(Drug("testosterone", "androgen", "ng/dL", 550.0,
                "testosterone therapy; dose is the serum total testosterone it maintains", ("Finkelstein2016",),
                max_dose=field_range(Population, "testosterone_ng_per_dl")[1]),),
    citations=CITATIONS,
    exposure=("testosterone_therapy", serum_level),
)
