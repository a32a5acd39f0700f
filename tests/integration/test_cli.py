"""The remodel command line: run (netCDF), compare (table, CSV, figure), check, cite, list;
a named output is never overwritten without --force (default outputs are replaced); errors are
one line with exit code 2 (1 for solver failures)."""

import csv
import subprocess
import sys

import os
import stat

import numpy as np
import pytest
import xarray as xr

import remodel
import remodel.runner
from remodel import cli
from remodel.report import compare_figure
from remodel.parameters import parameter_set_names
from remodel.regimen import EXERCISE_MODALITIES
from remodel.report import compare_rows
from remodel.runner import run_scenario
from remodel.scenario import dose_key, load_scenario

SCENARIO = """\
# a small scenario for the command-line tests
schema_version = 1
title = "CLI test: anastrozole with and without zoledronic acid"
description = "two treated arms and a reference, 2 years — non-ASCII text survives: µ, é"

[population]
preset = "postmenopausal_woman"

[simulation]
years = 2
output_step_months = 3
report_years = [1, 2]

[[arms]]
name = "reference"

[[arms]]
name = "anastrozole"
[[arms.therapies]]
drug = "anastrozole"
dose_mg_per_day = 1

[[arms]]
name = "anastrozole + zoledronic acid"
[[arms.therapies]]
drug = "anastrozole"
dose_mg_per_day = 1
[[arms.therapies]]
drug = "zoledronic_acid"
dose_mg = 4
interval_months = 6
"""


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "cli_case.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("ds") / "cli_case.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return run_scenario(load_scenario(path))


def one_line_error(capsys, argv, code=2, after_progress=False):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == code
    err = capsys.readouterr().err
    if after_progress:  # failures during the simulation follow the "simulating N arms..." line, and the
        # one-line notice of a first compilation where the engine is not compiled yet (a fresh install)
        progress, err = err.split("\n", 1)
        assert progress.startswith("simulating ")
        if err.startswith("remodel: compiling the simulation engine"):
            err = err.split("\n", 1)[1]
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("remodel: error: ") and "Traceback" not in err
    return err


# ---------------------------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------------------------

def test_run_writes_a_netcdf_that_plain_xarray_opens_and_round_trips(scenario_file, tmp_path, capsys, dataset):
    out = tmp_path / "result.nc"
    assert cli.main(["run", str(scenario_file), "-o", str(out)]) == 0
    assert "simulating 3 arm" in capsys.readouterr().err
    expected = dataset  # the same scenario text and file name, simulated in this process
    with xr.open_dataset(out) as ds:
        ds.load()
    assert ds.attrs["scenario"] == SCENARIO
    assert ds.attrs["scenario_file"] == scenario_file.name
    assert ds.attrs["references"] == expected.attrs["references"]
    for name, var in ds.data_vars.items():
        assert var.attrs.get("units") and var.attrs.get("long_name"), name
        np.testing.assert_array_equal(var.values, expected[name].values, err_msg=name)
    for name in ("time", "age"):
        assert ds[name].attrs.get("units") and ds[name].attrs.get("long_name"), name
    for name in ("site", "arm"):
        assert ds[name].attrs.get("long_name"), name
    assert [str(a) for a in ds["arm"].values] == list(load_scenario(scenario_file).arms)
    np.testing.assert_array_equal(ds["time"].values, expected["time"].values)
    xr.testing.assert_equal(ds, expected)


