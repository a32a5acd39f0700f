"""The physiology contract: behaviours the literature states, between and beyond the trial rows.

Each test names its source and the tolerance it allows. Trial endpoints (numbers at one time) are
in the calibration and validation tables; these are signs, shapes, plateaus and time courses that
must hold for every population, exposure and time, so that the model answers the users' question
(how much bone does a patient lose, and how much can exercise, diet, habits and drugs prevent) right
between and beyond the rows it was fitted to. Populations: the built-in women before, around and
after menopause, the older and the hypogonadal man; horizons of 0.5 to 20 years.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import remodel
from remodel import Disuse, Exercise, Habits, Nutrition, Regimen, Supplement, Therapy, behaviours, simulate

SITES = remodel.SITES
#: Numerical slack for "never": changes below this (percentage points) are integration noise.
NOISE = 0.02
YEARS = 20.0
TIMES = np.concatenate([np.arange(0.0, 2.0, 1 / 12), np.arange(2.0, YEARS + 1e-9, 0.5)])
POPULATIONS = ["premenopausal_woman", "perimenopausal_woman", "postmenopausal_woman", "older_man",
               "hypogonadal_man"]
ANASTROZOLE = (Therapy("anastrozole"),)


def change(ds, arm, site=None, time=None):
    """BMD change (%) of ``arm`` at ``site`` (all sites if None) and ``time`` (all times if None)."""
    out = ds.bmd_change.sel(arm=arm)
    if site is not None:
        out = out.sel(site=site)
    return out if time is None else float(out.sel(time=time, method="nearest"))


def since(ds, arm, site, start, end):
    """BMD change (%) of ``arm`` at ``site`` from year ``start`` to year ``end``."""
    return 100 * ((1 + change(ds, arm, site, end) / 100) / (1 + change(ds, arm, site, start) / 100) - 1)


# --- harm never helps, help never harms --------------------------------------------------------------
#: Harmful exposures from the simulation start, at levels the literature calls harmful
#: (LawHackshaw1997, WardKlesges2001; Kanis2005: more than 2 drinks a day; Redlich2012; Heaney2003
#: and Tang2007 for calcium and vitamin D deficiency; ShamsWhite2017 for low protein; LeBlanc1990 for
#: immobilisation, here half the habitual loading for good).
HARMS = {
    "smoking": {"habits": Habits(cigarettes_per_day=20, start_year=0.0)},
    "heavy drinking": {"habits": Habits(alcohol_drinks_per_day=6, start_year=0.0)},
    "inflammation": {"habits": Habits(inflammation=1.0, start_year=0.0)},
    "low calcium": {"nutrition": Nutrition(calcium_mg_per_day=300, start_year=0.0)},
    "no vitamin D": {"nutrition": Nutrition(vitamin_d_iu_per_day=0, start_year=0.0)},
    "low protein": {"nutrition": Nutrition(protein_g_per_kg_per_day=0.5, start_year=0.0)},
    "immobilisation": {"disuse": (Disuse(0.5),)},
}
#: Help: supplements to the deficient (against the same deficient diet), exercise, bone drugs.
DEFICIENT = Nutrition(calcium_mg_per_day=400, vitamin_d_iu_per_day=100, protein_g_per_kg_per_day=0.6)
HELPS = {
    "calcium and vitamin D": {"supplements": (Supplement(calcium_mg_per_day=800, vitamin_d_iu_per_day=800),)},
    "protein": {"supplements": (Supplement(protein_g_per_kg_per_day=0.4),)},
    "high-impact training": {"exercise": (Exercise("high_impact", 3),)},
    "resistance training": {"exercise": (Exercise("resistance", 2),)},
    "walking": {"exercise": (Exercise("walking", 5),)},
    "alendronate": {"therapies": (Therapy("alendronate"),)},
    "zoledronic acid": {"therapies": (Therapy("zoledronic_acid"),)},
    "denosumab": {"therapies": (Therapy("denosumab"),)},
}


def _with(base: dict, extra: dict) -> Regimen:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = merged.get(key, ()) + value if key in ("therapies", "exercise", "disuse", "supplements") else value
    return Regimen(**merged)


def _arms(backgrounds, exposures):
    arms = {}
    for name, background in backgrounds.items():
        arms[name] = Regimen(**background)
        for exposure, extra in exposures.items():
            arms[f"{name} + {exposure}"] = _with(background, extra)
    return arms


#: Women are compared on and off an aromatase inhibitor, men off.
BACKGROUNDS = {"no drug": {}, "anastrozole": {"therapies": ANASTROZOLE}}


@pytest.fixture(scope="module")
def harms():
    """Every population with and without each harm (women also on anastrozole), over 20 years."""
    runs = {}
    for population in POPULATIONS:
        backgrounds = BACKGROUNDS if "woman" in population else {"no drug": {}}
        runs[population] = backgrounds, simulate(population, _arms(backgrounds, HARMS), years=YEARS,
                                                 output_times=TIMES, variables=["bmd_change", "bone_mineral_change"])
    return runs


def _deficits(harms, relative=False):
    """(population, background, harm, deficit (time x site)) of every harm against its background:
    in percentage points of the baseline BMD, or (``relative``) in % of the bone mineral without the
    harm (the bone's own: the apparent mineral of degenerative changes that DXA adds at the spine,
    the same with and without the harm, would dilute the share as it accrues with age)."""
    for population, (backgrounds, ds) in harms.items():
        for background in backgrounds:
            for harm in HARMS:
                out = ds.bone_mineral_change if relative else ds.bmd_change
                with_harm, without = out.sel(arm=f"{background} + {harm}").values, out.sel(arm=background).values
                yield population, background, harm, (100 * ((1 + with_harm / 100) / (1 + without / 100) - 1)
                                                     if relative else with_harm - without)


def test_harm_never_helps(harms, contract):
    """LawHackshaw1997, WardKlesges2001, Kanis2005, Redlich2012, Tang2007, ShamsWhite2017: a harmful
    exposure never raises BMD against the same person without it, at any site and time, on or off
    an aromatase inhibitor, in women before, around and after menopause and in men."""
    for population, background, harm, deficit in _deficits(harms):
        contract("BMD with the harm minus without, any site and time (points)", deficit.max(), high=NOISE,
                 literature="never above 0",
                 source="LawHackshaw1997, WardKlesges2001, Kanis2005, Redlich2012, Tang2007, ShamsWhite2017",
                 case=f"{population}, {background} + {harm}")
        assert deficit.max() <= NOISE, (population, background, harm, deficit.max())


def test_harm_deficit_holds_or_widens_while_the_exposure_lasts(harms, contract):
    """LawHackshaw1997 (smokers' deficit widens by about 2 % a decade after menopause): while a harm
    lasts its deficit holds or widens, as a share of the bone mineral without it (a harm that settles at a new
    steady state, immobilisation, keeps its share, while the later losses of the menopause and old
    age, proportional to the bone there is, take fewer points of the baseline from less bone)."""
    for population, background, harm, deficit in _deficits(harms, relative=True):
        widening = np.diff(deficit, axis=0)  # time x site
        contract("narrowing of the relative deficit in one output step (%)", widening.max(), high=NOISE,
                 literature="holds or widens (smokers: about 2 % a decade after menopause)", source="LawHackshaw1997",
                 case=f"{population}, {background} + {harm}")
        assert widening.max() <= NOISE, (population, background, harm, widening.max())


def test_extra_loss_stops_when_the_exposure_stops(contract):
    """Oncken2006 (quitters gained 1.1 points at the hip against continuing smokers in a year),
    WardKlesges2001 (former smokers between never and current smokers): after quitting, a former
    smoker loses no more bone than a never-smoker, and more slowly than a continuing smoker."""
    arms = {"never": Regimen(), "continuing": Regimen(habits=Habits(cigarettes_per_day=20, start_year=-30.0)),
            "quit at start": Regimen(habits=Habits(cigarettes_per_day=20, start_year=-30.0, stop_year=0.0))}
    ds = simulate("postmenopausal_woman", arms, years=10, variables=["bmd_change"])
    for site in SITES:
        for t in (1, 3, 10):
            former, never, smoker = (change(ds, arm, site, t) for arm in ("quit at start", "never", "continuing"))
            contract("former minus never-smoker (points)", former - never, low=-NOISE,
                     literature="former smokers between never and current smokers", source="WardKlesges2001",
                     case=f"{site}, {t} y")
            contract("former minus continuing smoker (points)", former - smoker, low=0.0,
                     literature="+1.1 points at the hip in a year", source="Oncken2006", case=f"{site}, {t} y")
            assert change(ds, "quit at start", site, t) >= change(ds, "never", site, t) - NOISE, (site, t)
            assert change(ds, "quit at start", site, t) > change(ds, "continuing", site, t), (site, t)


def test_a_lifelong_smoker_on_an_aromatase_inhibitor_loses_at_least_as_much(contract):
    """LawHackshaw1997, WardKlesges2001: smoking harms bone by paths an aromatase inhibitor does
    not remove (osteoblast toxicity), so a woman who has smoked all her adult life loses at least as
    much on anastrozole as the same woman who never smoked."""
    arms = {"anastrozole": Regimen(therapies=ANASTROZOLE),
            "anastrozole, smoker": Regimen(therapies=ANASTROZOLE, habits=Habits(cigarettes_per_day=20))}
    ds = simulate("postmenopausal_woman", arms, years=3, variables=["bmd_change"])
    for site in SITES:
        for t in (1, 3):
            contract("smoker minus non-smoker on anastrozole (points)",
                     change(ds, "anastrozole, smoker", site, t) - change(ds, "anastrozole", site, t), high=NOISE,
                     literature="smoking harms by paths an aromatase inhibitor does not remove",
                     source="LawHackshaw1997, WardKlesges2001", case=f"{site}, {t} y")
            assert change(ds, "anastrozole, smoker", site, t) <= change(ds, "anastrozole", site, t) + NOISE, (site, t)


def test_smokers_deficit_widens_with_age(contract):
    """LawHackshaw1997: the BMD deficit of women who smoke widens after menopause, by about 2 % a
    decade (6 % at 80)."""
    arms = {"never": Regimen(), "smoker": Regimen(habits=Habits(cigarettes_per_day=20))}
    ds = simulate("postmenopausal_woman", arms, years=18, variables=["bmd"])
    ratio = (ds.bmd.sel(arm="smoker") / ds.bmd.sel(arm="never") - 1).sel(site="total_hip")
    deficit = [float(ratio.sel(time=t, method="nearest")) for t in (0, 9, 18)]
    contract("widening of the smokers' total-hip deficit per 9 years, smaller of two (% of BMD)",
             100 * min(deficit[0] - deficit[1], deficit[1] - deficit[2]), low=0.0,
             literature="about 2 % a decade after menopause (6 % at 80)", source="LawHackshaw1997",
             case="deficit " + ", ".join(f"{100 * d:.2f}" for d in deficit) + " % at 0, 9, 18 y")
    assert deficit[0] > deficit[1] > deficit[2], deficit


def test_help_never_harms(contract):
    """Tang2007 and ShamsWhite2017 (supplements to the deficient), Howe2011 (exercise), the bone-drug
    trials of the calibration table: help never lowers BMD against the same person without it, on
    or off an aromatase inhibitor (here a person with a diet low in calcium, vitamin D and protein)."""
    for population in ("postmenopausal_woman", "older_man"):
        backgrounds = {f"{name}, deficient diet": dict(background, nutrition=DEFICIENT)
                       for name, background in (BACKGROUNDS if "woman" in population else {"no drug": {}}).items()}
        ds = simulate(population, _arms(backgrounds, HELPS), years=10, variables=["bmd_change"])
        for background in backgrounds:
            for help_ in HELPS:
                gain = (change(ds, f"{background} + {help_}") - change(ds, background)).values
                contract("BMD with the help minus without, any site and time (points)", gain.min(), low=-NOISE,
                         literature="never below 0", source="Tang2007, ShamsWhite2017, Howe2011",
                         case=f"{population}, {background} + {help_}")
                assert gain.min() >= -NOISE, (population, background, help_, gain.min())


#: Training that raises BMD (the programmes of HELPS), stopped after each number of years.
TRAINING = ("high-impact training", "resistance training")
TRAINING_YEARS = (1.0, 2.0)
DETRAINING_YEARS = 10.0


def test_stopped_training_never_leaves_bmd_below_the_untrained(contract):
    """Help never harms after the help stops. Detraining returns BMD towards the untrained level,
    not below it: Winters2000 (premenopausal women: the greater-trochanter gain of 12 months of
    jumping and resistance training, +2.7 against +0.8 % in controls, was reversed in 6 months of
    detraining, towards baseline); Dalsky1988 (+5.2 %
    lumbar mineral after 9 months, +1.1 % above baseline 13 months after stopping); Kontulainen2004
    (premenopausal women 3.5 years after 18 months of high-impact training kept 1-3 % more aBMD than
    the controls); Nordstrom2005 (retired athletes lost part of their BMD advantage but kept more
    BMD than the controls 4 years after stopping). High-impact or heavy resistance training of 1 or
    2 years, then stopped, never leaves BMD at any site below the same person's without training,
    checked yearly for 10 years after stopping, on or off an aromatase inhibitor, in every
    population of the contract."""
    end = max(TRAINING_YEARS) + DETRAINING_YEARS
    programmes = {f"{name}, {years:g} y": {"exercise": tuple(dataclasses.replace(e, stop_year=years)
                                                             for e in HELPS[name]["exercise"])}
                  for name in TRAINING for years in TRAINING_YEARS}
    for population in POPULATIONS:
        backgrounds = BACKGROUNDS if "woman" in population else {"no drug": {}}
        ds = simulate(population, _arms(backgrounds, programmes), years=end,
                      output_times=np.arange(0.0, end + 1e-9, 1.0), variables=["bmd_change"])
        for background in backgrounds:
            for programme, extra in programmes.items():
                stop = extra["exercise"][0].stop_year
                gain = (change(ds, f"{background} + {programme}")
                        - change(ds, background)).sel(time=slice(stop, stop + DETRAINING_YEARS)).values
                contract("BMD after stopped training minus untrained, any site, yearly for 10 y (points)", gain.min(),
                         low=-NOISE, literature="returns towards the untrained level, not below",
                         source="Winters2000, Dalsky1988, Kontulainen2004, Nordstrom2005",
                         case=f"{population}, {background} + {programme}")
                assert gain.min() >= -NOISE, (population, background, programme, gain.min())

def test_supplements_help_and_do_not_keep_adding_bone(contract):
    """Tai2015: calcium raises BMD by 0.6-1.8 % over 1-2.5 years, not progressively, and about as
    much at low as at higher usual intake; Reid2014 and Burt2019: vitamin D adds nothing in the
    replete (a few hundredths of a point in Reid's meta-analysis). Calcium to a low-calcium diet
    gains 0.3 to 2 points at 2 years and at most 1.5 times that at 6 years; vitamin D on top of an
    adequate 800 IU/day gains at most 0.25 points."""
    low_calcium = Nutrition(calcium_mg_per_day=500)
    arms = {"low calcium": Regimen(nutrition=low_calcium),
            "low calcium + calcium": Regimen(nutrition=low_calcium,
                                             supplements=(Supplement(calcium_mg_per_day=1000),)),
            "replete": Regimen(), "replete + vitamin D": Regimen(supplements=(Supplement(vitamin_d_iu_per_day=1000),))}
    ds = simulate("postmenopausal_woman", arms, years=6, variables=["bmd_change"])
    for site in SITES:
        two, six = (change(ds, "low calcium + calcium", site, t) - change(ds, "low calcium", site, t) for t in (2, 6))
        contract("calcium to a low-calcium diet: gain at 2 y (points)", two, low=0.3, high=2.0,
                 literature="+0.6 to 1.8 % over 1-2.5 years", source="Tai2015", case=site)
        contract("calcium: gain at 6 y (points)", six, high=1.5 * two,
                 literature="not progressive (at most 1.5 times the gain at 2 y)", source="Tai2015", case=site)
        assert 0.3 <= two <= 2.0 and six <= 1.5 * two, (site, two, six)
        vitamin_d = change(ds, "replete + vitamin D", site, 6) - change(ds, "replete", site, 6)
        contract("vitamin D to the replete: gain at 6 y (points)", vitamin_d, low=-0.25, high=0.25,
                 literature="a few hundredths of a point", source="Reid2014, Burt2019", case=site)
        assert abs(vitamin_d) <= 0.25, (site, vitamin_d)


# --- exercise -------------------------------------------------------------------------------------------
LOADED = {"high_impact": 3, "resistance": 3, "running": 3}


@pytest.fixture(scope="module")
def exercise():
    arms = {"none": Regimen()}
    for modality, sessions in LOADED.items():
        arms[modality] = Regimen(exercise=(Exercise(modality, sessions),))
        arms[f"{modality} x2"] = Regimen(exercise=(Exercise(modality, 2 * sessions),))
        arms[f"{modality} stopped"] = Regimen(exercise=(Exercise(modality, sessions, stop_year=1.0),))
    for modality in ("walking", "swimming", "cycling", "balance"):
        arms[modality] = Regimen(exercise=(Exercise(modality, 3),))
    arms["extreme"] = Regimen(exercise=(Exercise("high_impact", 7, cycles_per_session=200),
                                        Exercise("resistance", 7, load_pct_1rm=95), Exercise("running", 7)))
    return simulate("postmenopausal_woman", arms, years=5, variables=["bmd_change"])


def gain(ds, arm, site, t):
    return change(ds, arm, site, t) - change(ds, "none", site, t)


def test_exercise_gains_plateau(exercise, contract):
    """Dalsky1988 (+5.2 % at 9 months, +6.1 % at 22 months), Howe2011: the gain at 3 years is at
    most 1.5 times the gain at 1 year."""
    for modality in LOADED:
        for site in SITES:
            one, three = gain(exercise, modality, site, 1), gain(exercise, modality, site, 3)
            if one > 0.1:
                contract("exercise gain at 3 y over gain at 1 y", three / one, high=1.5,
                         literature="+5.2 % at 9 months, +6.1 % at 22 months", source="Dalsky1988, Howe2011",
                         case=f"{modality}, {site}")
                assert three <= 1.5 * one, (modality, site, one, three)


def test_exercise_returns_diminish_with_sessions(exercise, contract):
    """Shojaa2020 (no more bone from more than 2 sessions a week): doubling the sessions adds less
    than the first sessions did."""
    for modality in LOADED:
        for site in SITES:
            single, double = gain(exercise, modality, site, 2), gain(exercise, f"{modality} x2", site, 2)
            contract("gain of the second n sessions a week minus the first n, 2 y (points)", double - 2 * single,
                     high=NOISE, literature="no more bone from more than 2 sessions a week", source="Shojaa2020",
                     case=f"{modality}, {site}")
            assert double - single <= single + NOISE, (modality, site, single, double)


def test_exercise_gains_are_bounded(exercise, contract):
    """Howe2011 and Kohrt1997: exercise effects in postmenopausal women are 1-3 %; even daily
    maximal high-impact, resistance and running together stay within 5 points at every site."""
    for site in SITES:
        for t in (1, 2, 3, 5):
            contract("gain of daily maximal high-impact, resistance and running (points)",
                     gain(exercise, "extreme", site, t), high=5.0, literature="1-3 % in postmenopausal women",
                     source="Howe2011, Kohrt1997", case=f"{site}, {t} y")
    assert max(gain(exercise, "extreme", site, t) for site in SITES for t in (1, 2, 3, 5)) <= 5.0


def test_exercise_gains_fade_after_stopping(exercise, contract):
    """Dalsky1988 (+5.2 % after 9 months of training, +1.1 % 13 months after stopping), Winters2000:
    two years after a one-year programme stops, at most half of its gain remains."""
    for modality in LOADED:
        for site in SITES:
            at_stop, later = gain(exercise, f"{modality} stopped", site, 1), gain(exercise, f"{modality} stopped", site, 3)
            if at_stop > 0.1:
                contract("gain 2 y after a 1-year programme over gain at its end", later / at_stop, high=0.5,
                         literature="+5.2 % after 9 months, +1.1 % 13 months after stopping",
                         source="Dalsky1988, Winters2000", case=f"{modality}, {site}")
                assert later <= 0.5 * at_stop, (modality, site, at_stop, later)


def test_exercise_ranks_by_site_as_the_seeds_say(exercise, contract):
    """Seed articles and Kohrt1997: at the hip high-impact loading > running > walking, and
    swimming, cycling and balance training do not change BMD; at the spine heavy resistance >
    walking."""
    hip = {m: gain(exercise, m, "femoral_neck", 1) for m in ("high_impact", "running", "walking")}
    for better, worse in (("high_impact", "running"), ("running", "walking")):
        contract(f"femoral-neck gain at 1 y, {better} minus {worse} (points)", hip[better] - hip[worse], low=0.0,
                 literature=f"{better} > {worse}", source="Kohrt1997")
    contract("femoral-neck gain of walking at 1 y (points)", hip["walking"], low=-NOISE, literature="not below 0",
             source="Kohrt1997")
    contract("spine gain at 1 y, resistance minus walking (points)",
             gain(exercise, "resistance", "lumbar_spine", 1) - gain(exercise, "walking", "lumbar_spine", 1), low=0.0,
             literature="heavy resistance > walking", source="Kohrt1997")
    assert hip["high_impact"] > hip["running"] > hip["walking"] >= -NOISE, hip
    assert gain(exercise, "resistance", "lumbar_spine", 1) > gain(exercise, "walking", "lumbar_spine", 1)
    for modality in ("swimming", "cycling", "balance"):
        for site in SITES:
            for t in (1, 5):
                contract("gain of swimming, cycling, balance (points)", gain(exercise, modality, site, t), low=-NOISE,
                         high=NOISE, literature="no change in BMD", source="Kohrt1997",
                         case=f"{modality}, {site}, {t} y")
        assert max(abs(gain(exercise, modality, site, t)) for site in SITES for t in (1, 5)) <= NOISE, modality


# --- denosumab -----------------------------------------------------------------------------------------
FREEDOM = behaviours.FREEDOM  # women of Cummings2009, as the fit measures them
INTERVAL = 182.625 / 365.25


@pytest.fixture(scope="module")
def denosumab():
    times = np.unique(np.concatenate([np.arange(0, 10.0001, 1 / 48), INTERVAL * np.arange(1, 21) - 1e-3]))
    arms = {"continued": Regimen(therapies=(Therapy("denosumab"),)),
            "stopped": Regimen(therapies=(Therapy("denosumab", stop_year=2.0),)), "placebo": Regimen()}
    return simulate(FREEDOM, arms, years=10, output_times=times, variables=["bmd_change", "ctx_change"])


def test_denosumab_stops_resorption_within_days(contract):
    """Amgen2010 (PROLIA prescribing information): serum CTX about 85 % below baseline 3 days after
    60 mg of denosumab, maximal by 1 month; the issue's contract: 80-90 % down at 1 month. Allowed:
    at least 70 % down at 3 days, 80 to 92 % down at 1 month."""
    ds = simulate(FREEDOM, {"denosumab": Regimen(therapies=(Therapy("denosumab"),))}, years=0.1,
                  output_times=[0.0, 3 / 365.25, 1 / 12], variables=["ctx_change"])
    day3, month1 = ds.ctx_change.sel(arm="denosumab").values.ravel()[1:]
    contract("CTX at 3 days (%)", day3, high=-70, literature="about -85 %", source="Amgen2010")
    contract("CTX at 1 month (%)", month1, low=-92, high=-80, literature="-80 to -90 %, maximal by 1 month",
             source="Amgen2010")
    assert day3 <= -70 and -92 <= month1 <= -80, (day3, month1)


def test_denosumab_holds_bone_through_each_interval(denosumab, contract):
    """Cummings2009 (FREEDOM), Bone2017: on continuous dosing BMD does not fall within a dosing
    interval (at most 0.3 points from its peak to the next dose) through 3 years."""
    for site in SITES:
        ls = change(denosumab, "continued", site).sel(time=slice(0, 3))
        drop = np.maximum.accumulate(ls.values) - ls.values
        contract("BMD fall from its peak within a dosing interval, 0-3 y (points)", drop.max(), high=0.3,
                 literature="no fall within an interval", source="Cummings2009, Bone2017", case=site)
        assert drop.max() <= 0.3, (site, drop.max())


def test_denosumab_keeps_ctx_down_at_every_trough(denosumab, contract):
    """Cummings2009 and the 60 mg arms of the phase 2 and DEFEND trials: CTX at least 55 % below
    baseline just before every dose through 3 years (troughs of -58 to -77 %)."""
    ctx = denosumab.ctx_change.sel(arm="continued")
    troughs = [float(ctx.sel(time=INTERVAL * k - 1e-3, method="nearest")) for k in range(1, 7)]
    contract("CTX just before each dose through 3 y, highest trough (%)", max(troughs), high=-55,
             literature="-58 to -77 %", source="Cummings2009", case=f"before dose {int(np.argmax(troughs)) + 2}")
    assert max(troughs) <= -55, troughs


def test_denosumab_gains_continue_for_ten_years(denosumab, contract):
    """Bone2017 (FREEDOM extension): spine BMD rises through 10 years (+9.2 % at 3, +13.7 at 5,
    +21.7 at 10); the hip too (+4.8, +7.0, +9.2)."""
    for site in ("lumbar_spine", "total_hip"):
        values = [change(denosumab, "continued", site, t) for t in (3, 5, 10)]
        contract("BMD rise from 3 to 5 and from 5 to 10 y, smaller (points)", min(np.diff(values)), low=0.0,
                 literature="spine +9.2, +13.7, +21.7 %; hip +4.8, +7.0, +9.2 % at 3, 5, 10 y", source="Bone2017",
                 case=f"{site}: " + ", ".join(f"{v:+.1f}" for v in values))
        assert values[0] < values[1] < values[2], (site, values)


def test_denosumab_thickens_the_hip_cortex_more_than_it_densifies_it(contract):
    """Poole2015 (3D cortical bone mapping of FREEDOM women, 3 years): denosumab raised femoral
    cortical mass surface density by 5.4 % against placebo, one third from cortical density and two
    thirds from cortical thickness. Here the share of the hip's BMD gain against placebo that is
    mineral density (M/V; the rest is bone volume), at 3 years, at most one half (the total hip
    holds cancellous bone as well, whose gain is more mineral: Boivin2000's alendronate biopsies)."""
    share = float(behaviours.denosumab_hip_mineral_share("Remodel2026", None, rtol=1e-7)[0])
    contract("share of the hip's 3-year gain against placebo from mineral density (larger of total hip and neck)",
             share, high=0.5, literature="one third (two thirds cortical thickness)", source="Poole2015")
    assert share <= 0.5, share


def test_anti_resorptives_order_the_sites_spine_total_hip_femoral_neck(contract):
    """Every anti-resorptive trial orders the gains against placebo lumbar spine > total hip >=
    femoral neck: FREEDOM, denosumab (Cummings2009: spine 9.2, total hip 6.0 points at 3 years,
    the femoral neck less than the hip), HORIZON-PFT, zoledronic acid (Black2007: 6.71, 6.02 and
    5.06 points at 3 years) and FIT, alendronate (Black1996: spine 6.2 points at 3 years, the hip
    regions less). In FREEDOM's women on denosumab, alendronate and zoledronic acid at 1, 3, 5 and
    10 years, the neck gains at most the hip's gain and the hip at most the spine's, plus 0.3 points
    (equal gains allowed; the smallest measured gap, the neck's 0.96 below the hip's in HORIZON, is
    three times that)."""
    neck_over_hip, hip_over_spine = (float(v[0]) for v in
                                     behaviours.antiresorptive_site_order("Remodel2026", None, rtol=1e-7))
    for what, excess in (("femoral neck minus total hip", neck_over_hip), ("total hip minus spine", hip_over_spine)):
        contract(f"anti-resorptives, 1-10 y: {what}, largest gain difference (points)", excess, high=0.3,
                 literature="spine > total hip >= femoral neck", source="Cummings2009, Black2007, Black1996")
    assert neck_over_hip <= 0.3 and hip_over_spine <= 0.3, (neck_over_hip, hip_over_spine)


#: The last dose of the "stopped" arm (doses every 6 months from 0, stopped at 2 years) and the dose it misses.
LAST_DOSE, MISSED_DOSE = 1.5, 2.0


def _overshoot(denosumab):
    """Time from the last dose (years) and height (% above baseline) of the CTX peak after stopping."""
    ctx = denosumab.ctx_change.sel(arm="stopped").sel(time=slice(LAST_DOSE, 5.0))
    k = int(np.argmax(ctx.values))
    return float(ctx.time[k]) - LAST_DOSE, float(ctx.values[k])


def test_denosumab_offset_peaks_3_to_6_months_after_the_missed_dose(denosumab, contract):
    """OvershootReview, Bone2011: after stopping (6 months after the last dose) CTX overshoots its
    pre-treatment level and peaks 3 to 6 months later, 9 to 12 months after the last dose (Bone2011, as
    recalled, not rechecked at the source: markers above baseline within 3 months of the end of the
    24-month treatment period, whose last dose was at month 18, and back to baseline by month 48).
    Allowed: 9 to 12 months after the last dose."""
    peak_time, peak = _overshoot(denosumab)
    contract("CTX peak after stopping, years after the last dose", peak_time, low=0.75, high=1.0,
             literature="3-6 months after the missed dose (9-12 after the last)", source="OvershootReview, Bone2011")
    assert peak > 0 and 0.75 <= peak_time <= 1.0, (peak, peak_time)


def test_denosumab_offset_overshoots_to_about_twice_baseline(denosumab, contract):
    """NCT03396315: after stopping, bone resorption reaches about twice its pre-treatment level for
    about 6 months (Bone2011, Miller2008: means +50 to +100 %, as recalled). Allowed: a peak at least
    50 % above baseline."""
    _, peak = _overshoot(denosumab)
    contract("CTX peak after stopping (% above baseline)", peak, low=50.0, literature="about twice baseline",
             source="NCT03396315, Bone2011, Miller2008")
    assert peak >= 50.0, peak


def test_denosumab_offset_returns_bmd_to_baseline(contract):
    """Bone2011, NCT03396315: the spine BMD gained in 2 years of denosumab is lost within the first
    year off treatment (12 months after the missed dose) and stays near the pre-treatment level.
    Allowed: within 1.5 points (the validation tolerance of the row DMAB-OFF) of pre-treatment a year
    after the missed dose, within 2 points 2 years after it; in women of Bone2011's age (59, as the
    scenario of DMAB-OFF), since from the late sixties the spine's DXA gathers the apparent mineral of
    degenerative changes (Rand1997), which the pre-treatment value of older women does not hold."""
    women = remodel.Population("Bone2011", "female", 59.0, menopause_age=50.0)
    ds = simulate(women, {"stopped": Regimen(therapies=(Therapy("denosumab", stop_year=2.0),))}, years=MISSED_DOSE + 2.0,
                  output_times=[0.0, MISSED_DOSE + 1.0, MISSED_DOSE + 2.0], variables=["bmd_change"])
    one, two = (change(ds, "stopped", "lumbar_spine", MISSED_DOSE + t) for t in (1.0, 2.0))
    contract("spine 1 y after the missed dose (points from pre-treatment)", one, low=-1.5, high=1.5,
             literature="back to baseline", source="Bone2011, NCT03396315")
    contract("spine 2 y after the missed dose (points from pre-treatment)", two, low=-2.0, high=2.0,
             literature="near baseline", source="Bone2011")
    assert abs(one) <= 1.5 and abs(two) <= 2.0, (one, two)


# --- bisphosphonates --------------------------------------------------------------------------------------
def test_alendronate_offset_is_slow_and_benefit_follows_adherence(contract):
    """Black2006 (FLEX): five years after stopping, BMD stays at or above its pre-treatment level.
    Devogelaer1996 (5 and 10 mg/day: +5.4 and +7.4 % at the spine against placebo in 3 years, a
    ratio of 0.73) and Siris2006 (benefit graded with adherence): half the doses of an oral
    bisphosphonate give 0.58 to 0.88 of the 3-year gain (0.73 +- 0.15)."""
    arms = {"stopped": Regimen(therapies=(Therapy("alendronate", stop_year=5.0),)), "placebo": Regimen()}
    ds = simulate("postmenopausal_woman", arms, years=10, variables=["bmd_change"])
    for site in ("lumbar_spine", "total_hip"):
        contract("BMD 5 y after 5 y of alendronate (% from pre-treatment)", change(ds, "stopped", site, 10), low=-0.5,
                 literature="at or above pre-treatment", source="Black2006", case=site)
        assert change(ds, "stopped", site, 10) >= -0.5, site
    ds = simulate("postmenopausal_woman", {"alendronate": Regimen(therapies=(Therapy("alendronate"),)),
                                           "placebo": Regimen()},
                  years=3, samples={"adherence": [1.0, 0.5]}, variables=["bmd_change"])
    g = (ds.bmd_change.sel(arm="alendronate") - ds.bmd_change.sel(arm="placebo")).sel(time=3, method="nearest")
    ratio = (g.isel(sample=1) / g.isel(sample=0)).values
    for site, value in zip(g.site.values, ratio):
        contract("3-year gain at adherence 0.5 over full adherence", value, low=0.58, high=0.88,
                 literature="0.73 (5 against 10 mg/day)", source="Devogelaer1996, Siris2006", case=site)
    assert np.all((ratio >= 0.58) & (ratio <= 0.88)), ratio


def test_hip_gain_on_a_bisphosphonate_levels_off_while_the_spine_keeps_rising(contract):
    """Kendler2022: hip BMD generally plateaus after 3-4 years of a bisphosphonate. FLEX: in the 5
    years after 5 years of alendronate, the placebo arm changed by -3.6 % at the total hip and +1.3 %
    at the spine (McNabb2013), and the women who continued alendronate kept 2.4 and 3.7 points more
    (Black2006): about -1.2 % at the hip and +5.0 % at the spine from year 5 to year 10 on
    alendronate. Allowed: -3 to +1 points at the hip, and the spine rising more than the hip (the
    rows FLEX-LS and FLEX-TH fit the difference between the arms, not this course)."""
    hip, spine_over_hip = (float(x[0]) for x in behaviours.flex_course("Remodel2026", None, rtol=1e-7))
    contract("total hip on alendronate from year 5 to 10 (points)", hip, low=-3.0, high=1.0,
             literature="about -1.2 (placebo -3.6, continued +2.4 against it)", source="Black2006, McNabb2013, Kendler2022")
    contract("spine minus total hip on alendronate from year 5 to 10 (points)", spine_over_hip, low=0.0,
             literature="about +6 (spine +5.0, hip -1.2)", source="Black2006, McNabb2013")
    spine = hip + spine_over_hip
    assert -3.0 <= hip <= 1.0 and spine > hip, (hip, spine)


def test_alendronate_lowers_resorption_within_months(contract):
    """Reid2006: alendronate 70 mg once weekly lowered urinary NTX by 52 % in 3 months in women over
    60 with osteoporosis (its primary end point; risedronate 5 mg daily by 32 %). Here resorption
    (CTX) against placebo is 42 to 62 % down at 3 months (52 +- 10 points, the tolerance of the
    marker rows), and already half of that at 1 month."""
    month3, ratio = (float(x[0]) for x in behaviours.alendronate_onset("Remodel2026", None, rtol=1e-7))
    month1 = ratio * month3
    contract("CTX against placebo at 3 months (%)", month3, low=-62, high=-42, literature="NTX -52 %",
             source="Reid2006")
    contract("CTX against placebo at 1 month (%)", month1, high=0.5 * month3,
             literature="(half the 3-month fall; assumed)", source="Reid2006")
    assert -62 <= month3 <= -42 and month1 <= 0.5 * month3, (month1, month3)


# --- aromatase inhibitors ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def aromatase():
    arms = {"none": Regimen(), "anastrozole": Regimen(therapies=ANASTROZOLE),
            "stopped at 5": Regimen(therapies=(Therapy("anastrozole", stop_year=5.0),)),
            "0.1 mg": Regimen(therapies=(Therapy("anastrozole", dose=0.1),)),
            "0.01 mg": Regimen(therapies=(Therapy("anastrozole", dose=0.01),))}
    return simulate("postmenopausal_woman", arms, years=10, variables=["bmd_change", "estradiol"])


def test_aromatase_inhibitor_deficit_does_not_heal_on_treatment(aromatase, contract):
    """Eastell2011 (ATAC: loss continues through 5 years of anastrozole), Sestak2021: the deficit against the same
    woman without the drug does not shrink while the drug continues."""
    for site in SITES:
        deficit = [change(aromatase, "anastrozole", site, t) - change(aromatase, "none", site, t) for t in (1, 3, 5, 10)]
        contract("narrowing of the anastrozole deficit between 1, 3, 5, 10 y, largest (points)",
                 max(np.diff(deficit)), high=NOISE, literature="loss continues through 5 years of anastrozole",
                 source="Eastell2011, Sestak2021", case=f"{site}: " + ", ".join(f"{d:+.2f}" for d in deficit))
        assert all(b <= a + NOISE for a, b in zip(deficit, deficit[1:])), (site, deficit)


def test_bone_recovers_after_stopping_an_aromatase_inhibitor(aromatase, contract):
    """Sestak2021 (IBIS-II: spine +1.25 % from year 5 to 7 after stopping anastrozole vs +0.14 %
    after placebo; the BREX cohort likewise): after stopping, the spine gains against the same woman
    who never took it."""
    stopped = since(aromatase, "stopped at 5", "lumbar_spine", 5, 7)
    never = since(aromatase, "none", "lumbar_spine", 5, 7)
    contract("spine from 5 to 7 y, stopped at 5 minus never took it (points)", stopped - never, low=0.5,
             literature="+1.25 against +0.14 %", source="Sestak2021")
    assert stopped > never + 0.5, (stopped, never)


def test_spine_recovery_after_stopping_an_aromatase_inhibitor_lasts_for_years(aromatase, contract):
    """Blomqvist2024 (BREX, 10-year follow-up: lumbar spine +2.6 % over the 5 years after stopping an
    aromatase inhibitor, -1.3 % in women who did not stop one), Sestak2021 (IBIS-II: +1.25 % over the
    first 2 years): 5 years after stopping, the spine stands above its level at stopping by at least half
    the BREX gain (a cohort that mixes women pre- and postmenopausal at diagnosis, so half is allowed).
    Spine DXA, as measured: the bone's own recovery (the remodelling space refilling within a year)
    and, from the late sixties, the apparent mineral of degenerative changes (Rand1997, Tenne2013)."""
    gain = since(aromatase, "stopped at 5", "lumbar_spine", 5, 10)
    contract("spine from stopping to 5 years off (%)", gain, low=1.3, literature="+2.6 % (BREX), +1.25 at 2 years",
             source="Blomqvist2024, Sestak2021")
    assert gain >= 1.3, gain


def test_lifestyle_alone_does_not_undo_an_aromatase_inhibitor(contract):
    """Coleman2013 (ZO-FAST: women on letrozole with 1200-1500 mg calcium and 400-800 IU vitamin D a
    day, whose zoledronic acid was delayed until a T-score below -2 or a fracture, lost spine and hip
    BMD over 5 years), Thomas2017 (HOPE: a year of
    aerobic and resistance training on an aromatase inhibitor, no significant BMD effect): after 5
    years on anastrozole with training twice a week, calcium and vitamin D
    (:data:`remodel.behaviours.BEST_LIFESTYLE`), a woman (the built-in postmenopausal woman, and
    the osteopenic 64-year-old of the README's scenario: :func:`remodel.behaviours.ai_women`) is at
    no site above the same woman without the drug on her usual diet."""
    lead = behaviours.lifestyle_lead("Remodel2026", None, rtol=1e-6)
    contract("best lifestyle on anastrozole minus no drug at 5 y, any site (points)", np.max(lead), high=NOISE,
             literature="spine and hip lost over 5 years; no significant effect of training",
             source="Coleman2013, Thomas2017")
    assert np.all(lead <= NOISE), lead


def test_aromatase_inhibition_follows_the_dose(aromatase, contract):
    """Geisler1996 (anastrozole 1 mg 96.7 %, 10 mg 98.1 % whole-body aromatization inhibition):
    lower doses leave more estradiol and take less bone."""
    e2 = [float(aromatase.estradiol.sel(arm=a).sel(time=1, method="nearest")) for a in ("0.01 mg", "0.1 mg", "anastrozole")]
    contract("estradiol at 1 y: 0.01 minus 0.1 mg, 0.1 minus 1 mg, smaller (pg/mL)", min(-np.diff(e2)), low=0.0,
             literature="inhibition 96.7 % at 1 mg, 98.1 % at 10 mg", source="Geisler1996",
             case=", ".join(f"{v:.3g}" for v in e2))
    assert e2[0] > e2[1] > e2[2], e2
    loss = [change(aromatase, a, "lumbar_spine", 3) for a in ("0.01 mg", "0.1 mg", "anastrozole")]
    contract("spine at 3 y: 0.01 minus 0.1 mg, 0.1 minus 1 mg, smaller (points)", min(-np.diff(loss)), low=0.0,
             literature="lower doses take less bone", source="Geisler1996", case=", ".join(f"{v:+.2f}" for v in loss))
    assert loss[0] > loss[1] > loss[2], loss


def test_ovarian_suppression_with_an_aromatase_inhibitor_costs_a_premenopausal_woman_most(contract):
    """Gnant2007 (ABCSG-12: premenopausal women on goserelin with anastrozole or tamoxifen lost 14.4 %
    of spine BMD in 3 years, both arms pooled; more on anastrozole: -17.4 % against 11.6 %, sign not
    printed, as a review tabulates the arms, remodel/data/holdout_targets.csv), Eastell2006 (ATAC: a
    postmenopausal woman on anastrozole loses about 4 % of spine in 2 years): removing ovarian and
    peripheral estradiol together costs a premenopausal woman's spine more in 3 years than goserelin
    with tamoxifen, a partial agonist, and more than anastrozole costs a postmenopausal woman."""
    goserelin = Therapy("goserelin")
    arms = {"goserelin + anastrozole": Regimen(therapies=(goserelin,) + ANASTROZOLE),
            "goserelin + tamoxifen": Regimen(therapies=(goserelin, Therapy("tamoxifen"))), "none": Regimen()}
    pre = simulate("premenopausal_woman", arms, years=3, output_times=[0.0, 3.0], variables=["bmd_change"])
    post = simulate("postmenopausal_woman", {"anastrozole": Regimen(therapies=ANASTROZOLE), "none": Regimen()},
                    years=3, output_times=[0.0, 3.0], variables=["bmd_change"])
    deficit = {arm: change(pre, arm, "lumbar_spine", 3) - change(pre, "none", "lumbar_spine", 3) for arm in arms}
    postmenopausal = change(post, "anastrozole", "lumbar_spine", 3) - change(post, "none", "lumbar_spine", 3)
    contract("spine at 3 y before menopause, goserelin with anastrozole minus with tamoxifen (points)",
             deficit["goserelin + anastrozole"] - deficit["goserelin + tamoxifen"], high=0.0,
             literature="-17.4 against -11.6 % (as a review tabulates the arms)", source="Gnant2007")
    contract("spine at 3 y before menopause, goserelin with tamoxifen against none (points)",
             deficit["goserelin + tamoxifen"], high=-NOISE, literature="-11.6 % (sign not printed)",
             source="Gnant2007")
    contract("spine at 3 y, goserelin with anastrozole before menopause minus anastrozole after (points)",
             deficit["goserelin + anastrozole"] - postmenopausal, high=0.0,
             literature="-14.4 % in 3 y (both arms) against about -4 % in 2 y", source="Gnant2007, Eastell2006")
    contract("spine at 3 y after menopause, anastrozole against none (points)", postmenopausal, high=-NOISE,
             literature="about -4 % in 2 years", source="Eastell2006")
    assert deficit["goserelin + anastrozole"] < deficit["goserelin + tamoxifen"] < -NOISE, deficit
    assert deficit["goserelin + anastrozole"] < postmenopausal < -NOISE, (deficit, postmenopausal)


# --- men -----------------------------------------------------------------------------------------------------
def test_anastrozole_in_men_lowers_estradiol_moderately_and_raises_testosterone(contract):
    """Leder2004 (26 -> 17 pg/mL, -35 %; testosterone 343 -> 572 ng/dL) and BurnettBowie2009
    (15 -> 12 pg/mL, -20 %): anastrozole 1 mg lowers a man's estradiol by 20-50 % and raises his
    testosterone by at least 30 %."""
    for population in ("older_man", "hypogonadal_man"):
        ds = simulate(population, {"anastrozole": Regimen(therapies=ANASTROZOLE), "none": Regimen()}, years=1,
                      variables=["estradiol", "testosterone"])
        at = ds.sel(time=0.5, method="nearest")
        e2 = float(at.estradiol.sel(arm="anastrozole") / at.estradiol.sel(arm="none")) - 1
        t = float(at.testosterone.sel(arm="anastrozole") / at.testosterone.sel(arm="none")) - 1
        contract("estradiol on anastrozole 1 mg (%)", 100 * e2, low=-50.0, high=-20.0,
                 literature="-35 % (26 to 17 pg/mL); -20 % (15 to 12)", source="Leder2004, BurnettBowie2009",
                 case=population)
        contract("testosterone on anastrozole 1 mg (%)", 100 * t, low=30.0, literature="+67 % (343 to 572 ng/dL)",
                 source="Leder2004", case=population)
        assert -0.50 <= e2 <= -0.20 and t >= 0.30, (population, e2, t)


def test_aromatase_inhibitor_dose_acts_in_men(contract):
    """Leder2004: anastrozole 1 mg twice a week raised testosterone less than 1 mg a day (397 -> 520
    against 343 -> 572 ng/dL) and lowered estradiol as much (-37 and -35 %), since most of the
    estradiol an inhibitor leaves a man is testicular: a lower dose leaves more estradiol and raises
    testosterone less, by little."""
    arms = {"none": Regimen(), "1 mg": Regimen(therapies=ANASTROZOLE),
            "0.5 mg": Regimen(therapies=(Therapy("anastrozole", dose=0.5),)),
            "0.1 mg": Regimen(therapies=(Therapy("anastrozole", dose=0.1),))}
    ds = simulate("older_man", arms, years=0.5, variables=["estradiol", "testosterone"]).isel(time=-1)
    e2 = [float(ds.estradiol.sel(arm=a)) for a in ("none", "0.1 mg", "0.5 mg", "1 mg")]
    t = [float(ds.testosterone.sel(arm=a)) for a in ("none", "0.1 mg", "0.5 mg", "1 mg")]
    contract("estradiol falling with dose (none, 0.1, 0.5, 1 mg), smallest step (pg/mL)", min(-np.diff(e2)),
             low=0.0, literature="-37 % at 1 mg twice a week, -35 % at 1 mg a day", source="Leder2004",
             case=", ".join(f"{v:.3g}" for v in e2))
    contract("testosterone rising with dose, smallest step (ng/dL)", min(np.diff(t)), low=0.0,
             literature="397 to 520 at 1 mg twice a week, 343 to 572 at 1 mg a day", source="Leder2004",
             case=", ".join(f"{v:.0f}" for v in t))
    contract("estradiol at 0.5 mg over 1 mg", e2[2] / e2[3], high=1.1, literature="-37 against -35 %",
             source="Leder2004")
    assert e2[0] > e2[1] > e2[2] > e2[3], e2
    assert t[0] < t[1] < t[2] < t[3], t
    assert e2[2] / e2[3] < 1.1, e2


def test_men_on_testosterone_need_aromatization_for_bone(contract):
    """Finkelstein2013 and Finkelstein2016: with testosterone held by therapy, blocking its
    aromatization to estradiol costs bone; estradiol, not testosterone alone, protects it."""
    arms = {"testosterone": Regimen(therapies=(Therapy("testosterone"),)),
            "testosterone + anastrozole": Regimen(therapies=(Therapy("testosterone"),) + ANASTROZOLE)}
    ds = simulate("hypogonadal_man", arms, years=2, variables=["bmd_change"])
    for site in SITES:
        contract("BMD at 2 y, testosterone with anastrozole minus without (points)",
                 change(ds, "testosterone + anastrozole", site, 2) - change(ds, "testosterone", site, 2), high=-0.3,
                 literature="blocking aromatization costs bone", source="Finkelstein2013, Finkelstein2016",
                 case=site)
        assert change(ds, "testosterone + anastrozole", site, 2) < change(ds, "testosterone", site, 2) - 0.3, site


def test_testosterone_therapy_raises_estradiol_by_aromatization(contract):
    """Finkelstein2013: estradiol follows the testosterone a man is given, and an aromatase inhibitor
    takes it away: therapy to mid-normal raises a hypogonadal man's estradiol, with anastrozole it
    falls below his untreated level."""
    arms = {"none": Regimen(), "testosterone": Regimen(therapies=(Therapy("testosterone"),)),
            "testosterone + anastrozole": Regimen(therapies=(Therapy("testosterone"),) + ANASTROZOLE)}
    e2 = simulate("hypogonadal_man", arms, years=0.5, variables=["estradiol"]).estradiol.isel(time=-1)
    contract("estradiol on testosterone over untreated", float(e2.sel(arm="testosterone") / e2.sel(arm="none")),
             low=1.2, literature="estradiol follows the testosterone given", source="Finkelstein2013")
    contract("estradiol on testosterone and anastrozole over untreated",
             float(e2.sel(arm="testosterone + anastrozole") / e2.sel(arm="none")), high=0.8,
             literature="an aromatase inhibitor takes it away", source="Finkelstein2013")
    assert float(e2.sel(arm="testosterone")) > 1.2 * float(e2.sel(arm="none")), e2.values
    assert float(e2.sel(arm="testosterone + anastrozole")) < 0.8 * float(e2.sel(arm="none")), e2.values


#: Finkelstein2016's design: men aged 20-50 whose own secretion goserelin removed, given graded
#: testosterone (ng/dL held) with or without anastrozole, for 16 weeks.
FINKELSTEIN_MAN = remodel.Population("Finkelstein2016", "male", 35.0, testosterone_ng_per_dl=600.0)
FINKELSTEIN_LEVELS = (150.0, 300.0, 450.0, 600.0, 900.0)


@pytest.fixture(scope="module")
def finkelstein():
    arms = {"control": Regimen()}
    for level in FINKELSTEIN_LEVELS:
        held = (Therapy("goserelin"), Therapy("testosterone", dose=level))
        arms[f"T {level:g}"] = Regimen(therapies=held)
        arms[f"T {level:g} + anastrozole"] = Regimen(therapies=held + ANASTROZOLE)
    return simulate(FINKELSTEIN_MAN, arms, years=16 / 52, output_times=[0.0, 16 / 52],
                    variables=["estradiol", "testosterone", "ctx_change"]).isel(time=-1)


def test_men_resorption_follows_testosterone_and_rises_more_without_aromatization(finkelstein, contract):
    """Finkelstein2016: as the testosterone dose fell, CTX rose, and it rose more when aromatization
    was blocked as well, at every dose."""
    ctx = [float(finkelstein.ctx_change.sel(arm=f"T {level:g}")) for level in FINKELSTEIN_LEVELS]
    blocked = [float(finkelstein.ctx_change.sel(arm=f"T {level:g} + anastrozole")) for level in FINKELSTEIN_LEVELS]
    contract("CTX rise as testosterone falls, smallest step (points)", min(-np.diff(ctx)), low=0.0,
             literature="CTX rose as the testosterone dose fell", source="Finkelstein2016",
             case=", ".join(f"{v:+.1f}" for v in ctx))
    contract("CTX with anastrozole minus without, smallest over doses (points)",
             min(b - a for a, b in zip(ctx, blocked)), low=0.0, literature="rose more with aromatization blocked",
             source="Finkelstein2016")
    assert all(a > b for a, b in zip(ctx, ctx[1:])), ctx
    assert all(b > a for a, b in zip(ctx, blocked)), (ctx, blocked)


def test_blocking_aromatization_raises_men_resorption_considerably(finkelstein, contract):
    """Finkelstein2016: the rise of CTX was considerably greater when aromatization was blocked as
    well; here by at least 10 points from a mid-normal 300 ng/dL up, where there is estradiol to block
    (at the lowest doses little is aromatized)."""
    ctx = [float(finkelstein.ctx_change.sel(arm=f"T {level:g}")) for level in FINKELSTEIN_LEVELS]
    blocked = [float(finkelstein.ctx_change.sel(arm=f"T {level:g} + anastrozole")) for level in FINKELSTEIN_LEVELS]
    for level, a, b in zip(FINKELSTEIN_LEVELS, ctx, blocked):
        if level >= 300.0:
            contract("CTX with anastrozole minus without (points)", b - a, low=10.0, literature="considerably greater",
                     source="Finkelstein2016", case=f"testosterone {level:g} ng/dL")
    assert all(b > a + 10.0 for level, a, b in zip(FINKELSTEIN_LEVELS, ctx, blocked) if level >= 300.0), (ctx, blocked)


def test_men_estradiol_and_testosterone_thresholds_for_resorption(finkelstein, contract):
    """Finkelstein2016: estradiol above 10 pg/mL and testosterone above 200 ng/dL were generally
    sufficient to prevent increases in bone resorption: in every arm above both, CTX rises by less
    than 15 % in 16 weeks (an assumed bound for "no significant increase")."""
    above = [a for a in finkelstein.arm.values if float(finkelstein.estradiol.sel(arm=a)) > 10.0
             and float(finkelstein.testosterone.sel(arm=a)) > 200.0]
    contract("arms above both thresholds", len(above), low=2, literature="E2 > 10 pg/mL and T > 200 ng/dL",
             source="Finkelstein2016")
    assert len(above) >= 2, above
    for arm in above:
        contract("CTX at 16 weeks above both thresholds (%)", float(finkelstein.ctx_change.sel(arm=arm)), high=15.0,
                 literature="no increase in resorption (bound assumed)", source="Finkelstein2016", case=arm)
        assert float(finkelstein.ctx_change.sel(arm=arm)) < 15.0, (arm, float(finkelstein.ctx_change.sel(arm=arm)))


#: Finkelstein2020's older men (60-80 years) under the same design, at the testosterone of
#: the middle of its 300-499 ng/dL stratum.
FINKELSTEIN_OLDER_MAN = remodel.Population("Finkelstein2020", "male", 70.0, testosterone_ng_per_dl=450.0)


def test_older_men_need_more_sex_steroid_to_hold_resorption(finkelstein, contract):
    """Finkelstein2020 against Finkelstein2016: in men aged 60-80, CTX rose above the controls' at
    testosterone 300-499 ng/dL, where in men aged 20-50 estradiol above 10 pg/mL and testosterone
    above 200 ng/dL sufficed (the bone answers bioavailable estradiol, which falls with age as SHBG
    rises: Khosla2001): at 400 ng/dL held, CTX rises at least 10 points more in the older man than
    in the young one, and by at least 15 %."""
    arms = {"control": Regimen(), "T 400": Regimen(therapies=(Therapy("goserelin"), Therapy("testosterone", dose=400.0)))}
    older = simulate(FINKELSTEIN_OLDER_MAN, arms, years=16 / 52, output_times=[0.0, 16 / 52],
                     variables=["ctx_change"]).isel(time=-1).ctx_change
    young = simulate(FINKELSTEIN_MAN, arms, years=16 / 52, output_times=[0.0, 16 / 52],
                     variables=["ctx_change"]).isel(time=-1).ctx_change
    rise_older = float(older.sel(arm="T 400") - older.sel(arm="control"))
    rise_young = float(young.sel(arm="T 400") - young.sel(arm="control"))
    contract("CTX rise at 400 ng/dL, older man (points)", rise_older, low=15.0,
             literature="above the controls' at 300-499 ng/dL", source="Finkelstein2020")
    contract("CTX rise at 400 ng/dL, older minus young man (points)", rise_older - rise_young, low=10.0,
             literature="the young held resorption at T > 200 ng/dL", source="Finkelstein2020, Finkelstein2016")
    assert rise_older >= 15.0 and rise_older >= rise_young + 10.0, (rise_older, rise_young)


def test_androgen_deprivation_costs_men_a_few_percent_a_year(contract):
    """Smith2001: men with prostate cancer on leuprolide alone lost 3.3 +- 0.7 % of lumbar spine and
    1.8 +- 0.4 % of total hip BMD in 48 weeks: a GnRH agonist costs an older man 1.5-5 points of spine
    and 0.5-3.5 of hip in that time."""
    ds = simulate("older_man", {"goserelin": Regimen(therapies=(Therapy("goserelin"),)), "none": Regimen()},
                  years=48 / 52, output_times=[0.0, 48 / 52], variables=["bmd_change"])
    spine = change(ds, "goserelin", "lumbar_spine", 48 / 52) - change(ds, "none", "lumbar_spine", 48 / 52)
    hip = change(ds, "goserelin", "total_hip", 48 / 52) - change(ds, "none", "total_hip", 48 / 52)
    contract("spine at 48 weeks of goserelin against none (points)", spine, low=-5.0, high=-1.5,
             literature="-3.3 +- 0.7 %", source="Smith2001")
    contract("total hip at 48 weeks of goserelin against none (points)", hip, low=-3.5, high=-0.5,
             literature="-1.8 +- 0.4 %", source="Smith2001")
    assert -5.0 <= spine <= -1.5 and -3.5 <= hip <= -0.5, (spine, hip)


# --- time courses ------------------------------------------------------------------------------------------
def test_menopause_loss_is_fastest_across_the_transition(contract):
    """Greendale2012 (SWAN): spine loss is fastest in the transmenopause (-7.4 % over FMP-1 to FMP+2)
    and slower afterwards (-10.6 % over FMP-5 to FMP+5 in all)."""
    ds = simulate(remodel.Population("SWAN", "female", 46.0, menopause_age=51.0), {"arm": Regimen()}, years=10,
                  variables=["bmd_change"])
    transition = since(ds, "arm", "lumbar_spine", 4, 7) / 3
    after = since(ds, "arm", "lumbar_spine", 7, 10) / 3
    contract("spine loss rate across the transition minus after it (%/year)", after - transition, low=0.0,
             literature="-7.4 % over FMP-1 to FMP+2, -10.6 % over FMP-5 to FMP+5", source="Greendale2012",
             case=f"{transition:.2f} and {after:.2f} %/year")
    contract("spine change rate after the transition (%/year)", after, high=0.0, literature="loss continues",
             source="Greendale2012")
    assert transition < after < 0, (transition, after)


def test_tamoxifen_costs_bone_before_menopause_and_spares_it_after_for_as_long_as_it_is_taken(contract):
    """Powles1996 (healthy women, tamoxifen 20 mg/day against placebo for 3 years: premenopausal
    women lost spine and hip BMD progressively, -1.44 %/year at the spine against +0.24 on placebo;
    postmenopausal women gained, +1.17 %/year at the spine and +1.71 at the hip, against a
    non-significant loss on placebo), Eastell2006 and Eastell2008 (ATAC: the tamoxifen arm's spine
    +2.2 % at 2 years and +2.77 at 5, while women without it keep losing): against the same woman without it,
    tamoxifen's deficit before menopause widens from year 1 to year 3 at every site, and its benefit
    after menopause is positive at every site and does not shrink over 5 years of treatment."""
    tamoxifen = Regimen(therapies=(Therapy("tamoxifen"),))
    years = (1.0, 2.0, 3.0, 5.0)
    for population, sign in (("premenopausal_woman", -1), ("postmenopausal_woman", 1)):
        ds = simulate(population, {"tamoxifen": tamoxifen, "none": Regimen()}, years=5,
                      output_times=[0.0, *years], variables=["bmd_change"])
        for site in SITES:
            effect = [sign * (change(ds, "tamoxifen", site, t) - change(ds, "none", site, t)) for t in years]
            checked = effect[:3] if sign < 0 else effect  # Powles1996's premenopausal women: 3 years
            contract("tamoxifen against none at 1 y, signed (points: the deficit before menopause, the gain after)",
                     checked[0], low=NOISE, literature="-1.44 %/year before menopause, +1.17 after (spine)",
                     source="Powles1996", case=f"{population}, {site}")
            contract("shrinking of that effect between 1, 2, 3 (and 5) y, largest (points)",
                     max(a - b for a, b in zip(checked, checked[1:])), high=NOISE,
                     literature="progressive over 3 y before menopause; ATAC spine +2.2 at 2 y, +2.77 at 5 y",
                     source="Powles1996, Eastell2006, Eastell2008", case=f"{population}, {site}")
            assert checked[0] > NOISE and all(b >= a - NOISE for a, b in zip(checked, checked[1:])), \
                (population, site, effect)


def test_postmenopausal_tamoxifen_keeps_its_spine_gain_for_years(contract):
    """Powles1996 (healthy postmenopausal women on tamoxifen 20 mg/day: spine +1.17 %/year over 3
    years), Love1992 (postmenopausal women with breast cancer: spine +0.61 %/year over 2 years, -1.0
    on placebo, as tabulated in reviews), Grey1995 (late postmenopausal women: spine +1.4 % at 2 years,
    the effect maximal at 1 year and held): from the postmenopausal woman's baseline, her spine on
    tamoxifen at 3 years is not below its value at 1 year. (Without the spine's apparent mineral of
    degenerative changes, Rand1997, the 62-year-old's spine gain faded from year 1 to 3 at the
    efficacy eps_tamoxifen fitted then, 0.26, held low by the small spine loss after stopping
    tamoxifen, ATAC-TAM-OFF-LS: the ATAC women, 64 at the start, lost spine on tamoxifen from year 2.)"""
    held = float(behaviours.tamoxifen_spine_hold("Remodel2026", None, rtol=1e-7)[0])
    contract("spine on tamoxifen at 3 y minus at 1 y, from baseline (points)", held, low=-NOISE,
             literature="+1.17 %/year over 3 years; gain held from 1 to 2 years", source="Powles1996, Love1992, Grey1995")
    assert held >= -NOISE, held


def test_tamoxifen_lowers_bone_turnover_in_older_women(contract):
    """Kenny1995 (women 70-85 years old, 20-30 years past menopause, tamoxifen 20 mg/day for 10 weeks:
    urinary pyridinoline -23 % and deoxypyridinoline -25 %, formation markers -17 to -36 %; back to
    baseline after stopping), Grey1995 (late postmenopausal women: significant falls of alkaline
    phosphatase and N-telopeptide): against the same woman without it, CTX at least 15 % and P1NP at
    least 10 % down at 9.5 weeks (about two thirds of the smallest measured falls)."""
    women = remodel.Population("Kenny1995", "female", 75.0, menopause_age=50.0)
    weeks = 9.5 * 7 / 365.25
    ds = simulate(women, {"tamoxifen": Regimen(therapies=(Therapy("tamoxifen"),)), "none": Regimen()}, years=weeks,
                  output_times=[0.0, weeks], variables=["ctx_change", "p1np_change"])
    ctx, p1np = (float((ds[v].sel(arm="tamoxifen") - ds[v].sel(arm="none")).isel(time=-1))
                 for v in ("ctx_change", "p1np_change"))
    contract("CTX on tamoxifen against none at 9.5 weeks (%)", ctx, high=-15.0, literature="pyridinolines -23 and -25 %",
             source="Kenny1995")
    contract("P1NP on tamoxifen against none at 9.5 weeks (%)", p1np, high=-10.0, literature="formation markers -17 to -36 %",
             source="Kenny1995")
    assert ctx <= -15.0 and p1np <= -10.0, (ctx, p1np)


def test_untreated_spine_dxa_stops_falling_in_old_age_while_the_hip_falls(contract):
    """Tenne2013 (1,044 women of 75 followed to 85: degenerative changes on the spine's DXA grew from
    5-36 % to 20-72 % of the vertebrae and overall L1-L4 BMD rose significantly; it stayed level where
    none appeared), Rand1997: from 75 to 85 the untreated woman's spine BMD does not fall, her total
    hip does."""
    ds = simulate(remodel.Population("Tenne2013", "female", 75.0, menopause_age=50.0), {"arm": Regimen()}, years=10,
                  output_times=[0.0, 10.0], variables=["bmd_change"])
    spine, hip = (change(ds, "arm", site, 10.0) for site in ("lumbar_spine", "total_hip"))
    contract("spine from 75 to 85 y, untreated (%)", spine, low=-NOISE, literature="rose significantly",
             source="Tenne2013", case=f"total hip {hip:+.2f} %")
    contract("total hip from 75 to 85 y, untreated (%)", hip, high=-NOISE, literature="hip loss accelerates in old age",
             source="Tenne2013, Ensrud1995")
    assert spine >= -NOISE and hip < -NOISE, (spine, hip)


def test_untreated_hip_loss_accelerates_in_old_age(contract):
    """Ensrud1995 (SOF, 5698 women aged 65 and over, total hip measured twice about 3.5 years apart):
    untreated hip loss increases steadily with age, from 2.5 mg/cm2/year (about -0.3 %/year) at 67-69
    to 10.4 mg/cm2/year (about -1.5 %/year) at 85 and over, about four-fold. Required here, for the
    typical postmenopausal woman (menopause at 51) over 2 untreated years: loss at every age, and the
    total-hip loss rate at 85 at least 1.5 times that at 68. 1.5, not 4: SOF compares survivors of
    different birth cohorts and its oldest group is small, so only the direction and a clear part
    of the size are required; a model whose loss slows with age fails it. The model's loss quickens as
    habitual loading falls with physical activity in old age (Jefferis2015; at the hip, not the spine:
    :mod:`remodel.model.physiology.exercise`)."""
    def annual_hip_change(age):
        population = dataclasses.replace(remodel.POPULATIONS["postmenopausal_woman"], age=age)
        ds = simulate(population, {"arm": Regimen()}, years=2, output_times=[0.0, 2.0], natural_history=False,
                      variables=["bmd_change"])
        return change(ds, "arm", "total_hip", 2.0) / 2

    at_68, at_85 = annual_hip_change(68.0), annual_hip_change(85.0)
    contract("total-hip change at 68, untreated (%/year)", at_68, high=0.0, literature="about -0.3 %/year at 67-69",
             source="Ensrud1995")
    contract("total-hip change at 85, untreated (%/year; at most 1.5 times the rate at 68)", at_85, high=1.5 * at_68,
             literature="about -1.5 %/year at 85 and over (four-fold)", source="Ensrud1995")
    assert at_68 < 0 and at_85 <= 1.5 * at_68, (at_68, at_85)


# --- anabolic drugs and what follows them ----------------------------------------------------------------
NEER = behaviours.NEER  # the FPT women, as the romosozumab fit measures them


@pytest.fixture(scope="module")
def anabolic():
    arms = {"teriparatide stopped": Regimen(therapies=(Therapy("teriparatide", stop_year=2.0),)),
            "teriparatide then alendronate": Regimen(therapies=(Therapy("teriparatide", stop_year=2.0),
                                                                Therapy("alendronate", start_year=2.0))),
            "romosozumab stopped": Regimen(therapies=(Therapy("romosozumab", stop_year=1.0),)),
            "romosozumab then alendronate": Regimen(therapies=(Therapy("romosozumab", stop_year=1.0),
                                                               Therapy("alendronate", start_year=1.0))),
            "placebo": Regimen()}
    return simulate(NEER, arms, years=3, output_times=np.arange(0.0, 3.0 + 1e-9, 1 / 48),
                    variables=["bmd_change", "ctx_change", "p1np_change"])


def test_teriparatide_raises_formation_before_resorption(anabolic, contract):
    """McClung2005: on teriparatide the formation marker rises first and most (P1NP +218 % and NTX
    +58 % at 6 months, when the markers peaked). P1NP is above CTX through the first 6 months and
    reaches half its 6-month rise before CTX does."""
    first = slice(1 / 48, 0.5)
    p1np, ctx = (anabolic[v].sel(arm="teriparatide stopped", time=first) for v in ("p1np_change", "ctx_change"))
    contract("P1NP minus CTX through 6 months, smallest (points)", np.min(p1np.values - ctx.values), low=0.0,
             literature="P1NP +218 %, NTX +58 % at 6 months", source="McClung2005")
    assert np.all(p1np.values > ctx.values), (p1np.values, ctx.values)

    def half_time(marker):
        return float(marker.time[int(np.argmax(marker.values >= 0.5 * float(marker[-1])))])

    contract("time to half the 6-month rise, CTX minus P1NP (years)", half_time(ctx) - half_time(p1np), low=0.0,
             literature="formation rises first", source="McClung2005")
    assert half_time(p1np) < half_time(ctx), (half_time(p1np), half_time(ctx))


def test_romosozumab_formation_response_wanes_within_the_first_year(anabolic, contract):
    """EvenityLabel (FRAME, Cosman2016): P1NP peaks in the first weeks and is back to placebo by
    month 9 while CTX stays below baseline all year; Chavassieux2019: bone formation below placebo in
    month-12 biopsies. So the spine gains less in the second half-year than in the first. P1NP here:
    a peak of at least +20 % in the first 3 months, within 10 points of placebo from month 9 (the
    tolerance of the marker targets ROMO-P1NP12 and ROMO-CTX12)."""
    p1np = anabolic.p1np_change.sel(arm="romosozumab stopped") - anabolic.p1np_change.sel(arm="placebo")
    contract("P1NP against placebo, peak in 3 months (points)", float(p1np.sel(time=slice(0, 0.25)).max()), low=20.0,
             literature="peaks in the first weeks", source="EvenityLabel, Cosman2016")
    contract("P1NP against placebo from month 9, highest (points)", float(p1np.sel(time=slice(0.75, 1.0)).max()),
             high=10.0, literature="back to placebo by month 9", source="EvenityLabel, Cosman2016")
    contract("CTX through the first year, highest (%)", float(anabolic.ctx_change.sel(
             arm="romosozumab stopped", time=slice(1 / 48, 1.0)).max()), high=0.0, literature="below baseline all year",
             source="EvenityLabel, Cosman2016")
    assert float(p1np.sel(time=slice(0, 0.25)).max()) >= 20, float(p1np.sel(time=slice(0, 0.25)).max())
    assert float(p1np.sel(time=slice(0.75, 1.0)).max()) <= 10, float(p1np.sel(time=slice(0.75, 1.0)).max())
    assert float(anabolic.ctx_change.sel(arm="romosozumab stopped", time=slice(1 / 48, 1.0)).max()) < 0
    first, second = (since(anabolic, "romosozumab stopped", "lumbar_spine", a, b) for a, b in ((0, 0.5), (0.5, 1.0)))
    contract("spine gain, first minus second half-year (points)", first - second, low=0.0,
             literature="formation below placebo at 12 months", source="Chavassieux2019")
    assert second < first, (first, second)


#: Spine-to-hip ratios of the gain against placebo: drug, years, allowed range of the spine's gain over the
#: total hip's and over the femoral neck's.
SITE_RATIOS = {
    "teriparatide": (1.75, (2.0, 4.5)),  # Neer2001: spine 9.7, neck 2.8, total hip 2.6 % (placebo 1.1, -0.7, -1.0)
    "abaloparatide": (1.5, (2.0, 4.5)),  # Miller2016 (ACTIVE): 9.2 and 3.4 points against placebo
    "romosozumab": (1.0, (1.5, 3.0)),  # Cosman2016 (FRAME): 13.1 and 6.0 %
    "denosumab": (3.0, (1.0, 1.8)),  # Cummings2009 (FREEDOM): 9.2 and 6.0 points
    "zoledronic_acid": (3.0, (1.0, 1.8)),  # Black2007 (HORIZON-PFT): 6.7 and 6.0 points
}


def test_anabolic_drugs_build_the_spine_far_more_than_the_hip_and_anti_resorptives_do_not(contract):
    """Formation-driven gain happens on open bone surfaces, of which the cancellous spine has far
    more than the mostly cortical hip, where PTH raises intracortical porosity (Dempster2001,
    Hansen2013, Genant2017): the spine gains 2.5-3.5 times the hip on the PTH analogues, about twice
    on romosozumab, but only 1.1-1.6 times on the anti-resorptives. In a population other than the
    trials' (the younger postmenopausal woman), each ratio of the gains against placebo, spine over
    total hip and spine over femoral neck, lies in the range of :data:`SITE_RATIOS`."""
    arms = {drug: Regimen(therapies=(Therapy(drug),)) for drug in SITE_RATIOS} | {"placebo": Regimen()}
    times = sorted({0.0, *(t for t, _ in SITE_RATIOS.values())})
    ds = simulate("postmenopausal_woman", arms, years=3.0, output_times=times, variables=["bmd_change"])
    for drug, (years, (low, high)) in SITE_RATIOS.items():
        gain = {site: change(ds, drug, site, years) - change(ds, "placebo", site, years)
                for site in ("lumbar_spine", "total_hip", "femoral_neck")}
        for hip in ("total_hip", "femoral_neck"):
            contract(f"{drug}: spine gain over hip gain", gain["lumbar_spine"] / gain[hip], low=low, high=high,
                     literature="PTH analogues 2.5-3.5, romosozumab about 2, anti-resorptives 1.1-1.6",
                     source="Neer2001, Miller2016, Cosman2016, Cummings2009, Black2007", case=hip)
            assert low <= gain["lumbar_spine"] / gain[hip] <= high, (drug, hip, gain)


@pytest.mark.parametrize("drug, years", [("teriparatide", 2.0), ("romosozumab", 1.0)])
def test_anabolic_gain_is_lost_after_stopping_without_follow_up(anabolic, drug, years, contract):
    """Leder2009: spine BMD fell 7.1 % in the year after 2 years of teriparatide (37 ug/day);
    Black2005: after a year of PTH(1-84), BMD was lost on placebo in year 2; McClung2018: after
    romosozumab, BMD returned toward baseline on placebo. In the year after stopping, the spine
    loses at least a point."""
    stopped = since(anabolic, f"{drug} stopped", "lumbar_spine", years, years + 1)
    contract("spine in the year after stopping (%)", stopped, high=-1.0,
             literature="-7.1 % after teriparatide; toward baseline after romosozumab",
             source="Leder2009, Black2005, McClung2018")
    assert stopped <= -1.0, stopped


@pytest.mark.parametrize("drug, years", [
    ("teriparatide", 2.0),
    pytest.param("romosozumab", 1.0, marks=pytest.mark.xfail(
        strict=True, reason="-0.9 points in the year of alendronate (-1.7 before alendronate's onset was held to Reid2006, "
                            "-3.4 before osteoclast activity followed RANKL and "
                            "formation gained its modeling-based share; the figures that follow are from before: "
                            "zoledronic acid -1.9, denosumab +2.9; total hip -0.8 against ARCH's +0.9): V -5.4 %, "
                            "M -3.8 %. When romosozumab stops, the sclerostin it bound is freed within weeks and the "
                            "OPG, survival and Wnt drive it gave go with it, while the 12 % gain keeps sclerostin "
                            "expression up (s 0.89 -> 1.06: osteoblastogenesis x1.51 -> x0.81, osteocytic RANKL +19 %): "
                            "without alendronate CTX rises from -24 to +43 % and P1NP falls to -27 % at one month; "
                            "with it CTX is -7 % at one month and -18 % at three, P1NP -42 % (CTX now -17 and -33 %, -4 and -24 before "
                            "alendronate's faster onset). Neither a faster "
                            "k_sec (x10: -2.2), a 106-day osteoblast life (-2.5), osteocytic OPG (-3.1), 3-month "
                            "osteoblast teams with a fast activity (-3.1; -3.4 at the refitted 30 days), four times "
                            "alendronate's E_max (-0.4) nor any romosozumab value (x0.3-x3) reaches 0"))])
def test_alendronate_after_an_anabolic_keeps_the_gain(anabolic, drug, years, contract):
    """Black2005: after a year of PTH(1-84), a year of alendronate raised spine BMD further (+12.1 %
    over 2 years vs +4.1 % on placebo); Saag2017, Cosman2022 (ARCH): total hip +6.2 % after 12 months of
    romosozumab, +7.1 % after 12 more of alendronate. The spine does not fall in the year of alendronate."""
    followed = since(anabolic, f"{drug} then alendronate", "lumbar_spine", years, years + 1)
    contract("spine in the year of alendronate after the anabolic (%)", followed, low=0.0,
             literature="+12.1 % over 2 y against +4.1 (PTH); hip +6.2 to +7.1 % (romosozumab)",
             source="Black2005, Saag2017, Cosman2022")
    assert followed >= 0.0, followed


HOURLY = 1 / 24  # hourly doses of teriparatide stand for a continuous infusion (Frolik2003 spread doses over hours)


@pytest.fixture(scope="module")
def pth_time_course():
    """The same daily amount of teriparatide (20 ug) as one injection a day or spread over the day."""
    arms = {"daily injection": Regimen(therapies=(Therapy("teriparatide"),)),
            "infusion": Regimen(therapies=(Therapy("teriparatide", dose=20.0 * HOURLY, interval_days=HOURLY),)),
            "placebo": Regimen()}
    return simulate(NEER, arms, years=1.0, output_times=[0.0, 7 / 365.25, 0.5, 1.0],
                    variables=["bmd_change", "ctx_change", "p1np_change"])


def test_pth_pulses_build_bone_and_the_same_dose_infused_loses_it(pth_time_course, contract):
    """Frolik2003: in rats the duration of PTH exposure, not the dose, decides: a daily injection
    is anabolic, the same dose spread over 6-8 hours catabolic; OsagieClouard2017 (review):
    continuous PTH is principally catabolic; Horwitz2011: a 7-day continuous infusion of PTH(1-34)
    in healthy adults suppressed bone formation by 30-40 % while resorption rose. Here, 20 ug a day:
    as daily injections the spine gains against placebo at 6 and 12 months; infused, it loses, and
    in the first week the formation marker falls while the resorption marker rises."""
    ds = pth_time_course
    for years in (0.5, 1.0):
        injected, infused = (since(ds, arm, "lumbar_spine", 0.0, years) - since(ds, "placebo", "lumbar_spine", 0.0, years)
                             for arm in ("daily injection", "infusion"))
        contract("spine against placebo, daily injection (points)", injected, low=0.5, literature="anabolic",
                 source="Frolik2003", case=f"{years} y")
        contract("spine against placebo, the same dose infused (points)", infused, high=-0.5,
                 literature="catabolic", source="Frolik2003, OsagieClouard2017", case=f"{years} y")
        assert injected > 0.5 and infused < -0.5, (years, injected, infused)
    week = ds.sel(arm="infusion", time=7 / 365.25)
    contract("P1NP after a week of infusion (%)", float(week.p1np_change), high=-10.0,
             literature="formation -30 to -40 % in 7 days", source="Horwitz2011")
    contract("CTX after a week of infusion (%)", float(week.ctx_change), low=0.0, literature="resorption rose",
             source="Horwitz2011")
    assert float(week.p1np_change) < -10 and float(week.ctx_change) > 0, (float(week.p1np_change), float(week.ctx_change))


def test_formation_rebounds_when_a_pth_infusion_stops(contract):
    """Horwitz2011: bone formation was suppressed through a 7-day infusion of PTH(1-34) at
    2 pmol/kg/h and, with cessation, the formation markers abruptly rebounded upward. Here P1NP is
    below baseline at the end of the infusion and above it three weeks later."""
    hourly_ug = 2 * 70 * 4117.8e-6 / 0.95  # 2 pmol/kg/h at 70 kg, as in the scenario of TPTD-INF-P1NP
    week = 7 / 365.25
    ds = simulate(remodel.Population("Horwitz2011", "female", 30.0, menopause_age=51.0),
                  {"infusion": Regimen(therapies=(Therapy("teriparatide", dose=hourly_ug, interval_days=HOURLY,
                                                          stop_year=week),))},
                  years=0.1, output_times=[0.0, week, 4 * week], variables=["p1np_change"])
    during, after = (float(ds.p1np_change.sel(arm="infusion", time=t)) for t in (week, 4 * week))
    contract("P1NP at the end of the infusion (%)", during, high=0.0, literature="suppressed", source="Horwitz2011")
    contract("P1NP three weeks later (%)", after, low=0.0, literature="rebounded upward", source="Horwitz2011")
    assert during < 0 < after, (during, after)


@pytest.fixture(scope="module")
def switch():
    arms = {"teriparatide then denosumab": Regimen(therapies=(Therapy("teriparatide", stop_year=2.0),
                                                              Therapy("denosumab", start_year=2.0))),
            "denosumab then teriparatide": Regimen(therapies=(Therapy("denosumab", stop_year=2.0),
                                                              Therapy("teriparatide", start_year=2.0)))}
    return simulate("postmenopausal_woman", arms, years=4, output_times=np.arange(0.0, 4.0 + 1e-9, 1 / 12),
                    variables=["bmd_change"])


def test_anabolic_first_then_denosumab_beats_the_reverse(switch, contract):
    """Leder2015 (DATA-Switch): over 4 years, teriparatide then denosumab gained more than denosumab
    then teriparatide (spine +18.3 vs +14.0 %; total hip most after teriparatide first), and spine and
    hip BMD fell for 6-12 months after the switch from denosumab to teriparatide."""
    for site in ("lumbar_spine", "total_hip"):
        first, reverse = (change(switch, arm, site, 4.0) for arm in ("teriparatide then denosumab",
                                                                     "denosumab then teriparatide"))
        contract("BMD at 4 y, teriparatide first minus denosumab first (points)", first - reverse, low=0.0,
                 literature="spine +18.3 against +14.0 %", source="Leder2015", case=site)
        assert first > reverse, (site, first, reverse)
        after_switch = change(switch, "denosumab then teriparatide", site).sel(time=slice(2.0, 3.0))
        contract("fall in the year after the switch to teriparatide (points)",
                 float(after_switch[0]) - float(after_switch.min()), low=0.5,
                 literature="spine and hip fell for 6-12 months", source="Leder2015", case=site)
        assert float(after_switch.min()) < float(after_switch[0]) - 0.5, (site, after_switch.values)


# --- osteocytes: serum sclerostin ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sclerostin():
    arms = {"none": Regimen(), "anastrozole": Regimen(therapies=ANASTROZOLE),
            "high impact": Regimen(exercise=(Exercise("high_impact", 3.0),)),
            "high impact x4": Regimen(exercise=(Exercise("high_impact", 4.0),))}
    return {name: simulate(name, arms, years=1, output_times=[0.0, 8 / 52, 0.5, 1.0],
                           variables=["serum_sclerostin", "estradiol"])
            for name in ("premenopausal_woman", "postmenopausal_woman", "older_man")}


def test_estrogen_deficiency_raises_sclerostin(sclerostin, contract):
    """Kim2015: 23.1 pmol/L in premenopausal women, 27.8 in postmenopausal women with breast cancer
    (+20 %); Modder2011: estradiol lowered it by 27 % in postmenopausal women (so it is 37 % higher
    without). The postmenopausal woman's sclerostin is 15 to 42 % above the premenopausal woman's
    (the two sizes, with 5 points for the ages of the presets), and the premenopausal level is
    within 10 % of Kim's (the same assay family as Modder's)."""
    pre, post = (float(sclerostin[n].serum_sclerostin.sel(arm="none", time=0.0)) for n in
                 ("premenopausal_woman", "postmenopausal_woman"))
    contract("sclerostin, postmenopausal over premenopausal woman", post / pre, low=1.15, high=1.42,
             literature="1.20 (27.8 against 23.1 pmol/L); 1.37 without estradiol", source="Kim2015, Modder2011")
    contract("sclerostin, premenopausal woman (pmol/L)", pre, low=0.9 * 23.1, high=1.1 * 23.1,
             literature="23.1 pmol/L", source="Kim2015")
    assert 1.15 <= post / pre <= 1.42 and abs(pre / 23.1 - 1) <= 0.10, (pre, post)


def test_estradiol_treatment_lowers_sclerostin_as_much_as_measured(sclerostin, contract):
    """Modder2011: four weeks of estradiol lowered postmenopausal women's serum sclerostin by 27 %
    (controls +1 %). The treated estradiol level was not read: at any level from 40 to 150 pg/mL
    (low-dose to full transdermal replacement; assumed) in place of the postmenopausal woman's own,
    her sclerostin falls by 17 to 37 % (27 +- 10 points), loading unchanged."""
    from remodel.model.physiology import osteocytes
    from remodel.parameters import parameter_set

    p = {name: record.value for name, record in parameter_set("Remodel2026").items()}
    own = float(sclerostin["postmenopausal_woman"].estradiol.sel(arm="none", time=0.0))
    unloaded = np.zeros((1, 1))
    level = {e2: float(osteocytes.serum_sclerostin(e2, unloaded, unloaded, p)[0]) for e2 in (own, 40.0, 150.0)}
    for e2 in (40.0, 150.0):
        contract("sclerostin on estradiol (%)", 100 * (level[e2] / level[own] - 1), low=-37.0, high=-17.0,
                 literature="-27 % in 4 weeks (controls +1 %)", source="Modder2011", case=f"{e2:g} pg/mL")
        assert -0.37 <= level[e2] / level[own] - 1 <= -0.17, (own, e2, level)


def test_an_aromatase_inhibitor_raises_sclerostin(sclerostin, contract):
    """Kim2015: serum sclerostin rose in postmenopausal women on an aromatase inhibitor (+40 % and
    +56 % at 6 months in its two arms): the model's rise is positive."""
    ds = sclerostin["postmenopausal_woman"].serum_sclerostin.sel(time=0.5)
    contract("sclerostin at 6 months on anastrozole (%)",
             100 * (float(ds.sel(arm="anastrozole") / ds.sel(arm="none")) - 1), low=0.0, literature="+40 and +56 %",
             source="Kim2015")
    assert float(ds.sel(arm="anastrozole")) > float(ds.sel(arm="none"))


def test_an_aromatase_inhibitor_raises_sclerostin_as_much_as_measured(sclerostin, contract):
    """Kim2015: +39.9 +- 10.2 % and +55.9 +- 9.1 % at 6 months on an aromatase inhibitor in its two
    arms (with and without alendronate); allowed +30 to +70 %. Before menopause the ovaries make the
    estradiol and the inhibitor hardly moves it (within 5 %)."""
    post = sclerostin["postmenopausal_woman"].serum_sclerostin.sel(time=0.5)
    pre = sclerostin["premenopausal_woman"].serum_sclerostin.sel(time=0.5)
    rise = float(post.sel(arm="anastrozole")) / float(post.sel(arm="none"))
    contract("sclerostin at 6 months on anastrozole, postmenopausal (%)", 100 * (rise - 1), low=30.0, high=70.0,
             literature="+39.9 +- 10.2 and +55.9 +- 9.1 %", source="Kim2015")
    contract("sclerostin at 6 months on anastrozole, premenopausal (%)",
             100 * (float(pre.sel(arm="anastrozole") / pre.sel(arm="none")) - 1), low=-5.0, high=5.0,
             literature="(ovarian estradiol; assumed)", source="Kim2015")
    assert 1.30 <= rise <= 1.70, rise
    assert abs(float(pre.sel(arm="anastrozole")) / float(pre.sel(arm="none")) - 1) <= 0.05


def test_estradiol_not_testosterone_holds_mens_sclerostin_down(contract):
    """Modder2011: in elderly men whose own sex steroids were suppressed, estradiol, but not
    testosterone, prevented the rise of serum sclerostin. Here an older man on goserelin with his
    testosterone held by therapy: blocking aromatization as well raises his sclerostin by more than a
    tenth, and testosterone alone keeps it no lower than with neither steroid (within a tenth)."""
    held = (Therapy("goserelin"), Therapy("testosterone"))
    arms = {"T and E": Regimen(therapies=held), "T without E": Regimen(therapies=held + ANASTROZOLE),
            "neither": Regimen(therapies=(Therapy("goserelin"),) + ANASTROZOLE)}
    level = simulate("older_man", arms, years=0.25, output_times=[0.0, 0.25],
                     variables=["serum_sclerostin"]).serum_sclerostin.isel(time=-1)
    with_e, without_e, neither = (float(level.sel(arm=a)) for a in arms)
    contract("sclerostin, testosterone without over with estradiol", without_e / with_e, low=1.1,
             literature="estradiol prevented the rise", source="Modder2011")
    contract("sclerostin, testosterone without estradiol over neither steroid", without_e / neither, low=0.9,
             literature="testosterone did not prevent it", source="Modder2011")
    assert without_e > 1.1 * with_e and without_e >= 0.9 * neither, (with_e, without_e, neither)


def test_loading_lowers_sclerostin(sclerostin, contract):
    """Robling2008: loading lowers the osteocytes' Sost expression within a day (mouse ulna), and
    disuse raises serum sclerostin (Spatz2012: bed rest, +29 % at 4 and +42 % at 8 weeks): the
    model's mechanism, so high-impact training lowers its serum sclerostin within the first months,
    in women before and after menopause and in an older man."""
    for ds in sclerostin.values():
        level = ds.serum_sclerostin.sel(time=0.5)
        contract("sclerostin at 6 months of high-impact training (%)",
                 100 * (float(level.sel(arm="high impact") / level.sel(arm="none")) - 1), high=0.0,
                 literature="loading lowers osteocytic Sost", source="Robling2008, Spatz2012",
                 case=ds.attrs["title"].rsplit(" ", 1)[-1])
        assert float(level.sel(arm="high impact")) < float(level.sel(arm="none"))


def test_training_lowers_sclerostin_no_more_than_measured(sclerostin, contract):
    """Resting serum sclerostin answers a training programme inconsistently in people, and by at most
    a third: 8 weeks of physical activity training 4 days a week lowered it by 33.9 % in sedentary
    premenopausal women against controls (Ardawi2012, the largest fall reported); 12 months of
    resistance or jump training lowered it in osteopenic men (Hinton2017, no untrained arm); a
    year of exercise left it unchanged at 6 and 12 months in a randomised trial in older adults
    (ArmamentoVillareal2012, while weight loss without exercise raised it 10.5 %); 16 weeks of
    resistance training raised it in older women along with their hip BMD (Huovinen2016); and
    trained men have more than sedentary men (Zagrodna2016: 35.3 against 28.0 pmol/L), as serum
    sclerostin rises with the skeleton that makes it (Amrein2012: with bone mineral content). A
    single bout raises it for minutes (Kouvelioti2018: +31 % at 5 minutes, baseline by an hour),
    which a daily stimulus does not resolve. Here high-impact training 3 and 4 times a week (the
    model's most osteogenic programmes), in women before and after menopause and in an older man, at
    8 weeks, 6 months and a year, lowers it by no more than Ardawi's 33.9 %."""
    for ds in sclerostin.values():
        case = ds.attrs["title"].rsplit(" ", 1)[-1]
        for arm in ("high impact", "high impact x4"):
            for time in (8 / 52, 0.5, 1.0):
                level = ds.serum_sclerostin.sel(time=time)
                fall = 100 * (float(level.sel(arm=arm) / level.sel(arm="none")) - 1)
                contract("sclerostin on high-impact training (%)", fall, low=-33.9,
                         literature="-33.9 % at 8 weeks (the largest fall); unchanged at 6 and 12 months; "
                         "raised at 16 weeks", source="Ardawi2012, ArmamentoVillareal2012, Huovinen2016",
                         case=f"{case}, {arm}, {time:.2f} y")
                assert fall >= -33.9, (case, arm, time, fall)


def test_every_source_cited_here_is_in_the_bibliography(contract):
    """The keys named in this module's docstrings resolve to full references."""
    import re
    import sys
    from pathlib import Path

    from remodel.citations import BIBLIOGRAPHY

    module = sys.modules[__name__]
    text = "\n".join(f.__doc__ or "" for f in vars(module).values()
                     if callable(f) and getattr(f, "__module__", None) == __name__) + (__doc__ or "")
    text += "\n".join(line for line in Path(__file__).read_text(encoding="utf-8").splitlines()
                      if line.lstrip().startswith("#"))
    keys = set(re.findall(r"\b[A-Z][A-Za-z]+\d{4}\b", text))
    contract("cited keys without a full reference", len(keys - set(BIBLIOGRAPHY)), high=0, literature="none",
             source="remodel.citations")
    assert keys and keys <= set(BIBLIOGRAPHY), sorted(keys - set(BIBLIOGRAPHY))


# --- immobilisation ------------------------------------------------------------------------------------
#: Strict bed rest of 17 weeks (LeBlanc1990), no weight bearing (loading_fraction 0, the exercise
#: module's docstring), in eugonadal men of 31 (Spatz2012: 31 +- 3 years).
BED_REST_WEEKS = 17
BED_REST_MEN = remodel.Population("men of 31", "male", 31.0, testosterone_ng_per_dl=600.0)


@pytest.fixture(scope="module")
def bed_rest():
    weeks = BED_REST_WEEKS * 7 / 365.25
    arms = {"ambulatory": Regimen(), "bed rest": Regimen(disuse=(Disuse(0.0, stop_year=weeks),))}
    return simulate(BED_REST_MEN, arms, years=0.5, output_times=[0.0, 28 / 365.25, 60 / 365.25, 90 / 365.25, weeks],
                    variables=["bmd_change", "serum_sclerostin", "p1np_change", "ctx_change"])


def test_bed_rest_raises_serum_sclerostin_as_measured(bed_rest, contract):
    """Spatz2012: serum sclerostin of seven men of 31 rose by 29 +- 20 % (mean +- SD) at 28 days,
    42 +- 31 % at 60 and 22 +- 21 % at 90 days of head-down bed rest: the model's rise against the
    ambulatory men is within one SD of the mean at each."""
    s = bed_rest.serum_sclerostin
    rise = 100 * (s.sel(arm="bed rest") / s.sel(arm="ambulatory") - 1)
    for days, mean, sd in ((28, 29.0, 20.0), (60, 42.0, 31.0), (90, 22.0, 21.0)):
        value = float(rise.sel(time=days / 365.25, method="nearest"))
        contract("serum sclerostin rise in bed rest (%)", value, low=mean - sd, high=mean + sd,
                 literature=f"+{mean:g} +- {sd:g} % at {days} days", source="Spatz2012", case=f"{days} days")
        assert mean - sd <= value <= mean + sd, (days, value)


def test_bed_rest_leaves_formation_markers_near_baseline(bed_rest, contract):
    """Zerwekh1998: in 12 weeks of bed rest serum osteocalcin, bone-specific alkaline phosphatase and
    P1NP did not change significantly (11 adults), while the cancellous osteoblast surface fell from
    3.1 to 1.9 % and the eroded surfaces doubled; Belavy2016: in 60 days of bed rest bone alkaline
    phosphatase rose at first and returned to baseline. The model's P1NP against the ambulatory men at
    28, 60 and 90 days lies within a fifth of baseline (assumed: a change that eleven subjects would not
    show as significant)."""
    p1np = 1 + bed_rest.p1np_change / 100
    relative = 100 * (p1np.sel(arm="bed rest") / p1np.sel(arm="ambulatory") - 1)
    for days in (28, 60, 90):
        value = float(relative.sel(time=days / 365.25, method="nearest"))
        contract("P1NP in bed rest (%)", value, low=-20.0, high=20.0, literature="not significantly changed",
                 source="Zerwekh1998, Belavy2016", case=f"{days} days")
        assert -20.0 <= value <= 20.0, (days, value)


def test_bed_rest_raises_resorption_markers(bed_rest, contract):
    """Zerwekh1998: in 12 weeks of bed rest the urinary markers of bone resorption (hydroxyproline,
    deoxypyridinoline) rose significantly while the formation markers did not change: the model's CTX
    against the ambulatory men at 28, 60 and 90 days is above baseline."""
    ctx = 1 + bed_rest.ctx_change / 100
    relative = 100 * (ctx.sel(arm="bed rest") / ctx.sel(arm="ambulatory") - 1)
    for days in (28, 60, 90):
        value = float(relative.sel(time=days / 365.25, method="nearest"))
        contract("CTX in bed rest (%)", value, low=NOISE, literature="risen significantly", source="Zerwekh1998",
                 case=f"{days} days")
        assert value > NOISE, (days, value)


def _bed_rest_loss(bed_rest, site):
    """BMD of the men at the end of bed rest minus the ambulatory men's (percentage points)."""
    return float((bed_rest.bmd_change.sel(arm="bed rest", site=site)
                  - bed_rest.bmd_change.sel(arm="ambulatory", site=site)).isel(time=-1))


def test_bed_rest_costs_bmd_at_every_site(bed_rest, contract):
    """LeBlanc1990, Zerwekh1998: bed rest costs bone at every weight-bearing site."""
    for site in SITES:
        loss = _bed_rest_loss(bed_rest, site)
        contract("BMD after 17 weeks of bed rest minus ambulatory (points)", loss, high=-NOISE,
                 literature="lost at every weight-bearing site", source="LeBlanc1990", case=site)
        assert loss < -NOISE, (site, loss)


@pytest.mark.parametrize("site, measured", [
    ("lumbar_spine", -3.9),
    ("femoral_neck", -3.6)])
def test_bed_rest_loss_has_the_measured_size(bed_rest, contract, site, measured):
    """LeBlanc1990: six men lost 3.9 % at the lumbar spine and 3.6 % at the femoral neck in 17 weeks
    of bed rest (DXA precision 1-2 %, no SDs in the abstract): the model's loss lies within a factor of
    two of each. Other studies find the spine losing less than the hip too: Zerwekh1998, -2.9 % at the
    spine (p = 0.09) and -3.8 % at the trochanter in 12 weeks of bed rest; Lang2004, 0.9 against 1.4-1.5
    %/month in spaceflight."""
    loss = _bed_rest_loss(bed_rest, site)
    contract("BMD loss in 17 weeks of bed rest (points)", loss, low=2 * measured, high=measured / 2,
             literature=f"{measured:g} %", source="LeBlanc1990", case=site)
    assert 2 * measured <= loss <= measured / 2, (site, loss)


def test_bed_rest_never_leaves_more_bone_than_staying_ambulatory(contract):
    """Harm never helps, at any site and time (issue 12's contract), after the harm too: LeBlanc1990's men
    had not significantly regained spine or hip BMD 6 months after 17 weeks of bed rest (the calcaneus
    had), and astronauts' BMD recovers towards its pre-flight value (Sibonga2007), so over 10 years
    after re-ambulation their BMD stays at or below the ambulatory men's."""
    weeks = BED_REST_WEEKS * 7 / 365.25
    arms = {"ambulatory": Regimen(), "bed rest": Regimen(disuse=(Disuse(0.0, stop_year=weeks),))}
    ds = simulate(BED_REST_MEN, arms, years=weeks + 10.0, output_times=np.arange(0.0, weeks + 10.0, 0.25),
                  variables=["bmd_change"])
    for site in SITES:
        excess = float((change(ds, "bed rest", site) - change(ds, "ambulatory", site)).max())
        contract("BMD after bed rest minus ambulatory, largest over 10 years (points)", excess, high=NOISE,
                 literature="not regained within 6 months; harm never helps", source="LeBlanc1990", case=site)
        assert excess <= NOISE, (site, excess)
