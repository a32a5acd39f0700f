r"""Bisphosphonates: drug adsorbed to bone surfaces, doses as events.

A dose adsorbs to bone, :math:`\Delta S_r = D\, F\, f_{bone}\, \pi`
(oral bioavailability :math:`F` times the fraction of oral doses taken, the prescription's
``Therapy.adherence`` times the person's ``adherence``, 1 for intravenous zoledronic acid; skeletal uptake
:math:`f_{bone}`; potency :math:`\pi` relative to alendronate, so :math:`S` is in mg of
alendronate-equivalent). It binds first where mineral is exposed, on the surfaces being resorbed
(:math:`S_r`; Sato1991: alendronate given to rats was found on osteoclast resorption surfaces, under
the osteoclasts, and taken up by them; Masarachia1996; Russell2008), where the osteoclasts meet it; as
the resorption phase of those sites ends, it joins the rest of the surface drug :math:`S_a` at rate
:math:`k_r`. Surface drug desorbs and is buried by formation; buried drug is exhumed by resorption,
in the lacunae of the osteoclasts resorbing it, where a fraction :math:`\chi` re-adsorbs and is met
by them as a dose is (Chen2002, Khan1997; Russell2008, Roelofs2010: drug released by resorption is
taken up again by osteoclasts or re-adsorbs to the exposed mineral):

.. math::

    \dot S_r = \chi k_{exh} \hat R S_b - k_r S_r, \qquad
    \dot S_a = k_r S_r - k_{des} S_a - k_{bury} \hat F S_a, \qquad
    \dot S_b = k_{bury} \hat F S_a - k_{exh} \hat R S_b,

with :math:`\hat F, \hat R` the formation and resorption relative to the young-adult reference.
Osteoclasts resorbing drug-laden surface die faster; a mg on the resorbing surfaces counts
:math:`w_r` times a mg spread over the rest of the surface, most of which no osteoclast reaches:

.. math::

    m_{BP} = 1 + E_{max}\, \frac{S_e}{S_e + EC_{50}}, \qquad S_e = S_a + w_r S_r.

The osteoclasts' exposure is thus set by the drug on the surfaces being resorbed, which reaches its
steady state within weeks of the first dose (:math:`1/k_r`), more than by the surface drug that
accumulates over years: resorption markers reach their nadir within 1-3 months of alendronate
(Reid2006: urinary NTX -52 % at 3 months) and then hold (Bone2004). Once treatment stops, the drug
exhumed from the bone buried under it keeps reaching the osteoclasts, and the offset is slow
(Black2006, FLEX).
"""

from __future__ import annotations

from ..declare import Agent, Drug, Output, State

CITATIONS = ("Chen2002", "Khan1997", "Russell2008", "Roelofs2010", "Sato1991", "Masarachia1996", "Reid2006", "Bone2004",
             "Black2006")

STATES = (
    State("bp_resorbing", "mg", 0.1, Output("bisphosphonate_resorbing", "mg", "bisphosphonate on resorbing surfaces",
                                            "alendronate-equivalent drug adsorbed to the surfaces being resorbed")),
    State("bp_surface", "mg", 1.0, Output("bisphosphonate_bound", "mg", "bone-surface bisphosphonate",
                                          "alendronate-equivalent drug adsorbed to the other bone surfaces")),
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
    return "bp_resorbing", therapy.dose * bioavailability * p["f_bone_BP"] * potency


def kinetics(y, dy, i, formation_rel, resorption_rel, p, weight_kg):
    """Rates of resorbing-surface, other surface and buried drug ``(S_r, S_a, S_b) = y[i], y[i + 1], y[i + 2]``
    into ``dy``."""
    S_r, S_a, S_b = y[i], y[i + 1], y[i + 2]
    joined = p["k_r_BP"] * S_r
    burial = p["k_bury_BP"] * formation_rel * S_a
    exhumation = p["k_exh_BP"] * resorption_rel * S_b
    dy[i] = p["chi_BP"] * exhumation - joined
    dy[i + 1] = joined - p["k_des_BP"] * S_a - burial
    dy[i + 2] = burial - exhumation


def osteoclast_apoptosis(y, i, p):
    """Multiplier of osteoclast apoptosis by the drug the osteoclasts meet, ``w_r y[i] + y[i + 1]``."""
    S_e = p["w_r_BP"] * y[i] + y[i + 1]
    return 1.0 + p["E_max_BP"] * S_e / (S_e + p["EC50_BP"])


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
