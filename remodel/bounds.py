"""Bounded dataclass fields: the one declaration of each input's allowed range.

The domain dataclasses (:class:`~remodel.Population`, :class:`~remodel.Exercise`, ...) declare
their ranges with :func:`bounded`; their ``__post_init__`` checks them with :func:`check_ranges`
and the scenario schema (:mod:`remodel.scenario.schema`) reads the same declarations.
"""

from __future__ import annotations

import math
from dataclasses import field, fields

__all__ = ["bounded", "check_ranges", "field_range"]


def bounded(low: float, high: float, units: str = "", **kwargs):
    """A dataclass field whose value (or, for a dict, each value) must lie in ``[low, high]``."""
    return field(metadata={"range": (low, high, units)}, **kwargs)


def field_range(cls, name: str) -> tuple[float, float, str]:
    """``(low, high, units)`` of a :func:`bounded` field of dataclass ``cls``."""
    return next(f for f in fields(cls) if f.name == name).metadata["range"]


def check_ranges(item) -> None:
    """Check every :func:`bounded` field of a dataclass instance (``None`` means not given).

    Raises
    ------
    ValueError
        For a value outside its range.
    """
    for f in fields(item):
        if "range" not in f.metadata or getattr(item, f.name) is None:
            continue
        low, high, units = f.metadata["range"]
        value = getattr(item, f.name)
        named = value.items() if isinstance(value, dict) else [(None, value)]
        for key, v in named:
            if not (isinstance(v, (int, float)) and math.isfinite(v) and low <= v <= high):
                name = f.name if key is None else f"{f.name}.{key}"
                raise ValueError(f"{type(item).__name__}.{name} must be a number between {low:g} and {high:g}"
                                 f"{units and ' ' + units}, got {v!r}")
