r"""Selective estrogen receptor modulators: tamoxifen, a partial agonist competing with estradiol.

While taken, tamoxifen occupies the estrogen receptor in proportion to its dose,
:math:`\theta = \theta_{20}\, D/20` (20 mg/day the standard dose); its partial agonism and the rise
of ovarian estradiol before menopause are in :mod:`remodel.model.physiology.estradiol`
(Powles1996, Cohen1999).
"""

from __future__ import annotations

from ..declare import Agent, Drug

CITATIONS = ("Powles1996", "Cohen1999")


def occupancy(therapy, p):
    """Receptor occupancy ratio at the dose taken."""
    return p["theta_tamoxifen"] * therapy.dose / 20.0


AGENT = Agent(
    "serm",
    drugs=(Drug("tamoxifen", "serm", "mg/day", 20.0, "selective estrogen receptor modulator: partial agonist on bone",
                ("Powles1996",)),),
    citations=CITATIONS,
    exposure=("estrogen_receptor_occupancy", occupancy),
)
