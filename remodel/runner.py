"""Running a scenario: every arm of a :class:`~remodel.scenario.Scenario` simulated in one batch."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .scenario import Scenario
from .simulation import simulate

__all__ = ["run_scenario"]


def run_scenario(scenario: Scenario, *, rtol: float = 1e-7, progress: bool = False):
    """Simulate every arm of ``scenario`` (one batch) and return the Dataset of :func:`remodel.simulate`
    (``progress``: a progress bar on stderr for long runs) with an ``arm`` dimension and the scenario recorded in its attributes (``scenario`` verbatim,
    ``scenario_file``, ``scenario_title``, ``scenario_description``, ``report_years``).

    Raises
    ------
    remodel.SolverError
        If the model cannot be solved.
    """
    ds = simulate(scenario.population, dict(scenario.arms), years=scenario.years,
                  output_times=np.asarray(scenario.output_times), parameters=scenario.parameter_set, rtol=rtol,
                  progress=progress)
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
