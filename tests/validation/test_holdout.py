"""The hold-out trial arms (``remodel/data/holdout_targets.csv``): published arms no parameter was
fitted to, an independent check of the model run by ``remodel validate --holdout``.

These tests keep the set usable and independent: it loads, every row has its scenario and simulates
to a finite number, no row shares an id with a fitted row, the calibration never reads it and no
parameter cites it. They deliberately do not assert that the model meets the rows: a test of that
kind would invite fitting to them, and the set would stop being a hold-out.
"""

import csv
import re

import pytest

from remodel import calibration, cli, validation
from remodel.parameters import parameter_set
from remodel.trials import EXTRA_TARGETS, HOLDOUT_TARGETS, load_targets, load_trial_scenarios

HOLDOUT_IDS = {r["id"] for r in HOLDOUT_TARGETS}


def test_holdout_table_loads_and_every_row_has_a_scenario_with_its_arms():
    assert len(HOLDOUT_TARGETS) >= 20
    scenarios = load_trial_scenarios(HOLDOUT_TARGETS)  # raises on a missing file, arm or comparator
    assert set(scenarios) == HOLDOUT_IDS


def test_every_holdout_row_cites_its_source_and_gives_a_tolerance():
    for row in HOLDOUT_TARGETS:
        assert row["reference"].strip() and row["notes"].strip(), row["id"]
        assert row["tolerance"] and row["tolerance"] > 0, row["id"]


def test_holdout_ids_are_not_fitted_rows():
    fitted = {r["id"] for r in load_targets() + EXTRA_TARGETS}
    assert not HOLDOUT_IDS & fitted


@pytest.mark.parametrize("name", list(calibration.FITS_BY_NAME))
def test_the_calibration_never_reads_a_holdout_row(name):
    """The rows of every fit: the joint fit's and each block's."""
    fit = calibration.Calibration(fit=name)
    assert not {r["id"] for r in fit.rows} & HOLDOUT_IDS
    assert not set(fit.scenarios) & HOLDOUT_IDS


def test_no_parameter_cites_a_holdout_row():
    """A parameter whose source names a hold-out row would have been fitted to it."""
    pattern = re.compile(r"(?<![A-Za-z0-9-])(" + "|".join(map(re.escape, sorted(HOLDOUT_IDS, key=len, reverse=True)))
                         + r")(?![A-Za-z0-9-])")
    cited = {p.name: pattern.findall(p.source) for p in parameter_set("Remodel2026").parameters.values()}
    assert not {name: ids for name, ids in cited.items() if ids}


def test_rmse_in_tolerance_units_weighs_each_row_by_its_tolerance():
    row = dict(id="X", trial="t", arm="a", site="lumbar_spine", time_years=1.0, metric="pct_change",
               statistic="mean", fitted=False)
    rows = [validation.ValidationRow(**row, observed=0.0, simulated=1.0, tolerance=1.0),
            validation.ValidationRow(**row, observed=0.0, simulated=-1.0, tolerance=0.5)]
    # (1/1)^2 and (1/0.5)^2: mean 2.5
    assert validation.summary(rows)["rmse_tolerance_units"] == pytest.approx(2.5 ** 0.5)


def test_validate_holdout_reports_every_row_as_not_fitted_with_a_finite_value(tmp_path, capsys):
    out_csv, out_png = tmp_path / "h.csv", tmp_path / "h.png"
    assert cli.main(["validate", "--holdout", "--table", str(out_csv), "-o", str(out_png)]) == 0
    printed = capsys.readouterr().out
    assert f"0 of {len(HOLDOUT_IDS)} rows were used to fit the parameters" in printed
    with open(out_csv) as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id"] for r in rows} == HOLDOUT_IDS
    assert all(r["fitted"] == "False" for r in rows)
    assert all(abs(float(r["simulated"])) < 100.0 for r in rows)  # finite: nan and inf fail the comparison
    assert out_png.stat().st_size > 0


def test_holdout_and_a_trial_table_together_are_one_line_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["validate", "--holdout", "--trials", str(tmp_path / "mine.csv")])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
