r"""Anti-resorptive drugs: bisphosphonates and denosumab, with doses as events.

Bisphosphonates. A dose adsorbs to bone surfaces, :math:`\Delta S_a = D\, F\, f_{bone}\, \pi`
(oral bioavailability :math:`F` times the fraction of oral doses taken, 1 for intravenous
zoledronic acid; skeletal uptake
:math:`f_{bone}`; potency :math:`\pi` relative to alendronate, so :math:`S` is in mg of
alendronate-equivalent). Surface drug desorbs, is buried by formation and exhumed by
resorption, of which a fraction :math:`\chi` re-adsorbs (Chen2002, Khan1997):

.. math::

    \dot S_a = -k_{des} S_a - k_{bury} \hat F S_a + \chi k_{exh} \hat R S_b, \qquad
    \dot S_b = k_{bury} \hat F S_a - k_{exh} \hat R S_b,

with :math:`\hat F, \hat R` the formation and resorption relative to the young-adult reference.
Osteoclasts resorbing drug-laden surface die faster:
:math:`m_{BP} = 1 + E_{max} S_a/(S_a + EC_{50})`.

Denosumab. Subcutaneous depot :math:`A` (mg) absorbed at rate :math:`k_a` into serum
:math:`C` (ng/mL) with linear and saturable (target-mediated) elimination (Sutjandra2011 as
coded in MartinezReina2019); it sequesters RANKL in the bone microenvironment:

.. math::

    \dot A = -k_a A, \qquad
    \dot C = \frac{k_a F_{den} A\, 10^6}{V_c W} - \frac{V_{max} W}{V_c W}\frac{C}{K_m + C} - k_{el} C,
    \qquad S_{den} = \chi_{den} K_{A,den}\, C\, \frac{10^6}{M_{den}}.
"""

from __future__ import annotations

import numpy as np

CITATIONS = ("Chen2002", "Khan1997", "Russell2008", "Sutjandra2011", "MartinezReina2019")

SYSTEMIC_STATES = ("bp_surface", "bp_buried", "denosumab_depot", "denosumab_serum")

_ORAL_BIOAVAILABILITY = {"alendronate": "F_alendronate", "risedronate": "F_risedronate", "ibandronate": "F_ibandronate"}
_POTENCY = {"zoledronic_acid": "potency_zoledronic_acid", "risedronate": "potency_risedronate",
            "ibandronate": "potency_ibandronate"}
DENOSUMAB_MOLAR_MASS = 149e3  # g/mol, as in MartinezReina2019


def dose_times(therapy, horizon_days, days_per_year=365.25):
    """Days of the discrete doses of ``therapy`` within ``[0, horizon_days]``."""
    start = therapy.start_year * days_per_year
    stop = min(therapy.stop * days_per_year, horizon_days + 1e-9)
    return np.arange(start, stop, therapy.interval_days)


def dose_jump(therapy, p):
    """Index of the systemic state a dose enters and the amount it adds (per member)."""
    if therapy.action == "rankl_antibody":
        return SYSTEMIC_STATES.index("denosumab_depot"), therapy.dose * np.ones_like(p["k_a_den"])
    oral = therapy.drug in _ORAL_BIOAVAILABILITY
    bioavailability = p[_ORAL_BIOAVAILABILITY[therapy.drug]] * p["adherence"] if oral else 1.0
    potency = p[_POTENCY[therapy.drug]] if therapy.drug in _POTENCY else 1.0
    return SYSTEMIC_STATES.index("bp_surface"), therapy.dose * bioavailability * p["f_bone_BP"] * potency


def drug_rates(S_a, S_b, A, C, formation_rel, resorption_rel, p, weight_kg):
    """Time derivatives of the systemic drug states ``SYSTEMIC_STATES`` (a tuple)."""
    burial = p["k_bury_BP"] * formation_rel * S_a
    exhumation = p["k_exh_BP"] * resorption_rel * S_b
    dS_a = -p["k_des_BP"] * S_a - burial + p["chi_BP"] * exhumation
    dS_b = burial - exhumation
    absorption = p["k_a_den"] * A
    volume = p["V_c_den"] * weight_kg
    dC = (absorption * p["F_den"] * 1e6 / volume - p["V_max_den"] * weight_kg / volume * C / (p["K_m_den"] + C)
          - p["k_el_den"] * C)
    return dS_a, dS_b, -absorption, dC


def bisphosphonate_apoptosis(S_a, p):
    """Multiplier of osteoclast apoptosis by surface-bound bisphosphonate."""
    return 1.0 + p["E_max_BP"] * S_a / (S_a + p["EC50_BP"])


def rankl_sink(C, p):
    """RANKL sequestration term of denosumab (added to the RANKL binding denominator)."""
    return p["chi_den"] * p["K_A_den"] * C * 1e6 / DENOSUMAB_MOLAR_MASS
