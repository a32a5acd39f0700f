"""Validation against the clinical trial table (calibration rows); tolerances are explained in
:mod:`remodel.validation` (+-1.5 points, +-2.0 for the 6-9 point anti-resorptive differences)."""

import pytest

from remodel import validation
from remodel.trials import DEFAULT_TRIALS, load_targets

ROWS = load_targets()


@pytest.fixture(scope="module")
def results():
    return {r.id: r for r in validation.validate()}


def test_every_row_has_a_trial_scenario():
    assert {r["id"] for r in ROWS} <= {p.stem for p in DEFAULT_TRIALS.glob("*.toml")}


@pytest.mark.parametrize("row_id", [r["id"] for r in ROWS])
def test_trial_arm_within_tolerance_and_direction(row_id, results):
    r = results[row_id]
    assert r.within_tolerance, f"{row_id}: simulated {r.simulated:.2f}, observed {r.observed} (+-{r.tolerance})"
    assert r.direction_ok, f"{row_id}: direction {r.simulated:.2f} vs {r.observed}"


def test_root_mean_square_error_at_most_one_point(results):
    assert validation.summary(list(results.values()))["rmse"] <= 1.0


def test_direction_rule_counts_opposite_signs_and_accepts_stable_rows():
    row = dict(id="X", trial="t", arm="a", site="lumbar_spine", time_years=1.0, metric="pct_change",
               statistic="mean", tolerance=1.5)
    assert not validation.ValidationRow(**row, observed=-1.0, simulated=0.3).direction_ok
    assert validation.ValidationRow(**row, observed=0.24, simulated=-0.1).direction_ok
    assert not validation.ValidationRow(**row, observed=0.24, simulated=-0.4).direction_ok
