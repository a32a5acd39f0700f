"""Calibration: fit the calibrated parameters of Remodel2026 to the clinical trial table.

Run ``python -m remodel.calibration`` to re-derive the shipped values (add ``--write`` to store
them in ``remodel/parameter_sets/remodel2026.py``). Each stage fits a few parameters to the rows
that inform them, holding the parameters of earlier stages fixed; the fit is a bounded
least-squares problem in log-parameters (:func:`scipy.optimize.least_squares`, trust-region
reflective) whose Jacobian is computed by forward differences in one batched simulation.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from .parameter_sets import remodel2026
from .parameters import parameter_set
from .trials import EXTRA_TARGETS, load_targets, simulated_values

__all__ = ["Stage", "STAGES", "fit_stage", "calibrate"]


@dataclass(frozen=True)
class Stage:
    """Parameters fitted together and the trial rows that inform them."""

    name: str
    parameters: tuple[str, ...]
    rows: tuple[str, ...]


STAGES = (
    Stage(
        "estradiol",
        ("K_E2", "eps_tamoxifen", "lambda_A", "f_E2_direct", "gamma_age",
         "kappa_form", "rho_lumbar_spine", "rho_total_hip", "rho_femoral_neck"),
        ("CAL01", "CAL02", "CAL03", "CAL04", "CAL05", "CAL06", "CAL07", "CAL08", "CAL09", "CAL24", "CAL25", "CAL26",
         "MEN-AI"),
    ),
    Stage(
        "drugs-lifestyle",
        ("eta_PTH", "zeta_protein", "lambda_smoke", "H_habitual", "k_sec",
         "E_max_BP", "EC50_BP", "chi_den", "k_phi"),
        ("CAL10", "CAL11", "CAL12", "CAL13", "CAL14", "CAL15", "CAL16", "CAL17", "CAL18", "CAL19", "CAL20",
         "CAL21", "CAL22", "CAL23", "DMAB-OFF", "ZOL-CTX"),
    ),
)


def fit_stage(stage: Stage, base, *, verbose=True):
    """Fit one stage starting from parameter set ``base``; returns ``(values, rows, simulated)``."""
    rows = [r for r in load_targets() + EXTRA_TARGETS if r["id"] in stage.rows]
    observed = np.array([r["value"] for r in rows])
    names = list(stage.parameters)
    lower = np.log([max(base[n].bounds[0], 1e-6) for n in names])
    upper = np.log([base[n].bounds[1] for n in names])
    step = 1e-4

    def simulate_many(x_list):
        values = np.exp(np.asarray(x_list))
        return simulated_values(rows, base, samples={n: values[:, j] for j, n in enumerate(names)}, rtol=1e-9)

    cache = {}

    def evaluate(x):
        key = tuple(x)
        if key not in cache:
            perturbed = [x] + [x + step * np.eye(len(x))[j] for j in range(len(x))]
            sims = simulate_many(perturbed)
            cache.clear()
            cache[key] = (sims[0] - observed, (sims[1:] - sims[0]).T / step)
            if verbose:
                rms = np.sqrt(np.mean(cache[key][0] ** 2))
                print(f"  rms {rms:.3f}  " + " ".join(f"{n}={v:.4g}" for n, v in zip(names, np.exp(x))), flush=True)
        return cache[key]

    x0 = np.clip(np.log([base[n].value for n in names]), lower + 1e-9, upper - 1e-9)
    result = least_squares(lambda x: evaluate(x)[0], x0, jac=lambda x: evaluate(x)[1],
                           bounds=(lower, upper), x_scale=1.0, xtol=1e-8, ftol=1e-8, max_nfev=60)
    if verbose:
        print(f"  least_squares: {result.message} ({result.nfev} evaluations)")
    values = dict(zip(names, np.exp(result.x)))
    return values, rows, observed + result.fun


def calibrate(stages=STAGES, verbose=True):
    """Run the stages in order; returns the fitted values of their parameters."""
    params = parameter_set("Remodel2026")
    fitted = {}
    for stage in stages:
        if verbose:
            print(f"stage {stage.name}: {', '.join(stage.parameters)}")
        values, rows, simulated = fit_stage(stage, params, verbose=verbose)
        params = params.updated(params.name, **values)
        fitted.update(values)
        if verbose:
            for row, sim in zip(rows, simulated):
                print(f"  {row['id']} {row['site']:<13} observed {row['value']:6.2f}  simulated {sim:6.2f}")
    return fitted


def write_calibrated(values, path=Path(remodel2026.__file__)):
    """Update the ``CALIBRATED`` block of the Remodel2026 module with ``values`` (6 s.f.)."""
    text = path.read_text(encoding="utf-8")
    values = {**remodel2026.CALIBRATED, **values}
    body = "".join(f'    "{k}": {float(f"{v:.6g}")!r},\n' for k, v in values.items())
    new, count = re.subn(r"CALIBRATED = \{\n.*?\n\}", "CALIBRATED = {\n" + body + "}", text, flags=re.S)
    if count != 1:
        raise RuntimeError(f"no CALIBRATED block found in {path}")
    path.write_text(new, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m remodel.calibration", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the fitted values in the Remodel2026 set")
    parser.add_argument("--stage", choices=[s.name for s in STAGES], action="append",
                        help="fit only this stage (repeatable); default: all, in order")
    args = parser.parse_args(argv)
    values = calibrate([s for s in STAGES if args.stage is None or s.name in args.stage])
    print("fitted values:")
    for k, v in values.items():
        print(f"  {k} = {v:.6g}")
    if args.write:
        write_calibrated(values)
        print(f"written to {remodel2026.__file__}")


if __name__ == "__main__":
    main()
