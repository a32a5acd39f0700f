"""Parameter records and named parameter sets.

Every model constant is a :class:`Parameter` carrying its value, units, meaning, source and
plausible bounds. Published sets are named after their paper (``Lemaire2004``, ``Pivonka2008``);
``Remodel2026`` is this project's extended set. A source is either a citation key of
:mod:`remodel.citations` or ``"calibrated: CAL.."`` naming the calibration targets a value was
fitted to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Iterator, Mapping

import numpy as np

__all__ = ["Parameter", "ParameterSet", "parameter_set", "parameter_set_names"]


@dataclass(frozen=True)
class Parameter:
    """One model constant.

    Parameters
    ----------
    name : str
        Symbol used in the equations (``D_OBu``, ``K_E2`` ...).
    value : float
        Value in ``units``.
    units : str
        UDUNITS-style units (``1/day``, ``pM``, ``pg/mL``; ``1`` for dimensionless).
    description : str
        One-line meaning.
    source : str
        Citation key, ``"calibrated: CAL06, CAL07"``, or ``"derived: <how>"``.
    bounds : tuple of float
        Plausible range, used by sweeps and virtual populations.
    """

    name: str
    value: float
    units: str
    description: str
    source: str
    bounds: tuple[float, float] = (float("nan"), float("nan"))

    def __post_init__(self):
        lo, hi = self.bounds
        if np.isnan(lo) and np.isnan(hi):
            object.__setattr__(self, "bounds", _default_bounds(self.value))
        lo, hi = self.bounds
        if not lo <= self.value <= hi:
            raise ValueError(f"parameter {self.name}={self.value} outside its bounds {self.bounds}")

    @property
    def attrs(self) -> dict[str, str]:
        """The netCDF (CF) attributes of a variable or coordinate holding this parameter's values."""
        return {"units": self.units, "long_name": self.description}


def _default_bounds(value: float) -> tuple[float, float]:
    """Half to double the value (a zero stays zero)."""
    return (min(0.5 * value, 2.0 * value), max(0.5 * value, 2.0 * value))


@dataclass(frozen=True)
class ParameterSet(Mapping[str, Parameter]):
    """An immutable, named collection of :class:`Parameter` records.

    Behaves as a read-only mapping from name to record. :meth:`values` gives plain floats for
    the right-hand side; :meth:`updated` returns a copy with some values replaced.
    """

    name: str
    citation: str
    description: str
    parameters: Mapping[str, Parameter] = field(repr=False)

    def __post_init__(self):
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    @classmethod
    def from_records(cls, name, citation, description, records) -> "ParameterSet":
        records = list(records)
        names = [r.name for r in records]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"parameter set {name} defines {dupes} more than once")
        return cls(name, citation, description, {r.name: r for r in records})

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self.parameters[key]
        except KeyError:
            raise KeyError(
                f"parameter set {self.name} has no parameter {key!r}; "
                f"known: {', '.join(sorted(self.parameters))}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.parameters)

    def __len__(self) -> int:
        return len(self.parameters)

    def values(self) -> dict[str, float]:  # type: ignore[override]
        """Plain ``{name: value}`` dictionary."""
        return {k: p.value for k, p in self.parameters.items()}

    def updated(self, name: str | None = None, **values: float) -> "ParameterSet":
        """Copy with some values replaced (source marked ``user``)."""
        records = dict(self.parameters)
        for key, value in values.items():
            old = self[key]
            records[key] = replace(old, value=float(value), source="user",
                                   bounds=(min(old.bounds[0], value), max(old.bounds[1], value)))
        return ParameterSet(name or f"{self.name}+user", self.citation, self.description, records)

    def extended(self, name, citation, description, records) -> "ParameterSet":
        """A new set with this set's records plus ``records`` (which may override)."""
        merged = dict(self.parameters)
        merged.update({r.name: r for r in records})
        return ParameterSet(name, citation, description, merged)


def parameter_set(name: "str | ParameterSet") -> ParameterSet:
    """Return a published or project parameter set by name (a :class:`ParameterSet` is returned as is).

    Raises
    ------
    KeyError
        If ``name`` is unknown; the message lists the valid names.
    """
    from .parameter_sets import PARAMETER_SETS

    if isinstance(name, ParameterSet):
        return name
    try:
        return PARAMETER_SETS[name]
    except KeyError:
        raise KeyError(
            f"unknown parameter set {name!r}; available: {', '.join(sorted(PARAMETER_SETS))}"
        ) from None


def parameter_set_names() -> list[str]:
    """Names of all parameter sets shipped with remodel."""
    from .parameter_sets import PARAMETER_SETS

    return sorted(PARAMETER_SETS)
