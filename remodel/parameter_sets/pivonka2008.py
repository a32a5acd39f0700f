"""Pivonka et al. 2008 (Bone 43:249), the 'Model structure 1' parameter set.

Values follow the public reference code of the paper as shipped in the ``bone-models`` package
(``BoneModels2024``), which reproduces the published steady state. Where that code and the printed
paper disagree, the code's value is used because only it is self-consistent with the published
steady state (OBp 6.196e-4, OBa 5.584e-4, OCa 8.070e-4 pM):

* ``beta_RANKL`` 1.684e2 pM/day (paper prints 1.684e4);
* ``D_OBp`` 0.2674 1/day (paper prints 5.348e-1 before the f0 = 0.05 scaling);
* ``K_D8`` 4.457 pM, ``R_RANKL`` 2.703e6 and ``beta_OPG`` 1.625e8 1/day (paper values differ);
* the PTH activation (``K_PTH_act`` = 150 pM) and repression (``K_PTH_rep`` = 0.2226 pM)
  constants are used for both osteoblast stages, as in the code.
"""

from ..parameters import Parameter as P
from ..parameters import ParameterSet

SRC = "Pivonka2008"
CODE = "Pivonka2008; value of the reference code (BoneModels2024), see module docstring"

Pivonka2008 = ParameterSet.from_records(
    "Pivonka2008",
    SRC,
    "Pivonka 2008 bone cell population model with TGF-beta, PTH and RANK-RANKL-OPG (pM, days).",
    [
        P("D_OBu", 7.0e-4, "pM/day", "differentiation flux of uncommitted osteoblast progenitors (pool absorbed)", SRC),
        P("D_OBp", 0.2674077909527713, "1/day", "differentiation rate of osteoblast precursors to active osteoblasts", CODE),
        P("A_OBa", 0.189, "1/day", "apoptosis rate of active osteoblasts", SRC),
        P("D_OCp", 2.1e-3, "pM/day", "differentiation flux of osteoclast precursors (pool absorbed)", SRC),
        P("A_OCa", 0.7, "1/day", "apoptosis rate of active osteoclasts", SRC),
        P("K_D1", 4.545454545e-3, "pM", "TGF-beta activation constant of osteoblast progenitor differentiation", SRC),
        P("K_D2", 1.415624253823446e-3, "pM", "TGF-beta repression constant of osteoblast precursor differentiation", SRC),
        P("K_D3", 4.545454545e-3, "pM", "TGF-beta activation constant of osteoclast apoptosis", SRC),
        P("K_PTH_act", 150.0, "pM", "PTH activation constant of RANKL expression", CODE),
        P("K_PTH_rep", 0.2225814277099542, "pM", "PTH repression constant of OPG expression", CODE),
        P("K_D8", 4.457452802710724, "pM", "RANKL-RANK activation constant of osteoclast differentiation", CODE),
        P("K_A1", 1.0e-3, "1/pM", "association constant of RANKL-OPG binding", SRC),
        P("K_A2", 0.03411764705882353, "1/pM", "association constant of RANKL-RANK binding (k3/k4 of Lemaire 2004)", SRC),
        P("RANK", 10.0, "pM", "concentration of RANK receptors on osteoclast precursors", SRC),
        P("OPG_max", 2.0e8, "pM", "maximal OPG concentration", SRC),
        P("beta_OPG", 1.624900337835679e8, "1/day", "OPG production per active osteoblast (pM/day per pM of cells)", CODE),
        P("D_OPG", 0.35, "1/day", "OPG degradation rate", SRC),
        P("R_RANKL", 2.703476379131062e6, "1", "maximal RANKL per osteoblast precursor (pM per pM of cells)", CODE),
        P("beta_RANKL", 1.684195714712206e2, "pM/day", "intrinsic RANKL production rate", CODE),
        P("D_RANKL", 10.132471014805027, "1/day", "RANKL degradation rate", SRC),
        P("beta_PTH", 250.0, "pM/day", "systemic PTH production rate", SRC),
        P("D_PTH", 86.0, "1/day", "PTH degradation rate", SRC),
        P("alpha_TGFb", 1.0, "1", "TGF-beta stored per unit of bone resorbed (scaled with k_res)", SRC),
        P("D_TGFb", 1.0, "1/day", "degradation rate of active TGF-beta", SRC),
    ],
)
