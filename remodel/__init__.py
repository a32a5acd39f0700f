"""remodel: a mechanistic simulator of bone remodelling and bone mineral density.

Public API
----------
simulate            simulate a population under therapies -> xarray.Dataset
Population          who is simulated; POPULATIONS / population(name) for built-ins
Therapy, DRUGS      drugs with start and stop times, and the supported drugs
Regimen             one arm: therapies, Exercise programmes, Nutrition, Supplement, Habits
parameter_set       published and project parameter sets by name (Lemaire2004, Pivonka2008, Remodel2026)
SolverError         raised when the model cannot be solved
"""

from .parameters import Parameter, ParameterSet, parameter_set, parameter_set_names
from .populations import POPULATIONS, SITES, Population, population
from .regimen import EXERCISE_MODALITIES, Exercise, Habits, Nutrition, Regimen, Supplement
from .scenario import Scenario, ScenarioError, ScenarioWarning, load_scenario, run_scenario
from .simulation import model_version, simulate
from .solver import SolverError
from .therapies import DRUGS, Therapy

__all__ = [
    "DRUGS",
    "EXERCISE_MODALITIES",
    "Exercise",
    "Habits",
    "Nutrition",
    "Regimen",
    "Supplement",
    "POPULATIONS",
    "SITES",
    "Parameter",
    "ParameterSet",
    "Population",
    "Scenario",
    "ScenarioError",
    "ScenarioWarning",
    "SolverError",
    "Therapy",
    "model_version",
    "parameter_set",
    "parameter_set_names",
    "population",
    "load_scenario",
    "run_scenario",
    "simulate",
]
