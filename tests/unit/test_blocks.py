"""Unit and behaviour tests of the driver blocks: estradiol, exercise, nutrition, drugs, markers."""

import numpy as np
import pytest

import remodel
from remodel import Disuse, Exercise, Habits, Nutrition, Regimen, Supplement, Therapy
from remodel.model.physiology import nutrition
from remodel.model import batch_parameters

P = remodel.parameter_set("Remodel2026")


def at(ds, year, **sel):
    return ds.sel(**sel).sel(time=year, method="nearest")


# --- estradiol ----------------------------------------------------------------------------------
def test_anastrozole_in_a_man_lowers_spine_bmd():
    """Spine BMD falls below placebo within a year (Burnett-Bowie 2009); the size of the estradiol
    fall is a behaviour of the physiology contract (tests/validation/test_physiology_contract.py)."""
    ds = remodel.simulate("hypogonadal_man", {"placebo": [], "anastrozole": [Therapy("anastrozole")]}, years=1)
    spine = at(ds, 1.0, site="lumbar_spine")["bmd_change"]
    assert spine.sel(arm="anastrozole") < spine.sel(arm="placebo")


def test_aromatase_inhibitors_lower_postmenopausal_estradiol_and_tamoxifen_spares_bone():
    arms = {"none": [], "anastrozole": [Therapy("anastrozole")], "letrozole": [Therapy("letrozole")],
            "tamoxifen": [Therapy("tamoxifen")]}
    ds = at(remodel.simulate("postmenopausal_woman", arms, years=2), 2.0)
    assert ds.estradiol.sel(arm="letrozole") < ds.estradiol.sel(arm="anastrozole") < 0.1 * ds.estradiol.sel(arm="none")
    spine = ds.bmd_change.sel(site="lumbar_spine")
    assert spine.sel(arm="tamoxifen") > spine.sel(arm="none") > spine.sel(arm="anastrozole")


def test_tamoxifen_loses_bone_when_premenopausal():
    """Powles 1996: -1.44 %/y at the spine on tamoxifen vs +0.24 %/y on placebo before menopause."""
    ds = at(remodel.simulate("premenopausal_woman", {"none": [], "tamoxifen": [Therapy("tamoxifen")]}, years=2), 2.0)
    spine = ds.bmd_change.sel(site="lumbar_spine")
    assert spine.sel(arm="tamoxifen") < spine.sel(arm="none") - 0.5


# --- nutrition defaults -------------------------------------------------------------------------
def test_adequate_defaults_are_neutral():
    p = batch_parameters(P)
    for m in nutrition.multipliers(Nutrition(), (), Habits(), np.array([0.0]), p):
        np.testing.assert_array_equal(np.broadcast_to(m, (1,)), 1.0)


def test_adequate_lifestyle_leaves_estradiol_rows_unchanged():
    arms = {"core": [Therapy("anastrozole")], "explicit": Regimen((Therapy("anastrozole"),), nutrition=Nutrition(), habits=Habits())}
    ds = remodel.simulate("postmenopausal_woman", arms, years=2)
    np.testing.assert_array_equal(ds.bmd.sel(arm="core").values, ds.bmd.sel(arm="explicit").values)


def test_correcting_calcium_and_vitamin_d_deficiency_lowers_pth_and_bone_loss():
    """Secondary hyperparathyroidism: a deficient diet raises PTH; supplements bring it down and
    reduce bone loss (the direction of Tang 2007)."""
    deficient = Nutrition(calcium_mg_per_day=400, vitamin_d_iu_per_day=0)
    arms = {"deficient": Regimen(nutrition=deficient),
            "supplemented": Regimen(nutrition=deficient, supplements=(Supplement(calcium_mg_per_day=1000, vitamin_d_iu_per_day=800),)),
            "adequate": Regimen()}
    ds = at(remodel.simulate("postmenopausal_woman", arms, years=3), 3.0)
    pth = ds.pth.mean("site")
    assert pth.sel(arm="deficient") > pth.sel(arm="adequate")
    assert pth.sel(arm="supplemented") < pth.sel(arm="deficient")
    for site in remodel.SITES:
        assert ds.bmd_change.sel(arm="supplemented", site=site) > ds.bmd_change.sel(arm="deficient", site=site)


