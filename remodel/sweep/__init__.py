"""Sweeps at scale: full grids and sampled designs over parameters and scenario inputs.

:func:`sweep` runs :func:`remodel.simulate` on chunks of the points of a design, keeps only the
variables, sites and output times asked for, and, given a store, writes each finished chunk into
its region of a zarr store, so that an interrupted sweep resumes where it stopped. The same call
runs the chunks as tasks on a :class:`dask.distributed.Client` when one is given.

Modules, in the order data flows:

==================  ==========================================================================
``design``          the points: grids, sampled designs (random, LHS, Sobol), explicit values
``execute``         one chunk of points simulated: :func:`compute_chunk`
``store``           the zarr store: laid out once, written by region, resumable
``distributed``     chunks as dask tasks; the workers write their own regions
``runner``          :func:`sweep`, the entry point
``table``           the ``[sweep]`` table of a scenario file
``cli``             ``remodel sweep FILE`` (with SALib analyses through :mod:`remodel.sensitivity`)
==================  ==========================================================================

Scaling out
-----------
Pass a :class:`dask.distributed.Client`: every missing chunk is one task. With a store, the worker
that computed a chunk writes it into the store (the store's path must be the same on the workers,
e.g. a shared file system); without one, the chunks come back to the calling process. The
workers need ``remodel`` installed in the same version. To use a cluster::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")          # an existing scheduler
    # or, on an HPC batch system, with dask-jobqueue:
    # from dask_jobqueue import SLURMCluster
    # cluster = SLURMCluster(cores=8, processes=8, memory="16GB", walltime="02:00:00")
    # cluster.scale(jobs=10); client = Client(cluster)
    ds = sweep(..., client=client, store="runs/my_sweep")

Use one thread per worker process (``threads_per_worker=1``, or ``processes=cores``): each worker
runs the compiled engine on one thread. A killed worker's chunk is computed again by the cluster; a
killed client resumes with the same call and store; ``load=False`` keeps a result larger than memory
in the store. ``benchmarks/README.md`` has the recipe for a million points and what SLURM
(dask-jobqueue) or Kubernetes need.
"""

import importlib

#: Public name -> the module of this package that defines it, imported on first use (PEP 562): the
#: command line's parser and the scenario schema's ``[sweep]`` table import neither xarray nor dask.
_PUBLIC = {
    "add_sweep_parser": "cli", "main_sweep": "cli", "run_spec": "cli",
    "DESIGNS": "design", "design_points": "design",
    "SweepError": "errors",
    "compute_chunk": "execute",
    "sweep": "runner",
    "SweepSpec": "table", "sweep_from_scenario": "table",
}

__all__ = list(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC))
