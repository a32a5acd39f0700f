"""remodel: a mechanistic simulator of bone remodelling and bone mineral density.

Public API
----------
simulate                     simulate a population under one regimen or several arms -> xarray.Dataset
Population                   who is simulated; POPULATIONS / population(name) for built-ins
Therapy, DRUGS               drugs with start and stop times (and dosing intervals), the supported drugs
Regimen                      one arm: therapies, Exercise programmes, Disuse, Nutrition, Supplement, Habits, WeightChange
load_scenario, run_scenario  scenario files (TOML): Scenario, ScenarioError, ScenarioWarning
simulate_cohort, summarize   virtual patients with inter-individual spread (remodel.cohort)
validate                     simulated vs observed clinical trial arms (remodel.validation)
parameter_set                published and project parameter sets by name (Lemaire2004, Pivonka2008, Remodel2026)
SolverError                  raised when the model cannot be solved

Sweeps and sensitivity analysis live in :mod:`remodel.sweep` and :mod:`remodel.sensitivity`;
plots in :mod:`remodel.plotting`. Every name is imported on first use (``remodel.sweep.sweep(...)``
works after ``import remodel``), so that importing remodel imports neither numba, xarray,
matplotlib nor SALib until they are needed.
"""

import importlib

#: Public name -> the module that defines it. Imported on first use (PEP 562), so that the command
#: line imports only what a command needs: ``remodel --help`` and ``remodel list`` import neither
#: numba nor xarray.
_PUBLIC = {
    "simulate_cohort": "cohort", "summarize": "cohort",
    "Parameter": "parameters", "ParameterSet": "parameters", "parameter_set": "parameters",
    "parameter_set_names": "parameters",
    "POPULATIONS": "populations", "SITES": "populations", "Population": "populations", "population": "populations",
    "EXERCISE_MODALITIES": "regimen", "Disuse": "regimen", "Exercise": "regimen", "Habits": "regimen", "Nutrition": "regimen",
    "Regimen": "regimen", "Supplement": "regimen", "WeightChange": "regimen",
    "run_scenario": "runner",
    "Scenario": "scenario", "ScenarioError": "scenario", "ScenarioWarning": "scenario", "load_scenario": "scenario",
    "model_version": "simulation", "simulate": "simulation",
    "SolverError": "solvers",
    "DRUGS": "therapies", "Therapy": "therapies",
    "validate": "validation",
}
#: Subpackages imported on first attribute access.
_LAZY_SUBMODULES = ("plotting", "sensitivity", "sweep")


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC) | set(_LAZY_SUBMODULES))


__all__ = [
    "DRUGS",
    "EXERCISE_MODALITIES",
    "POPULATIONS",
    "SITES",
    "Disuse",
    "Exercise",
    "Habits",
    "Nutrition",
    "Parameter",
    "ParameterSet",
    "Population",
    "Regimen",
    "Scenario",
    "ScenarioError",
    "ScenarioWarning",
    "SolverError",
    "Supplement",
    "Therapy",
    "WeightChange",
    "load_scenario",
    "model_version",
    "parameter_set",
    "parameter_set_names",
    "population",
    "run_scenario",
    "simulate",
    "simulate_cohort",
    "summarize",
    "validate",
]
