r"""Aromatase inhibitors: whole-body inhibition of aromatization while taken.

Inhibition rises with the dose :math:`D` as :math:`I_{AI} = D/(D + D_{50})`, with :math:`D_{50}` set
by the inhibition :math:`I_{std}` measured at the standard dose :math:`D_{std}`,
:math:`D_{50} = D_{std}(1 - I_{std})/I_{std}`. Geisler1996 measured anastrozole 1 mg 96.7 %
and 10 mg 98.1 %; the curve, through 97.3 % at 1 mg (Geisler2002), gives 99.7 % at 10 mg: it has no
ceiling below full inhibition, and puts 0.5 mg at 94.7 %.
Where it acts: :mod:`remodel.model.physiology.estradiol`.
"""

from __future__ import annotations

from ..declare import Agent, Drug

CITATIONS = ("Geisler1996", "Geisler2002", "Geisler1998", "Leder2004")

DRUGS = (
    Drug("anastrozole", "aromatase_inhibitor", "mg/day", 1.0,
         "non-steroidal aromatase inhibitor: blocks androgen to estrogen conversion", ("Geisler2002",)),
    Drug("letrozole", "aromatase_inhibitor", "mg/day", 2.5, "non-steroidal aromatase inhibitor", ("Geisler2002",)),
    Drug("exemestane", "aromatase_inhibitor", "mg/day", 25.0, "steroidal (irreversible) aromatase inactivator",
         ("Geisler1998",)),
)
_STANDARD_DOSE = {d.name: d.standard_dose for d in DRUGS}
_INHIBITION_PARAMETER = {"anastrozole": "I_anastrozole", "letrozole": "I_letrozole", "exemestane": "I_exemestane"}


def aromatase_inhibition(therapy, p):
    """Whole-body aromatization inhibition at the dose taken (see module docstring)."""
    standard = p[_INHIBITION_PARAMETER[therapy.drug]]
    weighted = therapy.dose * standard  # D / (D + D50), written without dividing by I_std
    return weighted / (weighted + _STANDARD_DOSE[therapy.drug] * (1.0 - standard))


AGENT = Agent("aromatase_inhibitors", drugs=DRUGS, citations=CITATIONS,
              exposure=("aromatase_inhibition", aromatase_inhibition))
