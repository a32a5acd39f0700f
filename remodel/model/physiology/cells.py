r"""Bone cell populations: the Pivonka 2008 equations with driver multipliers, an osteoclast
precursor pool and osteomorphs.

.. math::

    \dot{\mathrm{OB_p}} &= D_{OBu} m_{OBu}\, \pi_{act}(a\,\mathrm{TGF\beta}; K_{D1})
        - D_{OBp}\, \mathrm{OB_p}\, \pi_{rep}(a\,\mathrm{TGF\beta}; K_{D2}),

    \dot{\mathrm{OB_a}} &= D_{OBp}\, \mathrm{OB_p}\, \pi_{rep}(a\,\mathrm{TGF\beta}; K_{D2})
        - A_{OBa} m_{A,OBa}\, \mathrm{OB_a},

    \dot\phi &= k_\phi \left[1 - \phi\left(1 - w_\phi + w_\phi\, u\right)\right], \qquad u = \pi_{act}^{RANKL}/\pi_{ref},

    \dot{\mathrm{OC_a}} &= D_{OCp}\, \phi\, \pi_{act}^{RANKL}
        - A_{OCa} m_{A,OCa}\, \pi_{act}(a\,\mathrm{TGF\beta}; K_{D3})\,
          \frac{1 + \omega_{OC}}{1 + \omega_{OC}\, u}\, \mathrm{OC_a} + R,

    \dot{\mathrm{OM}} &= f_{OM} D_{OCp}\, \phi\, \pi_{ref} (1 - u/\theta_{OM})_+^2 - R - A_{OM}\, \mathrm{OM}, \qquad
    R = k_{fus} (u/\theta_{OM} - 1)_+^2\, \mathrm{OM},

    a(u) &= \frac{u^2 (1 + K_{act}^2)}{K_{act}^2 + u^2}.

**Resorbing activity.** RANKL activates mature osteoclasts as well as forming them (Fuller1998,
Burgess1999; Lacey2012): blocking it stops resorption by the osteoclasts present within hours, so
that serum CTX is about 85 % down 3 days after 60 mg of denosumab (Amgen2010, Bekker2004), long
before those osteoclasts are gone. The fraction :math:`a(u)` of their resorbing capacity that the
osteoclasts use is 1 at the reference occupancy, stays above 0.9 at every occupancy the model
reaches without a RANKL antibody (about 0.43 and above, on romosozumab) and falls towards 0 as occupancy
does. Resorption
is :math:`a\, \mathrm{OC_a}` (:mod:`remodel.model.physiology.site`) and so is the TGF-beta released
from the matrix it resorbs (:math:`\mathrm{TGF\beta} = \alpha\, \mathrm{OC_a}/D_{TGF\beta}` of
:mod:`remodel.model.physiology.signalling` is that of osteoclasts at full activity), so that
formation stays coupled to resorption and not to idle osteoclasts.

:math:`\phi` is the osteoclast precursor pool relative to its reference size. A fraction
:math:`w_\phi` of precursor turnover is differentiation, so blocking RANKL (denosumab) lets the pool
grow to :math:`1/(1-w_\phi)` and its release when RANKL returns adds to the rebound of resorption
(the mechanism of MartinezReina2019 and Jorg2022). RANKL is a survival factor of mature
osteoclasts as well (Fuller1998, Lacey2000: OPG or RANKL withdrawal sends osteoclasts into apoptosis
within a day), so their apoptosis rises up to :math:`1 + \omega_{OC}` fold as RANK occupancy falls
below its reference: osteoclasts idled by denosumab, which release no TGF-beta, still die.

**Osteomorphs** (McDonald2021, intravital imaging in mice): osteoclasts fission into daughter
cells, osteomorphs, that fuse back into osteoclasts while RANKL signals; inhibiting RANKL (OPG:Fc)
blocks the recycling, osteomorphs accumulate, and they re-fuse into osteoclasts when RANKL returns.
:math:`\mathrm{OM}` lumps them with the osteoclast precursors that accumulate on denosumab
(Fontalis2020), in osteoclast equivalents (pM): as RANK occupancy falls below a fraction
:math:`\theta_{OM}` of its reference, cells of the lineage that RANKL would have made osteoclasts
collect in the pool, at up to :math:`f_{OM}` times the reference osteoclast formation, and above it
they fuse into osteoclasts at :math:`k_{fus}` at twice :math:`\theta_{OM}`, faster as RANKL returns
(the ramps are squared so that the rates are smooth at :math:`\theta_{OM}`). The pool grows with the
time under blockade and becomes the rebound's osteoclasts when the drug wanes (the overshoot of
resorption markers 3-6 months after the missed dose of denosumab, Bone2011, OvershootReview), without
adding osteoclasts while the drug holds RANKL down: just before each dose occupancy is still below
:math:`\theta_{OM}`. Fed by the fission of the model's osteoclasts alone, the pool stays too small
for the overshoot, as those are few under denosumab (tried: all of them ending as osteomorphs, about
one baseline osteoclast population in 2 years, left the peak at +34 %). :math:`\theta_{OM}` lies below every occupancy
the model reaches without a RANKL antibody, so without one nothing enters the pool, it stays at 0 and
the model is the model without it. With :math:`m = 1`, :math:`w_\phi = 0`, :math:`\omega_{OC} = 0`,
:math:`a = 1` and no osteomorphs the equations are exactly Pivonka2008.
"""

