"""The ``[sweep]`` table of a scenario file: what to sweep, read into a :class:`SweepSpec`.

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
with ``n`` base samples or trajectories) and ``design`` must be left out. Errors are one line:
``<file>: sweep.<key>: <problem>; allowed: <what>``. The scenario part of the file is read by
:func:`remodel.scenario.load_scenario`; this module reads only the ``[sweep]`` table and runs nothing.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from typing import Any

from ..parameters import parameter_set
from ..populations import SITES
from .design import DESIGNS
from .errors import SweepError

__all__ = ["SweepSpec", "sweep_from_scenario"]

#: Keys of the [sweep] table and what each means (the "allowed" part of its errors).
_SWEEP_KEYS = {
    "design": "grid, random, lhs or sobol",
    "n": "number of points of a sampled design",
    "seed": "integer seed of a sampled design",
    "chunk_size": "points per chunk",
    "arm": "the scenario arm to sweep (default: every arm, as an arm dimension)",
    "variables": "variables to keep, e.g. [\"bmd_change\"]",
    "sites": "sites to keep",
    "output_years": "output times to keep (years)",
    "rtol": "relative tolerance of the integrator",
    "parameters": "[sweep.parameters]: name = [low, high] (sampled designs) or [values...] (grid)",
    "analysis": "sobol or morris: sensitivity indices of output at site and year",
    "output": "variable of the sensitivity output",
    "site": "site of the sensitivity output",
    "year": "year of the sensitivity output",
    "levels": "Morris grid levels (default 4)",
}


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
        For an invalid scenario part.
    SweepError
        For an invalid ``[sweep]`` table (one line naming the file and the key).
    """
    from ..scenario import load_scenario

    scenario = load_scenario(path)  # reads the file and words its errors; it knows the [sweep] table
    table = tomllib.loads(scenario.text.removeprefix("\ufeff")).get("sweep")  # the reader accepts a UTF-8 BOM too
    if table is None:
        raise SweepError(f"{scenario.source}: sweep: missing [sweep] table; allowed: a [sweep] table with "
                         f"{', '.join(_SWEEP_KEYS)}")
    return _spec(scenario, table, scenario.source, scenario.text)


#: Most points of one sweep (a sampled design's n, a grid's product of sizes, an analysis' base samples).
MAX_POINTS = 2**20
_RTOL = (1e-12, 1e-2)
_MAX_LEVELS = 64


