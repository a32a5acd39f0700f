"""The calibration workflow: priors for every calibrated parameter, and the shipped values are the
minimum that re-running ``python -m remodel.calibration`` returns."""

import numpy as np

import remodel
from remodel import calibration
from remodel.citations import BIBLIOGRAPHY


def test_every_calibrated_parameter_has_a_prior_with_a_basis():
    params = remodel.parameter_set("Remodel2026")
    calibrated = {p.name for p in params.parameters.values() if p.source.startswith("calibrated")}
    assert calibrated == set(calibration.PRIORS)
    for name, prior in calibration.PRIORS.items():
        low, high = params[name].bounds
        assert low < prior.centre < high, name
        cited = [key for key in BIBLIOGRAPHY if key in prior.basis]
        assert cited or prior.basis.startswith("neutral"), f"{name}: prior basis cites no paper: {prior.basis}"


def test_shipped_values_are_the_calibration_minimum():
    """One Gauss-Newton step of the calibration objective from the shipped values moves no parameter
    by more than 5e-4 relative: re-running the fit reproduces them to 3 significant figures."""
    fit = calibration.Calibration()
    step = np.expm1(fit.gauss_newton_step(fit.x0))
    moved = {n: f"{s:+.1e}" for n, s in zip(fit.names, step) if abs(s) > 5e-4}
    assert not moved, f"the fit would move {moved}; re-run python -m remodel.calibration --write"
