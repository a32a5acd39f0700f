"""Sweeps: grids and designs against simulate, zarr store resumed after SIGKILL, dask workers writing
their regions, scenario [sweep] tables."""

from __future__ import annotations

import argparse
import hashlib
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
from remodel.scenario import ScenarioError, load_scenario
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


def test_import_remodel_reaches_the_sweep_package_and_help_imports_neither_dask_nor_salib():
    """Regression (issue 16): ``import remodel; remodel.sweep.sweep(...)``, as the README writes it,
    raised AttributeError; ``remodel --help`` must not pay for dask, zarr or SALib."""
    code = textwrap.dedent("""
        import contextlib, io, sys
        import remodel
        assert "remodel.sweep" not in sys.modules
        assert remodel.sweep.sweep.__name__ == "sweep" and callable(remodel.sensitivity.sobol_model)
        from remodel.cli import main
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            main(["--help"])
        print(sorted(m for m in ("dask", "distributed", "zarr", "SALib") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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


def test_progress_bar_goes_to_stderr(capsys):
    sweep(YOUNG, (), grid={"K_E2": [15.0, 30.0, 35.0]}, years=0.5, output_times=[0, 0.5], chunk_size=2, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    last = captured.err.strip().splitlines()[-1]  # tqdm redraws its line with carriage returns
    assert last.startswith("sweep: 100%") and "3/3" in last


# ----------------------------------------------------------------------------------------------
# Store: a zarr store written by region, resumed after SIGKILL
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


def _chunks_done(store: Path) -> set[int]:
    """Chunks flagged done: the files of the store's ``chunk_done`` array (zarr format 2, one per
    chunk, written only when the flag is set)."""
    folder = store / "chunk_done"
    return {int(p.name) for p in folder.iterdir() if p.name.isdigit()} if folder.is_dir() else set()


def _region_files(store: Path, chunks) -> dict:
    """Inode, modification time and hash of the data files of the given chunks' regions."""
    return {str(p.relative_to(store)): (p.stat().st_ino, p.stat().st_mtime_ns,
                                         hashlib.sha256(p.read_bytes()).hexdigest())
            for v in ("bmd", "bmd_change") for i in chunks for p in sorted((store / v).glob(f"{i}.*"))}


def test_sweep_killed_with_sigkill_resumes_from_its_zarr_store_bitwise(tmp_path, monkeypatch):
    store = tmp_path / "store"
    script = tmp_path / "run_sweep.py"
    script.write_text(_SWEEP_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), str(store)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while len(_chunks_done(store)) < 3:
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
    n_chunks = 12
    done_before = _chunks_done(store)
    assert 3 <= len(done_before) < n_chunks, "kill the sweep halfway, with chunks still to do"
    before = _region_files(store, done_before)
    assert len(before) == 2 * len(done_before)

    computed = []
    compute_chunk = remodel.sweep.runner.compute_chunk
    monkeypatch.setattr(remodel.sweep.runner, "compute_chunk",
                        lambda task: computed.append(task) or compute_chunk(task))
    resumed = sweep(YOUNG, ANASTROZOLE, store=store, **_KWARGS)
    assert len(computed) == n_chunks - len(done_before), "the resumed sweep computes exactly the missing chunks"
    assert _chunks_done(store) == set(range(n_chunks))
    assert _region_files(store, done_before) == before, "a chunk done before the kill was written again"

    uninterrupted = sweep(YOUNG, ANASTROZOLE, store=tmp_path / "clean", **_KWARGS)
    in_memory = sweep(YOUNG, ANASTROZOLE, **_KWARGS)
    xr.testing.assert_identical(resumed, uninterrupted)  # bitwise: values, coordinates and attributes
    xr.testing.assert_identical(resumed, in_memory)
    with xr.open_zarr(store) as raw:  # the store itself: the points, the design and the done flags
        np.testing.assert_array_equal(raw["bmd"].values, resumed["bmd"].values)
        np.testing.assert_array_equal(raw["K_E2"].values, resumed["K_E2"].values)
        assert raw["chunk_done"].values.all()

    # complete: running again computes nothing and writes nothing
    computed.clear()
    everything = _region_files(store, range(n_chunks))
    again = sweep(YOUNG, ANASTROZOLE, store=store, **_KWARGS)
    assert computed == [] and _region_files(store, range(n_chunks)) == everything
    xr.testing.assert_identical(again, resumed)