# --- exercise -----------------------------------------------------------------------------------
MODALITY_ARMS = {m: Regimen(exercise=(Exercise(m, 3.0),)) for m in ("high_impact", "resistance", "running", "walking", "swimming", "cycling", "balance")}


@pytest.fixture(scope="module")
def exercise_2y():
    return at(remodel.simulate("postmenopausal_woman", {"none": Regimen(), **MODALITY_ARMS}, years=2), 2.0)


@pytest.mark.parametrize("modality", ["swimming", "cycling", "balance"])
def test_unloaded_modalities_change_bmd_by_less_than_0_3_points(exercise_2y, modality):
    diff = exercise_2y.bmd_change.sel(arm=modality) - exercise_2y.bmd_change.sel(arm="none")
    assert float(np.abs(diff).max()) < 0.3


@pytest.mark.parametrize("site", ["lumbar_spine", "total_hip"])
def test_modality_order(exercise_2y, site):
    """High-impact or resistance training (whichever loads the site more: resistance the spine,
    impact the hip, Kohrt 1997) > running > walking > swimming."""
    change = exercise_2y.bmd_change.sel(site=site)
    top = max(change.sel(arm="high_impact"), change.sel(arm="resistance"))
    assert top > change.sel(arm="running") > change.sel(arm="walking") > change.sel(arm="swimming")


def test_cycles_per_session_saturate():
    arms = {str(n): Regimen(exercise=(Exercise("high_impact", 3.0, cycles_per_session=n),)) for n in (10, 50, 100, 400)}
    gain = at(remodel.simulate("postmenopausal_woman", arms, years=2), 2.0).bmd_change.sel(site="total_hip")
    g10, g50, g100, g400 = (float(gain.sel(arm=str(n))) for n in (10, 50, 100, 400))
    assert g10 < g50 < g100 <= g400
    assert g400 - g100 < 0.25 * (g100 - g10)


def test_stopping_exercise_lets_the_gain_fade():
    arms = {"none": Regimen(), "stop": Regimen(exercise=(Exercise("high_impact", 3.0, stop_year=2.0),))}
    ds = remodel.simulate("postmenopausal_woman", arms, years=6).bmd_change.sel(site="total_hip")
    gain_2 = float(at(ds, 2.0).sel(arm="stop") - at(ds, 2.0).sel(arm="none"))
    gain_6 = float(at(ds, 6.0).sel(arm="stop") - at(ds, 6.0).sel(arm="none"))
    assert 0 <= gain_6 < 0.5 * gain_2


def test_habitual_loading_falls_in_old_age_at_the_hip_alone_and_exercise_adds_the_same_fraction():
    """Habitual activity falls after about 70 (Jefferis2015), which loads the hip (Bergmann2001), not
    the lumbar spine (Wilke1999): the stimulus is the young adult's at 60 everywhere, lower at 85 at
    the hip alone; a programme multiplies it by as much at 85 as at 60 (its intensity is set by what
    the person can do)."""
    arms = {"none": Regimen(), "jumping": Regimen(exercise=(Exercise("high_impact", 3.0),))}
    stimulus = {age: at(remodel.simulate(remodel.Population(f"w{age}", "female", age, menopause_age=51.0), arms,
                                         years=0.5, output_times=[0.0, 0.5], variables=["mechanical_stimulus"]),
                        0.0).mechanical_stimulus for age in (60.0, 85.0)}
    np.testing.assert_allclose(stimulus[60.0].sel(arm="none"), 1.0, rtol=1e-9)
    assert float(stimulus[85.0].sel(arm="none", site="lumbar_spine")) == pytest.approx(1.0, rel=1e-9)
    assert (stimulus[85.0].sel(arm="none", site=["total_hip", "femoral_neck"]) < 0.99).all()
    ratio = {age: s.sel(arm="jumping") / s.sel(arm="none") for age, s in stimulus.items()}
    assert (ratio[60.0] > 1.0).all()
    np.testing.assert_allclose(ratio[85.0], ratio[60.0], rtol=1e-9)


