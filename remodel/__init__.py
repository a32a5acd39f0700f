"""remodel: a mechanistic simulator of bone remodelling and bone mineral density.

Public API
----------
simulate                     simulate a population under one regimen or several arms -> xarray.Dataset
Population                   who is simulated; POPULATIONS / population(name) for built-ins
Therapy, DRUGS               drugs with start and stop times (and dosing intervals), the supported drugs
Regimen                      one arm: therapies, Exercise programmes, Nutrition, Supplement, Habits
load_scenario, run_scenario  scenario files (TOML): Scenario, ScenarioError, ScenarioWarning
simulate_cohort, summarize   virtual patients with inter-individual spread (remodel.cohort)
validate                     simulated vs observed clinical trial arms (remodel.validation)
parameter_set                published and project parameter sets by name (Lemaire2004, Pivonka2008, Remodel2026)
SolverError                  raised when the model cannot be solved

Sweeps and sensitivity analysis live in :mod:`remodel.sweep` and :mod:`remodel.sensitivity`;
plots in :mod:`remodel.plotting`. They are imported on first use (``remodel.sweep.sweep(...)``
works after ``import remodel``), so that importing remodel does not import matplotlib or SALib.
"""

import importlib

from .cohort import simulate_cohort, summarize
from .parameters import Parameter, ParameterSet, parameter_set, parameter_set_names
from .populations import POPULATIONS, SITES, Population, population
from .regimen import EXERCISE_MODALITIES, Exercise, Habits, Nutrition, Regimen, Supplement
from .runner import run_scenario
from .scenario import Scenario, ScenarioError, ScenarioWarning, load_scenario
from .simulation import model_version, simulate
from .solvers import SolverError
from .therapies import DRUGS, Therapy
from .validation import validate

#: Subpackages imported on first attribute access.
_LAZY_SUBMODULES = ("plotting", "sensitivity", "sweep")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DRUGS",
    "EXERCISE_MODALITIES",
    "POPULATIONS",
    "SITES",
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