from __future__ import annotations

import numpy as np

from ..declare import Output, State
from .signalling import activator, repressor

CITATIONS = ("Pivonka2008", "Fuller1998", "Lacey2000", "Bekker2004", "McDonald2021", "Fontalis2020", "Bone2011",
             "OvershootReview", "Burgess1999", "Lacey2012", "Amgen2010")

#: Per-site states, in the order of :func:`cell_rates`.
STATES = (
    State("OBp", "pM", 1e-6, Output("osteoblast_precursors", "pM", "osteoblast precursor concentration", "OBp of Pivonka2008")),
    State("OBa", "pM", 1e-6, Output("active_osteoblasts", "pM", "active osteoblast concentration", "OBa of Pivonka2008")),
    State("phi", "1", 1e-6, Output("osteoclast_precursor_pool", "1", "osteoclast precursor pool",
                                   "relative to the young-adult reference (phi)")),
    State("OCa", "pM", 1e-6, Output("active_osteoclasts", "pM", "active osteoclast concentration", "OCa of Pivonka2008")),
    State("OM", "pM", 1e-6, Output("osteomorphs", "pM", "osteomorph concentration",
                                   "osteomorphs and the osteoclast precursors accumulated under RANKL blockade, in osteoclast "
                                   "equivalents (McDonald2021)")),
)


def resorbing_fraction(u, p):
    r"""Fraction :math:`a(u)` of their resorbing capacity that the osteoclasts use at RANK occupancy
    ``u`` relative to the reference (1 at ``u = 1``; see module docstring)."""
    k2 = p["K_act_OC"] ** 2
    return u * u * (1.0 + k2) / (k2 + u * u)


def cell_rates(OBp, OBa, phi, OCa, OM, sig, p, pi_ref, m_OBu=1.0, m_AOBa=1.0, m_AOCa=1.0, resorbing=1.0):
    """Time derivatives ``(dOBp, dOBa, dphi, dOCa, dOM)`` given the signals ``sig``.

    ``pi_ref`` is the RANK occupancy of the reference state, at which the precursor pool is steady
    at phi = 1; ``resorbing`` the osteoclasts' resorbing fraction :func:`resorbing_fraction` (1 at
    the reference).
    """
    tgfb = sig.tgfb * resorbing
    commitment = p["D_OBp"] * OBp * repressor(tgfb, p["K_D2"])
    dOBp = p["D_OBu"] * m_OBu * activator(tgfb, p["K_D1"]) - commitment
    dOBa = commitment - p["A_OBa"] * m_AOBa * OBa
    u = sig.rankl_occupancy / pi_ref
    w = p["w_phi"]
    dphi = p["k_phi"] * (1.0 - phi * (1.0 - w + w * u))
    withdrawal = (1.0 + p["omega_OC"]) / (1.0 + p["omega_OC"] * u)
    blocked = p["f_OM"] * p["D_OCp"] * phi * pi_ref * np.maximum(1.0 - u / p["theta_OM"], 0.0) ** 2
    fusion = p["k_fus_OM"] * np.maximum(u / p["theta_OM"] - 1.0, 0.0) ** 2 * OM
    dOCa = (p["D_OCp"] * phi * sig.rankl_occupancy - p["A_OCa"] * m_AOCa * activator(tgfb, p["K_D3"]) * withdrawal * OCa
            + fusion)
    return dOBp, dOBa, dphi, dOCa, blocked - fusion - p["A_OM"] * OM
