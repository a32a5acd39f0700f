"""The calibration workflow: priors for every calibrated parameter, one declaration of every fit
(the joint fit and the blocks fitted alone), and the shipped values are the minimum that
``python -m remodel.calibration`` finds."""

import re
from pathlib import Path

import numpy as np
import pytest

import remodel
from remodel import calibration
from remodel.citations import BIBLIOGRAPHY
from remodel.parameter_sets import remodel2026
from remodel.trials import EXTRA_TARGETS, load_targets, load_trial_scenarios

TARGETS = {row["id"]: row for row in load_targets() + EXTRA_TARGETS}
BLOCKS = [fit for fit in calibration.FITS if fit.name != "joint"]


def test_every_calibrated_parameter_has_a_prior_with_a_basis():
    params = remodel.parameter_set("Remodel2026")
    calibrated = {p.name for p in params.parameters.values() if p.source.startswith("calibrated")}
    assert calibrated == set(calibration.PRIORS)
    for name, prior in calibration.PRIORS.items():
        low, high = params[name].bounds
        assert low < prior.centre < high, name
        cited = [key for key in BIBLIOGRAPHY if key in prior.basis]
        assert cited or prior.basis.startswith("neutral"), f"{name}: prior basis cites no paper: {prior.basis}"


def test_the_fits_hard_constraints_are_the_validation_rules():
    """Every row the fit uses is held within its tolerance and on the observed side of zero, a "no
    change" row (within 0.25 points of zero) near zero, as :mod:`remodel.validation` judges them: the
    penalty is zero for the observed values (zero for "no change") and positive for a simulation that
    validation rejects."""
    fit = calibration.Calibration()
    observed, tolerance = fit.observed, fit.tolerance
    assert {r["id"] for r in fit.rows} >= {"CAL01", "DMAB-OFF", "IBIS2-OFF-TH", "DMAB-CTX1"}
    stable = np.abs(observed) <= remodel.validation.STABLE_BAND
    assert stable.any() and (~stable).any()
    assert not fit.penalties(np.where(stable, 0.0, observed)).any()
    outside = fit.penalties(observed + tolerance)[: len(observed)]
    assert (outside > 0).all()
    # a "no change" row 0.5 below zero (above, if the trial saw a small fall): validation rejects it
    away = np.where(observed < 0, 0.5, -0.5)
    wrong_way = fit.penalties(np.where(stable, away, -0.1 * np.sign(observed)))[len(observed):]
    assert (wrong_way > 0).all()
    # the further from zero a "no change" row of exactly 0 lies, the larger its penalty (validation
    # accepts it only within 0.25 points of zero, so the pull must not stop at any distance)
    zero = np.flatnonzero(observed == 0.0)
    assert zero.size
    near, far = (fit.penalties(np.where(observed == 0.0, s, observed))[len(observed):][zero] for s in (0.5, 1.0))
    assert (far > near).all(), (near, far)


def test_the_fit_does_not_penalise_a_row_at_its_observed_value():
    """A simulation equal to every observation meets every validation rule, so the hard part of the
    fit is zero there."""
    fit = calibration.Calibration()
    penalties = fit.penalties(fit.observed)
    assert not penalties.any(), {fit.rows[i % len(fit.rows)]["id"]: penalties[i] for i in np.flatnonzero(penalties)}


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known gap (issue 12): the joint fit with every trial row and extra target and "
                   "the contract's behaviours as hard constraints (39 values; the men's and the anabolic drugs' "
                   "fitted alone) was last continued after the merges of walking's spine strain, whole-skeleton "
                   "serum markers, the bisphosphonate's recycling onto the resorbing surfaces and the sites' order "
                   "on anti-resorptives: 20 evaluations of all 39 (23.785 -> 23.705), stopped while its steps still "
                   "saved cost, then a restricted fit of 8 denosumab and osteomorph values with theta_OM lowered to "
                   "0.38 (23.061), with one penalised row left outside the stable band (IBIS2-OFF-TH +0.31): "
                   "the shipped values are the best point found, not a minimum; several values (zeta_protein, "
                   "gamma_age, k_r_BP, w_r_BP, lambda_smoke_OB) are determined by their priors alone")
