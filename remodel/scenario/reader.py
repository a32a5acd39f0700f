"""Reading scenario files: bytes -> TOML -> :class:`~remodel.scenario.schema.ScenarioFile` -> :class:`Scenario`.

The reader only reads: it refuses what is not a regular file or is too large before reading it,
decodes UTF-8 (a byte-order mark is allowed), refuses deep nesting before parsing, parses TOML
with :mod:`tomllib` and validates with the schema. Every problem raises one :class:`ScenarioError`, whose message is a single line of
bounded length::

    <file>: <key.path>: <problem>; allowed: <what>
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import stat
import tomllib
import warnings
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..populations import Population
from ..regimen import Regimen
from .errors import ScenarioError, explain, key_path
from .schema import SCHEMA_VERSION, ScenarioFile, merge_times

__all__ = ["Scenario", "ScenarioWarning", "load_scenario", "parse_scenario", "read_text", "MAX_FILE_BYTES",
           "MAX_NESTING"]

#: Largest scenario file read (bytes): the largest shipped scenario is a few kB.
MAX_FILE_BYTES = 1 << 20
#: Deepest nesting of arrays and inline tables in a file (the format needs 3).
MAX_NESTING = 32

_NESTING_TOKENS = re.compile(r'"""|\'\'\'|["\'#\[\]{}]')
_STRING_ENDS = {
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"[^'\n]*'"),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""("{0,2})', re.S),
    "'''": re.compile(r"(?:[^']|'(?!''))*'''('{0,2})", re.S),
}


def _too_deep(text: str) -> tuple[int, int] | None:
    """Line and column where arrays and inline tables nest deeper than :data:`MAX_NESTING`, or
    None. A linear scan skipping strings and comments, run before :mod:`tomllib`, whose recursive
    descent would overflow the stack on deep nesting; unterminated strings are left to tomllib."""
    depth, position = 0, 0
    while match := _NESTING_TOKENS.search(text, position):
        token, position = match.group(), match.end()
        if token == "#":
            position = text.find("\n", position)
        elif token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, match.start()) + 1
                return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        elif token in "]}":
            depth = max(depth - 1, 0)
        else:
            end = _STRING_ENDS[token].match(text, position)
            position = -1 if end is None else end.end()
        if position < 0:
            return None
    return None


