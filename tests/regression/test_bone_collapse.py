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
    with pytest.raises(remodel.SolverError, match="collapsed"):
        remodel.simulate("postmenopausal_woman", (), years=10, samples=COLLAPSING)


def test_in_a_sweep_it_is_nan_and_flagged_while_its_neighbours_are_solved():
    grid = {k: SOUND[k] + COLLAPSING[k] for k in COLLAPSING}
    ds = remodel.sweep.sweep("postmenopausal_woman", (), design=grid, years=10,
                             output_times=[0, 10], variables=["bmd"], on_error="nan", progress=False)
    np.testing.assert_array_equal(ds["solver_failed"].values.ravel()[:2], [False, True])
    assert np.all(np.isfinite(ds["bmd"].isel(sample=0).values))
    assert np.all(np.isnan(ds["bmd"].isel(sample=1).values))
