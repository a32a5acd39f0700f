"""The ``remodel`` command line: run, compare and check scenario files, validate against clinical
trials, list what is available, cite.

::

    remodel run FILE [-o out.nc] [--force]
    remodel compare FILE [--years 1 2 5] [-o figure.png] [--table out.csv] [--force]
    remodel sweep FILE [-o out.nc] [--indices out.nc] [--store DIR] [--scheduler ADDRESS] [--force] [--quiet]
    remodel check FILE
    remodel validate [--trials CSV | --holdout] [--scenarios DIR] [-o figure.png] [--table out.csv] [--force]
    remodel cite FILE
    remodel list

Bad arguments and invalid scenario files give one line on stderr and exit code 2; a model that
cannot be solved gives one line and exit code 1. A file named with ``-o``/``--table`` is not
overwritten without ``--force``; the default outputs (``./<scenario>_compare.png``, ...) are
replaced, so that a command can be run again.

Each command imports what it uses: ``--help``, ``list``, ``check`` and ``cite`` import neither
numba nor xarray.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import os
import sys
import tempfile
import warnings
from pathlib import Path

from .report import compare_figure, compare_rows, format_compare_table, format_pathway_table, mean_patient, pathway_rows
from .scenario import Scenario, ScenarioError, ScenarioWarning, dose_key, load_scenario
from .solvers import SolverError

__all__ = ["main"]


class _Exit(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump) and exit code 2."""

    def error(self, message):
        raise _Exit(f"{message} (see {self.prog} --help)", 2)


@contextlib.contextmanager
def _scenario_warnings():
    """Scenario warnings issued inside, one line each on stderr once the block succeeded (none if it
    fails: the error is then the only line)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScenarioWarning)
        yield
    for w in caught:
        if issubclass(w.category, ScenarioWarning):
            print(f"remodel: warning: {' '.join(str(w.message).split())}", file=sys.stderr)
        else:  # not ours: hand it back to the warnings machinery
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _load(path) -> Scenario:
    with _scenario_warnings():
        return load_scenario(path)


def _output(path: str | None, default: Path, force: bool, option: str) -> Path:
    """The output file: ``path`` if given (an existing one only with ``--force``), else ``default``,
    which a new run replaces (so that the same command can be run again); never an existing
    directory, device or FIFO."""
    out = Path(path) if path else default
    if path and out.exists() and not force:
        raise _Exit(f"{out} exists; use --force to overwrite it, or choose another path with {option}", 2)
    if out.is_dir():
        raise _Exit(f"{out} is a directory; give a file name with {option}", 2)
    if out.exists() and not out.is_file():  # a device or FIFO would be replaced by a regular file
        raise _Exit(f"{out} is not a regular file; choose another path with {option}", 2)
    if not out.parent.is_dir():
        raise _Exit(f"{out.parent} is not a directory (output {out}); create it or choose another path with {option}", 2)
    return out


def _figure_output(path: str | None, default: Path, force: bool, option: str) -> Path:
    """:func:`_output` for a figure, whose suffix must be a format matplotlib writes."""
    from matplotlib.figure import Figure

    figure = _output(path, default, force, option)
    formats = Figure().canvas.get_supported_filetypes()
    if figure.suffix.lstrip(".").lower() not in formats:
        raise _Exit(f"{option} {figure}: unknown figure format {figure.suffix or '(no suffix)'!r}; allowed: "
                    + ", ".join(f".{f}" for f in sorted(formats)), 2)
    return figure


@contextlib.contextmanager
def _without_dask():
    """Within the block, dask is not imported where it is not in use. xarray imports dask (and with it
    dask.distributed), if installed, to ask whether an array is a dask array when it builds a
    Dataset, and which dask scheduler runs when it writes a file: about a second, most of a cold
    ``remodel run``. A process that has not imported dask holds no dask array and runs no dask
    scheduler, so there dask is hidden: ``import dask`` raises ImportError, which xarray takes for
    "not installed" (its check that dask is installed was answered when it was imported). Its
    answer to the first question is cached; it is dropped after the block, so that later code in
    the process asks again."""
    if "dask" in sys.modules:
        yield
        return
    sys.modules["dask"] = None
    try:
        yield
    finally:
        del sys.modules["dask"]
        try:
            from xarray.namedarray import pycompat

            pycompat._cached_duck_array_modules.pop("dask", None)
        except (ImportError, AttributeError):  # another version of xarray: nothing cached there
            pass


def _replace_atomically(out: Path, write) -> None:
    """``write(tmp_path)`` next to ``out``, then rename: a failure never leaves half a file. The file
    gets the permissions of a newly created one (``0o666`` less the umask), not mkstemp's 0600."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@contextlib.contextmanager
