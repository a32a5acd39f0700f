r"""Nutrition and habits: sufficiency indices and where they act.

Calcium. Serum 25(OH)D rises with vitamin D intake (Heaney2003); fractional calcium absorption
rises with it and saturates; magnesium is needed to activate vitamin D (Uwitonze2018); sodium
adds obligatory urinary calcium loss (Nordin1993). The calcium sufficiency index is net
absorbed calcium relative to the adequate diet (1000 mg calcium, 800 IU vitamin D, 320 mg
magnesium, 2300 mg sodium):

.. math::

    D = D_0 + \sigma_D \frac{\mathrm{IU}}{100}, \qquad
    f = \frac{D}{D + K_D}\,\frac{\mathrm{Mg}}{\mathrm{Mg} + K_{Mg}}, \qquad
    S_{Ca} = \frac{\mathrm{Ca}\, f f_{max} - u_{Na} \mathrm{Na}}{(\ldots)_{adequate}}.

Secondary hyperparathyroidism raises PTH production, :math:`m_{PTH} = S_{Ca}^{-\eta}`.

Protein (IGF-1, collagen substrate) raises osteoblast progenitor supply,
:math:`m_{prot} = (S_P/S_{P,ref})^{\zeta}` with :math:`S_P = P/(P + K_P)` (Shams-White 2017).
Vitamin K2 (osteocalcin carboxylation) speeds secondary mineralisation,
:math:`m_{K2} = 1 + \lambda_{K2}(S_K - S_{K,ref})`, :math:`S_K = K/(K + K_K)` (Knapen2013).
Smoking is toxic to osteoblast precursors (nicotine, cadmium; WardKlesges2001): it blunts the
osteogenic response the mechanostat calls on, :math:`m_{smoke} = 1/(1 + \lambda_{smoke,OB} c/20)` for
:math:`c` cigarettes/day (:mod:`remodel.model.physiology.site`), so that its deficit appears once bone is losing, after
menopause, and widens with age (LawHackshaw1997).
It has no estrogenic path here: postmenopausal smokers not on hormone therapy have the estradiol of
non-smokers or more (Cassidenti1992; Brand2011, -2 to +15 %), so an aromatase inhibitor leaves the
harm of smoking whole. Heavy
drinking impairs osteoblasts likewise, :math:`m_{alc} = 1/(1 + \lambda_{alc} \max(d - 2, 0))` for
:math:`d` drinks/day (Kanis2005), and chronic inflammation (IL-6, TNF-alpha) raises RANKL
production, :math:`m_{infl} = 1 + \lambda_{infl} I` (Redlich2012), and impairs osteoblast
differentiation, :math:`m_{infl,OB} = 1/(1 + \lambda_{infl,OB} I)` (Gilbert2000). Progenitor supply is
:math:`m_{supply} = m_{prot}`; the osteogenic response is scaled by :math:`m_{ost} = m_{alc}\, m_{smoke}\, m_{infl,OB}`.
"""

from __future__ import annotations

import numpy as np

from ..nutrients import NUTRIENTS
from ..timing import active

CITATIONS = ("Heaney2003", "Uwitonze2018", "Nordin1993", "ShamsWhite2017", "Knapen2013", "LawHackshaw1997",
             "Cassidenti1992", "Brand2011", "WardKlesges2001", "Kanis2005", "Redlich2012", "Gilbert2000", "Tang2007")

#: The adequate diet: intake of each nutrient (by its name in the equations) at which nutrition has
#: no effect (:data:`remodel.model.nutrients.NUTRIENTS`).
ADEQUATE = {n.name: n.adequate for n in NUTRIENTS}


def serum_25ohd(vitamin_d_iu, p):
    """Serum 25(OH)D (ng/mL) at a steady vitamin D intake (IU/day)."""
    return p["D_base"] + p["sigma_D"] * vitamin_d_iu / 100.0


def net_calcium(calcium, vitamin_d, magnesium, sodium, p):
    """Net absorbed calcium (mg/day) after sodium-linked urinary loss."""
    d = serum_25ohd(vitamin_d, p)
    fraction = p["f_abs_max"] * d / (d + p["K_D"]) * magnesium / (magnesium + p["K_Mg"])
    return calcium * fraction - p["u_Na"] * sodium


def intake(nutrition, supplements, t_years):
    """Daily intakes at ``t_years``: dict of arrays (the diet within its window, the adequate diet
    outside it, plus supplements then taken)."""
    t = np.asarray(t_years, dtype=float)
    on = active(nutrition, t)
    out = {n.name: on * getattr(nutrition, n.key) + (1.0 - on) * n.adequate for n in NUTRIENTS}
    for s in supplements:
        taken = active(s, t)
        for n in NUTRIENTS:
            if n.supplement:
                out[n.name] = out[n.name] + taken * getattr(s, n.key)
    return out


def multipliers(nutrition, supplements, habits, t_years, p):
    """Nutrition and habit multipliers at ``t_years``: PTH production, progenitor supply, osteogenic
    response to overload, secondary mineralisation and RANKL production (all 1 for the adequate diet and
    no habits)."""
    q = intake(nutrition, supplements, t_years)
    a = ADEQUATE
    s_ca = net_calcium(q["calcium"], q["vitamin_d"], q["magnesium"], q["sodium"], p) / net_calcium(
        a["calcium"], a["vitamin_d"], a["magnesium"], a["sodium"], p
    )
    m_pth = np.maximum(s_ca, 0.05) ** (-p["eta_PTH"])
    sat = lambda x, k: x / (x + k)  # noqa: E731
    m_protein = (sat(q["protein"], p["K_P"]) / sat(a["protein"], p["K_P"])) ** p["zeta_protein"]
    on = active(habits, t_years)
    m_alcohol = 1.0 / (1.0 + p["lambda_alcohol"] * on * max(habits.alcohol_drinks_per_day - 2.0, 0.0))
    packs = on * habits.cigarettes_per_day / 20.0
    m_smoke = 1.0 / (1.0 + p["lambda_smoke_OB"] * packs)
    m_k2 = 1.0 + p["lambda_K2"] * (sat(q["k2"], p["K_K2"]) - sat(a["k2"], p["K_K2"]))
    m_infl = 1.0 + p["lambda_inflammation"] * on * habits.inflammation
    m_infl_OB = 1.0 / (1.0 + p["lambda_inflammation_OB"] * on * habits.inflammation)
    return m_pth, m_protein, m_alcohol * m_smoke * m_infl_OB, m_k2, m_infl