def test_disuse_lowers_the_loading_stimulus_within_its_window_only():
    """Immobilisation leaves a share u of the habitual daily loading, so the stimulus is u**(1/m) at
    every site (Beaupre1990's sum) from its start to its stop, and the habitual outside; two
    overlapping periods multiply their shares."""
    arms = {"bed rest": Regimen(disuse=(Disuse(0.1, start_year=0.25, stop_year=0.75),)),
            "two": Regimen(disuse=(Disuse(0.1, start_year=0.25, stop_year=0.75), Disuse(0.5, start_year=0.25)))}
    ds = remodel.simulate("premenopausal_woman", arms, years=1.0, output_times=[0.0, 0.24, 0.26, 0.5, 0.74, 0.76, 1.0],
                          variables=["mechanical_stimulus"]).mechanical_stimulus
    m = P["m_stimulus"].value
    bed, two = (ds.sel(arm=arm).sel(time=[0.0, 0.24, 0.26, 0.5, 0.74, 0.76, 1.0], method="nearest") for arm in arms)
    np.testing.assert_allclose(bed[2:5], 0.1 ** (1 / m), rtol=1e-9)
    np.testing.assert_allclose(bed[[0, 1, 5, 6]], 1.0, rtol=1e-9)
    np.testing.assert_allclose(two[2:5], 0.05 ** (1 / m), rtol=1e-9)
    np.testing.assert_allclose(two[5:], 0.5 ** (1 / m), rtol=1e-9)


def test_disuse_rejects_a_share_above_the_habitual_and_a_stop_before_its_start():
    with pytest.raises(ValueError, match="loading_fraction"):
        Disuse(1.5)
    with pytest.raises(ValueError, match="stop_year"):
        Disuse(0.0, start_year=1.0, stop_year=0.5)


# --- drugs ---------------------------------------------------------------------------------------
def test_zoledronic_acid_effect_persists_one_year_after_the_last_dose():
    ds = remodel.simulate("postmenopausal_woman", [Therapy("zoledronic_acid", stop_year=2.5)], years=4)
    spine = ds.bmd_change.sel(site="lumbar_spine")
    gain = float(at(spine, 3.0))
    assert gain > 0
    assert float(at(spine, 4.0)) >= 0.5 * gain


def test_denosumab_stopped_after_two_years_returns_to_baseline_within_12_to_18_months():
    ds = remodel.simulate("postmenopausal_woman", [Therapy("denosumab", stop_year=2.0)], years=4,
                          output_times=np.arange(0, 4.001, 1 / 12))
    spine = ds.bmd_change.sel(site="lumbar_spine")
    assert float(at(spine, 2.0)) > 3.0
    window = spine.sel(time=slice(3.0 - 1e-9, 3.5 + 1e-9))
    assert float(np.abs(window).min()) <= 2.0


def test_osteomorphs_collect_under_denosumab_alone_and_return_when_it_wanes():
    """cells.py: without a RANKL antibody RANK occupancy stays above theta_OM, the pool stays at 0
    and the model is the model without it (every other drug, taken for 3 years of 5); under
    denosumab it grows with the time on treatment and empties within 2 years of the last dose."""
    others = {d: [Therapy(d, stop_year=3.0)] for d in remodel.DRUGS if d != "denosumab"}
    for name in ("postmenopausal_woman", "hypogonadal_man"):
        ds = remodel.simulate(name, {"none": [], **others}, years=5, output_times=np.linspace(0, 5, 21),
                              variables=["osteomorphs"])
        assert float(np.abs(ds.osteomorphs).max()) == 0.0, name
    ds = remodel.simulate("postmenopausal_woman", [Therapy("denosumab", stop_year=2.0)], years=4,
                          output_times=[0.0, 0.5, 1.0, 1.5, 4.0], variables=["osteomorphs"])
    pool = ds.osteomorphs.sel(site="lumbar_spine").values.ravel()
    assert pool[0] == 0.0 and 0.0 < pool[1] < pool[2] < pool[3]
    assert pool[4] < 0.01 * pool[3]


def test_markers_zoledronic_acid_lowers_ctx_and_anastrozole_raises_it():
    arms = {"zol": [Therapy("zoledronic_acid")], "ana": [Therapy("anastrozole")]}
    ctx = at(remodel.simulate("postmenopausal_woman", arms, years=1), 1.0).ctx_change
    assert -70.0 <= float(ctx.sel(arm="zol")) <= -40.0
    assert float(ctx.sel(arm="ana")) > 0


