"""Lemaire et al. 2004 (J Theor Biol 229:293), Table 1, as curated in BioModels BIOMD0000000278."""

from ..parameters import Parameter as P
from ..parameters import ParameterSet

SRC = "Lemaire2004"

Lemaire2004 = ParameterSet.from_records(
    "Lemaire2004",
    SRC,
    "Lemaire 2004 osteoblast/osteoclast model with RANK-RANKL-OPG and PTH (concentrations in pM, time in days).",
    [
        P("D_R", 7e-4, "pM/day", "differentiation rate of osteoblast progenitors into responding osteoblasts", SRC),
        P("d_B", 0.7, "1/day", "differentiation rate of responding into active osteoblasts (before f0 scaling)", SRC),
        P("f0", 0.05, "1", "fixed proportion in the TGF-beta action function pi_C", SRC, (0.0, 1.0)),
        P("C_s", 5e-3, "pM", "osteoclast concentration giving half-maximal TGF-beta action", SRC),
        P("k_B", 0.189, "1/day", "elimination (apoptosis) rate of active osteoblasts", SRC),
        P("D_C", 2.1e-3, "pM/day", "differentiation rate of osteoclast precursors", SRC),
        P("D_A", 0.7, "1/day", "rate of osteoclast apoptosis caused by TGF-beta", SRC),
        P("K", 10.0, "pM", "fixed concentration of RANK", SRC),
        P("k1", 1e-2, "1/(pM day)", "rate of OPG-RANKL binding", SRC),
        P("k2", 10.0, "1/day", "rate of OPG-RANKL unbinding", SRC),
        P("k3", 5.8e-4, "1/(pM day)", "rate of RANK-RANKL binding", SRC),
        P("k4", 1.7e-2, "1/day", "rate of RANK-RANKL unbinding", SRC),
        P("k5", 0.02, "1/(pM day)", "rate of PTH binding to its receptor", SRC),
        P("k6", 3.0, "1/day", "rate of PTH unbinding", SRC),
        P("kO", 0.35, "1/day", "rate of OPG elimination", SRC),
        P("k_P", 86.0, "1/day", "rate of PTH elimination", SRC),
        P("K_L_P", 3e6, "1", "maximum number of RANKL molecules per active osteoblast (pM per pM of cells)", SRC),
        P("K_O_P", 2e5, "1/day", "OPG production per responding osteoblast (pM/day per pM of cells)", SRC),
        P("r_L", 1e3, "pM/day", "RANKL production and elimination rate (scales RANKL infusion)", SRC),
        P("S_P", 250.0, "pM/day", "PTH production rate", SRC),
        P("I_P", 0.0, "pM/day", "PTH infusion rate", SRC, (0.0, 1e4)),
        P("I_O", 0.0, "pM/day", "OPG infusion rate", SRC, (0.0, 1e6)),
        P("I_L", 0.0, "pM/day", "RANKL infusion rate", SRC, (0.0, 1e5)),
    ],
)
