"""Members with the same inputs over a segment are integrated once.

Every member of a batch is integrated alone (:mod:`remodel.solvers.bdf`), so its trajectory over a
segment is a function of its inputs there only: its parameters, its piecewise-constant numbers
(:meth:`remodel.model.Model.constants`), its doses, its state at the start and its tolerances.
Members whose inputs are equal byte for byte have the same trajectory, to the last bit, and
:func:`integrate_segment` integrates one of them and copies the result to the others. The life
history from age 30 to the simulation start depends on neither the therapies nor the lifestyle
changes of a scenario (those start at year 0 or later), so the arms of a scenario file, and the
points of a sweep over doses, exercise or diet, share it.

The end states of the segments without outputs (the history) are also kept, with the work their
integration took, in a bounded cache of this process (:data:`HISTORY_CACHE`), for later calls: a
sweep computes its chunks, and the groups of points that differ in a scenario input, in separate
calls. The work reported counts a cached segment as when it was integrated, so that it does not
depend on what ran before in the process.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np

from ..solvers import STATISTICS

__all__ = ["HISTORY_CACHE", "HistoryCache", "integrate_segment"]


class HistoryCache:
    """End states of integrated segments and the work of each (:data:`remodel.solvers.STATISTICS`)
    by the digest of their inputs; the ``size`` most recently used are kept (0 keeps none)."""

    def __init__(self, size: int):
        self.size = size
        self._states: OrderedDict[bytes, tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def get(self, key: bytes):
        state = self._states.get(key)
        if state is not None:
            self._states.move_to_end(key)
        return state

    def put(self, key: bytes, state: np.ndarray, work: np.ndarray) -> None:
        if self.size <= 0:
            return
        self._states[key] = state, work
        self._states.move_to_end(key)
        while len(self._states) > self.size:
            self._states.popitem(last=False)

    def clear(self) -> None:
        self._states.clear()


#: End states of history segments kept in this process (about 0.5 kB each).
HISTORY_CACHE = HistoryCache(100_000)


def _member_inputs(model, records, constants, amounts, y, atol):
    """One row of bytes per member: everything its integration over a segment depends on that
    differs between members."""
    parts = [records.view(np.float64).reshape(model.N, -1), constants.T, amounts.T, y.T, atol.T]
    rows = np.ascontiguousarray(np.concatenate(parts, axis=1))
    return rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel()


def integrate_segment(model, records, y, a, b, t_eval, out, events, *, rtol, atol, group_size=None, on_group=None):
    """Integrate every member of ``model`` over ``[a, b]`` (days) from ``y`` ``(n_states, N)``, each
    distinct one once, with the doses ``events`` of the segment: the states at ``t_eval`` into
    ``out`` ``(T, n_states, N)``. Returns the states at ``b``, the failures (``{member: message}``)
    and the work (:data:`remodel.solvers.STATISTICS`, summed over the distinct members).

    With ``group_size``, the distinct members are integrated that many at a time, and
    ``on_group(members)`` is called after each group with the number of members it stood for.
    """
    constants = model.constants(0.5 * (a + b))
    rows = _member_inputs(model, records, constants, events[2], y, atol)
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    order = np.argsort(first)
    representatives = first[order]  # the first member of each distinct input, in member order
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    represented_by = rank[inverse.ravel()]  # for each member, its representative's index in representatives
    n_states, n_distinct = y.shape[0], representatives.size
    end = np.empty((n_states, n_distinct))
    member_work = np.zeros((n_distinct, len(STATISTICS)), dtype=np.int64)
    cached = np.zeros(n_distinct, dtype=bool)
    keys = []
    if not len(t_eval):  # the end state only: from earlier calls if there
        common = repr((a, b, rtol, model.frozen_at, model.population_inputs(), model.assembly.cache_modules,
                       records.dtype.names, events[0].tolist(), events[1].tolist())).encode()
        for k, m in enumerate(representatives):
            keys.append(hashlib.sha1(common + rows[m].tobytes()).digest())
            found = HISTORY_CACHE.get(keys[-1])
            if found is not None:
                end[:, k], member_work[k] = found
                cached[k] = True
    failed = {}
    todo = np.flatnonzero(~cached)
    weight = np.bincount(represented_by, minlength=n_distinct)
    if on_group is not None and cached.any():
        on_group(int(weight[cached].sum()))
    if todo.size:
        if n_distinct == model.N and todo.size == model.N:  # nothing shared: no copies
            members, inputs, part_out = representatives, model.compiled_inputs(constants, records), out
        else:
            members = representatives[todo]
            inputs = model.compiled_inputs(constants[:, members], records[members])
            part_out = np.empty((len(t_eval), n_states, todo.size))
            y, atol, events = y[:, members], atol[:, members], (events[0], events[1], events[2][:, members])
        step = group_size or todo.size
        for start in range(0, todo.size, step):
            group = slice(start, min(start + step, todo.size))
            _, group_end, group_failed, counts = model.assembly.integrate(
                inputs, y, a, b, t_eval, rtol=rtol, atol=atol, out=part_out, events=events,
                members=(group.start, group.stop))
            end[:, todo[group]] = group_end[:, group]
            member_work[todo[group]] = counts[group]
            failed.update({int(members[k]): message for k, message in group_failed.items()})
            if on_group is not None:
                on_group(int(weight[todo[group]].sum()))
        if len(t_eval) and part_out is not out:
            out[...] = part_out[..., represented_by]  # no member is cached when there are outputs
        for k in todo:
            if keys and int(representatives[k]) not in failed:
                HISTORY_CACHE.put(keys[k], end[:, k].copy(), member_work[k].copy())
    if failed:  # every member sharing the inputs of a failed one fails
        failed = {m: failed[int(representatives[represented_by[m]])] for m in range(model.N)
                  if int(representatives[represented_by[m]]) in failed}
    return (end if n_distinct == model.N else end[:, represented_by]), failed, member_work.sum(axis=0)
