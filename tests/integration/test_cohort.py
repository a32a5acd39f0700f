"""Virtual populations: reproducibility, spread, and the ATAC anastrozole cohort."""

import numpy as np
import pytest

import remodel
from remodel import Therapy, cohort
from remodel.trials import load_targets, load_trial_scenarios

ATAC = load_trial_scenarios([{"id": "CAL06"}])["CAL06"].population


def test_same_seed_gives_bit_identical_results_and_another_seed_differs():
    kwargs = dict(years=1, output_times=[0, 1])
    a = remodel.simulate_cohort(ATAC, [Therapy("anastrozole")], 8, seed=3, **kwargs)
    b = remodel.simulate_cohort(ATAC, [Therapy("anastrozole")], 8, seed=3, **kwargs)
    c = remodel.simulate_cohort(ATAC, [Therapy("anastrozole")], 8, seed=4, **kwargs)
    assert a.bmd.values.tobytes() == b.bmd.values.tobytes()
    assert not np.array_equal(a.bmd.values, c.bmd.values)
    assert a.sizes["patient"] == 8


def test_every_patient_trait_carries_the_parameter_units_and_meaning():
    """The per-patient parameter values of a cohort (and a sample's of `simulate(samples=...)`) had no
    attributes, unlike every other variable of a result (a netCDF of `remodel run` on a cohort
    scenario had 10 bare coordinates)."""
    params = remodel.parameter_set("Remodel2026")
    ds = remodel.simulate_cohort(ATAC, [Therapy("anastrozole")], 4, seed=3, years=0.5, output_times=[0, 0.5])
    traits = {name for trait in cohort.VARIABILITY.values() for name in trait.parameters}
    assert traits and traits <= set(ds.coords)
    for name in traits:
        assert ds[name].attrs == {"units": params[name].units, "long_name": params[name].description}, name


def test_sampled_traits_have_the_documented_spread():
    params = remodel.parameter_set("Remodel2026")
    s = cohort.sample_patients(20000, 0, params)
    ratio = s["K_E2"] / params["K_E2"].value
    assert np.median(ratio) == pytest.approx(1.0, abs=0.02)
    assert np.std(ratio) / np.mean(ratio) == pytest.approx(cohort.VARIABILITY["estrogen_sensitivity"].spread, rel=0.1)
    assert set(cohort.DXA_PRECISION_CV) == set(remodel.SITES)
    assert np.mean(s["adherence"]) == pytest.approx(0.8, abs=0.01)
    assert 0 <= s["adherence"].min() and s["adherence"].max() <= 1
    assert np.std(s["baseline_z_offset"]) == pytest.approx(1.0, rel=0.05)


@pytest.mark.parametrize("population", ["postmenopausal_woman", "older_man"])
def test_estrogen_sensitivity_spreads_the_bone_response_of_women_and_men(population):
    """The estrogen sensitivity trait (Eastell2006) acts on the receptor response the population's
    bone reads (men have their own, :mod:`remodel.model.physiology.estradiol`): alone, it spreads a
    year's change on anastrozole between patients."""
    traits = {"estrogen_sensitivity": cohort.VARIABILITY["estrogen_sensitivity"]}
    ds = remodel.simulate_cohort(population, [Therapy("anastrozole")], 4, seed=1, variability=traits, years=1,
                                 output_times=[0, 1])
    spine = ds.bmd_change.sel(time=1, site="lumbar_spine").values
    assert np.ptp(spine) > 0.1, spine


@pytest.fixture(scope="module")
def atac_cohort():
    return remodel.simulate_cohort(ATAC, [Therapy("anastrozole")], 1000, seed=2006, years=2, output_times=[0, 1, 2])


@pytest.mark.xfail(strict=True, reason="known gap (issue 12): the cohort's median 2-year spine change is -2.46 % "
                   "against ATAC's -4.1 (the deterministic CAL06 arm -2.65, at the edge of its tolerance): the "
                   "aromatase inhibitor's spine loss is about two thirds of ATAC's, on the held-out ATAC 5-year arm too")
def test_atac_cohort_median_and_interquartile_range(atac_cohort):
    """CAL06: median -4.1 % at the lumbar spine after 2 years (Eastell 2006). Individual 2-year
    changes on aromatase inhibitors spread with an SD of about 3-4 points (IBIS-II, ATAC), an IQR of
    about 4-5.5 points; a plausible IQR of measured changes lies between 2 and 7 points."""
    observed = next(r["value"] for r in load_targets() if r["id"] == "CAL06")
    spine = atac_cohort.bmd_change_measured.sel(time=2.0, site="lumbar_spine")
    summary = remodel.summarize(atac_cohort).bmd_change.sel(time=2.0, site="lumbar_spine")
    assert abs(float(summary.sel(statistic="median")) - observed) <= 1.5
    iqr = float(np.subtract(*np.percentile(spine.values, [75, 25])))
    assert 2.0 <= iqr <= 7.0, iqr
    assert float(summary.sel(statistic="p2.5")) < float(summary.sel(statistic="median")) < float(summary.sel(statistic="p97.5"))
    assert np.all(np.isfinite(atac_cohort.bmd.values)) and atac_cohort.bmd.values.min() > 0


def test_patients_drawn_around_each_base_set_are_the_same_patients():
    params = remodel.parameter_set("Remodel2026")
    base = {"K_E2": [10.0, 20.0], "gamma_age": [0.01, 0.02]}
    s = cohort.sample_patients(50, 7, params, base=base)
    alone = cohort.sample_patients(50, 7, params)
    assert all(len(v) == 100 for v in s.values())
    np.testing.assert_allclose(s["K_E2"][50:], 2 * s["K_E2"][:50], rtol=1e-15)  # lognormal multiplies
    np.testing.assert_array_equal(s["gamma_age"], np.repeat([0.01, 0.02], 50))  # not a trait: repeated
    np.testing.assert_array_equal(s["adherence"], np.tile(alone["adherence"], 2))
    np.testing.assert_allclose(s["K_E2"][:50], alone["K_E2"] * 10.0 / params["K_E2"].value, rtol=1e-15)


def test_harrell_davis_median_of_known_samples():
    """Exact on an evenly spaced sample (symmetric weights); consistent for a skewed distribution
    (exponential: median ln 2); smooth: moving the middle value moves the estimate by less than it."""
    np.testing.assert_allclose(cohort.harrell_davis_median(np.arange(11.0)[::-1]), 5.0, rtol=1e-14)
    draws = np.random.default_rng(0).exponential(size=(3, 20001))
    np.testing.assert_allclose(cohort.harrell_davis_median(draws, axis=1), np.log(2), atol=0.02)
    x = np.arange(101.0)
    shifted = x.copy()
    shifted[50] += 0.5
    change = cohort.harrell_davis_median(shifted) - cohort.harrell_davis_median(x)
    assert 0 < change < 0.5 * 0.2
