r"""Bisphosphonates: drug adsorbed to bone surfaces, doses as events.

A dose adsorbs to bone surfaces, :math:`\Delta S_a = D\, F\, f_{bone}\, \pi`
(oral bioavailability :math:`F` times the fraction of oral doses taken, the prescription's
``Therapy.adherence`` times the person's ``adherence``, 1 for intravenous zoledronic acid; skeletal uptake
:math:`f_{bone}`; potency :math:`\pi` relative to alendronate, so :math:`S` is in mg of
alendronate-equivalent). Surface drug desorbs, is buried by formation and exhumed by
resorption, of which a fraction :math:`\chi` re-adsorbs (Chen2002, Khan1997):

.. math::

    \dot S_a = -k_{des} S_a - k_{bury} \hat F S_a + \chi k_{exh} \hat R S_b, \qquad
    \dot S_b = k_{bury} \hat F S_a - k_{exh} \hat R S_b,

with :math:`\hat F, \hat R` the formation and resorption relative to the young-adult reference.
Osteoclasts resorbing drug-laden surface die faster:
:math:`m_{BP} = 1 + E_{max} S_a/(S_a + EC_{50})`.
"""

from __future__ import annotations

from ..declare import Agent, Drug, Output, State

CITATIONS = ("Chen2002", "Khan1997", "Russell2008")

STATES = (
    State("bp_surface", "mg", 1.0, Output("bisphosphonate_bound", "mg", "bone-surface bisphosphonate",
                                          "alendronate-equivalent drug adsorbed to bone surfaces")),
    State("bp_buried", "mg", 1.0),
)

_ORAL_BIOAVAILABILITY = {"alendronate": "F_alendronate", "risedronate": "F_risedronate", "ibandronate": "F_ibandronate"}
_POTENCY = {"zoledronic_acid": "potency_zoledronic_acid", "risedronate": "potency_risedronate",
            "ibandronate": "potency_ibandronate"}


def dose(therapy, p):
    """The state a dose enters and the amount it adds (per member)."""
    oral = therapy.drug in _ORAL_BIOAVAILABILITY
    bioavailability = p[_ORAL_BIOAVAILABILITY[therapy.drug]] * p["adherence"] * therapy.adherence if oral else 1.0
    potency = p[_POTENCY[therapy.drug]] if therapy.drug in _POTENCY else 1.0
    return "bp_surface", therapy.dose * bioavailability * p["f_bone_BP"] * potency


def kinetics(y, dy, i, formation_rel, resorption_rel, p, weight_kg):
    """Rates of surface and buried drug ``(S_a, S_b) = y[i], y[i + 1]`` into ``dy``."""
    S_a, S_b = y[i], y[i + 1]
    burial = p["k_bury_BP"] * formation_rel * S_a
    exhumation = p["k_exh_BP"] * resorption_rel * S_b
    dy[i] = -p["k_des_BP"] * S_a - burial + p["chi_BP"] * exhumation
    dy[i + 1] = burial - exhumation


def osteoclast_apoptosis(y, i, p):
    """Multiplier of osteoclast apoptosis by surface-bound drug ``y[i]``."""
    return 1.0 + p["E_max_BP"] * y[i] / (y[i] + p["EC50_BP"])


AGENT = Agent(
    "bisphosphonates",
    drugs=(
        Drug("zoledronic_acid", "bisphosphonate", "mg", 5.0,
             "intravenous bisphosphonate (5 mg yearly for osteoporosis, 4 mg every 6 months in oncology)",
             ("Chen2002", "Black2007"), 365.25),
        Drug("alendronate", "bisphosphonate", "mg", 70.0, "oral bisphosphonate, weekly", ("Khan1997",), 7.0,
             self_administered=True),
        Drug("risedronate", "bisphosphonate", "mg", 35.0, "oral bisphosphonate, weekly", ("Mitchell2000",), 7.0,
             self_administered=True),
        Drug("ibandronate", "bisphosphonate", "mg", 150.0, "oral bisphosphonate, monthly", ("Barrett2004",), 30.4375,
             self_administered=True),
    ),
    citations=CITATIONS,
    states=STATES,
    kinetics=kinetics,
    effects={"osteoclast_apoptosis": osteoclast_apoptosis},
    dose=dose,
)
