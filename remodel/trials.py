"""Clinical trial arms: the table of observed BMD changes and the scenarios that reproduce them.

Each row of a trial table (``calibration_trials.csv`` columns: id, trial, reference, population,
arm, comparator, site, time_years, metric, value, statistic, ...) is reproduced by the scenario
file ``<scenario>.toml`` of a trial directory (``remodel/data/trials`` by default; ``scenario`` is an
optional column, the row id by default, so that rows of one trial share its file), whose arm named
``arm`` is the trial arm and whose optional arm named ``comparator`` is its comparator. Metrics:
``pct_change`` (BMD change of the arm, from the start or, with the optional column ``from_year``,
from that year: an off-treatment phase), ``pct_change_per_year`` (change over ``time_years``
divided by it), ``difference_vs_comparator`` (arm minus comparator), ``ctx_pct_change`` and
``p1np_pct_change`` (change of the resorption marker CTX or the formation marker P1NP of the arm;
site ``serum``) and ``estradiol_pct_change`` (serum
estradiol of the arm relative to the comparator at the same time, %; site ``serum``). Statistic:
``mean`` (the default) or ``median``, which is compared with the median of a virtual cohort
(:func:`simulated_values`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from importlib import resources
from pathlib import Path

import numpy as np

from .cohort import harrell_davis_median, sample_patients
from .parameters import parameter_set
from .populations import SITES
from .scenario import MAX_YEARS, Scenario, ScenarioError, load_scenario
from .scenario.reader import read_text
from .simulation import simulate

__all__ = ["DEFAULT_TRIALS", "EXTRA_TARGETS", "HOLDOUT_TARGETS", "load_targets", "load_trial_scenarios",
           "simulated_values"]

METRICS = ("pct_change", "pct_change_per_year", "difference_vs_comparator", "ctx_pct_change", "p1np_pct_change",
           "estradiol_pct_change")
#: Metrics of serum markers (percent change), not of BMD (percentage points).
MARKER_METRICS = ("ctx_pct_change", "p1np_pct_change", "estradiol_pct_change")
STATISTICS = ("mean", "median")

#: Virtual patients per arm, and their seed, for rows that report a median.
MEDIAN_COHORT = 200
MEDIAN_SEED = 2006
REQUIRED_COLUMNS = ("id", "trial", "site", "time_years", "metric", "value")


def _data(name):
    return resources.files("remodel").joinpath("data", name)


#: Directory of the shipped trial scenarios.
DEFAULT_TRIALS = Path(str(_data("trials")))


#: Metrics comparing the arm with an arm named ``comparator``.
_NEEDS_COMPARATOR = ("difference_vs_comparator", "estradiol_pct_change")
#: Where a row's value is measured, by metric: a BMD site, or the serum.
_SITES_OF_METRIC = {metric: SITES for metric in METRICS} | {metric: ("serum",) for metric in MARKER_METRICS}
#: Most rows of a trial table, and the largest |value| (percent or percentage points).
MAX_ROWS, MAX_ABS_VALUE = 10_000, 1000.0
#: Row ids and scenario names: they name files ``<name>.toml`` of the trial directory.
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,119}")


def load_targets(path=None) -> list[dict]:
    """Rows of a trial table (the packaged ``calibration_trials.csv`` by default), every value checked.

    Raises
    ------
    ValueError
        One line naming the file, line and column: a file that is not a readable regular UTF-8
        file of at most 1 MB, a missing column, no rows or more than :data:`MAX_ROWS`, a repeated
        or malformed id, an unknown metric, site or statistic, or a number that is not finite or
        out of range.
    """
    name = str(path) if path is not None else "calibration_trials.csv"
    text = _data(name).read_text(encoding="utf-8") if path is None else read_text(path, "a trial table (CSV)")
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))

    def bad(where, problem, allowed):
        return ScenarioError(name, where, problem, allowed)

    try:
        columns = reader.fieldnames or ()
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise bad("line 1", f"missing columns {', '.join(missing)}", f"a header with {', '.join(REQUIRED_COLUMNS)}")
        rows, seen = [], {}
        for row in reader:
            line = reader.line_num
            if len(rows) == MAX_ROWS:
                raise bad(f"line {line}", f"more than {MAX_ROWS} rows", f"at most {MAX_ROWS} rows")
            if None in row or None in row.values():
                raise bad(f"line {line}", f"{'more' if None in row else 'fewer'} fields than the header",
                          f"{len(columns)} fields, as in the header")
            rows.append(_checked_row(row, line, seen, bad))
    except csv.Error as exc:
        raise bad(f"line {reader.line_num}", f"CSV syntax error: {exc}", "comma-separated values") from None
    if not rows:
        raise bad("(file)", "no rows", "a header and one or more rows")
    return rows


def _number(row, column, where, bad, low, high, allowed):
    """``row[column]`` as a finite number in ``[low, high]``."""
    try:
        value = float(row[column])
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or not low <= value <= high:
        raise bad(where(column), f"{row[column]!r}", allowed)
    return value


def _checked_row(row, line, seen, bad) -> dict:
    """One row of :func:`load_targets`, its values parsed and checked (``seen``: ids of earlier rows
    by line)."""
    def where(column):
        return f"line {line}, column {column}"

    for column, value in row.items():
        if not value.isprintable():
            raise bad(where(column), "control characters", "printable text")
    for column in ("id", "scenario"):
        if row.get(column) and not _FILE_NAME.fullmatch(row[column]):
            raise bad(where(column), f"{row[column]!r}", "letters, digits, _ . - (it names the scenario file "
                      "<name>.toml), at most 120 characters")
    if row["id"] in seen:
        raise bad(where("id"), f"{row['id']!r} repeats line {seen[row['id']]}", "unique ids")
    seen[row["id"]] = line
    if row["metric"] not in METRICS:
        raise bad(where("metric"), f"{row['metric']!r}", ", ".join(METRICS))
    if row["site"] not in _SITES_OF_METRIC[row["metric"]]:
        raise bad(where("site"), f"{row['site']!r} for metric {row['metric']}",
                  ", ".join(_SITES_OF_METRIC[row["metric"]]))
    row["time_years"] = _number(row, "time_years", where, bad, 1 / 365.25, MAX_YEARS,
                                f"a number of years from one day (0.0027) to {MAX_YEARS:g}")
    row["value"] = _number(row, "value", where, bad, -MAX_ABS_VALUE, MAX_ABS_VALUE,
                           f"a finite number from -{MAX_ABS_VALUE:g} to {MAX_ABS_VALUE:g}")
    if row.get("tolerance"):
        row["tolerance"] = _number(row, "tolerance", where, bad, 0.0, 100.0, "a number of points from 0 to 100")
    if row.get("from_year"):
        row["from_year"] = _number(row, "from_year", where, bad, 0.0, row["time_years"],
                                   "a year from 0 to time_years, before it")
        if row["from_year"] == row["time_years"] or row["metric"] != "pct_change":
            raise bad(where("from_year"), f"{row['from_year']:g}", "a year before time_years, with metric pct_change")
    else:
        row["from_year"] = 0.0
    row["statistic"] = row.get("statistic") or "mean"
    if row["statistic"] not in STATISTICS:
        raise bad(where("statistic"), f"{row['statistic']!r}", f"{', '.join(STATISTICS)} (empty means mean)")
    return row


#: Literature targets outside the trial table, used by the calibration only.
EXTRA_TARGETS = load_targets(_data("extra_targets.csv"))

#: Published trial arms that no parameter was fitted to (``holdout_targets.csv``): an independent
#: check of the model, run by ``remodel validate --holdout``. Never read by :mod:`remodel.calibration`,
#: and a row the model misses stays here: moving it into the calibration would end its use as a check.
HOLDOUT_TARGETS = load_targets(_data("holdout_targets.csv"))


def load_trial_scenarios(rows, directory=None) -> dict[str, Scenario]:
    """The scenario of each row, by row id, read from ``directory/<scenario>.toml`` (the row's
    ``scenario`` column, else its id).

    Raises
    ------
    ValueError
        If a scenario file is missing or invalid, or lacks an arm named ``arm`` (or ``comparator``,
        for the metrics that need one).
    """
    directory = Path(directory) if directory is not None else DEFAULT_TRIALS
    scenarios = {}
    for row in rows:
        path = directory / f"{row.get('scenario') or row['id']}.toml"
        if not path.is_file():
            raise ValueError(f"{path}: no scenario for trial row {row['id']}; each row needs <id>.toml (or the file "
                             f"named in its scenario column) in {directory}")
        scenario = load_scenario(path)
        if "arm" not in scenario.arms:
            raise ValueError(f"{path}: arms: an arm named 'arm' is required (and optionally 'comparator')")
        if row.get("metric") in _NEEDS_COMPARATOR and "comparator" not in scenario.arms:
            raise ValueError(f"{path}: arms: trial row {row['id']} (metric {row['metric']}) needs an arm named "
                             "'comparator'")
        scenarios[row["id"]] = scenario
    return scenarios


def simulated_values(rows, parameters="Remodel2026", samples=None, scenarios=None, rtol=1e-7):
    """Simulated value of each row: ``(len(rows),)``, or ``(sample, len(rows))`` with samples.

    Rows whose scenarios share a population are simulated together, one arm per distinct regimen.
    A row that reports a mean is compared with the typical patient (the parameter set itself); a
    row that reports a median with the median of :data:`MEDIAN_COHORT` virtual patients
    (:func:`remodel.cohort.sample_patients`, seed :data:`MEDIAN_SEED`, the same patients for every
    sample), estimated by :func:`remodel.cohort.harrell_davis_median`, which is smooth in the
    parameters.
    """
    params = parameter_set(parameters)
    scenarios = scenarios or load_trial_scenarios(rows)
    groups: dict[tuple, list[int]] = {}
    for i, row in enumerate(rows):
        key = (repr(scenarios[row["id"]].population), row.get("statistic") == "median")
        groups.setdefault(key, []).append(i)
    n_samples = 1 if samples is None else len(next(iter(samples.values())))
    out = np.full((n_samples, len(rows)), np.nan)
    for (_, median), indices in groups.items():
        population = scenarios[rows[indices[0]]["id"]].population
        names: dict = {}
        for i in indices:
            for regimen in scenarios[rows[i]["id"]].arms.values():
                names.setdefault(regimen, f"r{len(names)}")
        times = sorted({0.0, *(rows[i][k] for i in indices for k in ("time_years", "from_year"))})
        group_samples = sample_patients(MEDIAN_COHORT, MEDIAN_SEED, params, base=samples) if median else samples
        ds = simulate(population, {name: regimen for regimen, name in names.items()}, years=max(times[-1], 1 / 12),
                      output_times=times, parameters=params, samples=group_samples, rtol=rtol,
                      natural_history=False)
        for i in indices:
            row, arms = rows[i], scenarios[rows[i]["id"]].arms
            value = _row_value(row, ds, names[arms["arm"]], names.get(arms.get("comparator")))
            value = np.atleast_1d(value.values)
            out[:, i] = harrell_davis_median(value.reshape(n_samples, MEDIAN_COHORT)) if median else value
    return out if samples is not None else out[0]


def _row_value(row, ds, arm, comparator):
    """The simulated value of ``row`` from the Dataset ``ds`` of its group, for its arm and comparator
    (arm names in ``ds``; ``comparator`` None if the scenario has none)."""
    metric = row["metric"]

    def at(name, year, arm, **where):  # output years went through days: nearest, not exact
        return ds[name].sel(arm=arm, **where).sel(time=year, method="nearest")

    time = row["time_years"]
    if metric in ("ctx_pct_change", "p1np_pct_change"):
        return at(metric.split("_")[0] + "_change", time, arm)
    if metric == "estradiol_pct_change":
        return 100.0 * (at("estradiol", time, arm) / at("estradiol", time, comparator) - 1.0)
    site = row["site"]
    if metric == "difference_vs_comparator":
        return at("bmd_change", time, arm, site=site) - at("bmd_change", time, comparator, site=site)
    value = 100.0 * ((1.0 + at("bmd_change", time, arm, site=site) / 100.0)
                     / (1.0 + at("bmd_change", row["from_year"], arm, site=site) / 100.0) - 1.0)
    return value / time if metric == "pct_change_per_year" else value
