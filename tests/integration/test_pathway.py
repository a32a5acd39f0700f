"""The clinical pathway end to end (issue 13): DXA scans with precision error, a rule that starts
a therapy at the first scan meeting it, and fracture risk with falls."""

import numpy as np
import pytest

from remodel import run_scenario
from remodel.clinical import dxa
from remodel.scenario import parse_scenario

SCENARIO = """\
schema_version = 1
title = "pathway"
[population]
preset = "postmenopausal_woman"
age_years = 64
[population.t_scores]
lumbar_spine = -1.4
total_hip = -1.2
femoral_neck = -1.6
[simulation]
years = 4
output_years = [0, 1, 2, 3, 4]
patients = 60
seed = 7
[fracture_risk]
[[arms]]
name = "never treat"
[[arms.therapies]]
drug = "anastrozole"
[arms.monitoring]
interval_months = 12
[[arms]]
name = "treat at threshold"
[[arms.therapies]]
drug = "anastrozole"
[arms.monitoring]
interval_months = 12
[arms.rule]
t_score_below = -2.0
[arms.rule.therapy]
drug = "zoledronic_acid"
dose_mg = 4
interval_months = 6
[[arms]]
name = "balance training"
[[arms.therapies]]
drug = "anastrozole"
[[arms.exercise]]
modality = "balance"
sessions_per_week = 3
adherence = 1.0
[arms.monitoring]
interval_months = 12
"""


@pytest.fixture(scope="module")
def cohort():
    return run_scenario(parse_scenario(SCENARIO))


def test_least_significant_change_is_2_77_times_the_precision_error():
    assert dxa.least_significant_change("lumbar_spine") == pytest.approx(2.77 * 1.0)
    assert dxa.least_significant_change("femoral_neck") == pytest.approx(2.77 * 1.5)


def test_a_change_is_significant_from_the_least_significant_change_on():
    bmd = np.array([[1.0, 1.0, 1.0], [1.0276, 1.0, 1.0], [1.0278, 1.0, 0.9580]])  # (scan, site)
    measured = dxa.scan_values(bmd, "female", ("lumbar_spine", "total_hip", "femoral_neck"), np.zeros_like(bmd))
    assert measured["significant"].tolist() == [[False] * 3, [False] * 3, [True, False, True]]
    assert measured["first_significant"].tolist() == [2, -1, 2]
    assert measured["t_score"][0, 0] == pytest.approx((1.0 - 1.047) / 0.110)


def test_measurement_errors_are_seeded_and_have_the_precision_cv():
    a, b = dxa.measurement_errors(3, 4000, 2, 3), dxa.measurement_errors(3, 4000, 2, 3)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, dxa.measurement_errors(4, 4000, 2, 3))
    measured = dxa.scan_values(np.ones((4000, 2, 3)), "female", ("lumbar_spine", "total_hip", "femoral_neck"), a)
    spread = measured["bmd"].reshape(-1, 3).std(axis=0) * 100
    assert spread == pytest.approx([1.0, 1.0, 1.5], rel=0.03)


def test_the_scan_schedule_runs_to_the_horizon():
    assert dxa.Monitoring(interval_months=24).scan_years(5) == (0.0, 2.0, 4.0)
    assert dxa.Monitoring(interval_months=6, start_year=1).scan_years(2) == (1.0, 1.5, 2.0)


def test_the_rule_fires_at_the_first_scan_below_the_threshold_and_only_then(cohort):
    """Measurements are common to the arms (same errors), so the untreated arm's scans tell when the
    rule must fire: at the first scan with a measured T-score below -2.0 at any site, never otherwise."""
    untreated = cohort["measured_t_score"].sel(arm="never treat").min("site")
    times = cohort["scan_time"].sel(arm="never treat").values
    below = (untreated < -2.0).values
    expected = np.where(below.any(axis=1), times[np.argmax(below, axis=1)], np.nan)
    fired = cohort["treatment_start_time"].sel(arm="treat at threshold").values
    np.testing.assert_array_equal(fired, expected)
    assert 0 < np.isfinite(fired).sum() < cohort.sizes["patient"]  # the test covers both cases
    assert np.all(np.isnan(cohort["treatment_start_time"].sel(arm="never treat")))


def test_treated_patients_gain_bone_and_untreated_ones_follow_the_untreated_arm(cohort):
    start = cohort["treatment_start_time"].sel(arm="treat at threshold").values
    fired = start < 4.0  # a rule firing at the last scan (the horizon) changes nothing within it
    bmd = cohort["bmd"].sel(site="lumbar_spine", time=4.0)
    rule, never = bmd.sel(arm="treat at threshold").values, bmd.sel(arm="never treat").values
    assert fired.any() and np.all(rule[fired] > never[fired])
    np.testing.assert_array_equal(rule[~fired], never[~fired])


def test_balance_training_lowers_fracture_risk_without_changing_bmd(cohort):
    balance, never = cohort.sel(arm="balance training"), cohort.sel(arm="never treat")
    np.testing.assert_array_equal(balance["bmd"].values, never["bmd"].values)
    for name in ("hip_fracture_probability_10y", "major_fracture_probability_10y",
                 "hip_fracture_cumulative_probability"):
        later = dict(time=slice(1e-9, None)) if "cumulative" in name else {}
        assert np.all(balance[name].sel(**later).values < never[name].sel(**later).values), name
    assert float(balance["fall_rate_ratio"].max()) == pytest.approx(0.77)


