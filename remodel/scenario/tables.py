"""Building blocks of the scenario schema: TOML tables with TOML's types only, number fields whose
description states their range, and tables that become domain objects.

The table modules (:mod:`~remodel.scenario.population`, :mod:`~remodel.scenario.interventions`,
:mod:`~remodel.scenario.clinical`) and :mod:`~remodel.scenario.schema` (arms and the file) build on
these; field descriptions say what is allowed, and a broken cross-field rule raises
:func:`~remodel.scenario.errors.rule` with its key path.
"""

from __future__ import annotations

from abc import abstractmethod

import dataclasses
from typing import Annotated, Any

import pydantic
from pydantic import ConfigDict, Field, PrivateAttr, create_model, model_validator

from ..bounds import field_range
from .errors import rule

__all__ = ["MAX_NAME_LENGTH", "MAX_TITLE_LENGTH", "DomainTable", "FiniteNumber", "Table", "TimedTable",
           "bounded_fields", "bounded_number", "number", "one_line_name"]

#: Longest name of an arm or of a factorial factor or level, and longest title (characters).
MAX_NAME_LENGTH, MAX_TITLE_LENGTH = 120, 400


def _shown(value) -> str:
    """A bound as written in a message: integers with thousands separators, others as ``:g``."""
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _bounds_text(ge=None, gt=None, le=None, units="") -> str:
    """``between 0 and 21``, ``>= 0``, ``> 0 and <= 0.01``, followed by the units."""
    low = f">= {_shown(ge)}" if ge is not None else f"> {_shown(gt)}" if gt is not None else ""
    if ge is not None and le is not None:
        text = f"between {_shown(ge)} and {_shown(le)}"
    else:
        text = " and ".join(t for t in (low, "" if le is None else f"<= {_shown(le)}") if t)
    return f"{text} {units}".strip()


def number(meaning: str, default=..., *, ge=None, gt=None, le=None, units="") -> Any:
    """A finite number field; its description (the ``allowed`` of its errors) states the range."""
    bounds = _bounds_text(ge, gt, le, units)
    return Field(default, ge=ge, gt=gt, le=le, allow_inf_nan=False,
                 description=f"{meaning}, {bounds}" if bounds else meaning)


def bounded_number(cls, name: str, meaning: str, default=...) -> Any:
    """A number field with the range the domain dataclass ``cls`` declares for ``name``."""
    low, high, units = field_range(cls, name)
    return number(meaning, default, ge=low, le=high, units=units)


FiniteNumber = Annotated[float, Field(allow_inf_nan=False)]


def one_line_name(value: str, what: str, longest: int = MAX_NAME_LENGTH, *key) -> str:
    """A stripped one-line name (arm, factor, level, title) of at most ``longest`` characters
    (``key``: where the name is, relative to the table validated)."""
    value = value.strip()
    if not value:
        raise rule("empty name", f"a non-empty {what}", *key)
    if not value.isprintable():
        bad = next(c for c in value if not c.isprintable())
        raise rule(f"name contains the control character {bad!r}", f"a {what} of printable characters", *key)
    if len(value) > longest:
        raise rule(f"{len(value)} characters", f"a {what} of at most {longest} characters", *key)
    return value


class Table(pydantic.BaseModel):
    """A TOML table of the format: TOML's types only, unknown keys are errors."""

    model_config = ConfigDict(strict=True, extra="forbid")


class DomainTable(Table):
    """A table that becomes a domain object. ``check`` states the cross-field rules; the object
    is built as soon as the table is valid, so that a domain check the rules missed still names
    this table."""

    _value: Any = PrivateAttr(None)

    def check(self) -> None:
        """Raise :func:`rule` for a broken cross-field rule."""

    @abstractmethod
    def build(self):
        """The domain object of this (valid) table."""

    def given(self) -> dict:
        """The keys the file gives (the domain defaults apply to the rest)."""
        return {k: getattr(self, k) for k in self.model_fields_set}

    @model_validator(mode="after")
    def _check_and_build(self):
        self.check()
        self._value = self.build()
        return self

    @property
    def value(self):
        """The domain object."""
        return self._value


class TimedTable(DomainTable):
    """An intervention with a window ``[start_year, stop_year)``."""

    start_year: float = number("years since the simulation start", 0.0, ge=0)
    stop_year: float | None = number("years since the simulation start, after start_year (omit: never stops)", None)

    def check(self) -> None:
        if self.stop_year is not None and not self.stop_year > self.start_year:
            raise rule(f"stop_year ({self.stop_year:g}) is not after start_year ({self.start_year:g})",
                       "stop_year after start_year (omit: never stops)", "stop_year")


def bounded_fields(cls, base: type[Table]) -> type[Table]:
    """A table model with one number field per :func:`~remodel.bounds.bounded` field of dataclass
    ``cls`` (the domain default when omitted), on ``base``."""
    fields = {}
    for f in dataclasses.fields(cls):
        if "range" in f.metadata and f.name not in base.model_fields:
            default = ... if f.default is dataclasses.MISSING else f.default
            annotation = float if default is ... or default is not None else float | None
            fields[f.name] = (annotation, bounded_number(cls, f.name, f.name.replace("_", " "), default))
    return create_model(f"_{cls.__name__}Fields", __base__=base, **fields)

