"""Chunks of a sweep as tasks on a :class:`dask.distributed.Client`.

Every missing chunk is one task running :func:`worker_chunk` (a pure function of the chunk's
inputs). With a store, a second task on the worker that holds the chunk writes it into its region
(:func:`remodel.sweep.store.write_chunk`) and returns only its number of points: the chunk's data
never travel to the client, and the workers need the store's path on a shared file system. Only
the first chunk's structure (no points) comes to the client, to lay the store out. Without a
store, the chunks come back to the client, and the workers need no shared file system. Either
way the workers need ``remodel`` installed in the same version.
"""

from __future__ import annotations

import os
import sys

from .execute import compute_chunk
from .store import chunk_layout, write_chunk

__all__ = ["run_on_client", "worker_chunk"]


def _numpy_friendly_malloc() -> None:
    """Undo dask's ``MALLOC_TRIM_THRESHOLD_=65536`` for this worker process (glibc only).

    That setting (the nanny's default ``pre-spawn-environ``) also freezes glibc's mmap threshold at
    128 KiB, so every NumPy temporary of the solver is a fresh mmap and page faults: a chunk runs
    2.5 times slower in a worker than in the calling process (measured). Large arrays come from the
    heap again (up to 32 MiB) and the heap is trimmed above 128 MiB.
    """
    if not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 32 * 2**20)
        libc.mallopt(m_trim_threshold, 128 * 2**20)
    except (OSError, AttributeError):  # not glibc: nothing to undo
        pass


def worker_chunk(task):
    """:func:`remodel.sweep.execute.compute_chunk` in a worker process: one thread, one core."""
    from ..solvers.bdf import set_threads

    _numpy_friendly_malloc()
    set_threads(1)
    return compute_chunk(task)


def run_on_client(client, todo, task, start, store, finish) -> None:
    """Compute the chunks ``todo`` on ``client``; ``finish(i, result)`` as each completes, in any order.

    ``task(i)`` and ``start(i)`` are chunk ``i``'s inputs and first point. With a
    :class:`~remodel.sweep.store.SweepStore`, the workers write the chunks and ``result`` is the
    number of points written; without one, ``result`` is the chunk's Dataset.
    """
    from dask.distributed import as_completed

    computed = {i: client.submit(worker_chunk, task(i), pure=False) for i in todo}
    waiting = {}
    try:
        if store is None:
            waiting = {future: i for i, future in computed.items()}
        else:
            if not store.laid_out:
                store.lay_out(client.submit(chunk_layout, computed[todo[0]], pure=False).result())
            waiting = {client.submit(write_chunk, str(store.path), i, start(i), computed[i], pure=False): i
                       for i in todo}
        for future in as_completed(waiting):
            i = waiting[future]
            finish(i, future.result())
            future.release()
            computed.pop(i).release()
    finally:
        for future in [*waiting, *computed.values()]:
            future.cancel()
