r"""Romosozumab: a subcutaneous anti-sclerostin antibody given monthly, doses as events.

Two-compartment PK with first-order absorption and linear plus target-mediated elimination
(Eudy2015, as coded in OpenBoneMin): depot :math:`A_s` and peripheral :math:`A_p` (nmol), serum
:math:`C` (nM; the central amount over :math:`V_c`),

.. math::

    \dot A_s = -k_a A_s, \qquad
    V_c \dot C = k_a F A_s - V_{max}\frac{V_c C}{K_m + C} - (CL + Q)\, C + Q \frac{A_p}{V_p}, \qquad
    \dot A_p = Q\, C - Q \frac{A_p}{V_p}.

The antibody binds the osteocytes' sclerostin in the bone fluid, which it reaches through an effect
compartment :math:`C_e` (serum-equivalent nM; the antibody diffuses into the lacunar-canalicular
fluid over days, as denosumab reaches the bone microenvironment, Sheiner1979), a fraction
:math:`W = C_e/(C_e + K_{b})` of it, where :math:`K_b` is the concentration that binds half the
sclerostin of the bone (above the :math:`K_m` of the target-mediated elimination, since the bone fluid
sees a fraction of the serum antibody; fitted). Freed Wnt signalling acts through three paths: progenitor
commitment to the osteoblast lineage, by the same Wnt drive as the mechanostat's
(:mod:`remodel.model.physiology.osteocytes`: sclerostin's free fraction :math:`f_{free} = 1 - W(1 - T)`
divides it; Baron2013), a longer osteoblast life (Wnt proteins prevent osteoblast apoptosis,
Almeida2005) and more OPG (resorption down; Wnt/beta-catenin raises OPG, Glass2005). The formation
response wanes within the year although the drug is still given (FRAME: P1NP back to placebo by month
9, EvenityLabel; formation below placebo in month-12 biopsies, Chavassieux2019): partly through the
coupling of the cell model (less resorption releases less TGF-beta, which feeds the osteoblast
precursors), partly as a tolerance :math:`T` builds up (Eudy2015's tolerance compartment; here the
compensation of the freed Wnt signalling, fitted to the second-year gain, McClung2018); resorption stays
suppressed:

.. math::

    \dot C_e = k_{e0}\,(C - C_e), \qquad \dot T = k_{tol}\,(W - T), \qquad f_{free} = 1 - W (1 - T), \qquad
    \sigma_{OB} = E_{OB}\, W (1 - T), \qquad e_{OPG} = 1 + E_{OPG}\, W,

osteoblast apoptosis being divided by :math:`1 + f_{open}\sigma_{OB}` at a site whose fraction
:math:`f_{open}` of osteoblasts work on open surfaces (:mod:`remodel.model.physiology.site`; at the
hip cortical bone gained less than trabecular bone, though more than on teriparatide, Genant2017).
"""

from __future__ import annotations

import numpy as np

from ..declare import Agent, Drug, Output, State

CITATIONS = ("Eudy2015", "OpenBoneMin", "Almeida2005", "Glass2005", "Cosman2016", "EvenityLabel", "Chavassieux2019",
             "McClung2018", "Genant2017", "Baron2013", "Sheiner1979")

MOLAR_MASS = 145e3  # g/mol, as in Eudy2015 (OpenBoneMin: nmol = mg / 0.145)

STATES = (
    State("romosozumab_depot", "nmol", 1000.0),
    State("romosozumab_serum", "nM", 100.0, Output("romosozumab_serum", "nM", "serum romosozumab",
                                                   "serum concentration (Eudy2015; 1 nM is 0.145 ug/mL)")),
    State("romosozumab_peripheral", "nmol", 100.0),
    State("romosozumab_tolerance", "1", 0.1, Output("romosozumab_tolerance", "1", "tolerance to sclerostin inhibition",
                                                    "fraction of the osteogenic response to romosozumab lost to compensation (Eudy2015)")),
    State("romosozumab_bone", "nM", 100.0, Output("romosozumab_bone", "nM", "romosozumab seen by the bone fluid",
                                                  "effect compartment of the antibody binding the osteocytes' sclerostin, in serum-equivalent nM")),
)


def dose(therapy, p):
    """The state a dose enters and the amount it adds (per member): mg to nmol."""
    return "romosozumab_depot", therapy.dose * 1e6 / MOLAR_MASS * np.ones_like(p["k_a_rmab"])


def kinetics(y, dy, i, formation_rel, resorption_rel, p, weight_kg):
    """Rates of depot, serum, peripheral drug, tolerance and effect compartment ``y[i]`` ... ``y[i + 4]``
    into ``dy``."""
    absorption = p["k_a_rmab"] * y[i]
    C = y[i + 1]
    distribution = p["Q_rmab"] * (C - y[i + 2] / p["V_p_rmab"])
    dy[i] = -absorption
    dy[i + 1] = ((absorption * p["F_rmab"] - p["CL_rmab"] * C - distribution) / p["V_c_rmab"]
                 - p["V_max_rmab"] * C / (p["K_m_rmab"] + C))
    dy[i + 2] = distribution
    dy[i + 3] = p["k_tol_rmab"] * (y[i + 4] / (y[i + 4] + p["K_b_rmab"]) - y[i + 3])
    dy[i + 4] = p["k_e0_rmab"] * (C - y[i + 4])


def free_sclerostin(y, i, p):
    """Fraction of the bone's sclerostin left free, :math:`1 - W(1 - T)`, with :math:`W` from the
    bone fluid's drug ``y[i + 4]`` and the tolerance ``y[i + 3]``."""
    C = y[i + 4]
    return 1.0 - C / (C + p["K_b_rmab"]) * (1.0 - y[i + 3])


def osteoblast_survival(y, i, p):
    """Survival signal of freed Wnt signalling (sclerostin bound, :math:`W`, from ``y[i + 4]``), less
    the tolerance ``y[i + 3]`` (osteoblast apoptosis divided by 1 + f times it)."""
    C = y[i + 4]
    return p["E_OB_rmab"] * C / (C + p["K_b_rmab"]) * (1.0 - y[i + 3])


def opg_production(y, i, p):
    """Multiplier of OPG production by freed Wnt signalling (sclerostin bound, from ``y[i + 4]``)."""
    C = y[i + 4]
    return 1.0 + p["E_OPG_rmab"] * C / (C + p["K_b_rmab"])


AGENT = Agent(
    "romosozumab",
    drugs=(Drug("romosozumab", "sclerostin_antibody", "mg", 210.0, "subcutaneous anti-sclerostin antibody, monthly",
                ("Cosman2016", "Eudy2015"), 30.4375),),
    citations=CITATIONS,
    states=STATES,
    kinetics=kinetics,
    effects={"osteoblast_survival": osteoblast_survival, "opg_production": opg_production,
             "free_sclerostin": free_sclerostin},
    dose=dose,
)
