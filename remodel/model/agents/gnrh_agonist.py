r"""GnRH agonists: goserelin suppresses gonadal secretion by a fraction :math:`s_{GnRH}` while taken:
ovarian estradiol in women (Randolph2011), testicular testosterone and estradiol in men (androgen
deprivation, Smith2001); where it acts: :mod:`remodel.model.physiology.estradiol`."""

from __future__ import annotations

from ..declare import Agent, Drug

CITATIONS = ("Randolph2011", "Smith2001")


def suppression(therapy, p):
    """Fraction of gonadal secretion suppressed."""
    return p["s_GnRH"]


AGENT = Agent(
    "gnrh_agonist",
    drugs=(Drug("goserelin", "gonadal_suppression", "mg/28 days", 3.6,
                "GnRH agonist: suppresses ovarian (women) or testicular (men) secretion", ("Randolph2011", "Smith2001")),),
    citations=CITATIONS,
    exposure=("gonadal_suppression", suppression),
)
