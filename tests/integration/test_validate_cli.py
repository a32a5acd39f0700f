"""`remodel validate` with a user's own trial table and scenario directory."""

import csv
import shutil

import pytest

from remodel import cli
from remodel.trials import DEFAULT_TRIALS


def write_table(path, rows):
    columns = ["id", "trial", "reference", "population", "arm", "comparator", "site", "time_years", "metric", "value",
               "statistic", "n", "notes"]
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


@pytest.fixture
def user_trials(tmp_path):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    for row_id in ("CAL06", "CAL14"):
        shutil.copy(DEFAULT_TRIALS / f"{row_id}.toml", scenarios / f"MY{row_id[3:]}.toml")
    table = tmp_path / "mine.csv"
    write_table(table, [
        dict(id="MY06", trial="ATAC", site="lumbar_spine", time_years=2, metric="pct_change", value=-4.1, statistic="median"),
        dict(id="MY14", trial="HORIZON", site="total_hip", time_years=3, metric="difference_vs_comparator", value=6.02),
    ])
    return table, scenarios


def test_validate_user_table_writes_csv_and_figure(user_trials, tmp_path, capsys):
    table, scenarios = user_trials
    out_csv, out_png = tmp_path / "v.csv", tmp_path / "v.png"
    assert cli.main(["validate", "--trials", str(table), "--scenarios", str(scenarios),
                     "--table", str(out_csv), "-o", str(out_png)]) == 0
    printed = capsys.readouterr().out
    assert "MY06" in printed and "MY14" in printed and "RMSE" in printed
    assert "0 of 2 rows were used to fit the parameters" in printed and "RMSE of the 2 rows not fitted" in printed
    with open(out_csv) as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["MY06", "MY14"]
    assert [r["fitted"] for r in rows] == ["False", "False"]  # own ids: not calibration targets
    assert all(float(r["observed"]) == float(r["observed"]) for r in rows)
    assert out_png.stat().st_size > 0


def test_validate_missing_scenario_is_one_line_exit_2(user_trials, tmp_path, capsys):
    table, scenarios = user_trials
    (scenarios / "MY14.toml").unlink()
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate", "--trials", str(table), "--scenarios", str(scenarios),
                  "--table", str(tmp_path / "v.csv"), "-o", str(tmp_path / "v.png")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "MY14" in err and "\n" not in err and "Traceback" not in err


def test_scenario_warnings_of_a_failed_validation_do_not_reach_stderr_as_python_warnings(user_trials, tmp_path,
                                                                                          capsys):
    """A trial scenario with a clinically unusual combination warns; when the validation then fails
    (another row's scenario is missing) the error is the only line, with no Python warning text
    (issue 16: one line, nothing written)."""
    table, scenarios = user_trials
    path = scenarios / "MY06.toml"
    path.write_text(path.read_text() + '[[arms.therapies]]\ndrug = "tamoxifen"\n')
    (scenarios / "MY14.toml").unlink()
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate", "--trials", str(table), "--scenarios", str(scenarios),
                  "--table", str(tmp_path / "v.csv"), "-o", str(tmp_path / "v.png")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("remodel: error: ") and len(err.splitlines()) == 1, err
    assert not (tmp_path / "v.csv").exists() and not (tmp_path / "v.png").exists()


@pytest.mark.parametrize("rows, where, allowed", [
    ([], "(file)", "a header and one or more rows"),
    ([dict(id="MY06", site="lumbar_spine", time_years=2, metric="pct_change", value="nan")], "line 2, column value",
     "a finite number"),
    ([dict(id="MY06", site="wrist", time_years=2, metric="pct_change", value=-4)], "line 2, column site",
     "lumbar_spine, total_hip, femoral_neck"),
    ([dict(id="MY06", site="lumbar_spine", time_years=2, metric="ctx_pct_change", value=-4)], "line 2, column site",
     "serum"),
    ([dict(id="../MY06", site="lumbar_spine", time_years=2, metric="pct_change", value=-4)], "line 2, column id",
     "letters, digits"),
    ([dict(id="MY06", site="lumbar_spine", time_years=2, metric="pct_change", value=-4)] * 2, "line 3, column id",
     "unique ids"),
    ([dict(id="MY06", site="lumbar_spine", time_years=0, metric="pct_change", value=-4)], "line 2, column time_years",
     "a number of years"),
])
def test_bad_trial_tables_are_one_line_before_anything_is_simulated_or_written(user_trials, tmp_path, capsys,
                                                                                monkeypatch, rows, where, allowed):
    """Issue 16: nan values, an unknown site, a header-only table were tracebacks after the CSV output
    was written."""
    import remodel.trials

    _, scenarios = user_trials
    table = tmp_path / "bad.csv"
    write_table(table, [dict(trial="T", **row) for row in rows])
    monkeypatch.setattr(remodel.trials, "simulate", lambda *a, **k: pytest.fail("simulated"))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate", "--trials", str(table), "--scenarios", str(scenarios),
                  "--table", str(tmp_path / "v.csv"), "-o", str(tmp_path / "v.png")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"remodel: error: {table}: {where}: ") and len(err.splitlines()) == 1, err
    assert f"allowed: {allowed}" in err
    assert not (tmp_path / "v.csv").exists() and not (tmp_path / "v.png").exists()


def test_validate_figure_in_a_format_matplotlib_cannot_write_is_one_line_and_writes_nothing(user_trials, tmp_path,
                                                                                         capsys):
    """Regression: ``-o v.csv`` (a figure path with a table's suffix) wrote the table, then failed
    with a matplotlib traceback."""
    table, scenarios = user_trials
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate", "--trials", str(table), "--scenarios", str(scenarios),
                  "--table", str(tmp_path / "t.csv"), "-o", str(tmp_path / "v.csv")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "--output" in err and "unknown figure format '.csv'" in err and "\n" not in err
    assert sorted(tmp_path.iterdir()) == sorted([scenarios, table])  # nothing written