def test_the_shipped_values_are_the_fitted_minimum():
    """The shipped values are where ``python -m remodel.calibration`` stops: one more Gauss-Newton
    step from them (the ``--check`` of the command line) moves no parameter by more than 0.2 %.
    (The full refit, also from the prior centres, takes about 20 minutes on 2 cores: too long for
    every CI run; its result is reported in the closing note of the change that shipped the values.)"""
    fit = calibration.Calibration()
    step = np.expm1(fit.gauss_newton_step(fit.x0))
    moved = {n: f"{c:+.1e}" for n, c in zip(fit.names, step) if abs(c) > 2e-3}
    assert not moved, f"the fit would move {moved}; re-run python -m remodel.calibration --write"


def test_the_fits_are_the_joint_fit_then_the_blocks_each_parameter_in_one():
    """One declaration of every fit (:data:`remodel.calibration.FITS`), the joint fit first: each
    fit's parameters are exactly the values of its block of the parameter set's module, which the
    parameter records read, and no parameter is fitted twice."""
    params = remodel.parameter_set("Remodel2026")
    assert calibration.FITS[0].name == "joint" and calibration.FITS[0].priors is calibration.PRIORS
    names = [n for fit in calibration.FITS for n in fit.priors]
    assert len(names) == len(set(names)), "a parameter in two fits"
    for fit in calibration.FITS:
        block = getattr(remodel2026, fit.block)
        assert set(fit.priors) == set(block), fit.name
        for name, value in block.items():
            assert params[name].value == value, f"{name} does not read {fit.block}"
    assert len({fit.block for fit in calibration.FITS}) == len(calibration.FITS)


