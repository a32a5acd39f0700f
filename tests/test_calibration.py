"""The calibration workflow: priors for every calibrated parameter, and re-running
``python -m remodel.calibration`` returns the shipped values."""

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


def test_refitting_from_the_prior_centres_returns_the_shipped_values():
    """Re-running the calibration, here from an independent start (the prior centres, not the
    shipped values), reproduces every shipped value to 3 significant figures (relative 5e-4)."""
    fit = calibration.Calibration()
    result = fit.fit(fit.prior)
    change = np.exp(result.x - fit.x0) - 1
    moved = {n: f"{c:+.1e}" for n, c in zip(fit.names, change) if abs(c) > 5e-4}
    assert result.success and not moved, f"the fit returns other values {moved}; re-run python -m remodel.calibration --write"
