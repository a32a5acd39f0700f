"""Body weight (issue 13, deliverable 4): heavier women aromatize more, load their skeleton more,
and weight loss costs bone (:mod:`remodel.model.physiology.body`). Each test names its source and
the tolerance it allows."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from remodel import Regimen, Therapy, WeightChange, parameter_set, population, simulate
from remodel.model.physiology import body
from remodel.populations import REFERENCE_HEIGHT_M, REFERENCE_WEIGHT_KG

WOMAN = population("postmenopausal_woman")
P = parameter_set("Remodel2026").values()


def woman(weight_kg, height_m=REFERENCE_HEIGHT_M):
    return dataclasses.replace(WOMAN, weight_kg=weight_kg, height_m=height_m)


def test_the_reference_body_is_exactly_neutral():
    assert body.loading_factor(REFERENCE_WEIGHT_KG, P) == 1.0
    assert body.adipose_aromatization(REFERENCE_WEIGHT_KG, REFERENCE_HEIGHT_M, P) == 1.0
    assert body.body_weight(REFERENCE_WEIGHT_KG, *body.weight_schedule(None), 1234.5) == REFERENCE_WEIGHT_KG


def test_obese_women_have_the_estradiol_of_the_cohorts():
    """Obese (BMI >= 30) vs normal-weight (< 25) postmenopausal women: estradiol x 1.61 (74 vs 46
    pmol/L, Oh2017) and x 1.69 (20.6 vs 12.2 pg/mL, Freeman2010); compared at BMI 32.5 vs 22.5 (our
    assumption for the categories' means, not from the papers), within 20 % of their range."""
    height = 1.62
    ratios = []
    for bmi in (32.5, 22.5):
        ds = simulate(woman(bmi * height**2, height), years=0.5, output_times=[0.0], natural_history=False)
        ratios.append(float(ds.estradiol.isel(time=0)))
    ratio = ratios[0] / ratios[1]
    assert 0.8 * 1.61 < ratio < 1.2 * 1.69, ratio


def test_a_lighter_woman_reaches_menopause_plus_eleven_years_with_less_bone():
    """Weight explains much of BMD at weight-bearing sites (Felson1993): from the same young-adult
    reference, a woman of 55 kg has less bone at 62, one of 85 kg more, at every site."""
    bmd = [simulate(woman(w), years=0.5, output_times=[0.0], natural_history=False).bmd.isel(time=0).values
           for w in (55.0, 70.0, 85.0)]
    assert np.all(bmd[0] < bmd[1]) and np.all(bmd[1] < bmd[2]), bmd


@pytest.fixture(scope="module")
def weight_arms():
    """A 7 kg (10 %) loss and gain over the first year, and no change, with and without anastrozole."""
    arms = {"none": Regimen(), "loss": Regimen(weight=WeightChange(-7.0, 0.0, 1.0)),
            "gain": Regimen(weight=WeightChange(7.0, 0.0, 1.0)),
            "anastrozole": Regimen(therapies=(Therapy("anastrozole"),)),
            "anastrozole + loss": Regimen(therapies=(Therapy("anastrozole"),), weight=WeightChange(-7.0, 0.0, 1.0))}
    return simulate(WOMAN, arms, years=2.0, output_times=np.arange(0.0, 2.01, 0.25))


def test_weight_loss_costs_bone_and_estradiol_and_gain_spares_them(weight_arms):
    ds = weight_arms
    hip = ds.bmd_change.sel(site="total_hip", time=[1.0, 2.0])
    assert np.all(hip.sel(arm="loss") < hip.sel(arm="none")) and np.all(hip.sel(arm="gain") > hip.sel(arm="none"))
    e2 = ds.estradiol.sel(time=1.0)
    assert e2.sel(arm="loss") < e2.sel(arm="none") < e2.sel(arm="gain")
    on_ai = ds.bmd_change.sel(site="total_hip", time=2.0)
    assert on_ai.sel(arm="anastrozole + loss") < on_ai.sel(arm="anastrozole")


@pytest.fixture(scope="module")
def diet_trial():
    """BMD change (g/cm2) of a 7 kg (10 %) loss over 6 months against no change, at 0.5, 1 and 2 years."""
    arms = {"none": Regimen(), "loss": Regimen(weight=WeightChange(-7.0, 0.0, 0.5))}
    bmd = simulate(WOMAN, arms, years=2.0, output_times=[0.0, 0.5, 1.0, 2.0]).bmd.sel(time=[0.5, 1.0, 2.0])
    return bmd.sel(arm="loss") - bmd.sel(arm="none")


def test_weight_loss_costs_hip_bone_of_the_size_of_diet_trials(diet_trial):
    """Diet-induced weight loss lowers total hip BMD by 0.010 to 0.015 g/cm2 at 6 and 12 months
    (Zibellini2015, 41 publications of overweight or obese adults). The mean weight lost in those
    trials was not verified (10 % over 6 months assumed), so the band is wide: half the smallest to
    twice the largest change, 0.005 to 0.030 g/cm2."""
    cost = diet_trial.sel(site="total_hip", time=[0.5, 1.0]).values
    assert np.all((-0.030 < cost) & (cost < -0.005)), cost


@pytest.mark.xfail(strict=True, reason="measured: the 7 kg loss over 6 months costs the lumbar spine 0.018, 0.037 and "
                   "0.044 g/cm2 at 0.5, 1 and 2 years (total hip 0.009, 0.022, 0.032): loading falls with weight at "
                   "every site (k_W_load = 1) and the loss goes on after the weight is stable; k_W_load = 0.5 gives "
                   "spine 0.009, 0.019, 0.023")
def test_weight_loss_spares_the_spine_more_than_the_model_says(diet_trial):
    """Diet-induced weight loss did not change lumbar spine BMD significantly at 3 to 24 months
    (Zibellini2015); randomized trials pooled give -0.018 g/cm2 (Soltani2016). The spine must lose no
    more than twice that, 0.036 g/cm2, at 1 and 2 years."""
    cost = diet_trial.sel(site="lumbar_spine", time=[1.0, 2.0]).values
    assert np.all(cost > -0.036), cost


def test_no_weight_key_leaves_every_other_arm_unchanged(weight_arms):
    """An arm without a weight change is the same whether or not another arm of the batch has one, to
    the solver's tolerance (the batch shares its integration segments, which the weight-change window
    splits, as any other arm's intervention window does; rtol 1e-7)."""
    alone = simulate(WOMAN, {"anastrozole": Regimen(therapies=(Therapy("anastrozole"),))}, years=2.0,
                     output_times=np.arange(0.0, 2.01, 0.25))
    for name in ("bmd", "estradiol", "mechanical_stimulus"):
        np.testing.assert_allclose(weight_arms[name].sel(arm="anastrozole"), alone[name].sel(arm="anastrozole"),
                                   rtol=1e-6, err_msg=name)


MAN = population("older_man")


def test_obese_men_aromatize_more_of_their_testosterone():
    """Men's aromatized estradiol per unit testosterone rises with BMI (Kley1980: estradiol per
    testosterone x 4.4 in massively obese men; Schneider1979: x 3.0 in morbidly obese men): at the
    same testosterone, 20 kg/m2 above the reference gives x 3-4.4 on the aromatized part, and the
    reference body is unchanged."""
    assert body.adipose_aromatization(REFERENCE_WEIGHT_KG, REFERENCE_HEIGHT_M, P, female=False) == 1.0
    height = REFERENCE_HEIGHT_M
    reference_bmi = REFERENCE_WEIGHT_KG / height**2
    levels = [float(simulate(dataclasses.replace(MAN, weight_kg=bmi * height**2), years=0.5, output_times=[0.0],
                             natural_history=False).estradiol.isel(time=0))
              for bmi in (reference_bmi + 20, reference_bmi)]
    aromatized = (1.0 - P["f_E2_testis"]) * levels[1]  # the aromatized part at the reference body
    ratio = (levels[0] - levels[1] + aromatized) / aromatized
    assert 3.0 <= ratio <= 4.4, ratio


def test_denosumab_concentration_follows_a_changing_body_weight():
    """Denosumab's central volume is proportional to body weight (remodel.model.agents.denosumab):
    after a 20 kg loss the same 60 mg dose gives a higher serum peak than at the start weight, and
    without the change the peaks are the same."""
    dose = Therapy("denosumab", start_year=1.0, stop_year=1.4)
    arms = {"kept": Regimen(therapies=(dose,)),
            "lost": Regimen(therapies=(dose,), weight=WeightChange(-20.0, 0.0, 0.5))}
    ds = simulate(WOMAN, arms, years=1.2, output_times=np.arange(1.0, 1.2, 2 / 365.25), natural_history=False)
    peak = ds["denosumab_serum"].max("time")
    assert float(peak.sel(arm="lost")) > 1.2 * float(peak.sel(arm="kept")), peak.values


def test_a_weight_history_before_the_start_moves_the_earlier_weights_and_the_bone_at_the_start():
    """[population] weight_kg is the weight at the start; a loss of 7 kg in the 5 years before it
    means a heavier past, so more bone at the start than for a woman who always weighed that
    (Felson1993: weight acts through load), and the same weight from the start on."""
    past = WeightChange(-7.0, -5.0, 5.0)
    assert body.weight_range(63.0, past) == (70.0, 63.0)
    assert body.body_weight(63.0, *body.weight_schedule(past), 0.0) == 63.0
    assert body.body_weight(63.0, *body.weight_schedule(past), -6 * 365.25) == 70.0
    ds = simulate(woman(63.0), {"always 63 kg": Regimen(), "lost 7 kg before": Regimen(weight=past)}, years=0.5,
                  output_times=[0.0], natural_history=False)
    start = ds.bmd.isel(time=0)
    assert np.all(start.sel(arm="lost 7 kg before").values > start.sel(arm="always 63 kg").values), start.values
