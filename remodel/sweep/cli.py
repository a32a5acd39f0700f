"""``remodel sweep FILE``: run the ``[sweep]`` table of a scenario file, as a sweep or as a Sobol or
Morris sensitivity analysis (:mod:`remodel.sensitivity`, SALib), and write the results.

Importing this module imports no xarray, dask, zarr or SALib: ``remodel --help`` builds its parser from it.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from .errors import SweepError
from .table import SweepSpec, sweep_from_scenario

__all__ = ["run_spec", "main_sweep", "add_sweep_parser"]


def run_spec(spec: SweepSpec, *, store=None, client=None, progress=True):
    """Run a :class:`SweepSpec`: returns ``(sweep Dataset, indices)``, the indices None without an analysis."""
    from .. import sensitivity
    from .runner import sweep

    if spec.analysis is None:
        ds = sweep(**spec.kwargs, store=store, client=client, progress=progress)
        ds.attrs["scenario"] = spec.text
        return ds, None
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise SweepError(f"{spec.scenario.source}: sweep.analysis = {spec.analysis!r} needs SALib: "
                         "pip install 'remodel[sweep]'") from None
    variable, site, year = spec.output
    kwargs = {k: v for k, v in spec.kwargs.items() if k not in ("population", "regimen")}
    output = sensitivity.scalar_output(variable, site=site, year=year)
    run = sensitivity.sobol_model if spec.analysis == "sobol" else sensitivity.morris_model
    extra = {"levels": spec.levels} if spec.analysis == "morris" else {}
    indices, ds = run(spec.kwargs["population"], spec.kwargs["regimen"], output, bounds=spec.parameter_bounds,
                      n=spec.n, seed=spec.seed, store=store, client=client, progress=progress,
                      return_sweep=True, **extra, **kwargs)
    ds.attrs["scenario"] = spec.text
    return ds, indices


def main_sweep(args) -> int:
    """``remodel sweep FILE [-o out.nc] [--indices out.nc] [--store DIR] [--scheduler ADDRESS]
    [--force] [--quiet]``: run the ``[sweep]`` table of a scenario file.

    ``args`` is the argparse namespace of the ``sweep`` subcommand (see :func:`add_sweep_parser`).
    Writes the sweep Dataset (netCDF) and, with an analysis, the indices; prints the indices.

    Raises
    ------
    SweepError
        Bad arguments or ``[sweep]`` table, or an output that exists without ``--force``.
    """
    from ..cli import _replace_atomically

    file = Path(args.file)
    stem = file.stem
    out = Path(args.output) if args.output else Path.cwd() / f"{stem}_sweep.nc"
    spec = sweep_from_scenario(file)
    indices_out = None
    if spec.analysis is not None:
        indices_out = Path(args.indices) if args.indices else Path.cwd() / f"{stem}_{spec.analysis}.nc"
    if indices_out is not None and indices_out.resolve() == out.resolve():
        raise SweepError(f"-o and --indices both name {out}; give the indices another path with --indices")
    for path, option in ((out, "-o"), (indices_out, "--indices")):
        if path is None:
            continue
        if path.exists() and not path.is_file():
            raise SweepError(f"{path} is not a regular file; choose another path with {option}")
        if path.exists() and not args.force:
            raise SweepError(f"{path} exists; use --force to overwrite it, or choose another path with {option}")
        if not path.parent.is_dir():
            raise SweepError(f"{path.parent} is not a directory (output {path}); create it or choose another path "
                             f"with {option}")
    client = None
    with contextlib.ExitStack() as stack:
        if args.scheduler:
            try:
                from dask.distributed import Client
            except ImportError:
                raise SweepError("--scheduler needs dask.distributed: pip install 'remodel[sweep]'") from None
            client = stack.enter_context(Client(args.scheduler))
        n_desc = spec.kwargs.get("design", spec.analysis or "grid")
        print(f"sweeping {', '.join(spec.parameter_bounds)} ({n_desc}) for {spec.scenario.title!r}...", file=sys.stderr)
        ds, indices = run_spec(spec, store=args.store, client=client, progress=not args.quiet)
    _replace_atomically(out, lambda tmp: ds.to_netcdf(tmp))
    print(f"wrote {out}", file=sys.stderr)
    if indices is not None:
        from ..sensitivity import format_indices

        print(format_indices(indices))
        _replace_atomically(indices_out, lambda tmp: indices.to_netcdf(tmp))
        print(f"wrote {indices_out}", file=sys.stderr)
    return 0


def add_sweep_parser(sub, add_command=None) -> None:
    """Add the ``sweep`` subcommand to an argparse ``sub`` (subparsers) object; it calls :func:`main_sweep`.
    ``add_command(sub, name, help)``, if given, makes the subparser (the CLI's, which also sets its
    description)."""
    add_command = add_command or (lambda sub, name, help: sub.add_parser(name, help=help))
    p = add_command(sub, "sweep", "sweep parameters of a scenario file ([sweep] table): grid, designs, Sobol/Morris")
    p.add_argument("file", help="scenario file (TOML) with a [sweep] table")
    p.add_argument("-o", "--output", help="netCDF file for the sweep (default: ./<scenario>_sweep.nc)")
    p.add_argument("--indices", help="netCDF file for sensitivity indices (default: ./<scenario>_<analysis>.nc)")
    p.add_argument("--store", help="directory of a zarr store for the chunks; an interrupted sweep resumes from it")
    p.add_argument("--scheduler", help="dask scheduler address (tcp://host:8786) to run chunks on")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
