"""Regression: a parameter set whose skeleton collapses returned BMD of 1e38 g/cm2 in a sweep.

Found in a random sweep over the plausible bounds of K_E2, lambda_RANKL_E, gamma_age and
kappa_form (benchmarks/run.py): with almost no mechanostat response (kappa_form 0.04) and fast
ageing (gamma_age 0.04) the matrix volume fell below the osteoid volume, where the mineral
equation divides by the mineralised matrix, and the member came back with BMD 2e38 instead of
failing. Such a member must fail (SolverError; NaN and flagged with on_error="nan")."""

import numpy as np
import pytest

import remodel

COLLAPSING = {"K_E2": [25.0], "lambda_RANKL_E": [10.0], "gamma_age": [0.03], "kappa_form": [0.02]}
SOUND = {k: [remodel.parameter_set("Remodel2026")[k].value] for k in COLLAPSING}


def test_a_collapsing_skeleton_fails_instead_of_returning_numbers():
    """Whether the integrator gives up first or the bone check catches it depends on the calibrated
    values; either way the member fails."""
    with pytest.raises(remodel.SolverError, match="collapsed|integration failed"):
        remodel.simulate("postmenopausal_woman", (), years=10, samples=COLLAPSING)


def test_the_bone_check_refuses_a_vanished_mineralised_matrix():
    """The guard itself: states whose matrix volume fell to the osteoid volume raise (or, asked
    not to, flag the member)."""
    from remodel.model import SITE_STATES, Model, batch_parameters
    from remodel.simulation import _collapsed

    model = Model(remodel.population("postmenopausal_woman"), [remodel.Regimen()],
                  batch_parameters(remodel.parameter_set("Remodel2026")))
    Y = np.repeat(model.reference_state_vector()[None], 3, axis=0)  # (time, state, member)
    assert not _collapsed(model, Y, raise_error=True).any()  # sound bone passes
    site = model.split(Y)[0]
    site[-1, SITE_STATES.index("V")] = site[-1, SITE_STATES.index("O")]
    with pytest.raises(remodel.SolverError, match="collapsed"):
        _collapsed(model, Y, raise_error=True)
    assert _collapsed(model, Y, raise_error=False).tolist() == [True]


def test_simulate_gives_it_nan_and_flags_it_when_asked_and_its_batch_mates_are_unchanged():
    samples = {k: SOUND[k] + COLLAPSING[k] for k in COLLAPSING}
    kwargs = dict(years=10, output_times=[0, 5, 10])
    ds = remodel.simulate("postmenopausal_woman", {"untreated": ()}, samples=samples, on_error="nan", **kwargs)
    assert ds["solver_failed"].values.tolist() == [[False], [True]]
    assert np.all(np.isnan(ds["bmd"].isel(sample=1).values))
    alone = remodel.simulate("postmenopausal_woman", {"untreated": ()}, samples={k: v[:1] for k, v in samples.items()},
                             **kwargs)
    np.testing.assert_array_equal(ds["bmd"].isel(sample=[0]).values, alone["bmd"].values)


def test_in_a_sweep_it_is_nan_and_flagged_while_its_neighbours_are_solved():
    grid = {k: SOUND[k] + COLLAPSING[k] for k in COLLAPSING}
    ds = remodel.sweep.sweep("postmenopausal_woman", (), design=grid, years=10,
                             output_times=[0, 10], variables=["bmd"], on_error="nan", progress=False)
    np.testing.assert_array_equal(ds["solver_failed"].values.ravel()[:2], [False, True])
    assert np.all(np.isfinite(ds["bmd"].isel(sample=0).values))
    assert np.all(np.isnan(ds["bmd"].isel(sample=1).values))
