"""Scenario files: a population, a simulation horizon and arms of therapies and lifestyle, in TOML.

A scenario file is read by :mod:`~remodel.scenario.reader` (with the standard library's
:mod:`tomllib`), validated by the pydantic models of :mod:`~remodel.scenario.schema` (with the
clinical rules of :mod:`~remodel.scenario.rules`) and turned into a :class:`Scenario`;
:func:`remodel.runner.run_scenario` simulates it. Every problem in a file raises one
:class:`ScenarioError` (:mod:`~remodel.scenario.errors`) whose message is a single line::

    <file>: <key.path>: <problem>; allowed: <what>

Format (``schema_version = 1``; units are in the key names; unknown keys are errors)::

    schema_version = 1
    title = "..."
    description = "..."

    [population]                    # a preset, optionally overridden field by field,
    preset = "postmenopausal_woman" # or explicit: sex, age_years, menopause_age_years,
    age_years = 64                  # testosterone_ng_per_dl, weight_kg, height_m
    [population.t_scores]           # optional baseline per site (or [population.bmd_g_per_cm2])
    lumbar_spine = -1.2

    [simulation]
    years = 5                       # horizon, 0.1 to 100
    output_step_months = 1          # or output_years = [0, 0.5, 1, ...]
    parameter_set = "Remodel2026"
    report_years = [1, 2, 5]        # years tabulated by ``remodel compare``
    patients = 1000                 # optional: each arm a cohort of virtual patients
    seed = 0                        # of the patients and the DXA measurement errors

    [fracture_risk]                 # optional: fracture probabilities (remodel.clinical.fracture)
    prior_fracture = false          # also family_history_hip_fracture, oral_glucocorticoids (risk
    fall_rate_ratio = 1.0           # factors of aibl_algorithm rules: true/false, or a cohort's share)

    [[arms]]
    name = "anastrozole"
    [[arms.therapies]]
    drug = "anastrozole"
    dose_mg_per_day = 1             # dose key named after the drug's units, see dose_key()
    start_year = 0                  # negative: therapy history before the start
    stop_year = 5
    [[arms.exercise]]               # fields of remodel.Exercise
    [[arms.disuse]]                 # immobilisation, bed rest: fields of remodel.Disuse
    [arms.nutrition]                # fields of remodel.Nutrition (usual diet)
    [[arms.supplements]]            # fields of remodel.Supplement
    [arms.habits]                   # fields of remodel.Habits
    [arms.weight]                   # a weight change, kept afterwards: change_kg (negative: a loss),
                                    # start_year (negative: a weight history), over_years
    [arms.monitoring]               # DXA scans: interval_months, start_year
    [[arms.rules]]                  # rules evaluated in this order at each visit ([arms.rule]: one);
    action = "start"                # start: t_score_below, significant_loss, after_fracture,
    [arms.rules.therapy]            # aibl_algorithm (any of them), site, duration_years, repeat, therapy;
                                    # stop: drug, t_score_above and/or after_years
                                    # (remodel.clinical.pathway)

    [[factorial.<factor name>]]     # one table per level: name + any arm items;
    name = "..."                    # arms = every combination of one level per factor,
                                    # named "level + level + ...", after the explicit arms

    [[mixes]]                       # one more arm: a stated mix of arms (remodel.mixture)
    name = "real world"
    [mixes.shares]                  # arm name = share of patients, adding up to 1
"""

from .errors import ScenarioError
from .reader import Scenario, ScenarioWarning, load_scenario, parse_scenario
from .schema import DAYS_PER_MONTH, MAX_ARMS, MAX_YEARS, SCHEMA_VERSION, dose_key

__all__ = [
    "DAYS_PER_MONTH",
    "MAX_ARMS",
    "MAX_YEARS",
    "SCHEMA_VERSION",
    "Scenario",
    "ScenarioError",
    "ScenarioWarning",
    "dose_key",
    "load_scenario",
    "parse_scenario",
]
