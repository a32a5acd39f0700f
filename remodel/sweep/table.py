"""The ``[sweep]`` table of a scenario file: its schema (:class:`SweepTable`, a table model of the
scenario schema) and the :class:`SweepSpec` it becomes.

Schema (units in key names as elsewhere; unknown keys are errors)::

    [sweep]
    design = "sobol"             # grid | random | lhs | sobol
    n = 256                      # points of a sampled design (sobol: a power of two)
    seed = 0
    chunk_size = 256
    arm = "anastrozole"          # one arm of the scenario (default: all arms)
    variables = ["bmd_change"]   # kept in the result (default bmd_change)
    sites = ["lumbar_spine"]     # default all
    output_years = [0, 1, 5]     # default the scenario's output times
    rtol = 1e-7                  # relative tolerance of the integrator
    analysis = "sobol"           # optional: sobol | morris sensitivity of the output below
    output = "bmd_change"        # scalar output of the analysis: variable, site and year
    site = "lumbar_spine"
    year = 5
    levels = 4                   # Morris grid levels
    [sweep.parameters]           # sampled designs and analyses: [low, high] ([] = own bounds);
    K_E2 = [10, 40]              # grid: the values, e.g. [10, 20, 40]
    gamma_age = []

With ``analysis``, the design is the analysis' own (Saltelli for Sobol, trajectories for Morris,
with ``n`` base samples or trajectories) and ``design`` must be left out. The table is validated
with the rest of the file by :func:`remodel.scenario.load_scenario` (the scenario schema calls
:meth:`SweepTable.resolve`), so its errors are those of the scenario format, one line with the key
path: ``<file>: sweep.<key>: <problem>; allowed: <what>``. This module runs nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from ..parameters import parameter_set
from ..populations import SITES
from ..scenario.errors import rule
from ..scenario.tables import FiniteNumber, Table, number
from .design import DESIGNS
from .errors import SweepError

__all__ = ["MAX_POINTS", "SweepSpec", "SweepTable", "sweep_from_scenario"]

#: Most points of one sweep (a sampled design's n, a grid's product of sizes, an analysis' base samples).
MAX_POINTS = 2**20
#: Most Morris grid levels.
MAX_LEVELS = 64


@functools.cache
def _variables() -> tuple[str, ...]:
    """The variables a simulation can return (imported when a [sweep] table names some)."""
    from ..simulation import _VARIABLES

    return tuple(_VARIABLES)


def _known(values: list[str], known, what: str) -> list[str]:
    """``values`` if non-empty and each in ``known``; else a rule error at the first bad item."""
    if not values:
        raise rule("empty list", f"one or more {what}: {', '.join(known)}")
    for i, value in enumerate(values):
        if value not in known:
            raise rule(f"unknown {what[:-1]} {value!r}", ", ".join(known), i)
    return values


class SweepTable(Table):
    """``[sweep]``: what to sweep and what to keep (see the module docstring)."""

    design: Literal[("grid",) + DESIGNS] | None = Field(
        None, description="grid, " + ", ".join(DESIGNS) + " (default grid; left out with an analysis)")
    n: int | None = number("number of points of a sampled design or base samples of an analysis", None, ge=1,
                           le=MAX_POINTS)
    seed: int = number("integer seed of a sampled design", 0, ge=0, le=2**63 - 1)
    chunk_size: int = number("points per chunk", 512, ge=1, le=MAX_POINTS)
    arm: str | None = Field(None, description="the scenario arm to sweep (default: every arm, as an arm dimension)")
    variables: list[str] = Field(["bmd_change"], description="variables to keep, e.g. [\"bmd_change\"]")
    sites: list[str] | None = Field(None, description="sites to keep: " + ", ".join(SITES))
    output_years: list[FiniteNumber] | None = Field(None, description="increasing output times to keep (years)")
    rtol: float = number("relative tolerance of the integrator", 1e-7, ge=1e-12, le=1e-2)
    parameters: dict[str, list[FiniteNumber]] = Field(
        description="[sweep.parameters]: name = [low, high] (sampled designs; [] = the parameter's own bounds) "
                    "or [values...] (grid), non-negative")
    analysis: Literal["sobol", "morris"] | None = Field(
        None, description="sobol or morris: sensitivity indices of output at site and year")
    output: str | None = Field(None, description="variable of the sensitivity output")
    site: Literal[SITES] | None = Field(None, description="site of the sensitivity output: " + ", ".join(SITES))
    year: float | None = number("year of the sensitivity output, within the horizon", None)
    levels: int = number("an even number of Morris grid levels", 4, ge=2, le=MAX_LEVELS)

    @field_validator("variables")
    @classmethod
    def _known_variables(cls, values):
        return _known(values, _variables(), "variables")

    @field_validator("sites")
    @classmethod
    def _known_sites(cls, values):
        return None if values is None else _known(values, SITES, "sites")

    @field_validator("output")
    @classmethod
    def _known_output(cls, value):
        if value is not None and value not in _variables():
            raise rule(f"unknown variable {value!r}", ", ".join(_variables()))
        return value

    @field_validator("levels")
    @classmethod
    def _even(cls, value):
        if value % 2:
            raise rule(f"{value} levels", f"an even number of Morris grid levels from 2 to {MAX_LEVELS}")
        return value

    @field_validator("parameters")
    @classmethod
    def _non_negative(cls, parameters):
        if not parameters:
            raise rule("missing or empty", "[sweep.parameters] with name = [low, high] or [values]")
        for name, values in parameters.items():
            if any(v < 0 for v in values):
                raise rule(f"expected an array of non-negative numbers, got {values}",
                           "[low, high] or [values...], non-negative", name)
        return parameters

    @model_validator(mode="after")
    def _design(self):
        if self.analysis is not None:
            if self.design is not None:
                raise rule("a sensitivity analysis brings its own design", "design left out when analysis is set",
                           "design")
            for key in ("output", "site", "year"):
                if getattr(self, key) is None:
                    raise rule("an analysis needs output, site and year", "output = \"bmd_change\", site = ..., "
                               "year = ...", key)
        if (self.analysis is not None or self.design in DESIGNS) and self.n is None:
            raise rule("missing required key", f"n: a number of points from 1 to {MAX_POINTS:,}", "n")
        return self

    @property
    def is_grid(self) -> bool:
        return self.analysis is None and self.design in (None, "grid")

    def resolve(self, arms, years: float, parameters: str) -> None:
        """Check the keys that refer to the scenario: ``arms`` (names), the horizon ``years`` and
        the parameter set ``parameters``; raise :func:`~remodel.scenario.errors.rule` (key path
        relative to this table) for a broken one."""
        known = parameter_set(parameters)
        for name, values in self.parameters.items():
            if name not in known:
                raise rule(f"unknown parameter {name!r}", ", ".join(sorted(known)), "parameters", name)
            if self.is_grid and not values:
                raise rule("a grid needs values", "[value, ...]", "parameters", name)
            if not self.is_grid and values and (len(values) != 2 or not values[0] < values[1]):
                raise rule(f"expected [low, high] with low < high, got {values}", "[low, high] or []",
                           "parameters", name)
        if self.is_grid and math.prod(map(len, self.parameters.values())) > MAX_POINTS:
            raise rule(f"a grid of {math.prod(map(len, self.parameters.values())):,} points",
                       f"at most {MAX_POINTS:,} points", "parameters")
        if self.arm is not None and self.arm not in arms:
            raise rule(f"unknown arm {self.arm!r}", ", ".join(arms), "arm")
        if self.analysis is not None and self.arm is None and len(arms) > 1:
            raise rule("an analysis needs one arm", ", ".join(arms), "arm")
        times = self.output_years
        if times is not None and (not times or any(b <= a for a, b in zip(times, times[1:]))
                                  or not 0 <= times[0] <= times[-1] <= years):
            raise rule(f"{times} are not increasing times within the horizon",
                       f"increasing years from 0 to {years:g}", "output_years")
        if self.year is not None and not 0 < self.year <= years:
            raise rule(f"{self.year:g} is not within the horizon", f"a year after 0, up to {years:g}", "year")


@dataclasses.dataclass(frozen=True)
class SweepSpec:
    """A scenario with its ``[sweep]`` table, ready for :func:`remodel.sweep.sweep` (see :func:`sweep_from_scenario`)."""

    scenario: Any
    text: str
    kwargs: dict
    analysis: str | None
    output: tuple[str, str, float] | None
    parameter_bounds: dict
    n: int | None
    seed: int
    levels: int


def sweep_from_scenario(path) -> SweepSpec:
    """Read a scenario file with a ``[sweep]`` table.

    Raises
    ------
    remodel.scenario.ScenarioError
        For an invalid scenario or ``[sweep]`` table (one line naming the file and the key).
    SweepError
        For a file without a ``[sweep]`` table.
    """
    from ..scenario import load_scenario

    scenario = load_scenario(path)
    table: SweepTable | None = scenario.sweep
    if table is None:
        raise SweepError(f"{scenario.source}: sweep: missing [sweep] table; allowed: a [sweep] table with "
                         f"{', '.join(SweepTable.model_fields)}")
    params = parameter_set(scenario.parameter_set)
    if table.is_grid:
        ranges = {k: [float(x) for x in v] for k, v in table.parameters.items()}
    else:
        ranges = {k: tuple(map(float, v or params[k].bounds)) for k, v in table.parameters.items()}
    arms = dict(scenario.arms)
    regimen = arms[table.arm] if table.arm is not None else arms if len(arms) > 1 else next(iter(arms.values()))
    variables = list(table.variables)
    sites = table.sites
    output_years = [float(y) for y in (table.output_years or scenario.output_times)]
    output = None
    if table.analysis is not None:
        output = (table.output, table.site, float(table.year))
        variables = sorted(set(variables) | {table.output})
        output_years = sorted(set(output_years) | {float(table.year)})
        if sites is not None:
            sites = sorted(set(sites) | {table.site}, key=list(SITES).index)
    kwargs = dict(population=scenario.population, regimen=regimen, years=scenario.years,
                  output_times=output_years, variables=tuple(variables), sites=sites, chunk_size=table.chunk_size,
                  parameters=scenario.parameter_set, rtol=float(table.rtol))
    if table.analysis is None:
        if table.is_grid:
            kwargs["grid"] = ranges
        else:
            kwargs.update(design=table.design, n=table.n, seed=table.seed, bounds=ranges)
    return SweepSpec(scenario=scenario, text=scenario.text, kwargs=kwargs, analysis=table.analysis, output=output,
                     parameter_bounds=ranges, n=table.n, seed=table.seed, levels=table.levels)