def test_a_store_refuses_a_different_sweep(tmp_path):
    sweep(YOUNG, (), grid={"K_E2": [15.0]}, years=0.5, output_times=[0, 0.5], store=tmp_path, progress=False)
    with pytest.raises(SweepError, match="holds a different sweep"):
        sweep(YOUNG, (), grid={"K_E2": [16.0]}, years=0.5, output_times=[0, 0.5], store=tmp_path, progress=False)


def test_a_directory_that_is_not_a_sweep_store_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text("{}")  # e.g. a chunk directory of the netCDF store before zarr
    with pytest.raises(SweepError, match="not a sweep store"):
        sweep(YOUNG, (), grid={"K_E2": [15.0]}, years=0.5, output_times=[0, 0.5], store=tmp_path, progress=False)
    assert os.listdir(tmp_path) == ["manifest.json"]


# ----------------------------------------------------------------------------------------------
# dask
# ----------------------------------------------------------------------------------------------

def test_dask_workers_write_their_own_regions_and_give_the_single_process_result(tmp_path, monkeypatch, capsys):
    from dask.distributed import Client, Future, LocalCluster

    kwargs = dict(design="lhs", n=8, seed=2, bounds={"K_E2": None, "gamma_age": None}, years=1,
                  output_times=[0, 0.5, 1], variables=["bmd_change", "t_score"], chunk_size=3)
    local = sweep(YOUNG, ANASTROZOLE, progress=False, **kwargs)

    # what this (the client) process writes into zarr stores and receives from the workers
    region_writes, received = [], []
    to_zarr, result = xr.Dataset.to_zarr, Future.result
    monkeypatch.setattr(xr.Dataset, "to_zarr", lambda self, *a, **k: region_writes.append(k.get("region"))
                        or to_zarr(self, *a, **k))
    monkeypatch.setattr(Future, "result", lambda self, *a, **k: received.append(result(self, *a, **k)) or received[-1])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        distributed = sweep(YOUNG, ANASTROZOLE, client=client, store=tmp_path, progress=True, **kwargs)
        workers = {entry for entry in client.run(os.getpid).values()}
    assert len(workers) == 2 and os.getpid() not in workers
    assert region_writes == [None], "the client lays the store out once and writes no region"
    datasets = [r for r in received if isinstance(r, xr.Dataset)]
    assert [ds.sizes["point"] for ds in datasets] == [0], "only the layout (no points) comes to the client"
    assert sorted(r for r in received if not isinstance(r, xr.Dataset)) == [2, 3, 3], "points written per chunk"
    assert "sweep: 100%" in capsys.readouterr().err  # progress on the client
    with xr.open_zarr(tmp_path) as stored:
        assert stored["chunk_done"].values.tolist() == [True] * 3
        np.testing.assert_array_equal(stored["t_score"].values, distributed["t_score"].values)
    for v in ("bmd_change", "t_score"):
        np.testing.assert_allclose(distributed[v].values, local[v].values, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(distributed["K_E2"].values, local["K_E2"].values)


_DASK_SWEEP_SCRIPT = textwrap.dedent("""
    import sys
    import remodel
    from dask.distributed import Client, LocalCluster
    from remodel.sweep import sweep

    if __name__ == "__main__":  # the workers are spawned processes: they import this module too
        pop = remodel.Population("young", "female", 34.5, menopause_age=35.0)
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \\
                Client(cluster) as client:
            sweep(pop, [remodel.Therapy("anastrozole")], design="sobol", n=24, seed=5,
                  bounds={"K_E2": None, "lambda_RANKL_E": None}, years=1, output_times=[0, 0.5, 1],
                  variables=["bmd_change", "bmd"], chunk_size=2, store=sys.argv[1], progress=False, client=client)
""")


def _wait_for_chunks(store: Path, n: int, seconds: float, alive=lambda: True) -> None:
    deadline = time.monotonic() + seconds
    while len(_chunks_done(store)) < n:
        assert alive(), "the sweep ended before it could be interrupted"
        assert time.monotonic() < deadline, f"fewer than {n} chunks written within {seconds:g} s"
        time.sleep(0.02)


def test_a_dask_sweep_resumes_after_its_client_is_killed_and_survives_a_killed_worker(tmp_path):
    """The cluster recipe of benchmarks/README.md: the client process (with its LocalCluster) is
    killed with SIGKILL halfway; the same call on a new cluster computes the missing chunks, though
    one of its workers is killed on the way (its chunk is computed again by the worker that
    replaces it), and gives the single-process result, here kept in the store (``load=False``)."""
    from dask.distributed import Client, LocalCluster

    store = tmp_path / "store"
    script = tmp_path / "run_dask_sweep.py"
    script.write_text(_DASK_SWEEP_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), str(store)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for_chunks(store, 2, 180, alive=lambda: proc.poll() is None)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the client, its scheduler and its workers
        proc.wait(timeout=30)
    n_chunks = 12
    done_before = _chunks_done(store)
    assert 2 <= len(done_before) < n_chunks

    killed = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        victim = next(iter(client.run(os.getpid).values()))

        def kill_a_worker():
            _wait_for_chunks(store, len(done_before) + 1, 120)
            killed.append(len(_chunks_done(store)))
            os.kill(victim, signal.SIGKILL)

        import threading

        killer = threading.Thread(target=kill_a_worker, daemon=True)
        killer.start()
        resumed = sweep(YOUNG, ANASTROZOLE, client=client, store=store, load=False, **_KWARGS)
        killer.join(timeout=60)
        assert victim not in client.run(os.getpid).values(), "the killed worker was replaced"
    assert killed and killed[0] < n_chunks, "a worker was killed while chunks were still to do"
    assert _chunks_done(store) == set(range(n_chunks))
    assert resumed["bmd"].chunks is not None, "the result stays in the store"
    xr.testing.assert_identical(resumed.load(), sweep(YOUNG, ANASTROZOLE, **_KWARGS))


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
    path.write_text("\ufeff" + path.read_text(), encoding="utf-8")  # a byte-order mark is read as the reader reads it
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
    # issue 16: each of these was a traceback, or accepted silently (rtol)
    ('design = "lhs"\nn = 4\nseed = -1\n[sweep.parameters]\nK_E2 = []', r"sweep\.seed: -1 is out of range"),
    ('design = "lhs"\nn = 4611686018427387904\n[sweep.parameters]\nK_E2 = []', r"sweep\.n: .* out of range"),
    ('design = "grid"\nrtol = -1\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.rtol: -1 is out of range"),
    ('design = "grid"\nchunk_size = 0\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.chunk_size: 0 is out of range"),
    ('design = "grid"\noutput_years = [1, 0.5]\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.output_years: .* increasing"),
    ('design = "grid"\noutput_years = []\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.output_years: .* increasing"),
    ('design = "grid"\noutput_years = [0, 2]\n[sweep.parameters]\nK_E2 = [1]', r"allowed: increasing years from 0 to 1"),
    ('design = "grid"\nvariables = ["bmd_chnage"]\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.variables\[0\]: unknown variable 'bmd_chnage'"),
    ('design = "grid"\nsites = ["wrist"]\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.sites\[0\]: unknown site 'wrist'"),
    ('design = "grid"\n[sweep.parameters]\nK_E2 = [-1]', r"sweep\.parameters\.K_E2: expected an array of non-negative"),
    ('design = "grid"\n[sweep.parameters]\n' + "".join(f"{k} = {list(range(1, 13))}\n" for k in (
        "K_E2", "gamma_age", "kappa_form", "lambda_RANKL_E", "D_OBu", "lambda_OCa_E")),
     r"sweep\.parameters: a grid of 2,985,984 points; allowed: at most 1,048,576 points"),
    ('analysis = "sobol"\nn = 4\noutput = "bmd_change"\nsite = "lumbar_spine"\nyear = 2\n[sweep.parameters]\nK_E2 = []',
     r"sweep\.year: 2 is not within the horizon"),
    ('analysis = "sobol"\nn = 4\noutput = "bmd_change"\nsite = "wrist"\nyear = 1\n[sweep.parameters]\nK_E2 = []',
     r'sweep\.site: unknown site "wrist"; allowed: lumbar_spine'),
    ('analysis = "morris"\nn = 4\nlevels = 0\noutput = "bmd_change"\nsite = "total_hip"\nyear = 1\n'
     '[sweep.parameters]\nK_E2 = []', r"sweep\.levels: 0 is out of range; allowed: an even number"),
    ('analysis = "morris"\nn = 4\nlevels = 3\noutput = "bmd_change"\nsite = "total_hip"\nyear = 1\n'
     '[sweep.parameters]\nK_E2 = []', r"sweep\.levels: 3 levels; allowed: an even number"),
    (f'design = "grid"\nbogus{"x" * 100_000} = 1\n[sweep.parameters]\nK_E2 = [1]', r"sweep\.bogusx+\.\.\.: unknown key 'bogusx+\.\.\.; allowed"),
])
def test_bad_sweep_tables_give_one_line_naming_the_key(tmp_path, table, match):
    """The [sweep] table is validated with the rest of the file by the scenario schema (issue 11):
    `remodel check` refuses it too, with the same line."""
    path = _scenario(tmp_path, table)
    with pytest.raises(ScenarioError, match=match) as info:
        sweep_from_scenario(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value) and len(str(info.value)) < 2000
    with pytest.raises(ScenarioError) as checked:
        load_scenario(path)
    assert str(checked.value) == str(info.value)


def test_an_analysis_without_salib_says_to_install_the_sweep_extra(tmp_path, monkeypatch):
    """Regression (issue 16): without SALib, an analysis was a ModuleNotFoundError traceback."""
    path = _scenario(tmp_path, 'analysis = "morris"\nn = 2\noutput = "bmd_change"\nsite = "total_hip"\nyear = 1\n'
                               '[sweep.parameters]\nK_E2 = []')
    monkeypatch.setitem(sys.modules, "SALib", None)  # import SALib raises ImportError
    args = argparse.Namespace(file=str(path), output=str(tmp_path / "out.nc"), indices=None, store=None,
                              scheduler=None, force=False, quiet=True)
    with pytest.raises(SweepError, match=r"sweep\.analysis = 'morris' needs SALib: pip install 'remodel\[sweep\]'"):
        main_sweep(args)
    assert not (tmp_path / "out.nc").exists()


def test_sweep_outputs_are_regular_files_with_distinct_paths(tmp_path):
    """Issue 16: two outputs of one command never share a path; a non-regular target is refused,
    never replaced (a FIFO made here stands for a device)."""
    path = _scenario(tmp_path, 'analysis = "morris"\nn = 2\noutput = "bmd_change"\nsite = "total_hip"\nyear = 1\n'
                               '[sweep.parameters]\nK_E2 = []')
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for output, indices, match in ((tmp_path / "same.nc", tmp_path / "same.nc", "both name"),
                                   (fifo, None, "not a regular file"), (tmp_path, None, "not a regular file")):
        args = argparse.Namespace(file=str(path), output=str(output), indices=indices and str(indices), store=None,
                                  scheduler=None, force=True, quiet=True)
        with pytest.raises(SweepError, match=match):
            main_sweep(args)
    assert fifo.is_fifo() and not (tmp_path / "same.nc").exists()


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