def _shown(value, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters: an error line stays one short line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _spec(scenario, table, source, text) -> SweepSpec:
    from ..simulation import _VARIABLES

    def bad(key, problem, allowed):
        key = key if len(key) <= 60 else key[:57] + "..."
        return SweepError(f"{source}: sweep.{key}: {problem}; allowed: {allowed}")

    if not isinstance(table, dict):
        raise bad("", "expected a table", "a [sweep] table")
    for key in table:
        if key not in _SWEEP_KEYS:
            raise bad(key, f"unknown key {_shown(key)}", ", ".join(_SWEEP_KEYS))

    def get(key, kind, default=None):
        if key not in table:
            return default
        v = table[key]
        ok = {"str": isinstance(v, str), "int": isinstance(v, int) and not isinstance(v, bool),
              "number": isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
              "strings": isinstance(v, list) and all(isinstance(x, str) for x in v),
              "numbers": isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                     and math.isfinite(x) for x in v),
              }[kind]
        if not ok:
            raise bad(key, f"expected {kind}, got {_shown(v)}", _SWEEP_KEYS[key])
        return v

    def within(key, kind, default, low, high):
        v = get(key, kind, default)
        if v is not None and not low <= v <= high:
            raise bad(key, f"{_shown(v)} is out of range", f"{_SWEEP_KEYS[key]}, from {low:,} to {high:,}")
        return v

    def names(key, known, default=None):
        v = get(key, "strings", default)
        unknown = [x for x in v or () if x not in known]
        if v is not None and (unknown or not v):
            raise bad(key, f"unknown {_shown(unknown[0])}" if unknown else "empty", ", ".join(known))
        return v

    analysis = get("analysis", "str")
    if analysis is not None and analysis not in ("sobol", "morris"):
        raise bad("analysis", f"unknown analysis {_shown(analysis)}", "sobol, morris")
    design = get("design", "str")
    if analysis is not None and design is not None:
        raise bad("design", "a sensitivity analysis brings its own design", "design left out when analysis is set")
    if analysis is None:
        design = design or "grid"
        if design not in ("grid",) + DESIGNS:
            raise bad("design", f"unknown design {_shown(design)}", "grid, random, lhs, sobol")
    n = within("n", "int", None, 1, MAX_POINTS)
    if (analysis is not None or design in DESIGNS) and n is None:
        raise bad("n", "missing", f"a number of points from 1 to {MAX_POINTS:,}")
    seed = within("seed", "int", 0, 0, 2**63 - 1)
    parameters = table.get("parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise bad("parameters", "missing or empty", "[sweep.parameters] with name = [low, high] or [values]")
    params = parameter_set(scenario.parameter_set)
    ranges = {}
    for k, v in parameters.items():
        if k not in params:
            raise bad(f"parameters.{k}", f"unknown parameter {_shown(k)}", ", ".join(sorted(params)))
        if not (isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                            and math.isfinite(x) and x >= 0 for x in v)):
            raise bad(f"parameters.{k}", f"expected an array of non-negative numbers, got {_shown(v)}",
                      _SWEEP_KEYS["parameters"])
        if design == "grid" and analysis is None:
            if not v:
                raise bad(f"parameters.{k}", "a grid needs values", "[value, ...]")
            ranges[k] = [float(x) for x in v]
        else:
            if v == []:
                v = list(params[k].bounds)
            if len(v) != 2 or not v[0] < v[1]:
                raise bad(f"parameters.{k}", f"expected [low, high] with low < high, got {_shown(v)}",
                          "[low, high] or []")
            ranges[k] = (float(v[0]), float(v[1]))
    if design == "grid" and analysis is None and math.prod(map(len, ranges.values())) > MAX_POINTS:
        raise bad("parameters", f"a grid of {math.prod(map(len, ranges.values())):,} points",
                  f"at most {MAX_POINTS:,} points")
    arms = dict(scenario.arms)
    arm = get("arm", "str")
    if arm is not None:
        if arm not in arms:
            raise bad("arm", f"unknown arm {_shown(arm)}", ", ".join(arms))
        regimen = arms[arm]
    else:
        regimen = arms if len(arms) > 1 else next(iter(arms.values()))
    variables = names("variables", list(_VARIABLES), ["bmd_change"])
    sites = names("sites", list(SITES))
    output_years = [float(y) for y in get("output_years", "numbers", list(scenario.output_times))]
    if not output_years or any(b <= a for a, b in zip(output_years, output_years[1:])) \
            or not 0 <= output_years[0] <= output_years[-1] <= scenario.years:
        raise bad("output_years", f"{_shown(output_years)} are not increasing times within the horizon",
                  f"increasing years from 0 to {scenario.years:g}")
    output = None
    if analysis is not None:
        variable, site, year = get("output", "str"), get("site", "str"), get("year", "number")
        if variable is None or site is None or year is None:
            raise bad("output", "an analysis needs output, site and year", "output = \"bmd_change\", site = ..., year = ...")
        if variable not in _VARIABLES:
            raise bad("output", f"unknown variable {_shown(variable)}", ", ".join(_VARIABLES))
        if site not in SITES:
            raise bad("site", f"unknown site {_shown(site)}", ", ".join(SITES))
        if not 0 < year <= scenario.years:
            raise bad("year", f"{year:g} is not within the horizon", f"a year after 0, up to {scenario.years:g}")
        if isinstance(regimen, dict):
            raise bad("arm", "an analysis needs one arm", ", ".join(arms))
        output = (variable, site, float(year))
        variables = sorted(set(variables) | {variable})
        output_years = sorted(set(output_years) | {float(year)})
        if sites is not None:
            sites = sorted(set(sites) | {site}, key=list(SITES).index)
    levels = get("levels", "int", 4)
    if not (2 <= levels <= _MAX_LEVELS and levels % 2 == 0):
        raise bad("levels", f"{_shown(levels)} levels", f"an even number of Morris grid levels from 2 to {_MAX_LEVELS}")
    kwargs = dict(population=scenario.population, regimen=regimen, years=scenario.years,
                  output_times=output_years, variables=tuple(variables), sites=sites,
                  chunk_size=within("chunk_size", "int", 512, 1, MAX_POINTS), parameters=scenario.parameter_set,
                  rtol=float(within("rtol", "number", 1e-7, *_RTOL)))
    if analysis is None:
        if design == "grid":
            kwargs["grid"] = ranges
        else:
            kwargs.update(design=design, n=n, seed=seed, bounds=ranges)
    return SweepSpec(scenario=scenario, text=text, kwargs=kwargs, analysis=analysis, output=output,
                     parameter_bounds=ranges, n=n, seed=seed, levels=levels)
