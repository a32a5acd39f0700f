"""The physiology contract's behaviours as the fits measure them: the hard constraints of
:data:`remodel.calibration.FITS` that no trial row encodes.

Each measuring function takes the parameter set, the ``samples`` of the fitted values and the
solver's ``rtol`` and returns one value per sample for each of its behaviours; :class:`Behaviour`
gives the bounds, scale and source of each (the same behaviours, with the same sources, are tests of
``tests/validation/test_physiology_contract.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .model.timing import DAYS_PER_YEAR
from .populations import Population
from .regimen import Exercise, Nutrition, Regimen, Supplement
from .scenario import load_scenario
from .simulation import simulate
from .therapies import Therapy
from .trials import DEFAULT_TRIALS


#: Women of FREEDOM (Cummings2009) for the denosumab behaviours.
FREEDOM = Population("FREEDOM", "female", 72.0, menopause_age=50.0, t_scores={"lumbar_spine": -2.8, "total_hip": -1.9})


def denosumab_course(params, samples, rtol):
    """Largest fall of spine or hip BMD within a dosing interval over 3 years of denosumab, and over
    5 years of denosumab with an aromatase inhibitor (higher turnover; ABCSG-18's setting) (points),
    CTX 3 days after the first dose (%), the time from the last dose to the peak of the CTX overshoot after stopping at 2 years (years;
    vertex of the parabola through the sampled peak) and the height of that peak (% above baseline,
    the sampled maximum): each ``(sample,)``."""
    step, day3 = 1 / 48, 3 / DAYS_PER_YEAR
    times = np.insert(np.arange(0.0, 5.0 + 1e-9, step), 1, day3)
    ds = simulate(FREEDOM, {"continued": Regimen(therapies=(Therapy("denosumab", stop_year=3.0),)),
                            "stopped": Regimen(therapies=(Therapy("denosumab", stop_year=2.0),)),
                            "with anastrozole": Regimen(therapies=(Therapy("denosumab"), Therapy("anastrozole")))},
                  years=5.0, output_times=times, parameters=params, samples=samples, rtol=rtol,
                  variables=["bmd_change", "ctx_change"], natural_history=False)

    def largest_fall(arm, years):
        bmd = ds.bmd_change.sel(arm=arm, site=["lumbar_spine", "total_hip"], time=slice(0.0, years)).values
        return (np.maximum.accumulate(bmd, axis=1) - bmd).max(axis=(1, 2))  # (sample, time, site)

    drop = np.maximum(largest_fall("continued", 3.0), largest_fall("with anastrozole", 5.0))
    last_dose = 1.5
    after = times > last_dose
    ctx = ds.ctx_change.sel(arm="stopped").values[:, after]
    k = np.clip(ctx.argmax(axis=1), 1, ctx.shape[1] - 2)
    left, mid, right = (np.take_along_axis(ctx, (k + j)[:, None], axis=1)[:, 0] for j in (-1, 0, 1))
    curvature = left - 2 * mid + right  # negative at an interior maximum; not so where the peak is at an end
    vertex = np.where(curvature < 0, 0.5 * (left - right) / np.where(curvature < 0, curvature, -1.0), 0.0)
    peak = times[after][k] + vertex * step - last_dose
    return drop, ds.ctx_change.sel(arm="continued").sel(time=day3, method="nearest").values, peak, mid


def denosumab_hip_mineral_share(params, samples, rtol):
    """Largest share, at the total hip and the femoral neck, of the BMD gain of 3 years of
    denosumab against placebo in :data:`FREEDOM` that is mineral density (M/V) rather than bone
    volume (log changes): ``(sample,)``."""
    ds = simulate(FREEDOM, {"denosumab": Regimen(therapies=(Therapy("denosumab"),)), "placebo": Regimen()}, years=3.0,
                  output_times=[0.0, 3.0], parameters=params, samples=samples, rtol=rtol,
                  variables=["bmd_change", "bone_volume"], natural_history=False)
    d = ds.sel(site=["total_hip", "femoral_neck"])
    mineral = np.log1p(d.bmd_change.isel(time=-1) / 100)
    volume = np.log(d.bone_volume.isel(time=-1) / d.bone_volume.isel(time=0))
    gain, from_volume = ((x.sel(arm="denosumab") - x.sel(arm="placebo")).values for x in (mineral, volume))
    return ((gain - from_volume) / gain).reshape(-1, 2).max(axis=-1)


#: Anti-resorptives whose site ordering :func:`antiresorptive_site_order` measures, and its times (years).
ANTIRESORPTIVES = ("denosumab", "alendronate", "zoledronic_acid")
SITE_ORDER_TIMES = (1.0, 3.0, 5.0, 10.0)


def antiresorptive_site_order(params, samples, rtol):
    """Largest excess (points) of the femoral neck's gain against placebo over the total hip's, and
    of the total hip's over the lumbar spine's, in :data:`FREEDOM` on each of :data:`ANTIRESORPTIVES`
    at each of :data:`SITE_ORDER_TIMES` (the trials order them spine > total hip >= femoral neck):
    each ``(sample,)``."""
    arms = {drug: Regimen(therapies=(Therapy(drug),)) for drug in ANTIRESORPTIVES} | {"placebo": Regimen()}
    ds = simulate(FREEDOM, arms, years=max(SITE_ORDER_TIMES), output_times=[0.0, *SITE_ORDER_TIMES], parameters=params,
                  samples=samples, rtol=rtol, variables=["bmd_change"], natural_history=False)
    gain = (ds.bmd_change.sel(arm=list(ANTIRESORPTIVES), time=list(SITE_ORDER_TIMES))
            - ds.bmd_change.sel(arm="placebo", time=list(SITE_ORDER_TIMES)))
    spine, hip, neck = (gain.sel(site=site) for site in ("lumbar_spine", "total_hip", "femoral_neck"))
    return tuple(np.atleast_1d(excess.max(dim=["arm", "time"]).values) for excess in (neck - hip, hip - spine))


def flex_course(params, samples, rtol):
    """Total hip change and spine minus total hip change (points, each relative to year 5) from
    year 5 to year 10 of alendronate in FLEX's women: each ``(sample,)``."""
    scenario = load_scenario(DEFAULT_TRIALS / "FLEX.toml")  # FLEX's women (Black2006), as the row FLEX-LS
    ds = simulate(scenario.population, {"continued": scenario.arms["comparator"]}, years=10.0,
                  output_times=[0.0, 5.0, 10.0], parameters=params, samples=samples, rtol=rtol,
                  variables=["bmd_change"], natural_history=False)
    level = 1 + ds.bmd_change.sel(arm="continued") / 100
    since5 = 100 * (level.sel(time=10.0) / level.sel(time=5.0) - 1)
    hip, spine = (np.atleast_1d(since5.sel(site=s).values) for s in ("total_hip", "lumbar_spine"))
    return hip, spine - hip


def tamoxifen_spine_hold(params, samples, rtol):
    """Spine BMD change of the built-in postmenopausal woman on tamoxifen at 3 years minus at 1
    year, both from baseline (points): ``(sample,)``."""
    ds = simulate("postmenopausal_woman", {"tamoxifen": Regimen(therapies=(Therapy("tamoxifen"),))}, years=3.0,
                  output_times=[0.0, 1.0, 3.0], parameters=params, samples=samples, rtol=rtol,
                  variables=["bmd_change"], natural_history=False)
    spine = ds.bmd_change.sel(arm="tamoxifen", site="lumbar_spine")
    return np.atleast_1d((spine.sel(time=3.0) - spine.sel(time=1.0)).values)


def adherence_ratio(params, samples, rtol):
    """Gain of alendronate over placebo at 3 years with half the doses taken, over the gain with all
    taken, at the site where that ratio is largest: ``(sample,)``."""
    n = 1 if samples is None else len(next(iter(samples.values())))
    both = {k: np.tile(np.asarray(v, dtype=float), 2) for k, v in (samples or {}).items()}
    both["adherence"] = np.repeat([1.0, 0.5], n)
    ds = simulate("postmenopausal_woman", {"alendronate": Regimen(therapies=(Therapy("alendronate"),)),
                                           "placebo": Regimen()},
                  years=3.0, output_times=[0.0, 3.0], parameters=params, samples=both, rtol=rtol,
                  variables=["bmd_change"], natural_history=False)
    gain = (ds.bmd_change.sel(arm="alendronate") - ds.bmd_change.sel(arm="placebo")).isel(time=-1).values
    return (gain[n:] / gain[:n]).max(axis=-1)


#: Women of Reid2006 (over 60, with osteoporosis) for the onset of alendronate.
REID = Population("Reid2006", "female", 68.0, menopause_age=50.0, t_scores={"lumbar_spine": -2.5})


def alendronate_onset(params, samples, rtol):
    """CTX of alendronate 70 mg weekly against placebo in :data:`REID` at 3 months (%), and its fall
    at 1 month over its fall at 3 months: each ``(sample,)``."""
    ds = simulate(REID, {"alendronate": Regimen(therapies=(Therapy("alendronate"),)), "placebo": Regimen()},
                  years=0.25, output_times=[0.0, 1 / 12, 0.25], parameters=params, samples=samples, rtol=rtol,
                  variables=["ctx_change"], natural_history=False)
    ctx = ds.ctx_change.sel(arm="alendronate") - ds.ctx_change.sel(arm="placebo")
    month1, month3 = (np.atleast_1d(ctx.sel(time=t, method="nearest").values) for t in (1 / 12, 0.25))
    return month3, month1 / month3


#: Training programmes whose gains must level off (3 sessions a week).
PLATEAU_MODALITIES = ("high_impact", "resistance", "running")


def exercise_course(params, samples, rtol):
    """Largest BMD gain (points, any site, at 1, 2, 3 or 5 years) of daily maximal high-impact,
    resistance and running training together over no training, and the largest ratio of the gain at
    3 years to the gain at 1 year of each of :data:`PLATEAU_MODALITIES` 3 times a week (at sites
    that gain more than 0.1 point in the first year): each ``(sample,)``."""
    extreme = (Exercise("high_impact", 7, cycles_per_session=200), Exercise("resistance", 7, load_pct_1rm=95),
               Exercise("running", 7))
    arms = {"extreme": Regimen(exercise=extreme), "none": Regimen(),
            **{m: Regimen(exercise=(Exercise(m, 3),)) for m in PLATEAU_MODALITIES}}
    ds = simulate("postmenopausal_woman", arms, years=5.0, output_times=[0.0, 1.0, 2.0, 3.0, 5.0], parameters=params,
                  samples=samples, rtol=rtol, variables=["bmd_change"], natural_history=False)
    gain = ds.bmd_change - ds.bmd_change.sel(arm="none")
    extreme_gain = gain.sel(arm="extreme").values
    one, three = (gain.sel(arm=list(PLATEAU_MODALITIES), time=t).values for t in (1.0, 3.0))
    ratio = np.where(one > 0.1, three / np.where(one > 0.1, one, 1.0), 0.0)
    return extreme_gain.reshape(extreme_gain.shape[0], -1).max(axis=-1), ratio.reshape(ratio.shape[0], -1).max(axis=-1)


#: The most a woman on an aromatase inhibitor does for her bones without a bone drug, as the flagship
#: scenario offers it: LIFTMOR-style resistance and impact training twice a week (Watson2018) and
#: 1000 mg calcium with 800 IU vitamin D a day (Tang2007) on a usual diet of 700 mg and 200 IU.
USUAL_DIET = Nutrition(calcium_mg_per_day=700, vitamin_d_iu_per_day=200)
BEST_LIFESTYLE = Regimen(nutrition=USUAL_DIET, supplements=(Supplement(calcium_mg_per_day=1000, vitamin_d_iu_per_day=800),),
                         exercise=(Exercise("resistance", 2, cycles_per_session=75, load_pct_1rm=85, adherence=0.9),
                                   Exercise("high_impact", 2, cycles_per_session=25, adherence=0.9)))


#: The scenario of the README's quick start: anastrozole in ATAC's mean woman (64 years, Eastell2008) with
#: T-scores near the osteopenia threshold (ZO-FAST enrolled T-scores of -2 and above, Coleman2013).
QUICK_START = Path(__file__).resolve().parents[1] / "scenarios" / "anastrozole_postmenopausal.toml"


@functools.cache
def ai_women():
    """Women on an aromatase inhibitor for :func:`lifestyle_lead`: the built-in postmenopausal woman and
    the woman of the README's quick start, read from :data:`QUICK_START` (a source checkout)."""
    return "postmenopausal_woman", load_scenario(QUICK_START).population


def lifestyle_lead(params, samples, rtol):
    """Largest lead (points, any site, any of :func:`ai_women`) after 5 years of a postmenopausal
    woman on anastrozole with :data:`BEST_LIFESTYLE` over the same woman without anastrozole on her
    usual diet: ``(sample,)``."""
    lifestyle = replace(BEST_LIFESTYLE, therapies=(Therapy("anastrozole"),))
    leads = []
    for women in ai_women():
        ds = simulate(women, {"lifestyle": lifestyle, "no drug": Regimen(nutrition=USUAL_DIET)},
                      years=5.0, output_times=[0.0, 5.0], parameters=params, samples=samples, rtol=rtol,
                      variables=["bmd_change"], natural_history=False)
        leads.append(ds.bmd_change.sel(arm="lifestyle", time=5.0) - ds.bmd_change.sel(arm="no drug", time=5.0))
    return np.max([lead.values.max(axis=-1) for lead in leads], axis=0)


def calcium_supplement_course(params, samples, rtol):
    """Gain (points) of 1000 mg/day of calcium to a 500 mg/day diet over 2 years, the smallest and
    the largest over the sites, and the largest ratio of the gain at 6 years to that at 2 years:
    each ``(sample,)``."""
    low = Nutrition(calcium_mg_per_day=500)
    ds = simulate("postmenopausal_woman", {"low": Regimen(nutrition=low), "supplemented": Regimen(
        nutrition=low, supplements=(Supplement(calcium_mg_per_day=1000),))}, years=6.0, output_times=[0.0, 2.0, 6.0],
                  parameters=params, samples=samples, rtol=rtol, variables=["bmd_change"], natural_history=False)
    gain = ds.bmd_change.sel(arm="supplemented") - ds.bmd_change.sel(arm="low")  # (sample, time, site)
    two, six = (gain.sel(time=t).values for t in (2.0, 6.0))
    return two.min(axis=-1), two.max(axis=-1), (six / np.maximum(two, 1e-3)).max(axis=-1)


@dataclass(frozen=True)
class Behaviour:
    """A behaviour of the physiology contract (``tests/validation/test_physiology_contract.py``)
    held as a hard constraint of the fit: the measured value must lie in ``[lower, upper]``; the
    penalty starts ``margin`` inside the bounds (as for the trial rows; by default ``scale``) and
    ``scale`` is its unit."""

    name: str
    source: str
    lower: float
    upper: float
    scale: float
    margin: float | None = None


#: Behaviours measured by :func:`denosumab_course`, :func:`denosumab_hip_mineral_share`,
#: :func:`antiresorptive_site_order`, :func:`adherence_ratio`, :func:`alendronate_onset`, :func:`flex_course`,
#: :func:`tamoxifen_spine_hold`, :func:`exercise_course`, :func:`calcium_supplement_course` and :func:`lifestyle_lead`,
#: in that order.
BEHAVIOURS = (
    Behaviour("denosumab: BMD fall within a dosing interval (points)", "Cummings2009, Bone2017, Gnant2015", -np.inf, 0.3, 0.05),
    Behaviour("denosumab: CTX 3 days after the first dose (%)", "Amgen2010", -np.inf, -70.0, 5.0),
    Behaviour("denosumab: CTX overshoot peak after the last dose (years)", "Bone2011, OvershootReview",
              0.75, 1.0, 0.05),
    Behaviour("denosumab: CTX overshoot height after stopping (% above baseline)", "NCT03396315, Bone2011, Miller2008",
              50.0, np.inf, 5.0),
    Behaviour("denosumab: share of the hip's 3-year gain against placebo from mineral density", "Poole2015",
              -np.inf, 0.5, 0.05),
    Behaviour("anti-resorptives: femoral neck gain minus total hip gain, largest (points)",
              "Cummings2009, Black2007, Black1996", -np.inf, 0.3, 0.1),
    Behaviour("anti-resorptives: total hip gain minus spine gain, largest (points)", "Cummings2009, Black2007, Black1996",
              -np.inf, 0.3, 0.1),
    Behaviour("alendronate: gain with half the doses / with all", "Devogelaer1996", 0.58, 0.88, 0.03),
    Behaviour("alendronate: CTX against placebo at 3 months (%)", "Reid2006", -62.0, -42.0, 5.0, margin=2.0),
    Behaviour("alendronate: CTX fall at 1 month over at 3 months", "Reid2006", 0.5, np.inf, 0.05),
    Behaviour("alendronate: total hip from year 5 to 10 (points)", "Black2006, McNabb2013, Kendler2022", -3.0, 1.0, 0.25),
    Behaviour("alendronate: spine minus total hip from year 5 to 10 (points)", "Black2006, McNabb2013", 0.0, np.inf, 0.25),
    Behaviour("tamoxifen after menopause: spine at 3 years minus at 1 year (points)", "Powles1996, Love1992, Grey1995",
              -0.02, np.inf, 0.05, margin=0.03),
    Behaviour("exercise: gain of daily maximal training (points)", "Howe2011, Kohrt1997", -np.inf, 5.0, 0.25),
    Behaviour("exercise: gain at 3 years / at 1 year", "Dalsky1988, Howe2011", -np.inf, 1.5, 0.05),
    Behaviour("calcium to a low-calcium diet: smallest gain at 2 years (points)", "Tai2015", 0.3, np.inf, 0.05),
    Behaviour("calcium to a low-calcium diet: largest gain at 2 years (points)", "Tai2015", -np.inf, 2.0, 0.1),
    Behaviour("calcium to a low-calcium diet: gain at 6 years / at 2 years", "Tai2015", -np.inf, 1.5, 0.05),
    Behaviour("anastrozole with training, calcium and vitamin D: lead over no anastrozole (points)",
              "Coleman2013, Thomas2017", -np.inf, 0.0, 0.1),
)



def joint_behaviours(params, samples, rtol):
    """The value of each of :data:`BEHAVIOURS`: ``(sample, behaviours)``."""
    return np.stack([*denosumab_course(params, samples, rtol), denosumab_hip_mineral_share(params, samples, rtol),
                     *antiresorptive_site_order(params, samples, rtol), adherence_ratio(params, samples, rtol),
                     *alendronate_onset(params, samples, rtol), *flex_course(params, samples, rtol),
                     tamoxifen_spine_hold(params, samples, rtol),
                     *exercise_course(params, samples, rtol), *calcium_supplement_course(params, samples, rtol),
                     lifestyle_lead(params, samples, rtol)], axis=-1)


#: Women of the Fracture Prevention Trial (Neer2001), for the anabolic drugs' time courses.
NEER = Population("Neer2001", "female", 69.0, menopause_age=50.0)


def romosozumab_course(params, samples, rtol):
    """Romosozumab for a year against placebo: the spine's gain over the total hip's and over the
    femoral neck's at 1 year in the built-in postmenopausal woman (the contract's site ratios of
    the anabolic drugs), and P1NP from month 9, highest (points), in :data:`NEER`'s women:
    ``(sample, behaviours)``."""
    arms = {"romosozumab": Regimen(therapies=(Therapy("romosozumab", stop_year=1.0),)), "placebo": Regimen()}
    against = []
    for women, times, variable in (("postmenopausal_woman", [0.0, 1.0], "bmd_change"),
                                   (NEER, np.arange(0.0, 1.0 + 1e-9, 1 / 48), "p1np_change")):
        ds = simulate(women, arms, years=1.0, output_times=times, parameters=params, samples=samples, rtol=rtol,
                      variables=[variable], natural_history=False)[variable]
        against.append(ds.sel(arm="romosozumab") - ds.sel(arm="placebo"))
    gain = against[0].sel(time=1.0)
    spine = gain.sel(site="lumbar_spine").values
    late_p1np = against[1].sel(time=slice(0.75, 1.0)).max("time").values
    return np.stack(np.broadcast_arrays(spine / gain.sel(site="total_hip").values,
                                        spine / gain.sel(site="femoral_neck").values, late_p1np), axis=-1).reshape(-1, 3)


#: The contract's romosozumab behaviours (``test_anabolic_drugs_build_the_spine_far_more_than_the_hip_and_anti_resorptives_do_not``,
#: ``test_romosozumab_formation_response_wanes_within_the_first_year``) measured by :func:`romosozumab_course`:
#: hard constraints of the romosozumab block's fit.
ROMOSOZUMAB_BEHAVIOURS = (
    Behaviour("romosozumab: spine gain over total hip gain at 1 year", "Cosman2016", 1.5, 3.0, 0.1, margin=0.05),
    Behaviour("romosozumab: spine gain over femoral neck gain at 1 year", "Cosman2016", 1.5, 3.0, 0.1, margin=0.05),
    Behaviour("romosozumab: P1NP against placebo from month 9, highest (points)", "EvenityLabel, Cosman2016",
              -np.inf, 10.0, 2.0, margin=1.0),
)


#: Finkelstein2016's design: men aged 20-50 (here 35) on goserelin with testosterone held at each
#: level (ng/dL) for 16 weeks, with or without anastrozole.
FINKELSTEIN_MAN = Population("Finkelstein2016", "male", 35.0, testosterone_ng_per_dl=600.0)
FINKELSTEIN_LEVELS = (300.0, 450.0, 600.0, 900.0)


def finkelstein_course(params, samples, rtol):
    """CTX change (%) at 16 weeks in :data:`FINKELSTEIN_MAN` on goserelin with testosterone held at
    each of :data:`FINKELSTEIN_LEVELS`: the rise that anastrozole adds at each level (points), then
    the rise without it at each level where estradiol is above 10 pg/mL (NaN where it is not, so
    that the bound does not apply): ``(sample, behaviours)``."""
    arms = {}
    for level in FINKELSTEIN_LEVELS:
        held = (Therapy("goserelin"), Therapy("testosterone", dose=level))
        arms[f"T {level:g}"] = Regimen(therapies=held)
        arms[f"T {level:g} + AI"] = Regimen(therapies=held + (Therapy("anastrozole"),))
    ds = simulate(FINKELSTEIN_MAN, arms, years=16 / 52, output_times=[0.0, 16 / 52], parameters=params,
                  samples=samples, rtol=rtol, variables=["ctx_change", "estradiol"], natural_history=False)
    ds = ds.isel(time=-1)

    def at(variable, suffix):
        return np.stack([np.atleast_1d(ds[variable].sel(arm=f"T {level:g}{suffix}").values)
                         for level in FINKELSTEIN_LEVELS], axis=-1)

    free = at("ctx_change", "")
    return np.concatenate([at("ctx_change", " + AI") - free, np.where(at("estradiol", "") > 10.0, free, np.nan)],
                          axis=-1)


#: The Finkelstein2016 behaviours of the contract (``test_blocking_aromatization_raises_men_resorption_considerably``,
#: ``test_men_estradiol_and_testosterone_thresholds_for_resorption``) measured by :func:`finkelstein_course`:
#: blocking aromatization adds at least 10 points of CTX at every level, and CTX rises by less than
#: 15 % where estradiol is above 10 pg/mL (and testosterone above 200 ng/dL), in units of 5 points.
MEN_BEHAVIOURS = (
    *(Behaviour(f"men, testosterone held at {level:g} ng/dL: CTX added by anastrozole (points)", "Finkelstein2016",
                10.0, np.inf, 5.0, margin=1.0) for level in FINKELSTEIN_LEVELS),
    *(Behaviour(f"men, testosterone held at {level:g} ng/dL: CTX rise where estradiol > 10 pg/mL (%)",
                "Finkelstein2016", -np.inf, 15.0, 5.0, margin=1.5) for level in FINKELSTEIN_LEVELS),
)
