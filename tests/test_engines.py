"""The two integration engines of remodel.simulate: compiled (numba, every member alone) and numpy
(the batch together with the block BDF of remodel.solver)."""

from __future__ import annotations

import numpy as np
import pytest

import remodel
import remodel.compiled
import remodel.simulation
from remodel import Exercise, Regimen, Therapy

needs_numba = pytest.mark.skipif(not remodel.compiled.AVAILABLE, reason="the compiled engine needs numba")

ARMS = {
    "none": [],
    "denosumab": [Therapy("denosumab", stop_year=2)],
    "zoledronic acid": [Therapy("zoledronic_acid", dose=4.0, interval_days=182.625)],
    "anastrozole + exercise from year 1": Regimen((Therapy("anastrozole"),),
                                                  exercise=(Exercise("high_impact", 3, start_year=1),)),
    "testosterone": [Therapy("testosterone", stop_year=2)],
}
SAMPLES = {"K_E2": [15.0, 30.0], "lambda_RANKL_E": [2.0, 5.0]}


@needs_numba
@pytest.mark.parametrize("population", ["postmenopausal_woman", "hypogonadal_man"])
def test_compiled_and_numpy_engines_agree_within_the_tolerance(population):
    """The compiled right-hand side is the model's own (remodel.model.site_rates compiled), and both
    engines solve to rtol 1e-9: BMD, markers and drug states agree to 1e-7 relative."""
    kwargs = dict(years=3, samples=SAMPLES, rtol=1e-9)
    compiled = remodel.simulate(population, ARMS, engine="compiled", **kwargs)
    numpy = remodel.simulate(population, ARMS, engine="numpy", **kwargs)
    for v in ("bmd", "active_osteoclasts", "estradiol", "testosterone"):
        np.testing.assert_allclose(compiled[v].values, numpy[v].values, rtol=1e-7, atol=0, err_msg=v)
    for v in ("z_score", "ctx_change", "bisphosphonate_bound", "denosumab_serum"):  # 0 for some arms or times
        scale = float(np.abs(numpy[v]).max())
        np.testing.assert_allclose(compiled[v].values, numpy[v].values, rtol=0, atol=1e-7 * scale, err_msg=v)


@needs_numba
def test_a_compiled_member_does_not_depend_on_its_batch_mates():
    """Each member takes its own steps: alone or next to far-away parameter sets, the same numbers
    (to rounding: the reference steady state comes from a Newton iteration over the whole batch,
    which iterates until every member has converged)."""
    samples = {"K_E2": [5.0, 25.0, 60.0], "gamma_age": [0.0, 0.5, 2.0]}
    batch = remodel.simulate("postmenopausal_woman", ARMS, years=2, samples=samples)
    for i in range(3):
        alone = remodel.simulate("postmenopausal_woman", ARMS, years=2,
                                 samples={k: v[i: i + 1] for k, v in samples.items()})
        np.testing.assert_allclose(batch["bmd"].isel(sample=i).values, alone["bmd"].isel(sample=0).values,
                                   rtol=1e-12, atol=0)


def test_numpy_engine_batch_agrees_with_single_members_at_a_tight_tolerance():
    """The numpy engine shares steps across the batch (the worst member decides): a member is
    solved at least as accurately as alone, so at rtol 1e-9 batch and single agree to 1e-6."""
    rng = np.random.default_rng(5)
    params = remodel.parameter_set("Remodel2026")
    samples = {k: rng.uniform(*params[k].bounds, 8) for k in ("K_E2", "gamma_age", "kappa_form")}
    kwargs = dict(years=2, output_times=[0, 1, 2], rtol=1e-9, engine="numpy")
    batch = remodel.simulate("perimenopausal_woman", [Therapy("anastrozole")], samples=samples, **kwargs)
    for i in range(8):
        alone = remodel.simulate("perimenopausal_woman", [Therapy("anastrozole")],
                                 samples={k: v[i: i + 1] for k, v in samples.items()}, **kwargs)
        np.testing.assert_allclose(batch["bmd"].isel(sample=i).values, alone["bmd"].isel(sample=0).values,
                                   rtol=1e-6, atol=0)


def test_without_numba_the_numpy_engine_is_the_default(monkeypatch):
    monkeypatch.setattr(remodel.compiled, "AVAILABLE", False)
    calls = []
    integrate = remodel.simulation.integrate
    monkeypatch.setattr(remodel.simulation, "integrate", lambda *a, **k: calls.append(1) or integrate(*a, **k))
    remodel.simulate("postmenopausal_woman", years=1)
    assert calls


def test_only_the_requested_variables_are_computed(monkeypatch):
    ds = remodel.simulate("postmenopausal_woman", [Therapy("anastrozole")], years=1, variables=["bmd", "t_score"])
    assert list(ds.data_vars) == ["bmd", "t_score"]
    monkeypatch.setattr(remodel.model.Model, "outputs", lambda *a: pytest.fail("outputs computed"))
    remodel.simulate("postmenopausal_woman", years=1, variables=["bmd_change"])
    with pytest.raises(ValueError, match="unknown variables"):
        remodel.simulate("postmenopausal_woman", years=1, variables=["bone_density"])


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        remodel.simulate("postmenopausal_woman", years=1, engine="jax")
