r"""GnRH agonists: goserelin suppresses ovarian estradiol secretion by a fraction :math:`s_{GnRH}`
while taken (Randolph2011); where it acts: :mod:`remodel.model.physiology.estradiol`."""

from __future__ import annotations

from ..declare import Agent, Drug

CITATIONS = ("Randolph2011",)


def suppression(therapy, p):
    """Fraction of ovarian secretion suppressed."""
    return p["s_GnRH"]


AGENT = Agent(
    "gnrh_agonist",
    drugs=(Drug("goserelin", "ovarian_suppression", "mg/28 days", 3.6,
                "GnRH agonist: suppresses ovarian estradiol secretion", ("Randolph2011",)),),
    citations=CITATIONS,
    exposure=("ovarian_suppression", suppression),
)
