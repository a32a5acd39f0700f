r"""PTH analogues: teriparatide (PTH(1-34)) and abaloparatide (a PTHrP(1-34) analogue), daily
subcutaneous injections, doses as events; what PTH does to bone depends on its time course.

**Pharmacokinetics.** A dose of drug :math:`j` enters a subcutaneous depot :math:`A_j` (µg),
absorbed at rate :math:`k_{a,j}` into serum :math:`C_j` (pM), cleared at :math:`k_{el,j}` from a
volume :math:`V_j` (teriparatide: :math:`V = CL/k_{el}`, the apparent half-life of about an hour
is that of absorption, Satterwhite2010, ForteoLabel, OpenBoneMin; abaloparatide: terminal half-life
1.7 h, peak at 0.51 h, volume about 50 L, bioavailability 36 %, TymlosLabel):

.. math::

    \dot A_j = -k_{a,j} A_j, \qquad \dot C_j = \frac{k_{a,j} F_j A_j\, 10^6/M_j}{V_j} - k_{el,j} C_j.

Both act on the same receptor, PTH1R; abaloparatide's concentrations count with a potency
:math:`\pi` relative to teriparatide: :math:`L = C_T + \pi C_A` (one potency for both paths: its
selectivity for the transiently signalling receptor conformation, RG, is not modelled).

**Time structure** (Frolik2003: duration of exposure, not dose, decides anabolic or catabolic; the
same daily dose spread over 6-8 hours is catabolic). The osteoblasts' PTH1R desensitise under
occupancy and recover over hours (PTH1R internalisation; Datta2010: a receptor that cannot be
internalised gives exaggerated, sustained responses to infused PTH). The fraction :math:`D`
desensitised by the drug (0 at the endogenous baseline: the tonic endogenous hormone sets the
reference state) and the survival programme :math:`B` that the responsive receptors drive (Bcl-2
via CREB/Runx2: PTH delays osteoblast apoptosis, Jilka1999, Bellido2003; the mechanism by which
pulsed PTH is anabolic in the Lemaire line, Ross2012, and in PetersonRiggs2010):

.. math::

    \dot D = k_{des} L (1 - D) - k_{rec} D, \qquad
    \dot B = k_B \left[\frac{(R L)^n}{(R L)^n + K_a^n} - B\right], \qquad R = 1 - D.

The signal :math:`R L` crosses the threshold :math:`K_a` only at the peak of a pulse, when the
receptors have had the day to recover: a daily injection stays above it for about half an hour
(the programme carries it through the day), the same dose infused continuously never (:math:`L`
about 3 pM, a tenth of the peak), and a continuous infusion of any size keeps
:math:`R L < k_{rec}/k_{des}`, below it. Sustained signalling arrests osteoblasts instead
(Horwitz2011: a 7-day infusion of PTH(1-34) suppressed bone formation by 30-40 % while resorption
rose; Horwitz2005), here through the desensitised (internalised) receptors :math:`D` and, as the
cell model offers the drugs, as a shorter osteoblast life. So the osteoblast apoptosis multiplier
and the survival signal are

.. math::

    e_{A,OBa} = 1 + E_{arr} D, \qquad \sigma_{OB} = E_{OB} B,

osteoblast apoptosis being divided by :math:`1 + f_{open}\sigma_{OB}` at a site whose fraction
:math:`f_{open}` of osteoblasts work on open surfaces (:mod:`remodel.model.physiology.site`: a longer
life overfills cancellous and endocortical remodelling sites, not closing intracortical osteons),
pulses winning the arrest back many times over, an infusion not. The catabolic path, RANKL up
and OPG down, is the PTH of the signalling block (:mod:`remodel.model.physiology.signalling`): the
drugs add :math:`P_{drug} = \chi\, C_e`, where the effect compartment
:math:`\dot C_e = k_{e0}(L - C_e)` (Sheiner1979) follows the mean exposure and carries
the slow recruitment of osteoclasts, so that on daily injections resorption rises after formation
and less (McClung2005: P1NP +218 % and NTX +58 % at 6 months). Sustained high endogenous PTH
(secondary hyperparathyroidism) acts through the catabolic path only
(:mod:`remodel.model.physiology.nutrition`): it has no pulses to reach the anabolic one. Without
drug, :math:`D = B = C_e = 0`, and every effect is its identity.
"""

from __future__ import annotations

import numpy as np

from ..declare import Agent, Drug, Output, State