class ScenarioWarning(UserWarning):
    """A combination that is valid but clinically unusual (the message says why)."""


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: everything :func:`remodel.runner.run_scenario` needs, plus the file text verbatim.

    Attributes
    ----------
    title, description : str
    population : Population
    arms : dict of str to Regimen
        Arms in file order: explicit ``[[arms]]`` first, then the factorial combinations.
    years : float
        Horizon in years.
    output_times : tuple of float
        Output times in years; always include 0, the horizon and the report years.
    parameter_set : str
        Name of the parameter set.
    report_years : tuple of float
        Years tabulated by ``remodel compare``.
    text : str
        The scenario file text, verbatim.
    source : str
        File name (or ``"<string>"``).
    warnings : tuple of str
        Clinically unusual combinations found while loading (also issued as ScenarioWarning).
    sweep : remodel.sweep.table.SweepTable or None
        The file's validated ``[sweep]`` table, if it has one.
    pathways : dict of str to remodel.clinical.pathway.Pathway
        DXA monitoring and treatment rule of the arms that have them (their scan times are
        among the output times).
    fracture : remodel.clinical.fracture.FractureInputs or None
        Risk factors of the ``[fracture_risk]`` table: fracture probabilities are reported.
    patients : int or None
        Virtual patients per arm (a cohort, :mod:`remodel.cohort`), or None for one mean person.
    seed : int
        Seed of the virtual patients and of the DXA measurement errors.
    mixtures : dict of str to remodel.mixture.Mixture
        Arms that are stated mixes of arms (added to the results after the arms).
    """

    title: str
    description: str
    population: Population
    arms: dict[str, Regimen]
    years: float
    output_times: tuple[float, ...]
    parameter_set: str
    report_years: tuple[float, ...]
    text: str
    source: str = "<string>"
    schema_version: int = SCHEMA_VERSION
    warnings: tuple[str, ...] = ()
    sweep: Any = None
    pathways: dict[str, Any] = dataclasses.field(default_factory=dict)
    fracture: Any = None
    patients: int | None = None
    seed: int = 0
    mixtures: dict[str, Any] = dataclasses.field(default_factory=dict)

    def with_report_years(self, years) -> "Scenario":
        """Copy reporting ``years`` instead (added to the output times).

        Raises
        ------
        ValueError
            If a year is outside ``(0, horizon]``, or the years do not increase (a year given twice
            would be tabulated twice).
        """
        years = tuple(float(y) for y in years)
        bad = [y for y in years if not (math.isfinite(y) and 0 < y <= self.years)]
        if bad or not years:
            raise ValueError(f"report years must be in (0, {self.years:g}] (the horizon), got {list(years) or 'none'}")
        if any(b <= a for a, b in zip(years, years[1:])):
            raise ValueError(f"report years must increase, each given once, got {[f'{y:g}' for y in years]}")
        return dataclasses.replace(self, report_years=years, output_times=merge_times(self.output_times, years, self.years))


def parse_scenario(text: str, source: str = "<string>") -> Scenario:
    """Scenario from TOML text (``source`` names it in error messages).

    Raises
    ------
    ScenarioError
        For TOML syntax errors and every invalid key or value.
    """
    deep = _too_deep(text)
    if deep is not None:
        raise ScenarioError(source, f"line {deep[0]}, column {deep[1]}", "arrays or tables nested too deeply",
                            f"at most {MAX_NESTING} levels of arrays and inline tables")
    try:
        doc = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {m.group(1)}, column {m.group(2)}" if m else "(document)"
        problem = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise ScenarioError(source, where, f"TOML syntax error: {problem}", "TOML 1.0 syntax (https://toml.io)") from None
    unusual: list = []
    try:
        spec = ScenarioFile.model_validate(doc, context=unusual)
    except ValidationError as exc:
        raise ScenarioError(source, *explain(exc, ScenarioFile)) from None
    messages = tuple(f"{source}: {key_path(loc)}: {message}" for loc, message in unusual)
    for message in messages:
        warnings.warn(message, ScenarioWarning, stacklevel=2)
    simulation = spec.simulation
    years = float(simulation.years)
    scans = [t for pathway in spec.pathways.values() for t in pathway.monitoring.scan_years(years)]
    return Scenario(
        title=spec.title, description=spec.description, population=spec.population.value, arms=spec.regimens,
        years=years, output_times=merge_times(simulation.output_times(), scans, years),
        parameter_set=simulation.parameter_set, report_years=simulation.report(), text=text, source=source,
        schema_version=spec.schema_version, warnings=messages, sweep=spec.sweep_table, pathways=spec.pathways,
        fracture=None if spec.fracture_risk is None else spec.fracture_risk.value, patients=simulation.patients,
        seed=simulation.seed, mixtures=spec.mixtures,
    )


def load_scenario(path) -> Scenario:
    """Read a scenario file.

    Raises
    ------
    ScenarioError
        If the file is not a regular file, is larger than :data:`MAX_FILE_BYTES`, cannot be
        read, is not UTF-8, is not TOML, or is not a valid scenario.
    """
    return parse_scenario(read_text(path, "a scenario file (TOML)"), str(path))


def read_text(path, kind: str, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the input file ``path`` (``kind`` names what it should be, in errors):
    refused before reading if it is not a regular file (a FIFO would block, a device never end)
    or is larger than ``limit`` bytes.

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not a regular file, is too large or is not UTF-8.
    """
    source = str(path)
    try:
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ScenarioError(source, "(file)", "not a regular file", kind)
            if info.st_size > limit:
                raise ScenarioError(source, "(file)", f"{info.st_size} bytes", f"at most {limit} bytes")
            data = f.read(limit + 1)
    except OSError as exc:
        raise ScenarioError(source, "(file)", f"cannot read: {exc.strerror or exc}", f"a readable file: {kind}") from None
    if len(data) > limit:  # grew while being read
        raise ScenarioError(source, "(file)", f"more than {limit} bytes", f"at most {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(source, f"line {line}, column {column}", f"byte 0x{data[exc.start]:02x} is not UTF-8",
                            "UTF-8 encoded text") from None