@pytest.mark.parametrize("fit", BLOCKS, ids=lambda fit: fit.name)
def test_a_blocks_parameters_have_priors_bounds_and_a_source_naming_its_rows(fit):
    """As for the joint fit's: each parameter of a block has a prior centre within its bounds with a
    cited or neutral basis, and bounds from its record (finite, positive upper bound: the fit is in
    ln p) with a source that cites a paper and says which of the block's rows it was fitted to."""
    params = remodel.parameter_set("Remodel2026")
    for name, prior in fit.priors.items():
        record = params[name]
        low, high = record.bounds
        assert 0 <= low <= record.value <= high < np.inf, name  # a fit may end at a bound
        assert low <= prior.centre <= high, name
        assert any(key in prior.basis for key in BIBLIOGRAPHY) or prior.basis.startswith("neutral"), name
        assert record.source.split(";")[0] in BIBLIOGRAPHY, f"{name}: {record.source}"
        assert "fitted alone" in record.source and f"(fit '{fit.name}')" in record.source, f"{name}: {record.source}"
        named = set(re.findall(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b|\bCAL\d\d\b", record.source))
        assert named and named <= set(fit.rows), f"{name}: rows {sorted(named - set(fit.rows))} not in its fit"


def test_every_parameter_fitted_alone_is_in_a_block():
    params = remodel.parameter_set("Remodel2026")
    alone = {name for name, record in params.parameters.items() if "fitted alone" in record.source}
    assert alone == {name for fit in BLOCKS for name in fit.priors}


def test_the_blocks_rows_are_targets_and_the_joint_fit_leaves_the_drug_blocks_rows_out():
    """Every row a block names is a target, in one block only. A drug block's rows are exactly the
    targets whose scenarios take its drugs, and the joint fit uses none of them; the men's block has
    no drugs: the joint fit reads its rows too, with the men's values fixed."""
    all_scenarios = load_trial_scenarios(list(TARGETS.values()))
    joint = {row["id"] for row in calibration.Calibration().rows}
    assert joint and all(fit.rows for fit in BLOCKS)
    rows = [i for fit in BLOCKS for i in fit.rows]
    assert len(rows) == len(set(rows)) and set(rows) <= set(TARGETS), sorted(set(rows) - set(TARGETS))
    for fit in BLOCKS:
        if fit.drugs:
            takes = {i for i, s in all_scenarios.items()
                     if any(t.drug in fit.drugs for regimen in s.arms.values() for t in regimen.therapies)}
            assert takes == set(fit.rows), fit.name
            assert not joint & set(fit.rows), fit.name
        else:
            assert set(fit.rows) <= joint, fit.name
    assert joint | {i for fit in BLOCKS if fit.drugs for i in fit.rows} == set(TARGETS)


NEAR_MINIMUM = ["romosozumab", "pth", "abaloparatide"]


@pytest.mark.parametrize("name", NEAR_MINIMUM)
def test_a_blocks_cost_is_its_own_rows_and_priors_and_the_shipped_values_near_its_minimum(name):
    """A block's residuals are its own rows (in tolerance units), their penalties, those of its
    behaviours (romosozumab's) and its priors, so
    its Jacobian moves every row with at least one of its parameters and every parameter moves one
    of its rows; and the shipped values are near the minimum of that cost: one Gauss-Newton step
    moves no parameter by more than 5 % (before the blocks were refitted by this fit, the
    abaloparatide block, whose values had been fitted to other rows, would have moved pi_abl by
    +315 %). (The men's block is not here: its n_E2_male is at its upper bound, where a Gauss-Newton
    step, blind to bounds, moves it 14 %; its fit after the last joint refit took 16 evaluations,
    cost 5.229 -> 5.206, too long for every CI run.)"""
    fit = calibration.Calibration(fit=name)
    assert [row["id"] for row in fit.rows] == list(calibration.FITS_BY_NAME[name].rows)
    r, jac, sims, _ = fit.evaluate(fit.x0)
    n = len(fit.rows)
    assert np.allclose(r[:n], (sims - fit.observed) / fit.tolerance)
    assert np.allclose(r[-len(fit.names):], (fit.x0 - fit.prior) / calibration.PRIOR_SIGMA)
    # residuals, penalties outside tolerance and of direction, the block's behaviours' penalties, priors
    assert len(r) == 3 * n + len(fit.spec.behaviours) + len(fit.names)
    sensitivity = np.abs(jac[:n])
    assert (sensitivity.max(axis=0) > 0.01).all() and (sensitivity.max(axis=1) > 0.01).all()
    step = np.expm1(fit.gauss_newton_step(fit.x0))
    moved = {p: f"{s:+.1e}" for p, s in zip(fit.names, step) if abs(s) > 0.05}
    assert not moved, f"the fit would move {moved}; re-run python -m remodel.calibration --fit {name}"


def test_the_posterior_deviation_is_at_most_the_priors_and_the_step_saves_cost():
    """Laplace approximation of :meth:`~remodel.calibration.Calibration.local_minimum`: the targets can
    only add information to the priors, so no posterior standard deviation (in ``ln p``) exceeds
    :data:`~remodel.calibration.PRIOR_SIGMA`, and a Gauss-Newton step never raises the linearised cost."""
    fit = calibration.Calibration(fit="romosozumab")
    step, saving, sd = fit.local_minimum(fit.x0)
    assert saving >= 0.0
    assert (sd <= calibration.PRIOR_SIGMA * (1 + 1e-9)).all() and (sd > 0).all()
    assert np.allclose(step, fit.gauss_newton_step(fit.x0))


def test_a_block_refitted_from_its_priors_returns_the_shipped_values():
    """``python -m remodel.calibration --fit romosozumab --from-priors`` returns the shipped values
    within 5 % (measured since its site ratios and the waning of its formation response became hard
    constraints of the fit: 62 evaluations to cost 6.387, the minimum that the fit from the shipped
    values reaches, within 0.1 % of the shipped values; 40 evaluations left nu_RANKL_Scl 8.9 % away;
    the men's block, too long for every CI run, is not checked here)."""
    values = calibration.calibrate(fit="romosozumab", verbose=False, from_priors=True, max_nfev=80)
    shipped = remodel2026.ROMOSOZUMAB
    off = {n: f"{v / shipped[n] - 1:+.1%}" for n, v in values.items() if abs(v / shipped[n] - 1) > 0.05}
    assert not off, f"the fit from the priors ends away from the shipped values: {off}"


def test_writing_a_fit_rewrites_its_block_only(tmp_path):
    """``--write`` of a fit rewrites the values of its block of the parameter set's module: the
    shipped values written back leave the file as it is, a new value changes its line alone, and a
    value of another fit is refused."""
    path = tmp_path / "remodel2026.py"
    text = Path(remodel2026.__file__).read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    for fit in calibration.FITS:
        calibration.write_calibrated(getattr(remodel2026, fit.block), fit.block, path=path)
    assert path.read_text(encoding="utf-8") == text
    calibration.write_calibrated({"E_OB_rmab": 2.5}, "ROMOSOZUMAB", path=path)
    changed = [(a, b) for a, b in zip(text.splitlines(), path.read_text(encoding="utf-8").splitlines()) if a != b]
    assert changed == [(f'    "E_OB_rmab": {remodel2026.ROMOSOZUMAB["E_OB_rmab"]!r},', '    "E_OB_rmab": 2.5,')]
    with pytest.raises(ValueError, match="K_E2"):
        calibration.write_calibrated({"K_E2": 10.0}, "ROMOSOZUMAB", path=path)
