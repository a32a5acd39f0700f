"""Validation against the widened trial table (the calibration rows and the extra targets);
tolerances are explained in :mod:`remodel.validation` (+-1.5 points, +-2.0 for the 6-9 point
anti-resorptive differences, a row's own where it gives one)."""

import pytest

from remodel import validation
from remodel.trials import DEFAULT_TRIALS, EXTRA_TARGETS, load_targets

ROWS = load_targets() + EXTRA_TARGETS

#: Rows the shipped parameters leave outside their tolerance or on the wrong side of zero (issue 12),
#: each with what was measured and why: strict, so that a row brought back must leave this list.
#: IBIS2-OFF-TH is penalised in the joint fit, which did not remove it; it came with the fast secondary
#: mineralisation, which makes BMD follow a change of turnover within months. ROMO-LS is held by its
#: block's fit against the behaviours it is fitted under.
KNOWN_MISSES: dict[str, str] = {
    "IBIS2-OFF-TH": "direction: +0.31 against 0 (within its 1.0 tolerance, outside the +-0.25 band of no "
                    "change): the hip recovers too much in the 2 years after anastrozole stops",
    "ROMO-LS": "tolerance: 11.57 against 13.1 +- 1.5 (0.03 outside) at the romosozumab block's minimum, where "
               "the spine/total-hip gain ratio (1.55, allowed 1.5-3, Cosman2016) and P1NP against placebo from "
               "month 9 (9.0 points, at most 10) bind: the hip gains 7.19 against FRAME's 6.0, so the spine "
               "cannot gain more without breaking the ratio; it came with the lower femoral-neck turnover of the "
               "sites' ordering on anti-resorptives, which raised P1NP late in the romosozumab year",
}


def _row_params():
    for r in ROWS:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[r["id"]])] if r["id"] in KNOWN_MISSES else []
        yield pytest.param(r["id"], marks=marks, id=r["id"])


@pytest.fixture(scope="module")
def results():
    return {r.id: r for r in validation.validate()}


def test_every_row_has_a_trial_scenario():
    assert {r.get("scenario") or r["id"] for r in ROWS} <= {p.stem for p in DEFAULT_TRIALS.glob("*.toml")}


@pytest.mark.parametrize("row_id", list(_row_params()))
def test_trial_arm_within_tolerance_and_direction(row_id, results):
    r = results[row_id]
    assert r.within_tolerance, f"{row_id}: simulated {r.simulated:.2f}, observed {r.observed} (+-{r.tolerance})"
    assert r.direction_ok, f"{row_id}: direction {r.simulated:.2f} vs {r.observed}"


def test_root_mean_square_error_at_most_one_point(results):
    """Over the BMD rows of the widened table (serum marker rows are percent, counted apart)."""
    assert validation.summary(list(results.values()))["rmse"] <= 1.0


def test_every_packaged_row_is_reported_as_fitted(results):
    """The packaged trial table is the calibration's: validate says so rather than call it validation."""
    assert all(r.fitted for r in results.values())


def test_direction_rule_counts_opposite_signs_and_accepts_stable_rows():
    row = dict(id="X", trial="t", arm="a", site="lumbar_spine", time_years=1.0, metric="pct_change",
               statistic="mean", tolerance=1.5, fitted=True)
    assert not validation.ValidationRow(**row, observed=-1.0, simulated=0.3).direction_ok
    assert validation.ValidationRow(**row, observed=0.24, simulated=-0.1).direction_ok
    assert not validation.ValidationRow(**row, observed=0.24, simulated=-0.4).direction_ok


def test_median_rows_are_the_median_of_the_virtual_cohort_and_mean_rows_the_typical_patient():
    import remodel
    from remodel import trials
    from remodel.cohort import harrell_davis_median, sample_patients

    row = next(r for r in ROWS if r["id"] == "CAL08")
    assert row["statistic"] == "median"
    scenario = trials.load_trial_scenarios([{"id": "CAL08"}])["CAL08"]
    params = remodel.parameter_set("Remodel2026")
    ds = remodel.simulate(scenario.population, scenario.arms["arm"], years=2, output_times=[0, 2],
                          samples=sample_patients(trials.MEDIAN_COHORT, trials.MEDIAN_SEED, params),
                          natural_history=False)
    cohort_median = float(harrell_davis_median(ds.bmd_change.sel(site="lumbar_spine", time=2.0).values))
    typical = float(remodel.simulate(scenario.population, scenario.arms["arm"], years=2, output_times=[0, 2],
                                     natural_history=False).bmd_change.sel(site="lumbar_spine", time=2.0))
    as_median, as_mean = trials.simulated_values([row, {**row, "statistic": "mean"}])
    assert as_median == pytest.approx(cohort_median, rel=1e-5)
    assert as_mean == pytest.approx(typical, rel=1e-5)
    assert abs(cohort_median - typical) > 0.05  # the two statistics differ for this arm


def test_unknown_statistic_names_the_line_and_the_allowed_values(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("id,trial,site,time_years,metric,value,statistic\nX1,t,lumbar_spine,1,pct_change,1.0,mode\n")
    with pytest.raises(ValueError, match=r"t.csv: line 2, column statistic: 'mode'; allowed: mean, median"):
        load_targets(table)