def test_a_run_that_compiles_the_engine_says_so_first(scenario_file, tmp_path, capsys, monkeypatch):
    """A new user's first run compiles for about a minute: one line says so as it starts, and only
    when numba compiles (here one small function compiled on the way; a cold cache in
    test_the_compilation_notice_comes_on_a_cold_cache_only, issue 16)."""
    import numba

    from remodel.model.assembly import Assembly

    integrate = Assembly.integrate

    def compiling(self, *args, **kwargs):
        numba.njit(lambda x: x + 1)(1)
        return integrate(self, *args, **kwargs)

    monkeypatch.setattr(Assembly, "integrate", compiling)
    assert cli.main(["run", str(scenario_file), "-o", str(tmp_path / "a.nc")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("simulating ") and lines[1].startswith("remodel: compiling the simulation engine")
    assert sum("compiling" in line for line in lines) == 1
    monkeypatch.setattr(Assembly, "integrate", integrate)
    assert cli.main(["run", str(scenario_file), "-o", str(tmp_path / "b.nc")]) == 0
    assert "compiling" not in capsys.readouterr().err


@pytest.mark.slow
def test_the_compilation_notice_comes_on_a_cold_cache_only(scenario_file, tmp_path):
    """Issue 16: the second run of a fresh install announced a compilation although it loaded the
    engine from the disk cache. With an empty cache the first run says so, the second does not."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"} | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    notices = []
    for name in ("first", "second"):
        result = subprocess.run([sys.executable, "-m", "remodel", "run", str(scenario_file), "-o",
                                 str(tmp_path / f"{name}.nc")], capture_output=True, text=True, timeout=900, env=env)
        assert result.returncode == 0, result.stderr
        notices.append("compiling the simulation engine" in result.stderr)
    assert notices == [True, False]
    assert any((tmp_path / "cache" / "remodel" / "numba").rglob("*.nbi"))


def test_run_default_output_is_in_the_working_directory(scenario_file, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert cli.main(["run", str(scenario_file)]) == 0
    assert (work / "cli_case.nc").is_file()


def test_the_same_command_can_be_run_again_and_replaces_its_default_output(scenario_file, tmp_path, monkeypatch):
    """The README's quick start, run twice, exits 0 both times (issue 16): default outputs are
    replaced; only a file named with -o or --table needs --force."""
    monkeypatch.chdir(tmp_path)
    default = tmp_path / "cli_case.nc"
    default.write_bytes(b"old")
    assert cli.main(["run", str(scenario_file)]) == 0
    with xr.open_dataset(default) as ds:
        assert ds.sizes["arm"] == 3


def test_a_named_output_is_not_overwritten_without_force(scenario_file, tmp_path, capsys):
    out = tmp_path / "result.nc"
    out.write_bytes(b"precious")
    err = one_line_error(capsys, ["run", str(scenario_file), "-o", str(out)])
    assert str(out) in err and "--force" in err
    assert out.read_bytes() == b"precious"
    assert cli.main(["run", str(scenario_file), "-o", str(out), "--force"]) == 0
    with xr.open_dataset(out) as ds:
        assert ds.sizes["arm"] == 3


def test_output_into_a_missing_directory_is_a_clean_error(scenario_file, tmp_path, capsys):
    err = one_line_error(capsys, ["run", str(scenario_file), "-o", str(tmp_path / "no" / "such" / "x.nc")])
    assert "not a directory" in err


def test_solver_failure_is_one_line_with_exit_code_1(scenario_file, tmp_path, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise remodel.SolverError("integration failed between day 0 and 30: step size too small. Try a tighter rtol.")

    monkeypatch.setattr(remodel.runner, "run_scenario", fail)
    err = one_line_error(capsys, ["run", str(scenario_file), "-o", str(tmp_path / "x.nc")], code=1, after_progress=True)
    assert "Try a tighter rtol" in err
    assert not (tmp_path / "x.nc").exists()


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["run"], ["compare", "x.toml", "--years", "soon"],
                                  ["run", "a.toml", "b.toml"], ["list", "--bogus"]])
def test_bad_arguments_are_one_line_with_exit_code_2(capsys, argv):
    one_line_error(capsys, argv)


def test_python_dash_m_remodel_runs(scenario_file, tmp_path):
    result = subprocess.run([sys.executable, "-m", "remodel", "run", str(scenario_file), "-o", str(tmp_path / "m.nc")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.nc").is_file()
    again = subprocess.run([sys.executable, "-m", "remodel", "run", str(scenario_file), "-o", str(tmp_path / "m.nc")],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1 and "Traceback" not in again.stderr


# ---------------------------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------------------------

def test_compare_prints_table_writes_csv_and_figure(scenario_file, tmp_path, capsys):
    figure, table = tmp_path / "fig.png", tmp_path / "table.csv"
    assert cli.main(["compare", str(scenario_file), "--years", "0.5", "2", "-o", str(figure), "--table", str(table)]) == 0
    out = capsys.readouterr().out
    scenario = load_scenario(scenario_file).with_report_years([0.5, 2])
    rows = compare_rows(run_scenario(scenario), [0.5, 2])
    for arm in scenario.arms:
        assert f"\n{arm}\n" in out
    for row in rows:
        assert f"{row['t_score']:.2f}" in out and row["who_category"] in out
    with open(table, newline="", encoding="utf-8") as f:
        written = list(csv.DictReader(f))
    assert len(written) == len(scenario.arms) * len(remodel.SITES) * 2 == len(rows)
    for got, want in zip(written, rows):
        assert (got["arm"], got["site"], float(got["year"])) == (want["arm"], want["site"], want["year"])
        assert float(got["bmd_change_percent"]) == pytest.approx(want["bmd_change_percent"], rel=1e-12)
        assert got["osteoporosis_from_year"] == ("" if want["osteoporosis_from_year"] is None
                                                 else str(want["osteoporosis_from_year"]))
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_prints_dash_for_never_crossing(tmp_path, capsys):
    # a young woman's BMD stays normal over one year: no crossing year
    path = tmp_path / "young.toml"
    path.write_text('schema_version = 1\ntitle = "young"\n[population]\nsex = "female"\nage_years = 35\n'
                    'menopause_age_years = 51\n[population.t_scores]\nlumbar_spine = 0.5\ntotal_hip = 0.5\n'
                    'femoral_neck = 0.5\n[simulation]\nyears = 1\n[[arms]]\nname = "none"\n', encoding="utf-8")
    assert cli.main(["compare", str(path), "-o", str(tmp_path / "f.png")]) == 0
    ds = run_scenario(load_scenario(path))
    assert float(ds["t_score"].min()) > -1  # the premise of this test
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip().startswith(remodel.SITES)]
    assert len(lines) == 3 and all(line.split()[-2:] == ["-", "-"] for line in lines)


def test_compare_refuses_years_outside_the_horizon_and_unknown_formats(scenario_file, tmp_path, capsys):
    err = one_line_error(capsys, ["compare", str(scenario_file), "--years", "3", "-o", str(tmp_path / "f.png")])
    assert "--years" in err
    err = one_line_error(capsys, ["compare", str(scenario_file), "--years", "1", "1", "-o", str(tmp_path / "f.png")])
    assert "--years" in err and "increase" in err  # issue 16: the column was printed twice
    err = one_line_error(capsys, ["compare", str(scenario_file), "-o", str(tmp_path / "f.docx")])
    assert ".png" in err
    (tmp_path / "t.csv").write_text("keep")
    one_line_error(capsys, ["compare", str(scenario_file), "-o", str(tmp_path / "f.png"), "--table", str(tmp_path / "t.csv")])
    assert (tmp_path / "t.csv").read_text() == "keep" and not (tmp_path / "f.png").exists()


def _row_legends(axes):
    """The legends of the rows of a compare figure, in order (each in an axes of its own)."""
    return [ax.get_legend() for ax in axes.flat[0].figure.axes if ax not in axes.flat and ax.get_legend()]


def test_compare_figure_has_one_panel_per_site_and_one_line_per_arm(dataset):
    axes = compare_figure(dataset, "title")
    arms = [str(a) for a in dataset["arm"].values]
    assert axes.shape == (1, len(remodel.SITES)) and len(remodel.SITES) == dataset.sizes["site"]
    for ax, site in zip(axes[0], dataset["site"].values):
        assert ax.get_title() == str(site).replace("_", " ")
        assert ax.get_xlabel().startswith(dataset["time"].attrs["long_name"])
        labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
        assert [line.get_label() for line in labelled] == arms
        for line, arm in zip(labelled, arms):
            np.testing.assert_allclose(line.get_ydata(), dataset["bmd"].sel(arm=arm, site=site).values)
    assert dataset["bmd"].attrs["long_name"] in axes[0, 0].get_ylabel()
    (legend,) = _row_legends(axes)
    assert legend.get_title().get_text() == "arm" and [t.get_text() for t in legend.get_texts()] == arms
    assert axes[0, 0].figure.get_suptitle() == "title"


@pytest.mark.parametrize("copies", [5, 22])  # 15 and 66 -> the 64 a scenario may have
def test_the_compare_figure_stays_readable_with_many_arms(dataset, copies):
    """Issue 16: colours in light/dark pairs repeating past 20 arms, band labels under the curves,
    identical arms hiding each other, a legend taking half the figure at 64 arms (38 % after a
    first fix). Now rows of at most ten arms, each with its legend beside it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    many = xr.concat([dataset.assign_coords(arm=[f"{a} #{i}" for a in dataset["arm"].values])
                      * (1 if i == 0 else 1 + 0.01 * i) for i in range(copies)], "arm").isel(arm=slice(0, 64))
    many.attrs = dataset.attrs
    many = xr.concat([many.isel(arm=slice(0, -1)), many.isel(arm=[0]).assign_coords(arm=["the same as #0"])], "arm")
    axes = compare_figure(many)
    figure = axes.flat[0].figure
    FigureCanvasAgg(figure).draw()
    legends = _row_legends(axes)
    assert len(legends) == axes.shape[0] > 1
    labels = []
    for row, legend in zip(axes, legends):
        lines = [line for line in row[0].get_lines() if not line.get_label().startswith("_")]
        assert 0 < len(lines) <= 10 and len(legend.get_texts()) == len(lines)
        assert len({tuple(np.round(line.get_color(), 6)) for line in lines}) == len(lines)  # no colour twice in a row
        labels += [line.get_label() for line in lines]
        box = legend.get_window_extent()
        assert box.height <= row[0].get_window_extent().height * 1.15  # the legend fits beside its row
        assert not any(box.overlaps(ax.get_window_extent()) for ax in axes.flat)  # and clear of the panels
    assert labels[0] == f"{many['arm'].values[0]} = the same as #0"  # the copy of the first arm shares its line
    assert sorted(labels[1:]) == sorted(str(a) for a in many["arm"].values[1:-1])  # every other arm, once
    for column in axes.T:  # one y-axis per site, to read the rows side by side
        assert len({ax.get_ylim() for ax in column}) == 1
    assert not any(text.get_text() in ("normal", "osteopenia", "osteoporosis") for ax in axes.flat for text in ax.texts)
    assert {t.get_text() for t in figure.legends[0].get_texts()} == {"normal", "osteopenia", "osteoporosis"}


def test_check_names_every_arm(scenario_file, capsys):
    assert cli.main(["check", str(scenario_file)]) == 0
    out = capsys.readouterr().out
    for arm in load_scenario(scenario_file).arms:
        assert f"  {arm}\n" in out


def test_cite_prints_the_references_of_the_simulation(scenario_file, capsys, dataset):
    assert cli.main(["cite", str(scenario_file)]) == 0
    out = capsys.readouterr().out
    references = dataset.attrs["references"].splitlines()
    assert references and all(ref in out for ref in references)
    drug_keys = {key for drug in ("anastrozole", "zoledronic_acid") for key in remodel.DRUGS[drug].citations}
    assert all(f"[{key}]" in out for key in drug_keys)


def test_cite_does_not_simulate(scenario_file, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("remodel cite ran a simulation")

    monkeypatch.setattr(remodel.simulation, "_run", fail)
    assert cli.main(["cite", str(scenario_file)]) == 0
    assert "Pivonka2008" in capsys.readouterr().out


def test_list_names_drugs_modalities_populations_and_parameter_sets(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for name, drug in remodel.DRUGS.items():
        assert name in out and dose_key(name) in out and drug.dose_units in out
    for name in list(EXERCISE_MODALITIES) + list(remodel.POPULATIONS) + parameter_set_names():
        assert name in out


def test_list_documents_every_scenario_key_with_its_range_from_the_schema(capsys):
    """Issue 16: `remodel list` showed drugs, modalities and presets but not the keys and ranges of
    exercise, nutrition, supplements and habits. Every bounded field of the domain classes is listed
    with the range the schema checks (read from the same declaration), and every table's keys."""
    import dataclasses

    from remodel.bounds import field_range
    from remodel.regimen import Exercise, Habits, Nutrition, Supplement
    from remodel.scenario.schema import ScenarioFile
    from remodel.scenario.tables import TimedTable
    from remodel.sweep.table import SweepTable

    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for heading in ("[[arms.exercise]]", "[arms.nutrition]", "[[arms.supplements]]", "[arms.habits]",
                    "[[arms.therapies]]", "[population]", "[simulation]", "[sweep]", "[[factorial.<factor>]]"):
        assert f"  {heading}\n" in out, heading
    section = {h: out.split(f"  {h}\n")[1].split("\n  [")[0] for h in ("[[arms.exercise]]", "[arms.nutrition]",
                                                                       "[[arms.supplements]]", "[arms.habits]")}
    for cls, heading in ((Exercise, "[[arms.exercise]]"), (Nutrition, "[arms.nutrition]"),
                         (Supplement, "[[arms.supplements]]"), (Habits, "[arms.habits]")):
        for f in dataclasses.fields(cls):
            if "range" in f.metadata and f.name not in TimedTable.model_fields:  # windows: the horizon rules
                low, high, units = field_range(cls, f.name)
                line = next(line for line in section[heading].splitlines() if line.split()[0] == f.name)
                assert f"between {low:g} and {high:g}" in line and units in line, line
    for model in (ScenarioFile, SweepTable):
        for key in model.model_fields:
            assert f" {key} " in out or f"[{key}]" in out or f"[{key}." in out, key


def test_outputs_follow_the_umask_and_two_outputs_never_share_a_path(scenario_file, tmp_path, capsys, monkeypatch):
    """Issue 16: outputs were created 0600 whatever the umask, and `-o t.pdf --table t.pdf` wrote the
    figure over the table."""
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        assert cli.main(["run", str(scenario_file), "-o", str(tmp_path / "r.nc")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.nc").stat().st_mode) == 0o644
    capsys.readouterr()
    err = one_line_error(capsys, ["compare", str(scenario_file), "-o", str(tmp_path / "t.pdf"), "--table",
                                  str(tmp_path / "t.pdf")])
    assert "same file" in err and not (tmp_path / "t.pdf").exists()


@pytest.mark.parametrize("command", [["run"], ["compare"], ["compare", "--table"], ["validate", "--output"],
                                     ["validate", "--table"]])
def test_an_output_that_is_a_fifo_is_refused_not_replaced(command, scenario_file, tmp_path, capsys):
    """Issue 16: `-o /dev/null --force` replaced the device node with a regular file (the write goes
    to a temporary file renamed over the target); here a FIFO, refused before anything runs."""
    fifo = tmp_path / ("out.csv" if command[-1] == "--table" else "out.png")
    os.mkfifo(fifo)
    option = command[1] if len(command) > 1 else "-o"
    argv = [command[0]] + ([str(scenario_file)] if command[0] != "validate" else []) + [option, str(fifo), "--force"]
    err = one_line_error(capsys, argv)
    assert "not a regular file" in err and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["check", "FILE"], ["cite", "FILE"]])
def test_commands_that_do_not_simulate_import_neither_numba_nor_xarray(argv, scenario_file):
    """Issue 16: every command spent 2 s importing numba, xarray, scipy and pandas; those that do not
    simulate now start in a fraction of a second."""
    argv = [str(scenario_file) if a == "FILE" else a for a in argv]
    code = (f"import contextlib, io, sys\nfrom remodel.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            f"    main({argv!r})\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'numba', 'xarray', 'pandas', 'scipy', "
            f"'matplotlib', 'dask', 'SALib'}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr


COMMANDS = ["run", "compare", "sweep", "check", "validate", "cite", "list"]


def _help(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 0
    return capsys.readouterr().out


def test_version_prints_the_installed_version(capsys):
    from importlib.metadata import PackageNotFoundError, version

    try:
        expected = version("remodel")
    except PackageNotFoundError:
        expected = "unknown"
    assert _help(capsys, ["--version"]).startswith(f"remodel {expected}")


def test_top_level_help_ends_with_examples_of_real_commands(capsys):
    examples = _help(capsys, ["--help"]).split("\nexamples:\n", 1)[1]
    commands = [line.split()[1] for line in examples.splitlines() if line.strip().startswith("remodel ")]
    assert len(commands) >= 3 and set(commands) <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_says_what_it_does(command, capsys):
    """`remodel COMMAND --help` used to print only the usage and the options; it now opens with the
    command's line of `remodel --help`, as a sentence."""
    overview = " ".join(_help(capsys, ["--help"]).split())
    description = " ".join(_help(capsys, [command, "--help"]).split("\n\n")[1].split())
    assert description[0].isupper() and description.endswith(".")
    assert f"{command} {description[0].lower()}{description[1:-1]}" in overview
