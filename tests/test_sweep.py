"""Sweeps: grids and designs against simulate, store resume after SIGKILL, dask, scenario [sweep] tables."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import remodel
from remodel import Population, Regimen, Therapy
from remodel.sweep import SweepError, design_points, main_sweep, sweep, sweep_from_scenario

PARAMETERS = remodel.parameter_set("Remodel2026")
# A woman with a short history (the integration from age 30 is short) whose menopause falls within
# the horizon: fast to simulate, yet estradiol, cells and BMD all move.
YOUNG = Population("young", "female", 34.5, menopause_age=35.0)
ANASTROZOLE = [Therapy("anastrozole")]


def test_grid_has_one_dimension_per_name_and_equals_simulate_per_point():
    grid = {"K_E2": [10.0, 25.0, 40.0], "lambda_RANKL_E": [1.0, 4.0]}
    ds = sweep(YOUNG, ANASTROZOLE, grid=grid, years=1, output_times=[0, 0.5, 1], variables=["bmd", "t_score"],
               sites=["lumbar_spine", "total_hip"], chunk_size=4, progress=False, rtol=1e-9)
    assert ds["bmd"].dims == ("K_E2", "lambda_RANKL_E", "time", "site")
    assert list(ds.data_vars) == ["bmd", "t_score"]
    np.testing.assert_array_equal(ds["K_E2"], grid["K_E2"])
    np.testing.assert_array_equal(ds["site"].values.astype(str), ["lumbar_spine", "total_hip"])
    assert ds["K_E2"].attrs["units"] == PARAMETERS["K_E2"].units
    for k in grid["K_E2"]:
        for lam in grid["lambda_RANKL_E"]:
            one = remodel.simulate(YOUNG, ANASTROZOLE, years=1, output_times=[0, 0.5, 1], rtol=1e-9,
                                   samples={"K_E2": [k], "lambda_RANKL_E": [lam]}).isel(sample=0)
            got = ds["bmd"].sel(K_E2=k, lambda_RANKL_E=lam).values
            np.testing.assert_allclose(got, one["bmd"].sel(site=["lumbar_spine", "total_hip"]).values, rtol=1e-6)


def test_batched_sweep_agrees_with_single_member_simulations_for_100_random_parameter_sets():
    """Acceptance (issue 7): a member solved in a batch of 100 agrees with the member solved alone
    to 1e-6 relative, at the default tolerance. Every member is integrated with its own steps, so
    the two should agree to rounding."""
    names = ["K_E2", "lambda_RANKL_E", "gamma_age", "kappa_form", "lambda_OCa_E"]
    times = [0, 0.5, 1, 1.5, 2]
    ds = sweep(YOUNG, ANASTROZOLE, design="random", n=100, seed=11, bounds={k: None for k in names}, years=2,
               output_times=times, variables=["bmd", "bmd_change", "active_osteoclasts"], chunk_size=100,
               progress=False)
    assert ds.sizes["sample"] == 100
    for k in names:
        lo, hi = PARAMETERS[k].bounds
        assert np.all((ds[k] >= lo) & (ds[k] <= hi))
    spread = ds["bmd_change"].isel(time=-1).std("sample")
    assert float(spread.min()) > 0.1  # the parameters matter: a real test of agreement
    for i in range(100):
        one = remodel.simulate(YOUNG, ANASTROZOLE, years=2, output_times=times,
                               samples={k: [float(ds[k][i])] for k in names}).isel(sample=0)
        member = ds.isel(sample=i)
        for v in ("bmd", "active_osteoclasts"):
            np.testing.assert_allclose(member[v].values, one[v].values, rtol=1e-6, atol=0, err_msg=f"{v} sample {i}")
        # a percent change from 0 at t = 0: relative to the change's own size
        scale = np.abs(one["bmd_change"].values).max()
        np.testing.assert_allclose(member["bmd_change"].values, one["bmd_change"].values, rtol=0, atol=1e-6 * scale)


def test_scenario_inputs_swept_through_a_regimen_function():
    def regimen(dose_mg):
        return Regimen(therapies=(Therapy("denosumab", dose=dose_mg),))

    ds = sweep(YOUNG, regimen, grid={"dose_mg": [6.0, 60.0], "K_E2": [15.0, 30.0]}, years=1, output_times=[0, 1],
               chunk_size=3, progress=False)
    assert ds["bmd_change"].dims == ("dose_mg", "K_E2", "time", "site")
    for dose in (6.0, 60.0):
        one = remodel.simulate(YOUNG, regimen(dose), years=1, output_times=[0, 1], samples={"K_E2": [15.0, 30.0]})
        np.testing.assert_allclose(ds["bmd_change"].sel(dose_mg=dose).values, one["bmd_change"].values,
                                   rtol=1e-5, atol=1e-6)
    low, high = (ds["bmd_change"].sel(dose_mg=d, K_E2=30.0, time=1.0, site="lumbar_spine") for d in (6.0, 60.0))
    assert float(high) > float(low) + 1.0  # the full denosumab dose gains more bone


def test_arms_add_an_arm_dimension():
    arms = {"none": Regimen(), "anastrozole": Regimen(therapies=tuple(ANASTROZOLE))}
    ds = sweep(YOUNG, arms, grid={"K_E2": [15.0, 30.0]}, years=1, output_times=[0, 1], progress=False)
    assert ds["bmd_change"].dims == ("K_E2", "arm", "time", "site")
    assert list(ds["arm"].values) == ["none", "anastrozole"]


@pytest.mark.parametrize("design", ["random", "lhs", "sobol"])
def test_designs_stay_within_bounds_and_are_reproducible(design):
    bounds = {"a": (1.0, 3.0), "b": (-5.0, 5.0)}
    p = design_points(list(bounds), bounds, design, 32, seed=3)
    assert set(p) == {"a", "b"} and all(v.shape == (32,) for v in p.values())
    for k, (lo, hi) in bounds.items():
        assert np.all((p[k] >= lo) & (p[k] <= hi))
    again = design_points(list(bounds), bounds, design, 32, seed=3)
    other = design_points(list(bounds), bounds, design, 32, seed=4)
    np.testing.assert_array_equal(p["a"], again["a"])
    assert not np.array_equal(p["a"], other["a"])


@pytest.mark.parametrize("design", ["lhs", "sobol"])
def test_space_filling_designs_put_one_point_in_each_stratum(design):
    """Latin hypercube: one point per 1/n stratum in every dimension; a Sobol block of 2**m points too."""
    n = 16
    p = design_points(["a", "b", "c"], {k: (0.0, 1.0) for k in "abc"}, design, n, seed=0)
    for v in p.values():
        np.testing.assert_array_equal(np.sort(np.floor(v * n)), np.arange(n))


def test_design_result_has_sample_dimension_with_values_as_coordinates():
    ds = sweep(YOUNG, (), design="lhs", n=6, bounds={"K_E2": (10.0, 30.0), "gamma_age": None}, years=1,
               output_times=[0, 1], chunk_size=4, progress=False)
    assert ds["bmd_change"].dims == ("sample", "time", "site")
    expected = design_points(["K_E2", "gamma_age"], {"K_E2": (10.0, 30.0), "gamma_age": PARAMETERS["gamma_age"].bounds},
                             "lhs", 6, seed=0)
    np.testing.assert_array_equal(ds["K_E2"].values, expected["K_E2"])
    assert ds.attrs["sweep_design"] == "lhs" and ds.attrs["sweep_seed"] == 0
    one = remodel.simulate(YOUNG, (), years=1, output_times=[0, 1],
                           samples={"K_E2": [expected["K_E2"][5]], "gamma_age": [expected["gamma_age"][5]]})
    np.testing.assert_allclose(ds["bmd_change"].isel(sample=5).values, one["bmd_change"].isel(sample=0).values,
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs, match", [
    (dict(grid={"K_E2": [1.0]}, design="lhs"), "either grid"),
    (dict(), "either grid"),
    (dict(design="lhs", n=4), "needs bounds"),
    (dict(design="halton", n=4, bounds={"K_E2": None}), "unknown design"),
    (dict(design="lhs", bounds={"K_E2": None}), "needs n"),
    (dict(grid={"dose_mg": [1.0]}), "not parameters"),
    (dict(grid={"K_E2": [1.0]}, variables=["bmd_chnage"]), "unknown variables"),
    (dict(grid={"K_E2": [1.0]}, sites=["skull"]), "unknown sites"),
    (dict(design="random", n=4, bounds={"K_E2": (5.0, 1.0)}), "low < high"),
])
def test_bad_requests_raise_sweep_error(kwargs, match):
    with pytest.raises(SweepError, match=match):
        sweep(YOUNG, (), years=1, progress=False, **kwargs)


def test_progress_lines_go_to_stderr(capsys):
    sweep(YOUNG, (), grid={"K_E2": [15.0, 30.0, 35.0]}, years=0.5, output_times=[0, 0.5], chunk_size=2, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2 and lines[-1].startswith("sweep: 2/2 chunks, 3/3 points (100%)")


# ----------------------------------------------------------------------------------------------
# Store: resume after SIGKILL
# ----------------------------------------------------------------------------------------------

_SWEEP_SCRIPT = textwrap.dedent("""
    import sys
    import remodel
    from remodel.sweep import sweep

    pop = remodel.Population("young", "female", 34.5, menopause_age=35.0)
    sweep(pop, [remodel.Therapy("anastrozole")], design="sobol", n=24, seed=5,
          bounds={"K_E2": None, "lambda_RANKL_E": None}, years=1, output_times=[0, 0.5, 1],
          variables=["bmd_change", "bmd"], chunk_size=2, store=sys.argv[1], progress=False)
