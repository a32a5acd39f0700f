r"""Denosumab: a subcutaneous anti-RANKL antibody, doses as events.

Subcutaneous depot :math:`A` (mg) absorbed at rate :math:`k_a` into serum :math:`C` (ng/mL) with
linear and saturable (target-mediated) elimination (Sutjandra2011 as coded in MartinezReina2019).
In the bone microenvironment it binds RANKL, of which there is little: the bound drug :math:`C_b`
(a serum-equivalent concentration) fills towards the capacity :math:`B_{max}` at a rate that grows
with serum levels and empties on the time scale :math:`1/k_{e0}` (an effect compartment,
Sheiner1979, made saturable as target-mediated binding is):

.. math::

    \dot A = -k_a A, \qquad
    \dot C = \frac{k_a F_{den} A\, 10^6}{V_c W} - \frac{V_{max} W}{V_c W}\frac{C}{K_m + C} - k_{el} C,

    \dot C_b = k_{e0}\left[C\left(1 - \frac{C_b}{B_{max}}\right) - C_b\right], \qquad
    S_{den} = \chi_{den} K_{A,den}\, C_b\, \frac{10^6}{M_{den}}.

With serum levels in the µg/mL after a dose and :math:`B_{max}` tens of ng/mL, the bone compartment
fills within a day of each dose and empties over months as serum falls: RANKL is sequestered at once,
suppression holds through each 6-month interval without a rebound of resorption after the next dose, and wears
off 6-9 months after the last dose, as in FREEDOM and its discontinuation studies (Cummings2009,
Bone2011). For :math:`B_{max} \to \infty` it is the linear effect compartment.
"""

from __future__ import annotations

import numpy as np

from ..declare import Agent, Drug, Output, State

CITATIONS = ("Sutjandra2011", "MartinezReina2019", "Sheiner1979", "Cummings2009", "Bone2011")

STATES = (
    State("denosumab_depot", "mg", 60.0),
    State("denosumab_serum", "ng/mL", 1000.0, Output("denosumab_serum", "ng/mL", "serum denosumab",
                                                     "serum concentration (Sutjandra2011)")),
    State("denosumab_bone", "ng/mL", 1000.0),
)
MOLAR_MASS = 149e3  # g/mol, as in MartinezReina2019


def dose(therapy, p):
    """The state a dose enters and the amount it adds (per member)."""
    return "denosumab_depot", therapy.dose * np.ones_like(p["k_a_den"])


def kinetics(y, dy, i, formation_rel, resorption_rel, p, weight_kg):
    """Rates of depot, serum and bone drug ``(A, C, C_b) = y[i], y[i + 1], y[i + 2]`` into ``dy``."""
    A, C, C_bone = y[i], y[i + 1], y[i + 2]
    absorption = p["k_a_den"] * A
    volume = p["V_c_den"] * weight_kg
    dy[i] = -absorption
    dy[i + 1] = (absorption * p["F_den"] * 1e6 / volume - p["V_max_den"] * weight_kg / volume * C / (p["K_m_den"] + C)
             - p["k_el_den"] * C)
    dy[i + 2] = p["k_e0_den"] * (C * (1.0 - C_bone / p["B_max_den"]) - C_bone)


def rankl_sink(y, i, p):
    """RANKL sequestration term (added to the RANKL binding denominator) of the drug in bone ``y[i + 2]``."""
    return p["chi_den"] * p["K_A_den"] * y[i + 2] * 1e6 / MOLAR_MASS


AGENT = Agent(
    "denosumab",
    drugs=(Drug("denosumab", "rankl_antibody", "mg", 60.0, "subcutaneous anti-RANKL antibody every 6 months",
                ("Sutjandra2011", "MartinezReina2019"), 182.625),),
    citations=CITATIONS,
    states=STATES,
    kinetics=kinetics,
    effects={"rankl_sink": rankl_sink},
    dose=dose,
)
