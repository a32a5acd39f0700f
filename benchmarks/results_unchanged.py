"""Results unchanged by a refactor: every output of 5 populations x 8 regimens, saved and compared.

    python benchmarks/results_unchanged.py save before.npz     # on the code before the change
    python benchmarks/results_unchanged.py compare before.npz  # on the code after it

A change of the numerical method (steps, Newton iteration, initial step) moves the results by
the integration error at rtol 1e-10, which is more than the limit (1e-7 of ``bmd_change``):
compare the code before and after with a reference at a tighter tolerance instead, saved once,

    python benchmarks/results_unchanged.py save reference.npz --rtol 1e-13
    python benchmarks/results_unchanged.py compare reference.npz --limit 1  # before, then after

and see that the error of the code after it is no larger than before.

The 8 regimens between them take every drug of the catalogue (continuous and discrete-dose, starts
and stops), exercise of every loaded modality, a poor diet with supplements, and habits; each
population is simulated with all of them as arms of one batch (plus the untreated natural history)
at rtol 1e-10. ``compare`` prints the largest relative difference of every output variable and
exits 1 if one is 1e-9 or more. Values near zero are compared with an absolute floor, a hundredth
of the variable's largest value (:data:`FLOOR`): a variable that is a difference of states
(``bmd_change``, Z-scores) carries the states' absolute integration error, so at its zero crossing a
change of the numerical method alone (the same equations, other rounding) moves it by far more
than 1e-9 of its value. The baseline is a file, not part of the repository: the lead's
physiology changes move the results on purpose, so it is saved from the code a change starts from.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import remodel
from remodel import Exercise, Habits, Nutrition, Regimen, Supplement, Therapy

RTOL = 1e-10
LIMIT = 1e-9
#: Differences are relative to the value, or to this fraction of the variable's largest value if that is more.
FLOOR = 1e-2
YEARS = 8.0
OUTPUT_TIMES = np.arange(0.0, YEARS + 1e-9, 0.25)
POPULATIONS = ("premenopausal_woman", "perimenopausal_woman", "postmenopausal_woman", "older_man", "hypogonadal_man")
REGIMENS = {
    "untreated": Regimen(),
    "anastrozole_then_alendronate": Regimen(therapies=(Therapy("anastrozole", 0.0, 5.0), Therapy("goserelin", 0.0, 5.0),
                                                       Therapy("alendronate", 1.0, 6.0))),
    "letrozole_denosumab_stopped": Regimen(therapies=(Therapy("letrozole", 0.5), Therapy("denosumab", 0.0, 3.0))),
    "exemestane_zoledronic_acid": Regimen(therapies=(Therapy("exemestane", 0.0, 5.0),
                                                     Therapy("zoledronic_acid", 0.0, 4.0, dose=4.0, interval_days=182.625))),
    "tamoxifen_risedronate_ibandronate": Regimen(therapies=(Therapy("tamoxifen", 0.0, 5.0), Therapy("risedronate", 1.0, 3.0),
                                                            Therapy("ibandronate", 4.0, 7.0))),
    "testosterone": Regimen(therapies=(Therapy("testosterone", 1.0, 6.0, dose=700.0),)),
    "exercise_supplements": Regimen(
        exercise=(Exercise("high_impact", 3.0), Exercise("resistance", 2.0, load_pct_1rm=70.0, start_year=1.0),
                  Exercise("running", 2.0, adherence=0.6, stop_year=5.0), Exercise("walking", 5.0)),
        supplements=(Supplement(calcium_mg_per_day=500.0, vitamin_d_iu_per_day=1000.0, stop_year=4.0),
                     Supplement(vitamin_k2_ug_per_day=180.0, magnesium_mg_per_day=200.0, protein_g_per_kg_per_day=0.3,
                                start_year=2.0))),
    "poor_diet_habits": Regimen(
        nutrition=Nutrition(calcium_mg_per_day=450.0, vitamin_d_iu_per_day=150.0, protein_g_per_kg_per_day=0.7,
                            vitamin_k2_ug_per_day=20.0, magnesium_mg_per_day=200.0, sodium_mg_per_day=4500.0),
        habits=Habits(start_year=-15.0, stop_year=3.0, cigarettes_per_day=20.0, alcohol_drinks_per_day=4.0,
                      inflammation=0.5)),
}


def outputs(rtol: float = RTOL) -> dict[str, np.ndarray]:
    """``{population/variable: values}`` of every output variable."""
    out = {}
    for name in POPULATIONS:
        ds = remodel.simulate(name, REGIMENS, years=YEARS, output_times=OUTPUT_TIMES, rtol=rtol)
        for variable in ds.data_vars:
            out[f"{name}/{variable}"] = ds[variable].transpose("arm", ...).values
    return out


def compare(before: dict[str, np.ndarray], after: dict[str, np.ndarray]) -> float:
    """Print the largest relative difference per variable; return the largest of all."""
    if set(before) != set(after):
        print(f"outputs differ: only before {sorted(set(before) - set(after))}, only after {sorted(set(after) - set(before))}")
        return np.inf
    worst = {}
    for key in before:
        a, b = before[key], after[key]
        # relative to the value, or to the absolute floor (a variable crossing zero)
        scale = np.maximum(np.abs(a), max(np.nanmax(np.abs(a), initial=0.0) * FLOOR, np.finfo(float).tiny))
        difference = np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(b - a) / scale)
        difference[np.isnan(difference)] = np.inf  # a NaN on one side only
        name = key.split("/", 1)[1]
        worst[name] = max(worst.get(name, 0.0), float(np.max(difference)))
    for variable, value in sorted(worst.items(), key=lambda kv: -kv[1]):
        print(f"  {variable:28s} {value:.2e}")
    return max(worst.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("path")
    parser.add_argument("--rtol", type=float, default=RTOL, help=f"of the simulations (default {RTOL:g})")
    parser.add_argument("--limit", type=float, default=LIMIT, help=f"largest difference that passes (default {LIMIT:g})")
    args = parser.parse_args()
    after = outputs(args.rtol)
    if args.action == "save":
        np.savez_compressed(args.path, **after)
        print(f"saved {len(after)} outputs of {len(POPULATIONS)} populations x {len(REGIMENS)} regimens to {args.path}")
        return 0
    with np.load(args.path) as stored:
        before = dict(stored)
    largest = compare(before, after)
    print(f"largest relative difference {largest:.2e} (limit {args.limit:g}, floor {FLOOR:g} of each variable's "
          f"largest) over {len(POPULATIONS)} populations x {len(REGIMENS)} regimens at rtol {args.rtol:g}")
    return 0 if largest < args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
