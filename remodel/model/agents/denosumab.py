r"""Denosumab: a subcutaneous anti-RANKL antibody, doses as events.

Subcutaneous depot :math:`A` (mg) absorbed at rate :math:`k_a` into serum :math:`C` (ng/mL) with
linear and saturable (target-mediated) elimination (Sutjandra2011 as coded in MartinezReina2019);
it sequesters RANKL in the bone microenvironment:

.. math::

    \dot A = -k_a A, \qquad
    \dot C = \frac{k_a F_{den} A\, 10^6}{V_c W} - \frac{V_{max} W}{V_c W}\frac{C}{K_m + C} - k_{el} C,
    \qquad S_{den} = \chi_{den} K_{A,den}\, C\, \frac{10^6}{M_{den}}.
"""

from __future__ import annotations

import numpy as np

from ..declare import Agent, Drug, Output, State

CITATIONS = ("Sutjandra2011", "MartinezReina2019")

STATES = (
    State("denosumab_depot", "mg", 60.0),
    State("denosumab_serum", "ng/mL", 1000.0, Output("denosumab_serum", "ng/mL", "serum denosumab",
                                                     "serum concentration (Sutjandra2011)")),
)
MOLAR_MASS = 149e3  # g/mol, as in MartinezReina2019


def dose(therapy, p):
    """The state a dose enters and the amount it adds (per member)."""
    return "denosumab_depot", therapy.dose * np.ones_like(p["k_a_den"])


def kinetics(x, dx, formation_rel, resorption_rel, p, weight_kg):
    """Rates of depot and serum drug ``x = (A, C)`` into ``dx``."""
    A, C = x[0], x[1]
    absorption = p["k_a_den"] * A
    volume = p["V_c_den"] * weight_kg
    dx[0] = -absorption
    dx[1] = (absorption * p["F_den"] * 1e6 / volume - p["V_max_den"] * weight_kg / volume * C / (p["K_m_den"] + C)
             - p["k_el_den"] * C)


def rankl_sink(x, p):
    """RANKL sequestration term (added to the RANKL binding denominator)."""
    return p["chi_den"] * p["K_A_den"] * x[1] * 1e6 / MOLAR_MASS


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
