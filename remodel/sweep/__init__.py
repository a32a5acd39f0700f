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
runs the compiled engine on one thread.
"""

from .cli import add_sweep_parser, main_sweep, run_spec
from .design import DESIGNS, design_points
from .errors import SweepError
from .execute import compute_chunk
from .runner import sweep
from .table import SweepSpec, sweep_from_scenario

__all__ = ["sweep", "compute_chunk", "design_points", "SweepError", "SweepSpec", "sweep_from_scenario", "run_spec",
           "main_sweep", "add_sweep_parser", "DESIGNS"]
