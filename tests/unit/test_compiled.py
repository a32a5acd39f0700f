"""remodel.simulate's integration: the model's right-hand side (remodel.model.assembly) in the compiled BDF
of remodel.solvers.bdf, every member alone; its work in the Dataset's attributes; the same code
uncompiled under NUMBA_DISABLE_JIT; and the numba cache keyed by every source the code comes from."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import remodel
import remodel.model.assembly
import remodel.simulation
from remodel import Exercise, Regimen, Therapy
from remodel.solvers import bdf, cache

ARMS = {
    "none": [],
    "denosumab": [Therapy("denosumab", stop_year=2)],
    "zoledronic acid": [Therapy("zoledronic_acid", dose=4.0, interval_days=182.625)],
    "anastrozole + exercise from year 1": Regimen((Therapy("anastrozole"),),
                                                  exercise=(Exercise("high_impact", 3, start_year=1),)),
    "testosterone": [Therapy("testosterone", stop_year=2)],
}
SAMPLES = {"K_E2": [15.0, 30.0], "lambda_RANKL_E": [2.0, 5.0]}


def test_a_compiled_member_does_not_depend_on_its_batch_mates():
    """Each member takes its own steps, and its reference steady state its own Newton iterations:
    alone or next to far-away parameter sets, the same numbers (to rounding)."""
    samples = {"K_E2": [5.0, 20.0, 38.0], "gamma_age": [0.0, 0.01, 0.03]}  # far apart, within the bounds
    batch = remodel.simulate("postmenopausal_woman", ARMS, years=2, samples=samples)
    for i in range(3):
        alone = remodel.simulate("postmenopausal_woman", ARMS, years=2,
                                 samples={k: v[i: i + 1] for k, v in samples.items()})
        np.testing.assert_allclose(batch["bmd"].isel(sample=i).values, alone["bmd"].isel(sample=0).values,
                                   rtol=1e-12, atol=0)


def test_an_arm_does_not_depend_on_the_other_arms_of_its_batch_as_the_readme_says():
    """The README: a member takes its own steps and stops only at its own doses, so its result does
    not depend on what else is in the batch: exactly for arms whose interventions start and stop at
    the same times (other doses, drugs and exercise; issue 16: every arm stopped at every arm's
    doses, 3e-5 points); to about the tolerance when other arms start or stop something at other
    years (those years restart every member)."""
    same_windows = {
        "anastrozole": [Therapy("anastrozole")],
        "anastrozole + zoledronic acid": [Therapy("anastrozole"), Therapy("zoledronic_acid", interval_days=182.625)],
        "daily alendronate": [Therapy("alendronate", dose=10.0, interval_days=1.0)],
        "denosumab + exercise": Regimen((Therapy("denosumab"),), exercise=(Exercise("high_impact", 3),)),
    }
    other_windows = {"exercise from year 1": Regimen(exercise=(Exercise("high_impact", 3, start_year=1),)),
                     "denosumab to 2": [Therapy("denosumab", stop_year=2)]}
    kwargs = dict(years=3, output_times=np.linspace(0, 3, 13))
    batch = remodel.simulate("postmenopausal_woman", same_windows, **kwargs)
    mixed = remodel.simulate("postmenopausal_woman", {**same_windows, **other_windows}, **kwargs)
    for name, regimen in same_windows.items():
        alone = remodel.simulate("postmenopausal_woman", {name: regimen}, **kwargs)
        np.testing.assert_allclose(batch["bmd"].sel(arm=name).values, alone["bmd"].sel(arm=name).values,
                                   rtol=1e-12, atol=0, err_msg=name)
        np.testing.assert_allclose(mixed["bmd"].sel(arm=name).values, alone["bmd"].sel(arm=name).values,
                                   rtol=10 * 1e-7, atol=0, err_msg=name)


def test_the_compiled_engine_agrees_with_scipys_bdf_on_the_same_model():
    """The README: the engine is scipy's variable-order BDF, compiled. On the model's right-hand
    side (Model.rhs, as Python) scipy's solve_ivp(method="BDF") gives the same states, from the
    life history through five years of anastrozole with exercise, to the tolerance."""
    from scipy.integrate import solve_ivp

    from remodel.model import DAYS_PER_YEAR, Model, batch_parameters
    from remodel.simulation import _breakpoints, _run

    rtol = 1e-9
    regimen = Regimen((Therapy("anastrozole"),), exercise=(Exercise("resistance", 2, start_year=1),))
    model = Model(remodel.population("postmenopausal_woman"), [regimen],
                  batch_parameters(remodel.parameter_set("Remodel2026"), n=1))
    t_out = np.arange(6) * DAYS_PER_YEAR
    Y, _, _ = _run(model, t_out, t_out[-1], frozen=False, rtol=rtol)
    y = model.reference_state_vector()
    atol = ((np.abs(y) + model.assembly.state_scale()[:, None]) * rtol * 1e-3).reshape(-1)
    y = y.reshape(-1)
    points = _breakpoints(model, (remodel.populations.REFERENCE_AGE - model.population.age) * DAYS_PER_YEAR,
                          t_out[-1])
    states = {}
    for a, b in zip(points[:-1], points[1:]):
        constants = model.constants(0.5 * (a + b))
        t_eval = np.union1d(t_out[(t_out >= a) & (t_out <= b)], [b])
        sol = solve_ivp(lambda t, x: model.rhs(t, x, constants), (a, b), y, method="BDF", rtol=rtol, atol=atol,
                        t_eval=t_eval)
        assert sol.success, sol.message
        states.update(zip(t_eval, sol.y.T))
        y = sol.y[:, -1]
    scipy_Y = np.stack([states[t] for t in t_out]).reshape(Y.shape)
    np.testing.assert_allclose(Y, scipy_Y, rtol=1e-6, atol=1e-12 * np.abs(Y).max())


def test_the_member_rates_compute_the_drivers_once_per_time_and_agree_with_the_model():
    """The member right-hand side of the compiled integrator keeps each member's drivers (functions
    of time alone) at the last time it computed them: at every time, in any order of times and
    members, its rates are those of the model's own right-hand side (Model.evaluate) at that time.
    Run as Python, as the compiled code runs it."""
    from remodel.model import DAYS_PER_YEAR, Model, batch_parameters

    regimen = Regimen((Therapy("anastrozole", start_year=0.0, stop_year=5.0),))
    model = Model(remodel.population("postmenopausal_woman"), [regimen, Regimen()],
                  batch_parameters(remodel.parameter_set("Remodel2026"), {"K_E2": [15.0, 30.0]}))
    y = model.reference_state_vector()
    constants = model.constants(DAYS_PER_YEAR)
    inputs = model.compiled_inputs(constants, model.parameter_records())
    out = np.empty(model.n_states)
    for t, m in [(-3000.0, 0), (400.0, 0), (400.0, 1), (-3000.0, 0), (-3000.0, 0), (400.0, 0), (-3000.0, 1)]:
        model.assembly._member_rates(t, y[:, m].copy(), out, m, *inputs)
        expected = model.evaluate(t, y, constants)[0][:, m]
        np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-300)
        assert inputs[3][m, 0] == t  # the drivers of member m are those at t


def test_only_the_requested_variables_are_computed(monkeypatch):
    ds = remodel.simulate("postmenopausal_woman", [Therapy("anastrozole")], years=1, variables=["bmd", "t_score"])
    assert list(ds.data_vars) == ["bmd", "t_score"]
    monkeypatch.setattr(remodel.model.Model, "evaluate", lambda *a: pytest.fail("outputs computed"))
    remodel.simulate("postmenopausal_woman", years=1, variables=["bmd_change"])
    with pytest.raises(ValueError, match="unknown variables"):
        remodel.simulate("postmenopausal_woman", years=1, variables=["bone_density"])


def test_the_solver_work_is_in_the_attributes_and_adds_up_over_members():
    """diffrax's Solution.stats: steps, rate and Jacobian evaluations and LU factorisations, summed over
    the members (the untreated natural history included) and the segments between doses."""
    kwargs = dict(years=2, output_times=[0, 1, 2])
    one = [remodel.simulate("postmenopausal_woman", [Therapy("zoledronic_acid")], samples={"K_E2": [k]}, **kwargs)
           for k in (15.0, 30.0)]
    both = remodel.simulate("postmenopausal_woman", [Therapy("zoledronic_acid")], samples={"K_E2": [15.0, 30.0]},
                            **kwargs)
    keys = ["solver_members"] + [f"solver_{k}" for k in bdf.STATISTICS]
    assert one[0].attrs["solver_members"] == 2  # the arm and its natural history
    assert 0 < one[0].attrs["solver_lu_factorisations"] < one[0].attrs["solver_steps"] \
        < one[0].attrs["solver_rate_evaluations"]
    assert {k: both.attrs[k] for k in keys} == remodel.simulation.summed_solver_attributes(one)


def test_the_same_code_runs_uncompiled_under_numba_disable_jit(tmp_path):
    """NUMBA_DISABLE_JIT=1 (debugging with pdb or prints) runs the integrator and the model's
    right-hand side as Python: the same steps and results as the compiled code, to rounding (LLVM
    may contract a multiply-add), which can flip a decision of the error control or of the Newton
    iteration's convergence test (one iteration or two), so the results agree to within the
    integration error (measured against a reference at rtol 1e-12), not to the last digit."""
    kwargs = dict(years=0.5, output_times=[0, 0.25, 0.5], rtol=1e-8, samples={"K_E2": [15.0, 30.0]})
    arms = {"none": [], "denosumab": [Therapy("denosumab")]}
    code = (f"import remodel; remodel.simulate('premenopausal_woman', {arms!r}, **{kwargs!r})"
            f".to_netcdf({str(tmp_path / 'python.nc')!r})")
    # the arms are evaluated by the child: Therapy's repr is its constructor call
    code = "from remodel import Therapy\n" + code
    env = dict(os.environ, NUMBA_DISABLE_JIT="1", PYTHONPATH=str(Path(remodel.__file__).parents[1]))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=900)
    compiled = remodel.simulate("premenopausal_woman", arms, **kwargs)
    reference = remodel.simulate("premenopausal_woman", arms, **{**kwargs, "rtol": 1e-12})
    with xr.open_dataset(tmp_path / "python.nc") as python:
        # rounding may flip a decision of the error control or of the Newton test (one iteration or two),
        # and the step sequences then differ from there on (962 and 975 steps when this was written)
        assert abs(python.attrs["solver_steps"] - compiled.attrs["solver_steps"]) <= 0.03 * compiled.attrs["solver_steps"]
        for v in ("bmd", "active_osteoclasts", "denosumab_serum"):
            scale = np.where(reference[v].values == 0, 1.0, np.abs(reference[v].values))  # the serum without drug
            error = np.max(np.abs(compiled[v].values - reference[v].values) / scale)
            assert 0 < error < 1e-5, v  # the integration error at rtol 1e-8
            np.testing.assert_array_less(np.abs(python[v].values - compiled[v].values) / scale, 2 * error, err_msg=v)


def _reachable_source_files(functions):
    """The remodel source files of ``functions`` and of every function they reach through their global
    names (``f(...)``, ``module.f(...)``): what numba compiles with them, found from the running
    objects rather than from the import statements that remodel.solvers.cache reads."""
    files, seen, todo = set(), set(), list(functions)
    while todo:
        f = todo.pop()
        f = getattr(f, "py_func", f)  # a numba dispatcher: its Python function
        if not isinstance(f, types.FunctionType) or f in seen or not f.__module__.startswith("remodel"):
            continue
        seen.add(f)
        files.add(Path(f.__code__.co_filename).resolve())
        codes = [f.__code__]
        names = set()
        while codes:
            code = codes.pop()
            names.update(code.co_names)
            codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
        todo.extend(cell.cell_contents for cell in f.__closure__ or ())
        for name in names:
            value = f.__globals__.get(name)
            values = [value] if not isinstance(value, types.ModuleType) else [getattr(value, n, None) for n in names]
            todo.extend(v for v in values if callable(v))
    return files


def test_the_cache_key_covers_every_source_the_compiled_code_reaches():
    """Regression (issue 11): the key was a hand-kept list of files, and a block missing from it
    silently reused stale machine code. Every remodel file whose functions the compiled right-hand
    side and integrator reach must be hashed."""
    model = remodel.model.assembly.assembly()
    keyed = {path.resolve() for module in model.cache_modules for path in cache.sources(module)}
    reached = _reachable_source_files([model.rates, bdf._member])
    agents = Path(remodel.model.agents.__file__).parent
    assert {Path(bdf.__file__).resolve(), (agents / "denosumab.py").resolve()} <= reached
    assert len(reached) >= 8  # the blocks: a real walk
    assert reached <= keyed, sorted(map(str, reached - keyed))


def test_the_cache_key_follows_imports_found_in_the_sources(tmp_path, monkeypatch):
    """A module added to a package is in the key of the modules that import it, relative or absolute,
    at module level or inside if/try; imports inside functions are not (numba cannot compile them)."""
    package = tmp_path / "toypkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "leaf.py").write_text("def f():\n    return 1\n")
    (package / "sub" / "mid.py").write_text("from .leaf import f\ntry:\n    import toypkg.extra\nexcept ImportError:\n"
                                            "    pass\n")
    (package / "extra.py").write_text("")
    (package / "lazy.py").write_text("")
    (package / "top.py").write_text("from .sub import mid\n\ndef g():\n    from . import lazy\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cache.numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    import toypkg.top  # noqa: F401

    found = {path.relative_to(package).as_posix() for path in cache.sources("toypkg.top")}
    assert found == {"top.py", "sub/mid.py", "sub/leaf.py", "extra.py"}
    key = cache.directory("toypkg.top")
    (package / "sub" / "leaf.py").write_text("def f():\n    return 2\n")
    assert cache.directory("toypkg.top") != key


def test_old_cache_directories_are_removed(tmp_path, monkeypatch):
    """Each edit of the sources makes a new cache directory: beyond the KEEP most recently used, the
    oldest are removed."""
    monkeypatch.setattr(cache.numba.config, "CACHE_DIR", str(tmp_path))
    parent = tmp_path / "remodel" / "numba" / "remodel.model.assembly"
    parent.mkdir(parents=True)
    for i in range(cache.KEEP + 3):
        (parent / f"old{i}").mkdir()
        os.utime(parent / f"old{i}", (1000.0 + i, 1000.0 + i))
    current = Path(cache.directory("remodel.model.assembly"))
    left = {p.name for p in parent.iterdir()}
    assert current.name in left and len(left) == cache.KEEP
    assert left - {current.name} == {f"old{i}" for i in range(4, cache.KEEP + 3)}


def _history_inputs(n):
    """A batch of ``n`` untreated postmenopausal women (K_E2 apart) at the young-adult reference: the
    model, its compiled inputs and the states."""
    from remodel.model import Model, batch_parameters

    model = Model(remodel.population("postmenopausal_woman"), [Regimen()] * n,
                  batch_parameters(remodel.parameter_set("Remodel2026"), {"K_E2": np.linspace(10.0, 35.0, n)}))
    y = model.reference_state_vector()
    return model, model.compiled_inputs(model.constants(0.0), model.parameter_records()), y


def test_no_drug_in_the_body_stays_none_and_acts_on_nothing():
    """What the integration of members without drug relies on (Assembly.integrate): with every
    agent's states 0, whatever the site states, the agents' rates are exactly 0 and the site
    states' rates exactly those of the site states alone (the rates without the agents: each
    effect its identity). Run as Python, on site states far from any steady state."""
    model, inputs, y = _history_inputs(3)
    assembly = model.assembly
    n = assembly.n_site_rows
    assert n < assembly.n_states and assembly.agents
    rng = np.random.default_rng(0)
    for t in (-9000.0, -3000.0, 0.0, 2000.0):
        for m in range(3):
            y_m = y[:, m] * np.concatenate([rng.uniform(0.3, 3.0, n), np.zeros(assembly.n_states - n)])
            out_full, out_bare = np.empty(assembly.n_states), np.empty(n)
            assembly._member_rates(t, y_m.copy(), out_full, m, *inputs[:3], inputs[3].copy(), *inputs[4:])
            assembly._member_rates(t, y_m[:n].copy(), out_bare, m, *inputs[:3], inputs[3].copy(), *inputs[4:])
            np.testing.assert_array_equal(out_full[n:], 0.0)
            np.testing.assert_array_equal(out_full[:n], out_bare)


def test_members_without_drug_are_integrated_without_the_agents_states_and_the_same():
    """A member with no drug in the body and no dose has its site states alone integrated: the
    same states as the integration of the whole model, to the tolerance; the agents' states 0; and
    its result the same whether its batch-mates have a drug or not (a member with a drug in the
    body is integrated with every state)."""
    model, inputs, y = _history_inputs(3)
    assembly = model.assembly
    a, b, t_eval = -20 * 365.25, 0.0, np.array([-10 * 365.25, 0.0])
    values, end, failed, counts = assembly.integrate(inputs, y, a, b, t_eval, rtol=1e-9, atol=1e-15)
    whole_values, _, _, _ = assembly.integrator(inputs, y, a, b, t_eval, rtol=1e-9, atol=1e-15)
    assert not failed
    np.testing.assert_allclose(values, whole_values, rtol=1e-7, atol=1e-14)
    np.testing.assert_array_equal(values[:, assembly.n_site_rows:], 0.0)
    np.testing.assert_array_equal(end[assembly.n_site_rows:], 0.0)
    n = assembly.n_site_rows
    bare_values, _, _, bare_counts = assembly.integrator(inputs, y[:n], a, b, t_eval, rtol=1e-9, atol=1e-15)
    np.testing.assert_array_equal(values[:, :n], bare_values)  # the site states alone
    np.testing.assert_array_equal(counts, bare_counts)
    y_drug = y.copy()
    y_drug[assembly.row["denosumab_serum"], 1] = 1.0  # ng/mL
    mixed_values, mixed_end, _, mixed_counts = assembly.integrate(inputs, y_drug, a, b, t_eval, rtol=1e-9, atol=1e-15)
    for m in (0, 2):
        np.testing.assert_array_equal(mixed_values[..., m], values[..., m])
        np.testing.assert_array_equal(mixed_counts[m], counts[m])
    alone_values, _, _, alone_counts = assembly.integrator(inputs, y_drug, a, b, t_eval, rtol=1e-9, atol=1e-15,
                                                           members=(1, 2))
    np.testing.assert_array_equal(mixed_values[..., 1], alone_values[..., 1])
    np.testing.assert_array_equal(mixed_counts[1], alone_counts[1])
    assert np.all(mixed_values[:, assembly.row["denosumab_serum"], 1] != 0)  # integrated (decayed, not set to 0)
