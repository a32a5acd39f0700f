"""Shared set-up of the benchmarks: one scenario family, measured the same way by every method."""

from __future__ import annotations

import numpy as np

import remodel
from remodel.model import DAYS_PER_YEAR, Model, batch_parameters
from remodel.model.physiology import site
from remodel.model.sites import SITES
from remodel.populations import REFERENCE_AGE

POPULATION = "postmenopausal_woman"
YEARS = 10.0
MONTHLY = np.arange(0.0, YEARS + 1e-9, 1.0 / 12.0)
RTOL = 1e-6  # the tolerance of the issue-7 acceptance figures
#: Parameters drawn per scenario (within their plausible bounds).
SWEPT = ("K_E2", "lambda_RANKL_E", "gamma_age", "kappa_form")


def draw(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """``n`` parameter sets of :data:`SWEPT`, log-uniform within a factor of 2 of the Remodel2026
    values and within their bounds (the corners of the bounds include skeletons that collapse within
    the 50-year history, which the model reports as an error)."""
    params = remodel.parameter_set("Remodel2026")
    rng = np.random.default_rng(seed)
    return {k: np.clip(params[k].value * 2.0 ** rng.uniform(-1.0, 1.0, n), *params[k].bounds) for k in SWEPT}


def loop_member(samples: dict[str, np.ndarray], i: int, method: str):
    """Scenario ``i`` alone with ``solve_ivp(method)`` on :meth:`remodel.model.Model.rhs` (one member):
    the history from age 30 to the start, then 10 years with monthly output. Returns lumbar-spine
    mineral (the BMD state) at the monthly times."""
    from scipy.integrate import solve_ivp

    pop = remodel.population(POPULATION)
    p = batch_parameters(remodel.parameter_set("Remodel2026"), {k: v[i] for k, v in samples.items()}, n=1)
    model = Model(pop, [remodel.Regimen()], p)
    y = model.reference_state_vector()
    atol = ((np.abs(y) + model.assembly.state_scale()[:, None]) * RTOL * 1e-3).reshape(-1)
    t_history = (REFERENCE_AGE - pop.age) * DAYS_PER_YEAR
    history = solve_ivp(model.rhs, (t_history, 0.0), y.reshape(-1), method=method, rtol=RTOL, atol=atol)
    if not history.success:
        raise RuntimeError(f"{method}: {history.message}")
    t_eval = MONTHLY * DAYS_PER_YEAR
    sol = solve_ivp(model.rhs, (0.0, t_eval[-1]), history.y[:, -1], method=method, t_eval=t_eval, rtol=RTOL, atol=atol)
    if not sol.success:
        raise RuntimeError(f"{method}: {sol.message}")
    mineral_lumbar = [s.symbol for s in site.STATES].index("M") * len(SITES)  # state M at site 0 (state-major)
    return sol.y[mineral_lumbar], sol.nfev + history.nfev
