r"""Teriparatide: recombinant PTH(1-34) as a daily subcutaneous injection, doses as events.

A dose enters a subcutaneous depot :math:`A` (µg), absorbed at rate :math:`k_a` into serum
:math:`C` (pM) and cleared at :math:`k_{el}` from a volume :math:`V = CL/k_{el}`; the apparent
half-life of about an hour after injection is that of absorption (Satterwhite2010, ForteoLabel;
absorption rate as coded in OpenBoneMin), so each dose is a pulse of about 4 hours:

.. math::

    \dot A = -k_a A, \qquad
    \dot C = \frac{k_a F A\, 10^6/M}{V} - k_{el} C, \qquad
    \dot C_e = k_{e0}\,(C - C_e).

PTH acts on bone through two paths with different time courses (Kroll2000). While the pulse lasts
it delays osteoblast apoptosis (Jilka1999; the mechanism by which pulsed PTH is anabolic in the
Lemaire line, Ross2012), :math:`e_{A,OBa} = 1/(1 + C/K_{OB})`, so formation rises within weeks.
Its catabolic path, RANKL up and OPG down, is the PTH of the signalling block
(:mod:`remodel.model.physiology.signalling`): the drug adds :math:`P_{drug} = \chi\, C_e`, where the
effect compartment :math:`C_e` (Sheiner1979) carries the slow recruitment of osteoclasts, so that
resorption rises after formation and less (McClung2005: P1NP +218 % and NTX +58 % at 6 months). With
:math:`K_{OB}` far below the peak, the anabolic path is on while the drug is present: the duration of
exposure decides (Frolik2003); a continuous infusion is not modelled as catabolic. Sustained high
PTH (secondary hyperparathyroidism) acts through the catabolic path only
(:mod:`remodel.model.physiology.nutrition`).
"""

from __future__ import annotations

import numpy as np

from ..declare import Agent, Drug, Output, State

CITATIONS = ("Satterwhite2010", "ForteoLabel", "ForsteoSmPC", "OpenBoneMin", "Jilka1999", "Ross2012", "Kroll2000",
             "Sheiner1979", "McClung2005", "Frolik2003", "Neer2001")

MOLAR_MASS = 4117.8  # g/mol of teriparatide (OpenBoneMin)

STATES = (
    State("teriparatide_depot", "ug", 20.0),
    State("teriparatide_serum", "pM", 10.0, Output("teriparatide_serum", "pM", "serum teriparatide",
                                                   "serum PTH(1-34) from the injections (Satterwhite2010)")),
    State("teriparatide_effect", "pM", 1.0),
)


def dose(therapy, p):
    """The state a dose enters and the amount it adds (per member)."""
    return "teriparatide_depot", therapy.dose * np.ones_like(p["k_a_ptd"])


def kinetics(y, dy, i, formation_rel, resorption_rel, p, weight_kg):
    """Rates of depot, serum and effect-compartment drug ``(A, C, C_e) = y[i], y[i + 1], y[i + 2]`` into ``dy``."""
    absorption = p["k_a_ptd"] * y[i]
    volume = p["CL_ptd"] / p["k_el_ptd"]
    dy[i] = -absorption
    dy[i + 1] = absorption * p["F_ptd"] * 1e6 / MOLAR_MASS / volume - p["k_el_ptd"] * y[i + 1]
    dy[i + 2] = p["k_e0_ptd"] * (y[i + 1] - y[i + 2])


def osteoblast_apoptosis(y, i, p):
    """Multiplier of osteoblast apoptosis by serum teriparatide ``y[i + 1]``."""
    return 1.0 / (1.0 + y[i + 1] / p["K_OB_ptd"])


def pth_exposure(y, i, p):
    """PTH (pM) the drug adds to the signalling block, from the effect compartment ``y[i + 2]``."""
    return p["chi_ptd"] * y[i + 2]


AGENT = Agent(
    "teriparatide",
    drugs=(Drug("teriparatide", "pth_analogue", "ug", 20.0, "subcutaneous PTH(1-34), daily",
                ("Neer2001", "Satterwhite2010"), 1.0),),
    citations=CITATIONS,
    states=STATES,
    kinetics=kinetics,
    effects={"osteoblast_apoptosis": osteoblast_apoptosis, "pth_exposure": pth_exposure},
    dose=dose,
)
