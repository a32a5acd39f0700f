"""The store of a sweep: one zarr store, laid out once and filled region by region, resumable.

Layout (zarr format 2 with consolidated metadata; :func:`xarray.open_zarr` opens it)::

    <variable>    (point, [arm,] time, [site])  one zarr chunk per sweep chunk of chunk_size points
    <swept name>  (point,)                      the design: one coordinate per swept name
    chunk_done    (chunk,)                      True once that chunk's region is written
    chunk_solver_work (chunk, solver_attribute) the solver_* attributes of each chunk, summed on reading
    attributes    those of remodel.simulate, of the design (sweep_design, ...) and sweep_fingerprint

The store is laid out from the first computed chunk: ``to_zarr(compute=False)`` writes the metadata
and the coordinates, no data. Every chunk is then written into its own region by whoever computed
it (:func:`write_chunk`: this process, or a dask worker), and its ``chunk_done`` flag after the
region and its solver work, so a sweep killed at any moment leaves flags on whole chunks only and
resumes with the chunks not flagged. zarr writes each file under a temporary name and renames it. The fingerprint
(:func:`fingerprint`) guards against resuming a store with a different sweep.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import xarray as xr

from ..simulation import SOLVER_ATTRIBUTES
from .errors import SweepError

__all__ = ["STORE_FORMAT", "SweepStore", "fingerprint", "chunk_layout", "write_chunk"]

#: Version of the store layout, part of the fingerprint (1 was a directory of netCDF chunk files).
STORE_FORMAT = 2
_FINGERPRINT = "sweep_fingerprint"
_DONE = "chunk_done"
_WORK = "chunk_solver_work"


def fingerprint(description: dict, points: dict) -> str:
    """SHA-256 of a sweep's description (JSON) and of its points (little-endian float64)."""
    h = hashlib.sha256(json.dumps(description, sort_keys=True, default=str).encode())
    for k in sorted(points):
        h.update(k.encode())
        h.update(np.ascontiguousarray(points[k], dtype="<f8").tobytes())
    return h.hexdigest()


def chunk_layout(ds: xr.Dataset) -> xr.Dataset:
    """The structure of a computed chunk without its points: what :meth:`SweepStore.lay_out` needs."""
    return ds.isel(point=slice(0, 0))


def write_chunk(path, index: int, start: int, ds: xr.Dataset) -> int:
    """Write chunk ``index`` (its points from ``start``) into its region of the store at ``path``,
    then flag it done. Returns the number of points written: this is what a dask worker runs, so
    that the chunk's data never travel to the client."""
    region = {"point": slice(start, start + ds.sizes["point"])}
    ds.drop_vars([k for k, v in ds.variables.items() if "point" not in v.dims]).to_zarr(path, region=region, mode="r+")
    chunk = {"chunk": slice(index, index + 1)}
    work = [[int(ds.attrs.get(k, 0)) for k in SOLVER_ATTRIBUTES]]
    xr.Dataset({_WORK: (("chunk", "solver_attribute"), work)}).to_zarr(path, region=chunk, mode="r+")
    xr.Dataset({_DONE: ("chunk", [True])}).to_zarr(path, region=chunk, mode="r+")  # last: the chunk is whole
    return ds.sizes["point"]


class SweepStore:
    """A sweep's zarr store at ``path``, held by this process until :meth:`close`.

    ``fingerprint`` identifies the sweep; ``n_points`` in chunks of ``chunk_size``, ``coords`` (the
    coordinates along ``point``: the design) and ``attrs`` (the dataset's attributes) complete its
    layout, which the first computed chunk finishes (:meth:`lay_out`).

    Raises
    ------
    SweepError
        If another running sweep holds the store, if the directory holds something else than a
        sweep store, or if the store was made for a different sweep (another fingerprint).
    """

    def __init__(self, path, fingerprint: str, *, n_points: int, chunk_size: int, coords: dict, attrs: dict):
        self.path = Path(path)
        self.fingerprint = fingerprint
        self.n_points, self.chunk_size = n_points, chunk_size
        self.n_chunks = -(-n_points // chunk_size)
        self.coords, self.attrs = coords, attrs
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.path)
        try:
            self.laid_out = (self.path / ".zmetadata").exists()
            if self.laid_out:
                with xr.open_zarr(self.path, chunks=None) as held:
                    same = held.attrs.get(_FINGERPRINT) == fingerprint
                if not same:
                    raise SweepError(
                        f"store {self.path} holds a different sweep (its fingerprint differs: other design, points, "
                        "model inputs or chunk size); use another store directory or delete this one")
            elif any(self.path.iterdir()):
                raise SweepError(f"store {self.path} is not a sweep store of this version (no zarr metadata, yet not "
                                 "empty); use a new or empty directory, or delete this one")
        except BaseException:
            self.close()
            raise

    def done(self) -> np.ndarray:
        """Which chunks are written (boolean, one per chunk)."""
        if not self.laid_out:
            return np.zeros(self.n_chunks, dtype=bool)
        with xr.open_zarr(self.path, chunks=None) as ds:
            return ds[_DONE].values.copy()

    def lay_out(self, layout: xr.Dataset) -> None:
        """Write the store's metadata and coordinates, no data.

        ``layout`` is a computed chunk or its :func:`chunk_layout`: the variables, their dimensions,
        data types and attributes, and the coordinates along the other dimensions.
        """
        import dask.array

        def empty(var):
            shape = (self.n_points,) + var.shape[1:]
            chunks = (self.chunk_size,) + var.shape[1:]
            return var.dims, dask.array.empty(shape, dtype=var.dtype, chunks=chunks), var.attrs

        template = xr.Dataset(
            {name: empty(var) for name, var in layout.data_vars.items()},
            coords={**{k: v for k, v in layout.coords.items() if "point" not in v.dims}, **self.coords},
            attrs={**layout.attrs, **self.attrs, _FINGERPRINT: self.fingerprint},
        )
        template[_DONE] = ("chunk", dask.array.zeros(self.n_chunks, dtype=bool, chunks=1),
                           {"long_name": "the chunk's region is written"})
        template[_WORK] = (("chunk", "solver_attribute"),
                           dask.array.zeros((self.n_chunks, len(SOLVER_ATTRIBUTES)), dtype=np.int64,
                                            chunks=(1, len(SOLVER_ATTRIBUTES))),
                           {"long_name": "the solver work of the chunk", "columns": " ".join(SOLVER_ATTRIBUTES)})
        template.to_zarr(self.path, mode="a", compute=False, zarr_format=2, consolidated=True)
        self.laid_out = True

    def read(self, load: bool = True) -> xr.Dataset:
        """The points of the store (dimension ``point``) without the store's bookkeeping: loaded, or
        (``load=False``) as dask arrays read from the store when used."""
        if load:
            with xr.open_zarr(self.path, chunks=None) as ds:  # zarr reads the chunks; through dask, 3 times slower
                work = ds[_WORK].values.sum(axis=0)
                ds = ds.drop_vars([_DONE, _WORK]).load().drop_encoding()
        else:
            ds = xr.open_zarr(self.path)
            work = ds[_WORK].values.sum(axis=0)
            ds = ds.drop_vars([_DONE, _WORK])
        ds.attrs.pop(_FINGERPRINT)
        ds.attrs.update({k: int(v) for k, v in zip(SOLVER_ATTRIBUTES, work)})
        return ds

    def close(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _lock(path: Path) -> int | None:
    """An exclusive lock on the store directory (POSIX ``flock``; none elsewhere)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no guard against two sweeps on one store
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise SweepError(f"store {path} is in use by another running sweep") from None
    return fd
