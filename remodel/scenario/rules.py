"""Clinical rules on the therapies of one arm: what is rejected, and what is only warned about."""

from __future__ import annotations

import itertools
import math

from ..populations import Population
from ..therapies import Therapy
from .errors import key_path, rule

__all__ = ["check_combinations"]


def _overlap(a: Therapy, b: Therapy):
    """Overlap ``(from, to)`` of two therapies' windows, or None."""
    low, high = max(a.start_year, b.start_year), min(a.stop, b.stop)
    return (low, high) if low < high else None


def check_combinations(name, therapies, population: Population, years, warnings) -> None:
    """Reject (or warn about) the ``(loc, Therapy)`` pairs of arm ``name`` that do not go together.

    Rejected, because no clinical protocol combines them or the model would silently ignore them:
    * two drugs of the same class at the same time (two aromatase inhibitors, two
      bisphosphonates, a drug listed twice): duplicate therapy; the model would add the effects;
    * an aromatase inhibitor in a premenopausal woman without ovarian suppression: contraindicated
      (functioning ovaries escape inhibition, with a reflex gonadotropin rise); trials such as
      ABCSG-12 and SOFT/TEXT always combine it with ovarian suppression;
    * testosterone therapy in women: not modelled (the model would silently show no effect).
    (Goserelin in a man is androgen deprivation: it removes testicular secretion,
    :mod:`remodel.model.physiology.estradiol`.)
    Warned (``(loc, message)`` appended to ``warnings``), because it is clinically possible though
    not recommended:
    * tamoxifen with an aromatase inhibitor: the ATAC trial had a combination arm (closed early
      for lack of benefit), so a researcher may want to simulate it.
    """
    female = population.sex == "female"
    for (la, a), (lb, b) in itertools.combinations(therapies, 2):
        both = _overlap(a, b)
        if both is None or both[0] >= years:
            continue
        when = f"from year {both[0]:g}" + ("" if math.isinf(both[1]) else f" to {min(both[1], years):g}")
        if a.action == b.action:
            what = "the same drug twice" if a.drug == b.drug else f"two {a.action.replace('_', ' ')}s"
            raise rule(f"{b.drug} overlaps {a.drug} ({key_path(la)}) in arm {name!r} {when}: {what} at the same time",
                       f"one {a.action.replace('_', ' ')} at a time (stop one before the next starts)", *lb, "drug")
        if {a.action, b.action} == {"serm", "aromatase_inhibitor"} and warnings is not None:
            warnings.append((lb, f"{b.drug} with {a.drug} ({key_path(la)}) in arm {name!r} {when}: tamoxifen with an "
                                 "aromatase inhibitor is not recommended (ATAC combination arm: no benefit over "
                                 "anastrozole alone)"))
    for loc, therapy in therapies:
        if therapy.action == "androgen" and female:
            raise rule("testosterone therapy in a woman is not modelled", "testosterone therapy for men", *loc, "drug")
        if therapy.action == "aromatase_inhibitor" and female:
            premenopausal_until = min(population.menopause_age - population.age, years)
            need = (therapy.start_year, min(therapy.stop, premenopausal_until))
            if need[0] < need[1]:
                covered = need[0]
                for start, stop in sorted((t.start_year, t.stop) for _, t in therapies
                                          if t.action == "gonadal_suppression"):
                    if start <= covered < stop:
                        covered = stop
                if covered < need[1]:
                    raise rule(f"{therapy.drug} in arm {name!r} in a premenopausal woman (menopause at age "
                               f"{population.menopause_age:g}) without ovarian suppression from year {covered:g}",
                               "an aromatase inhibitor with ovarian suppression (e.g. goserelin) covering the "
                               "premenopausal years", *loc, "drug")