CITATIONS = ("Satterwhite2010", "ForteoLabel", "ForsteoSmPC", "OpenBoneMin", "TymlosLabel", "Frolik2003", "Datta2010",
             "Jilka1999", "Bellido2003", "Ross2012", "PetersonRiggs2010", "Horwitz2011", "Horwitz2005", "Kroll2000",
             "Sheiner1979", "McClung2005", "Neer2001", "Miller2016")

MOLAR_MASS_TERIPARATIDE = 4117.8  # g/mol (OpenBoneMin)
MOLAR_MASS_ABALOPARATIDE = 3960.7  # g/mol, from the formula C174H300N56O49 (TymlosLabel)

STATES = (
    State("teriparatide_depot", "ug", 20.0),
    State("teriparatide_serum", "pM", 10.0, Output("teriparatide_serum", "pM", "serum teriparatide",
                                                   "serum PTH(1-34) from the injections (Satterwhite2010)")),
    State("abaloparatide_depot", "ug", 80.0),
    State("abaloparatide_serum", "pM", 10.0, Output("abaloparatide_serum", "pM", "serum abaloparatide",
                                                    "serum abaloparatide from the injections (TymlosLabel)")),
    State("pth1r_desensitised", "1", 0.1, Output("pth1r_desensitised", "1", "desensitised osteoblast PTH1R",
                                                 "fraction of the osteoblasts' PTH receptors desensitised by the drug (0 without it)")),
    State("osteoblast_survival_programme", "1", 0.01),
    State("pth_effect", "pM", 1.0),
)
_DEPOT = {"teriparatide": "teriparatide_depot", "abaloparatide": "abaloparatide_depot"}


def dose(therapy, p):
    """The state a dose enters (the drug's depot) and the amount it adds (per member)."""
    return _DEPOT[therapy.drug], therapy.dose * np.ones_like(p["k_a_ptd"])


def kinetics(y, dy, i, formation_rel, resorption_rel, p, weight_kg):
    """Rates of the depots, serum drugs, desensitised receptors, survival programme and effect
    compartment ``y[i]`` ... ``y[i + 6]`` into ``dy``."""
    absorbed_T = p["k_a_ptd"] * y[i]
    absorbed_A = p["k_a_abl"] * y[i + 2]
    dy[i] = -absorbed_T
    dy[i + 1] = absorbed_T * p["F_ptd"] * 1e6 / MOLAR_MASS_TERIPARATIDE * p["k_el_ptd"] / p["CL_ptd"] \
        - p["k_el_ptd"] * y[i + 1]
    dy[i + 2] = -absorbed_A
    dy[i + 3] = absorbed_A * p["F_abl"] * 1e6 / MOLAR_MASS_ABALOPARATIDE / p["V_abl"] - p["k_el_abl"] * y[i + 3]
    ligand = y[i + 1] + p["pi_abl"] * y[i + 3]
    D = y[i + 4]
    dy[i + 4] = p["k_des_PTH1R"] * ligand * (1.0 - D) - p["k_rec_PTH1R"] * D
    signal = (np.maximum((1.0 - D) * ligand, 0.0) / p["K_a_PTH1R"]) ** p["n_PTH1R"]
    dy[i + 5] = p["k_B_PTH1R"] * (signal / (1.0 + signal) - y[i + 5])
    dy[i + 6] = p["k_e0_ptd"] * (ligand - y[i + 6])


def osteoblast_apoptosis(y, i, p):
    """Multiplier of osteoblast apoptosis by arrest: the desensitised receptors ``y[i + 4]``."""
    return 1.0 + p["E_arr_PTH1R"] * y[i + 4]


def osteoblast_survival(y, i, p):
    """Survival signal of the programme ``y[i + 5]`` (osteoblast apoptosis divided by 1 + f times it)."""
    return p["E_OB_PTH1R"] * y[i + 5]


def pth_exposure(y, i, p):
    """PTH (pM) the drugs add to the signalling block, from the effect compartment ``y[i + 6]``."""
    return p["chi_ptd"] * y[i + 6]


AGENT = Agent(
    "pth_analogues",
    drugs=(Drug("teriparatide", "pth_analogue", "ug", 20.0, "subcutaneous PTH(1-34), daily",
                ("Neer2001", "Satterwhite2010"), 1.0),
           Drug("abaloparatide", "pth_analogue", "ug", 80.0, "subcutaneous PTHrP(1-34) analogue, daily",
                ("Miller2016", "TymlosLabel"), 1.0)),
    citations=CITATIONS,
    states=STATES,
    kinetics=kinetics,
    effects={"osteoblast_apoptosis": osteoblast_apoptosis, "osteoblast_survival": osteoblast_survival,
             "pth_exposure": pth_exposure},
    dose=dose,
)