""")

_KWARGS = dict(design="sobol", n=24, seed=5, bounds={"K_E2": None, "lambda_RANKL_E": None}, years=1,
               output_times=[0, 0.5, 1], variables=["bmd_change", "bmd"], chunk_size=2, progress=False)


def _snapshot(store: Path) -> dict:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(store.glob("chunk-*.nc"))}


def _log(store: Path) -> list[dict]:
    path = store / "chunks.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_sweep_killed_halfway_resumes_without_recomputing_or_missing_a_chunk(tmp_path):
    store = tmp_path / "store"
    script = tmp_path / "run_sweep.py"
    script.write_text(_SWEEP_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), str(store)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while len(list(store.glob("chunk-*.nc"))) < 3:
            assert proc.poll() is None, f"the sweep ended before it could be killed: {proc.stderr.read().decode()}"
            assert time.monotonic() < deadline, "no chunk written within 2 minutes"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    manifest = json.loads((store / "manifest.json").read_text())
    n_chunks = manifest["n_chunks"]
    assert n_chunks == 12
    before = _snapshot(store)
    assert 3 <= len(before) < n_chunks, "kill the sweep halfway, with chunks still to do"
    first_run = {entry["run_id"] for entry in _log(store)}
    assert len(first_run) == 1

    resumed = sweep(YOUNG, ANASTROZOLE, store=store, **_KWARGS)

    after = _snapshot(store)
    assert sorted(after) == [f"chunk-{i:05d}.nc" for i in range(n_chunks)]
    for name, stamp in before.items():
        assert after[name] == stamp, f"{name} was written again"
    assert not list(store.glob(".chunk-*"))  # no partial file left behind
    log = _log(store)
    counts = np.bincount([entry["chunk"] for entry in log], minlength=n_chunks)
    assert counts.max() == 1, "a chunk was computed twice"
    second_run = {entry["run_id"] for entry in log} - first_run
    assert len(second_run) == 1
    resumed_chunks = {entry["chunk"] for entry in log if entry["run_id"] in second_run}
    assert resumed_chunks == set(range(n_chunks)) - {int(name[6:11]) for name in before}
    for i in range(n_chunks):
        with xr.open_dataset(store / f"chunk-{i:05d}.nc") as chunk:
            computed_in_first = f"chunk-{i:05d}.nc" in before
            assert (chunk.attrs["sweep_run_id"] in first_run) == computed_in_first

    uninterrupted = sweep(YOUNG, ANASTROZOLE, store=tmp_path / "clean", **_KWARGS)
    in_memory = sweep(YOUNG, ANASTROZOLE, **_KWARGS)
    for v in ("bmd_change", "bmd"):
        np.testing.assert_array_equal(resumed[v].values, uninterrupted[v].values)
        np.testing.assert_array_equal(resumed[v].values, in_memory[v].values)
    np.testing.assert_array_equal(resumed["K_E2"].values, uninterrupted["K_E2"].values)

    # complete: running again computes nothing
    again = sweep(YOUNG, ANASTROZOLE, store=store, **_KWARGS)
    assert _log(store) == log
    np.testing.assert_array_equal(again["bmd"].values, resumed["bmd"].values)


def test_a_store_refuses_a_different_sweep(tmp_path):
    sweep(YOUNG, (), grid={"K_E2": [15.0]}, years=0.5, output_times=[0, 0.5], store=tmp_path, progress=False)
    with pytest.raises(SweepError, match="different sweep"):
        sweep(YOUNG, (), grid={"K_E2": [16.0]}, years=0.5, output_times=[0, 0.5], store=tmp_path, progress=False)


# ----------------------------------------------------------------------------------------------
# dask
# ----------------------------------------------------------------------------------------------

def test_dask_local_cluster_gives_the_single_process_result(tmp_path):
    from dask.distributed import Client, LocalCluster

    kwargs = dict(design="lhs", n=8, seed=2, bounds={"K_E2": None, "gamma_age": None}, years=1,
                  output_times=[0, 0.5, 1], variables=["bmd_change", "t_score"], chunk_size=3, progress=False)
    local = sweep(YOUNG, ANASTROZOLE, **kwargs)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        distributed = sweep(YOUNG, ANASTROZOLE, client=client, store=tmp_path, **kwargs)
        workers = {entry for entry in client.run(os.getpid).values()}
    assert len(workers) == 2 and os.getpid() not in workers
    assert len(list(tmp_path.glob("chunk-*.nc"))) == 3
    for v in ("bmd_change", "t_score"):
        np.testing.assert_allclose(distributed[v].values, local[v].values, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(distributed["K_E2"].values, local["K_E2"].values)


# ----------------------------------------------------------------------------------------------
# Scenario files with a [sweep] table, and the CLI helper
# ----------------------------------------------------------------------------------------------

_SCENARIO = """
schema_version = 1
title = "Anastrozole, estrogen sensitivity"

