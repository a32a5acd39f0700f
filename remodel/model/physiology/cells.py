r"""Bone cell populations: the Pivonka 2008 equations with driver multipliers and an osteoclast
precursor pool.

.. math::

    \dot{\mathrm{OB_p}} &= D_{OBu} m_{OBu}\, \pi_{act}(\mathrm{TGF\beta}; K_{D1})
        - D_{OBp}\, \mathrm{OB_p}\, \pi_{rep}(\mathrm{TGF\beta}; K_{D2}),

    \dot{\mathrm{OB_a}} &= D_{OBp}\, \mathrm{OB_p}\, \pi_{rep}(\mathrm{TGF\beta}; K_{D2})
        - A_{OBa} m_{A,OBa}\, \mathrm{OB_a},

    \dot\phi &= k_\phi \left[1 - \phi\left(1 - w_\phi + w_\phi\, \pi_{act}^{RANKL}/\pi_{ref}\right)\right],

    \dot{\mathrm{OC_a}} &= D_{OCp}\, \phi\, \pi_{act}^{RANKL}
        - A_{OCa} m_{A,OCa}\, \pi_{act}(\mathrm{TGF\beta}; K_{D3})\,
          \frac{1 + \omega_{OC}}{1 + \omega_{OC}\, \pi_{act}^{RANKL}/\pi_{ref}}\, \mathrm{OC_a}.

:math:`\phi` is the osteoclast precursor pool relative to its reference size. A fraction
:math:`w_\phi` of precursor turnover is differentiation, so blocking RANKL (denosumab) lets the pool
grow to :math:`1/(1-w_\phi)` and its release when RANKL returns gives the rebound of resorption
(the mechanism of MartinezReina2019 and Jorg2022). RANKL is a survival factor of mature
osteoclasts as well (Fuller1998, Lacey2000: OPG or RANKL withdrawal sends osteoclasts into apoptosis
within a day), so their apoptosis rises up to :math:`1 + \omega_{OC}` fold as RANK occupancy falls
below its reference: the fall of resorption markers within days of denosumab (Bekker2004). With
:math:`m = 1`, :math:`w_\phi = 0` and :math:`\omega_{OC} = 0` the equations are exactly Pivonka2008.
"""

from __future__ import annotations

from ..declare import Output, State
from .signalling import activator, repressor

CITATIONS = ("Pivonka2008", "Fuller1998", "Lacey2000", "Bekker2004")

#: Per-site states, in the order of :func:`cell_rates`.
STATES = (
    State("OBp", "pM", 1e-6, Output("osteoblast_precursors", "pM", "osteoblast precursor concentration", "OBp of Pivonka2008")),
    State("OBa", "pM", 1e-6, Output("active_osteoblasts", "pM", "active osteoblast concentration", "OBa of Pivonka2008")),
    State("phi", "1", 1e-6, Output("osteoclast_precursor_pool", "1", "osteoclast precursor pool",
                                   "relative to the young-adult reference (phi)")),
    State("OCa", "pM", 1e-6, Output("active_osteoclasts", "pM", "active osteoclast concentration", "OCa of Pivonka2008")),
)


def cell_rates(OBp, OBa, phi, OCa, sig, p, pi_ref, m_OBu=1.0, m_AOBa=1.0, m_AOCa=1.0):
    """Time derivatives ``(dOBp, dOBa, dphi, dOCa)`` given the signals ``sig``.

    ``pi_ref`` is the RANK occupancy of the reference state, at which the precursor pool is steady
    at phi = 1.
    """
    commitment = p["D_OBp"] * OBp * repressor(sig.tgfb, p["K_D2"])
    dOBp = p["D_OBu"] * m_OBu * activator(sig.tgfb, p["K_D1"]) - commitment
    dOBa = commitment - p["A_OBa"] * m_AOBa * OBa
    w = p["w_phi"]
    dphi = p["k_phi"] * (1.0 - phi * (1.0 - w + w * sig.rankl_occupancy / pi_ref))
    withdrawal = (1.0 + p["omega_OC"]) / (1.0 + p["omega_OC"] * sig.rankl_occupancy / pi_ref)
    dOCa = p["D_OCp"] * phi * sig.rankl_occupancy - p["A_OCa"] * m_AOCa * activator(sig.tgfb, p["K_D3"]) * withdrawal * OCa
    return dOBp, dOBa, dphi, dOCa