def _simulating(scenario: Scenario):
    """Say what is simulated, and within the block, once, that the engine compiles if it does
    (not found in the disk cache: after installing or editing remodel).

    Within the block the cyclic garbage collector is off unless numba compiles: the imports of a
    cold process (numba, xarray, pandas) create hundreds of thousands of objects and little cyclic
    garbage, and each full collection walks all of them again (0.1-0.2 s of a cold ``remodel
    run``). Afterwards the objects alive are frozen (:func:`gc.freeze`: later collections skip
    them) and the collector is on again."""
    collecting = gc.isenabled()
    gc.disable()

    def compiling():
        print("remodel: compiling the simulation engine (once after installing or editing remodel, about a minute; "
              "cached afterwards)...", file=sys.stderr, flush=True)
        if collecting:  # the compiler makes garbage
            gc.enable()

    try:
        from .solvers.bdf import compilation_notice

        print(f"simulating {len(scenario.arms)} arm(s) over {scenario.years:g} years "
              f"({scenario.population.name}, {scenario.parameter_set})...", file=sys.stderr)
        with compilation_notice(compiling):
            yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


# ----------------------------------------------------------------------------------------------
# run
# ----------------------------------------------------------------------------------------------

def _cmd_run(args) -> int:
    from .runner import run_scenario

    scenario = _load(args.file)
    out = _output(args.output, Path.cwd() / f"{Path(args.file).stem}.nc", args.force, "-o")
    with _without_dask():
        with _simulating(scenario):
            ds = run_scenario(scenario, progress=True)
        _replace_atomically(out, lambda tmp: ds.to_netcdf(tmp))
    mixes = f" and {len(scenario.mixtures)} mix(es)" if scenario.mixtures else ""
    print(f"wrote {out} ({len(scenario.arms)} arms{mixes}, {ds.sizes['time']} output times)", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------------------------
# compare
# ----------------------------------------------------------------------------------------------

def _cmd_compare(args) -> int:
    from .runner import run_scenario

    scenario = _load(args.file)
    if args.years:
        try:
            scenario = scenario.with_report_years(args.years)
        except ValueError as exc:
            raise _Exit(f"--years: {exc}", 2) from None
    stem = Path(args.file).stem
    figure = _figure_output(args.output, Path.cwd() / f"{stem}_compare.png", args.force, "-o")
    table = _output(args.table, Path(), args.force, "--table") if args.table else None
    if table is not None and table.resolve() == figure.resolve():
        raise _Exit(f"-o and --table name the same file {figure}; give them different paths", 2)
    with _simulating(scenario):
        full = run_scenario(scenario, progress=True)
    ds = mean_patient(full)
    rows = compare_rows(ds, scenario.report_years)
    print(f"{scenario.title}\n")
    if scenario.patients is not None:
        print(f"(mean of {scenario.patients} virtual patients per arm, seed {scenario.seed})\n")
    print(format_compare_table(rows, scenario.report_years, scenario.years))
    if scenario.pathways or scenario.fracture is not None:
        print("\n" + format_pathway_table(pathway_rows(full), scenario.years))
    if table is not None:
        def write_csv(tmp):
            with open(tmp, "w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, fieldnames=list(rows[0]))
                writer.writeheader()
                for r in rows:
                    writer.writerow({k: "" if v is None else v for k, v in r.items()})

        _replace_atomically(table, write_csv)
        print(f"wrote {table}", file=sys.stderr)
    axes = compare_figure(ds, scenario.title)
    _replace_atomically(figure, lambda tmp: axes.flat[0].figure.savefig(tmp, dpi=120))
    print(f"wrote {figure}", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------------------------
# check, validate, cite, list
# ----------------------------------------------------------------------------------------------

def _cmd_sweep(args) -> int:
    try:
        from .sweep import SweepError, main_sweep
    except ImportError as exc:  # SALib or dask missing
        raise _Exit(f"remodel sweep needs the sweep extra: pip install 'remodel[sweep]' ({exc})", 2) from None
    try:
        return main_sweep(args)
    except SweepError as exc:
        raise _Exit(str(exc), 2) from None


def _cmd_check(args) -> int:
    scenario = _load(args.file)
    cohort = "" if scenario.patients is None else f" of {scenario.patients} virtual patients"
    print(f"{args.file}: valid: {scenario.title!r}, {scenario.population.name}, {len(scenario.arms)} arms{cohort}, "
          f"{scenario.years:g} years")
    for name in scenario.arms:
        pathway = scenario.pathways.get(name)
        scans = "" if pathway is None else \
            f" (DXA at years {', '.join(f'{t:g}' for t in pathway.monitoring.scan_years(scenario.years))}" + \
            ("" if not pathway.rules else f"; {pathway.describe()}") + ")"
        print(f"  {name}{scans}")
    for name, mixture in scenario.mixtures.items():
        print(f"  {name} ({mixture.describe()})")
    return 0


def _cmd_validate(args) -> int:
    from . import validation
    from .plotting import plot_validation

    stem = "validation_holdout" if args.holdout else "validation"
    figure = _figure_output(args.output, Path(f"{stem}.png"), args.force, "--output")
    table = _output(args.table, Path(f"{stem}.csv"), args.force, "--table")
    if table.resolve() == figure.resolve():
        raise _Exit(f"--output and --table name the same file {figure}; give them different paths", 2)
    try:
        with _scenario_warnings():
            rows = validation.validate(args.trials, args.scenarios, holdout=args.holdout)
    except (OSError, ValueError) as error:
        raise _Exit(str(error), 2) from None
    print(validation.format_table(rows))
    _replace_atomically(table, lambda tmp: validation.write_csv(rows, tmp))
    ax = plot_validation(rows)
    _replace_atomically(figure, lambda tmp: ax.figure.savefig(tmp, dpi=120, bbox_inches="tight"))
    print(f"wrote {table} and {figure}", file=sys.stderr)
    return 0


def _cmd_cite(args) -> int:
    from .runner import scenario_references

    scenario = _load(args.file)
    print(f"References used by {scenario.title!r} ({args.file}):")
    print("\n".join(scenario_references(scenario)))
    return 0


def _cmd_list(args) -> int:
    from .parameters import parameter_set, parameter_set_names
    from .populations import POPULATIONS
    from .regimen import EXERCISE_MODALITIES
    from .scenario.schema import catalogue, usable_parameter_sets
    from .therapies import DRUGS

    print("Drugs ([[arms.therapies]] drug = ...; dose key in the drug's units, standard dose when omitted):")
    for name in sorted(DRUGS):
        d = DRUGS[name]
        interval = "" if d.standard_interval_days is None else f", every {d.standard_interval_days:g} days"
        print(f"  {name:<16} {d.action:<20} {dose_key(name)} = {d.standard_dose:g} "
              f"({d.dose_units}, at most {d.max_dose:g}{interval})")
    print("\nExercise modalities ([[arms.exercise]] modality = ...):")
    for name, (cycles, load, text) in EXERCISE_MODALITIES.items():
        load = "" if load is None else f", load_pct_1rm {load:g}"
        print(f"  {name:<12} cycles_per_session {cycles:g}{load}: {text}")
    print("\nPopulations ([population] preset = ...):")
    for name, p in POPULATIONS.items():
        hormone = f"menopause at {p.menopause_age:g}" if p.sex == "female" else f"testosterone {p.testosterone_ng_per_dl:g} ng/dL"
        print(f"  {name:<22} {p.sex}, age {p.age:g}, {hormone}: {p.description}")
    print("\nParameter sets ([simulation] parameter_set = ...):")
    for name in parameter_set_names():
        ps = parameter_set(name)
        usable = "" if name in usable_parameter_sets() else " (cell model only: not usable in scenarios)"
        print(f"  {name:<14} {ps.description}{usable}")
    print("\nScenario file keys (units are part of the key names; what is allowed):")
    for heading, keys in catalogue():
        print(f"  {heading}")
        for key, allowed in keys:
            print(f"    {key:<26} {allowed}" if key else f"    ({allowed})")
    return 0


_EXAMPLES = """\
examples:
  remodel list                                  drugs, populations and every scenario key
  remodel check scenarios/trt_men_anastrozole.toml
  remodel compare scenarios/anastrozole_postmenopausal.toml --years 1 5 --table out.csv
  remodel run scenarios/trt_men_anastrozole.toml -o trt.nc
  remodel validate --holdout

Run `remodel COMMAND --help` for a command's options."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("remodel")
    except PackageNotFoundError:  # a source tree that is not installed
        return "unknown (not installed)"


def _add_command(sub, name: str, help: str) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` opens with what it does (its line in ``remodel --help``)."""
    return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")


def _parser() -> _Parser:
    parser = _Parser(prog="remodel", description="Simulate bone remodelling scenarios (TOML files) and compare arms.",
                     epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"remodel {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{run,compare,sweep,check,validate,cite,list}")
    p = _add_command(sub, "run", "simulate every arm of a scenario and write a netCDF file")
    p.add_argument("file", help="scenario file (TOML)")
    p.add_argument("-o", "--output", help="netCDF file to write (default: ./<scenario>.nc)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=_cmd_run)
    p = _add_command(sub, "compare", "table of BMD change, T-score and WHO category per arm and site, and a figure")
    p.add_argument("file", help="scenario file (TOML)")
    p.add_argument("--years", type=float, nargs="+", metavar="YEAR",
                   help="years to tabulate (default: the scenario's report_years)")
    p.add_argument("-o", "--output", help="figure to write (default: ./<scenario>_compare.png)")
    p.add_argument("--table", help="also write the table as CSV (one row per arm, site and year)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=_cmd_compare)
    from .sweep import add_sweep_parser  # argparse only: SALib and dask are imported when a sweep runs

    add_sweep_parser(sub, _add_command)
    sub.choices["sweep"].set_defaults(func=_cmd_sweep)
    p = _add_command(sub, "check", "check a scenario file without simulating")
    p.add_argument("file", help="scenario file (TOML)")
    p.set_defaults(func=_cmd_check)
    p = _add_command(sub, "validate", "simulate clinical trial arms and compare with the observed BMD changes")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--trials", help="CSV of trial arms (columns of remodel/data/calibration_trials.csv; default: that "
                       "table and the extra targets, the rows the parameters were fitted to)")
    group.add_argument("--holdout", action="store_true", help="the hold-out arms (remodel/data/holdout_targets.csv): "
                       "published trial arms no parameter was fitted to; default outputs ./validation_holdout.png and .csv")
    p.add_argument("--scenarios", help="directory of <id>.toml scenario files for the rows (default: remodel/data/trials)")
    p.add_argument("-o", "--output", help="figure to write (default: ./validation.png)")
    p.add_argument("--table", help="CSV table to write (default: ./validation.csv)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=_cmd_validate)
    p = _add_command(sub, "cite", "references the scenario's simulation relies on")
    p.add_argument("file", help="scenario file (TOML)")
    p.set_defaults(func=_cmd_cite)
    p = _add_command(sub, "list", "drugs, exercise modalities, populations, parameter sets and every scenario key")
    p.set_defaults(func=_cmd_list)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns 0 on success, raises SystemExit(2) for bad arguments or
    scenarios and SystemExit(1) when the model cannot be solved (one line on stderr)."""
    try:
        args = _parser().parse_args(argv)
        return args.func(args)
    except _Exit as exc:
        message, code = str(exc), exc.code
    except ScenarioError as exc:
        message, code = str(exc), 2
    except SolverError as exc:
        message, code = f"the model could not be solved: {exc}", 1
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except OSError as exc:
        message, code = (f"{exc.filename}: " if exc.filename else "") + str(exc.strerror or exc), 1
    print("remodel: error: " + " ".join(message.split()), file=sys.stderr)
    raise SystemExit(code)