[population]
preset = "postmenopausal_woman"
age_years = 36
menopause_age_years = 35

[simulation]
years = 1
output_step_months = 6

[[arms]]
name = "anastrozole"
[[arms.therapies]]
drug = "anastrozole"
dose_mg_per_day = 1
start_year = 0

[sweep]
{sweep}
"""


def _scenario(tmp_path, sweep_table: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(_SCENARIO.format(sweep=sweep_table))
    return path


def test_sweep_table_grid_from_a_scenario_file(tmp_path):
    path = _scenario(tmp_path, 'design = "grid"\nvariables = ["bmd"]\n[sweep.parameters]\nK_E2 = [15, 30]\n'
                               'lambda_RANKL_E = [2, 4, 6]')
    spec = sweep_from_scenario(path)
    assert spec.kwargs["grid"] == {"K_E2": [15.0, 30.0], "lambda_RANKL_E": [2.0, 4.0, 6.0]}
    assert spec.kwargs["output_times"] == [0.0, 0.5, 1.0]
    assert spec.analysis is None
    args = argparse.Namespace(file=str(path), output=str(tmp_path / "out.nc"), indices=None, store=str(tmp_path / "s"),
                              scheduler=None, force=False, quiet=True)
    assert main_sweep(args) == 0
    with xr.open_dataset(tmp_path / "out.nc") as ds:
        assert ds["bmd"].dims == ("K_E2", "lambda_RANKL_E", "time", "site")
        assert "[sweep]" in ds.attrs["scenario"]
        direct = remodel.simulate(Population("p", "female", 36.0, menopause_age=35.0), ANASTROZOLE, years=1,
                                  output_times=[0, 0.5, 1], samples={"K_E2": [30.0], "lambda_RANKL_E": [4.0]})
        np.testing.assert_allclose(ds["bmd"].sel(K_E2=30.0, lambda_RANKL_E=4.0).values,
                                   direct["bmd"].isel(sample=0).values, rtol=1e-5)
    with pytest.raises(SweepError, match="exists; use --force"):
        main_sweep(args)


def test_sweep_table_sobol_analysis_from_a_scenario_file(tmp_path, capsys):
    path = _scenario(tmp_path, 'analysis = "sobol"\nn = 8\noutput = "bmd_change"\nsite = "lumbar_spine"\n'
                               'year = 1\nchunk_size = 16\n[sweep.parameters]\nK_E2 = []\nI_letrozole = [0.5, 0.99]')
    spec = sweep_from_scenario(path)
    assert spec.parameter_bounds["K_E2"] == PARAMETERS["K_E2"].bounds
    args = argparse.Namespace(file=str(path), output=str(tmp_path / "sweep.nc"), indices=str(tmp_path / "idx.nc"),
                              store=None, scheduler=None, force=False, quiet=True)
    assert main_sweep(args) == 0
    out = capsys.readouterr().out
    assert "K_E2" in out and "ST" in out
    with xr.open_dataset(tmp_path / "idx.nc") as ds:
        assert list(ds["parameter"].values) == ["K_E2", "I_letrozole"]
        assert float(ds["ST"].sel(parameter="K_E2")) > 0.5
    with xr.open_dataset(tmp_path / "sweep.nc") as ds:
        assert ds.sizes["sample"] == 8 * 4


@pytest.mark.parametrize("table, match", [
    ('design = "grid"\nbogus = 1\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.bogus: unknown key"),
    ('design = "lhs"\n[sweep.parameters]\nK_E2 = [1, 2]', r"sweep\.n: missing"),
    ('design = "lhs"\nn = 4\n[sweep.parameters]\nK_E2 = [2, 1]', r"sweep\.parameters\.K_E2: expected \[low, high\]"),
    ('design = "grid"\n[sweep.parameters]\nK_E3 = [1]', r"sweep\.parameters\.K_E3: unknown parameter"),
    ('design = "grid"', r"sweep\.parameters: missing"),
    ('analysis = "sobol"\ndesign = "lhs"\nn = 4\n[sweep.parameters]\nK_E2 = []', r"sweep\.design: a sensitivity"),
    ('analysis = "fast"\nn = 4\n[sweep.parameters]\nK_E2 = []', r"sweep\.analysis: unknown analysis"),
    ('analysis = "sobol"\nn = 4\n[sweep.parameters]\nK_E2 = []', r"sweep\.output: an analysis needs"),
])
def test_bad_sweep_tables_give_one_line_naming_the_key(tmp_path, table, match):
    path = _scenario(tmp_path, table)
    with pytest.raises(SweepError, match=match) as info:
        sweep_from_scenario(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_scenario_without_sweep_table_is_refused(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text(_SCENARIO.split("[sweep]")[0])
    with pytest.raises(SweepError, match="missing \\[sweep\\] table"):
        sweep_from_scenario(path)


def test_points_that_cannot_be_solved_are_nan_with_on_error_nan():
    """D_OBu = 0 (no osteoblast supply) admits no steady state: with on_error="nan" that point is
    NaN and flagged, and the other points of its chunk are still solved."""
    grid = {"D_OBu": [PARAMETERS["D_OBu"].value, 0.0, 0.9 * PARAMETERS["D_OBu"].value], "K_E2": [10.0]}
    kwargs = dict(years=1, output_times=[0, 1], variables=["bmd", "who_category"], chunk_size=3, progress=False)
    with pytest.raises(remodel.SolverError, match="steady state"):
        sweep(YOUNG, (), grid=grid, **kwargs)
    ds = sweep(YOUNG, (), grid=grid, on_error="nan", **kwargs)
    np.testing.assert_array_equal(ds["solver_failed"].values[:, 0], [False, True, False])
    assert ds.attrs["solver_failed_points"] == 1 and ds.attrs["solver_members"] == 2
    assert np.all(np.isnan(ds["bmd"].sel(D_OBu=0.0).values))
    for d in (grid["D_OBu"][0], grid["D_OBu"][2]):
        one = remodel.simulate(YOUNG, (), years=1, output_times=[0, 1], samples={"D_OBu": [d], "K_E2": [10.0]}).isel(sample=0)
        np.testing.assert_allclose(ds["bmd"].sel(D_OBu=d, K_E2=10.0).values, one["bmd"].values, rtol=1e-5)
        np.testing.assert_array_equal(ds["who_category"].sel(D_OBu=d, K_E2=10.0).values, one["who_category"].values)


def test_the_solver_work_of_the_chunks_adds_up():
    """The solver_* attributes of a sweep count the work of every chunk, not of the first one: each
    member takes its own steps, so two chunks of two points do the work of one batch of four."""
    grid = {"K_E2": [10.0, 20.0, 30.0, 40.0]}
    kwargs = dict(years=1, output_times=[0, 1])
    ds = sweep(YOUNG, ANASTROZOLE, grid=grid, variables=["bmd"], chunk_size=2, progress=False, **kwargs)
    batch = remodel.simulate(YOUNG, ANASTROZOLE, samples=grid, natural_history=False, **kwargs)
    for k, v in batch.attrs.items():
        if k.startswith("solver_"):
            assert ds.attrs[k] == v, k
