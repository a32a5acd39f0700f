"""Running a scenario: every arm of a :class:`~remodel.scenario.Scenario` simulated in one batch."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .citations import references as formatted
from .clinical.fracture import FRACTURE_CITATIONS, fracture_variables
from .clinical.pathway import AIBL_CITATIONS, TreatmentRule, run_pathways
from .mixture import mix_arms
from .regimen import Regimen
from .scenario import Scenario
from .simulation import references, simulate

__all__ = ["run_scenario", "scenario_references"]


def scenario_references(scenario: Scenario) -> list[str]:
    """Formatted references a run of ``scenario`` relies on, without simulating: those of
    :func:`remodel.simulation.references` for its arms and the therapies its rules may start, the
    DXA precision error of its scans, the fracture model and the algorithm for aromatase-inhibitor
    bone loss of its rules."""
    arms = dict(scenario.arms)
    arms.update({f"{name} (rule {k})": Regimen(therapies=(rule.therapy,))
                 for name, pathway in scenario.pathways.items() for k, rule in enumerate(pathway.rules)
                 if isinstance(rule, TreatmentRule)})
    rules = [rule for pathway in scenario.pathways.values() for rule in pathway.rules]
    keys = (["Baim2005"] if scenario.pathways else []) + (list(FRACTURE_CITATIONS) if scenario.fracture else []) \
        + (list(AIBL_CITATIONS) if any(getattr(rule, "aibl_algorithm", False) for rule in rules) else [])
    found = references(arms, scenario.parameter_set)
    return found + [r for r in formatted(keys) if r not in found]


def run_scenario(scenario: Scenario, *, rtol: float = 1e-7, progress: bool = False):
    """Simulate every arm of ``scenario`` (one batch) and return the Dataset of :func:`remodel.simulate`
    (``progress``: a progress bar on stderr for long runs) with an ``arm`` dimension and the scenario recorded in its attributes (``scenario`` verbatim,
    ``scenario_file``, ``scenario_title``, ``scenario_description``, ``report_years``).

    With ``[simulation] patients``, each arm is a cohort (:func:`remodel.simulate_cohort`, a
    ``patient`` dimension); arms with DXA monitoring or a treatment rule gain the scan variables of
    :func:`remodel.clinical.pathway.run_pathways`; a ``[fracture_risk]`` table adds the fracture
    probabilities of :func:`remodel.clinical.fracture.fracture_variables`; ``[[mixes]]`` are added as
    arms after them (:func:`remodel.mixture.mix_arms`).

    Raises
    ------
    remodel.SolverError
        If the model cannot be solved.
    """
    options = dict(years=scenario.years, output_times=np.asarray(scenario.output_times),
                   parameters=scenario.parameter_set, rtol=rtol, progress=progress)

    def simulate_arms(arms, patients=None):
        if scenario.patients is None:
            return simulate(scenario.population, arms, **options)
        from .cohort import simulate_cohort  # xarray: imported by runs, not by `remodel cite`

        return simulate_cohort(scenario.population, arms, scenario.patients, seed=scenario.seed, members=patients,
                               **options)

    ds = run_pathways(simulate_arms, dict(scenario.arms), scenario.pathways, scenario.years,
                      scenario.population, scenario.seed, scenario.fracture)
    if scenario.fracture is not None:
        ds = ds.assign(fracture_variables(ds, scenario.population.sex, scenario.fracture, scenario.arms,
                                          scenario.seed))
    ds = mix_arms(ds, scenario.mixtures, scenario.seed)
    ds.attrs["references"] = "\n".join(scenario_references(scenario))
    ds.attrs.update(
        title=f"{scenario.title} (remodel scenario)",
        scenario_title=scenario.title,
        scenario_description=scenario.description,
        scenario_file=Path(scenario.source).name,
        scenario_schema_version=scenario.schema_version,
        scenario=scenario.text,
        report_years=np.asarray(scenario.report_years, dtype=float),
    )
    return ds