def test_the_same_seed_gives_bit_identical_results(cohort):
    again = run_scenario(parse_scenario(SCENARIO))
    for name in ("bmd", "measured_bmd", "treatment_start_time", "hip_fracture_cumulative_probability"):
        np.testing.assert_array_equal(again[name].values, cohort[name].values)


def test_scan_and_fracture_variables_carry_cf_attributes(cohort):
    for name in ("scan_time", "measured_bmd", "measured_t_score", "measured_bmd_change", "significant_change",
                 "first_significant_change_time", "least_significant_change", "treatment_start_time",
                 "fall_rate_ratio", "hip_fracture_probability_5y", "major_fracture_cumulative_probability"):
        attrs = cohort[name].attrs
        assert {"units", "long_name", "description"} <= set(attrs), name
    assert "[Kanis2008]" in cohort.attrs["references"] and "[Baim2005]" in cohort.attrs["references"]


def test_compare_reports_when_and_in_how_many_the_rule_fired(tmp_path, capsys, cohort):
    from remodel import cli
    from remodel.report import pathway_rows

    rows = {r["arm"]: r for r in pathway_rows(cohort)}
    fired = cohort["treatment_start_time"].sel(arm="treat at threshold").values
    rule = rows["treat at threshold"]
    assert rule["rule_fired_share"] == pytest.approx(np.isfinite(fired).mean())
    assert sum(rule["rule_fired_by_year"].values()) == np.isfinite(fired).sum()
    assert rows["never treat"]["rule_fired_share"] is None
    hip = cohort["hip_fracture_cumulative_probability"].sel(arm="never treat").isel(time=-1).mean()
    assert rows["never treat"]["hip_fractures_per_1000"] == pytest.approx(10 * float(hip))

    path = tmp_path / "pathway.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    assert cli.main(["compare", str(path), "-o", str(tmp_path / "f.png")]) == 0
    out = capsys.readouterr().out
    assert "mean of 60 virtual patients" in out and "Clinical pathway over 4 years" in out
    years = ", ".join(f"{y:g} in {n}" for y, n in rule["rule_fired_by_year"].items())
    assert f"treat at threshold: start zoledronic_acid 4 mg every 6 months at the first visit with a measured " \
           f"T-score < -2 at any site; fired at the visit of year {years} of 60 patients" in out


def test_plot_pathway_draws_one_patients_scans_and_her_treatment(cohort):
    from remodel.plotting import plot_pathway

    started = cohort["treatment_start_time"].sel(arm="treat at threshold").values
    patient = int(np.flatnonzero(started < 4)[0])
    ax = plot_pathway(cohort, "treat at threshold", patient=patient)
    labels = ax.get_legend().get_texts()
    assert any(f"therapy started (year {started[patient]:g})" == t.get_text() for t in labels)
    measured = cohort["measured_t_score"].sel(arm="treat at threshold", site="femoral_neck").isel(patient=patient)
    dots = next(c for c in ax.containers)  # the error bars of the scans
    np.testing.assert_allclose(dots.lines[0].get_ydata(), measured.values)
    assert ax.right_axis.get_ylabel() == "10-year fracture probability (%)"
    with pytest.raises(ValueError, match="patient"):
        plot_pathway(cohort, "treat at threshold")


def test_scans_must_be_output_times_of_the_simulation():
    from remodel import Regimen, Therapy, population, simulate
    from remodel.clinical.pathway import Pathway, run_pathways

    arms = {"a": Regimen(therapies=(Therapy("anastrozole"),))}
    with pytest.raises(ValueError, match=r"scan times \[1\.0, 3\.0\] are not output times"):
        run_pathways(lambda variants: simulate("postmenopausal_woman", variants, years=4, output_times=[0, 2, 4]),
                     arms, {"a": Pathway(dxa.Monitoring(interval_months=12))}, 4, population("postmenopausal_woman"))


def test_rule_conditions_site_and_duration():
    from remodel import Therapy
    from remodel.clinical.pathway import TreatmentRule

    # two scans x three sites (spine, total hip, femoral neck)
    measured = {"t_score": np.array([[-1.5, -1.0, -1.9], [-1.8, -1.2, -2.1]]),
                "change": np.array([[0.0, 0.0, 0.0], [-2.8, -1.0, -4.0]])}
    zoledronic = Therapy("zoledronic_acid", dose=4.0, interval_days=182.625)
    assert TreatmentRule(zoledronic, t_score_below=-2.0).met(measured).tolist() == [False, True]
    assert TreatmentRule(zoledronic, t_score_below=-2.0, site="lumbar_spine").met(measured).tolist() == [False, False]
    # a loss of at least the least significant change: 2.77 % at the spine, 4.155 % at the femoral neck
    assert TreatmentRule(zoledronic, significant_loss=True, site="lumbar_spine").met(measured).tolist() == [False, True]
    assert TreatmentRule(zoledronic, significant_loss=True, site="femoral_neck").met(measured).tolist() == [False, False]
    started = TreatmentRule(zoledronic, t_score_below=-2.0, duration_years=3).started(2.0)
    assert (started.start_year, started.stop_year, started.dose) == (2.0, 5.0, 4.0)
    with pytest.raises(ValueError, match="t_score_below, significant_loss, after_fracture or aibl_algorithm"):
        TreatmentRule(zoledronic)
