"""Errors of the scenario format as data: a broken rule carries its key path, and any pydantic
error becomes one line ``<file>: <key.path>: <problem>; allowed: <what>``.

:func:`explain` words the first error of a :class:`pydantic.ValidationError` from its ``loc``
(the key path), its type and the schema's field descriptions (what is allowed); it knows no
scenario key, so any table model (the ``[sweep]`` table too) can use it. Cross-field rules raise
:func:`rule` with the key path of the offending key, relative to the table they check.
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from typing import Literal

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

__all__ = ["ScenarioError", "describe", "explain", "key_path", "locate", "rule", "MAX_MESSAGE_PART"]

#: Longest part (file, key path, problem, allowed) of an error message, in characters.
MAX_MESSAGE_PART = 300


def _clip(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_MESSAGE_PART else text[:MAX_MESSAGE_PART - 3] + "..."


class ScenarioError(ValueError):
    """A scenario file is unreadable or invalid. The message is one line:
    ``<file>: <key.path>: <problem>; allowed: <what>``, each part at most
    :data:`MAX_MESSAGE_PART` characters."""

    def __init__(self, source: str, path: str, problem: str, allowed: str):
        self.source, self.path = _clip(source), _clip(path or "(document)")
        self.problem, self.allowed = _clip(problem), _clip(allowed)
        super().__init__(f"{self.source}: {self.path}: {self.problem}; allowed: {self.allowed}")



def rule(problem: str, allowed: str, *key) -> PydanticCustomError:
    """A broken rule at ``key`` (a key path relative to the table being validated), to raise in a
    validator: pydantic reports it at the table's ``loc``, :func:`explain` appends ``key``."""
    return PydanticCustomError("scenario_rule", "{problem}", {"problem": problem, "allowed": allowed, "key": key})


def key_path(loc) -> str:
    """``("arms", 0, "therapies", 1, "drug")`` -> ``arms[0].therapies[1].drug`` (keys that are not
    bare TOML keys quoted)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part)
            path = f"{path}.{part}" if path else part
    return path or "(document)"


def _without_none(annotation):
    """``X`` of ``X | None``; other annotations unchanged."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 else annotation


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _lookup(model: type[BaseModel], loc):
    """``(annotation, field)`` at ``loc`` in ``model`` (field None for array items, table values
    and keys the model does not have)."""
    annotation, field = model, None
    for part in loc:
        annotation = _without_none(annotation)
        if _is_model(annotation):
            field = annotation.model_fields.get(part)
            annotation = None if field is None else field.annotation
        else:
            args = typing.get_args(annotation)
            annotation, field = (args[-1] if args else None), None
    return _without_none(annotation), field


#: Python type of a TOML value -> (one, many) in a TOML user's words.
_KINDS = {str: ("a string", "strings"), int: ("an integer", "integers"), float: ("a finite number", "finite numbers"),
          bool: ("a boolean", "booleans")}


def describe(value) -> str:
    """A TOML value as an error message names it: its kind, and for scalars the value."""
    if isinstance(value, (dict, list)):
        return "a table" if isinstance(value, dict) else "an array"
    kind = "a number" if type(value) is float else _KINDS.get(type(value), (f"a {type(value).__name__}",))[0]
    return f"{kind} ({json.dumps(value) if isinstance(value, (str, bool)) else value!s})"




def _kind(annotation) -> str:
    """What a value of ``annotation`` is, in a TOML user's words."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin is Literal:
        return "one of " + ", ".join(map(str, typing.get_args(annotation)))
    if origin is list:
        item = typing.get_args(annotation)[0]
        item = typing.get_args(item)[0] if typing.get_origin(item) is typing.Annotated else item
        return "an array of tables ([[...]])" if _is_model(item) else f"an array of {_KINDS.get(item, ('', 'values'))[1]}"
    if _is_model(annotation) or origin is dict:
        return "a table"
    return _KINDS.get(annotation, ("a value",))[0]


def explain(error: ValidationError, model: type[BaseModel], prefix=()) -> tuple[str, str, str]:
    """``(key path, problem, allowed)`` of the first error of ``error`` raised by ``model``.

    Unknown keys come first (a misspelt key also makes the intended one missing). ``prefix``
    is prepended to the key path (the table's own path when ``model`` validated a sub-table).
    """
    loc, problem, allowed = locate(error, model)
    return key_path(tuple(prefix) + loc), problem, allowed


def locate(error: ValidationError, model: type[BaseModel]) -> tuple[tuple, str, str]:
    """``(key, problem, allowed)`` of the first error of ``error`` raised by ``model``, the key as
    data (a tuple of keys and indices): :func:`explain` before the key path is written out."""
    first = min(error.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    kind, loc, value, ctx = first["type"], tuple(first["loc"]), first.get("input"), first.get("ctx", {})
    if kind == "scenario_rule":
        return loc + tuple(ctx["key"]), ctx["problem"], ctx["allowed"]
    annotation, field = _lookup(model, loc)
    described = field.description if field is not None and field.description else _kind(annotation)
    key = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        owner, _ = _lookup(model, loc[:-1])
        known = list(owner.model_fields) if _is_model(owner) else []
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problem, allowed = f"unknown key {key!r}{hint}", ", ".join(known)
    elif kind == "missing":
        problem, allowed = "missing required key", f"{key}: {described}"
    elif kind == "literal_error":
        choices = [str(c) for c in typing.get_args(annotation)]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        named = json.dumps(value) if isinstance(value, str) else describe(value)
        problem, allowed = f"unknown {str(key).replace('_', ' ')} {named}{hint}", ", ".join(choices)
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        problem, allowed = f"{value!r} is out of range", described
    elif kind == "value_error":  # a domain check the schema's own rules missed
        problem, allowed = str(ctx["error"]), described
    elif kind in ("too_long", "too_short"):
        problem, allowed = f"{ctx['actual_length']} items", described
    else:  # a value of the wrong kind (string for a number, array for a table, inf, ...)
        problem, allowed = f"expected {_kind(annotation)}, got {describe(value)}", described
    return loc, problem, allowed