def test_dose_on_an_output_time_gives_the_same_trajectory():
    therapy = [Therapy("zoledronic_acid", dose=4.0, interval_days=182.625)]
    on_grid = np.array([0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0])
    off_grid = np.array([0.0, 0.25, 0.4, 0.75, 1.0, 1.3, 2.0])
    a = remodel.simulate("postmenopausal_woman", therapy, years=2, output_times=on_grid, rtol=1e-10)
    b = remodel.simulate("postmenopausal_woman", therapy, years=2, output_times=off_grid, rtol=1e-10)
    common = [0.0, 0.25, 0.75, 1.0, 2.0]
    np.testing.assert_allclose(a.bmd.sel(time=common).values, b.bmd.sel(time=common).values, rtol=1e-8)
    np.testing.assert_allclose(a.active_osteoclasts.sel(time=common).values,
                               b.active_osteoclasts.sel(time=common).values, rtol=1e-8)


def test_supplement_window_applies_only_while_taken():
    arms = {"none": Regimen(nutrition=Nutrition(calcium_mg_per_day=500)),
            "late": Regimen(nutrition=Nutrition(calcium_mg_per_day=500), supplements=(Supplement(calcium_mg_per_day=1000, start_year=1.0),))}
    ds = remodel.simulate("postmenopausal_woman", arms, years=2)
    np.testing.assert_allclose(ds.pth.sel(arm="none", time=slice(0, 0.9)), ds.pth.sel(arm="late", time=slice(0, 0.9)))
    assert float(at(ds, 1.5).pth.sel(arm="late").mean()) < float(at(ds, 1.5).pth.sel(arm="none").mean())


def test_spine_dxa_adds_the_apparent_mineral_of_degenerative_changes_and_the_hip_does_not():
    """bone.degenerative_bmd (Rand1997, Tenne2013): BMD = BMD_b + mu_YA r ln(1 + exp(a - a_deg)) at the
    spine, the bone's own BMD_b untouched (``bone_mineral_change``); nothing at the hip; held at the start
    age when frozen."""
    from remodel.model.physiology import bone

    woman = remodel.Population("w", "female", 68.0, menopause_age=50.0)
    r = [0.0, 0.004]
    ds = remodel.simulate(woman, Regimen(), years=6, output_times=[0.0, 3.0, 6.0], samples={"r_DXA_spine": r},
                          natural_history=False, variables=["bmd", "bmd_change", "bone_mineral_change"])
    mu = bone.YOUNG_ADULT_REFERENCE["female"]["lumbar_spine"][0]
    p = {"r_DXA_spine": r[1], "age_DXA_spine": remodel.parameter_set("Remodel2026")["age_DXA_spine"].value}
    apparent = mu * bone.degenerative_bmd(woman.age + ds.time.values, p)
    spine, hip = (ds.bmd.sel(site=site) for site in ("lumbar_spine", "total_hip"))
    np.testing.assert_allclose(spine.isel(sample=1) - spine.isel(sample=0), apparent, rtol=1e-9)
    np.testing.assert_array_equal(hip.isel(sample=1), hip.isel(sample=0))
    # the bone's own mineral change: untouched by the artefact, bmd_change without it
    own = ds.bone_mineral_change
    np.testing.assert_allclose(own.isel(sample=1), own.isel(sample=0), rtol=1e-12)
    np.testing.assert_allclose(own.isel(sample=0), ds.bmd_change.isel(sample=0), rtol=1e-12, atol=1e-12)
    assert (own.sel(site="lumbar_spine").isel(sample=1, time=-1) < ds.bmd_change.sel(site="lumbar_spine").isel(
        sample=1, time=-1) - 0.5)
    frozen = remodel.simulate(woman, Regimen(), years=6, output_times=[0.0, 6.0], frozen=True, natural_history=False,
                              variables=["bmd"])
    np.testing.assert_allclose(frozen.bmd.sel(site="lumbar_spine").values, frozen.bmd.sel(site="lumbar_spine").values[0],
                               rtol=1e-6)
