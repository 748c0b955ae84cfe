"""A small validator that turns raw TOML tables into frozen dataclasses.

Written by hand (instead of pulling in a model library) so that every message can name the
dotted key and say in plain words what is wrong, and so that unknown keys are always errors:
a misspelled key silently falling back to a default is how a hall ends up printing on the
wrong port.

Field constraints live in ``dataclasses.field(metadata=...)``: ``min``/``max`` for numbers,
``pattern`` for strings, ``doc`` for a one-line description. A dataclass may name one field in
``__extra_field__``; unknown keys are then collected into that field (used by device tables,
whose options depend on the driver) and checked by the class's ``__extra_check__``.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

Report = Callable[[str, str], None]
"""report(dotted_key, reason)"""

_MISSING = object()


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (list, tuple):
        return "a list"
    if origin is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _got(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def convert(tp: Any, value: Any, path: str, report: Report, meta: Mapping[str, Any]) -> Any:
    """Check ``value`` against type ``tp``; return the converted value or ``_MISSING``."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return convert(inner[0], value, path, report, meta)
    if origin is Literal:
        choices = get_args(tp)
        if value not in choices or type(value) is not type(choices[0]):
            report(path, f"must be {_type_name(tp)}, got {value!r}")
            return _MISSING
        return value
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            report(path, f"must be a table, got {_got(value)}")
            return _MISSING
        return build(typing.cast(type, tp), value, path, report)
    if origin in (list, tuple):
        if not isinstance(value, list):
            report(path, f"must be a list, got {_got(value)}")
            return _MISSING
        (item_tp, *_) = get_args(tp) or (Any,)
        items = [convert(item_tp, v, f"{path}[{i}]", report, {}) for i, v in enumerate(value)]
        if any(v is _MISSING for v in items):
            return _MISSING
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            report(path, f"must be a table, got {_got(value)}")
            return _MISSING
        _, val_tp = get_args(tp)
        out = {k: convert(val_tp, v, _join(path, k), report, {}) for k, v in value.items()}
        if any(v is _MISSING for v in out.values()):
            return _MISSING
        return out
    if tp is Any:
        return value
    if tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, tp)
    if not ok:
        report(path, f"must be {_type_name(tp)}, got {_got(value)}")
        return _MISSING
    return _check_constraints(value, path, report, meta)


def _check_constraints(value: Any, path: str, report: Report, meta: Mapping[str, Any]) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        # nan compares false with every bound, so it would pass min/max unseen
        report(path, f"must be a finite number, got {value!r}")
        return _MISSING
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and value < lo:
        report(path, f"must be at least {lo}, got {value!r}")
        return _MISSING
    if hi is not None and value > hi:
        report(path, f"must be at most {hi}, got {value!r}")
        return _MISSING
    pattern = meta.get("pattern")
    if pattern is not None and isinstance(value, str) and not re.fullmatch(pattern, value):
        report(path, f"{meta.get('pattern_doc', 'does not match ' + pattern)}, got {value!r}")
        return _MISSING
    return value


def build(cls: type[T], raw: Mapping[str, Any], path: str, report: Report) -> Any:
    """Build dataclass ``cls`` from ``raw``; problems go to ``report`` and yield ``_MISSING``."""
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    extra_name: str | None = getattr(cls, "__extra_field__", None)
    values: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    failed = False
    for key, value in raw.items():
        if key in fields and key != extra_name:
            continue
        if extra_name is not None:
            extras[key] = value
            continue
        hint = difflib.get_close_matches(key, list(fields), n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        report(_join(path, key), f"unknown key{suggestion}")
        failed = True
    for name, f in fields.items():
        if name == extra_name:
            continue
        if name in raw:
            converted = convert(hints[name], raw[name], _join(path, name), report, f.metadata)
            if converted is _MISSING:
                failed = True
            else:
                values[name] = converted
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            report(_join(path, name), "is required")
            failed = True
    if extra_name is not None:
        checker = getattr(cls, "__extra_check__", None)
        checked = checker(values, extras, path, report) if checker else extras
        if checked is _MISSING or checked is None:
            failed = True
        else:
            values[extra_name] = checked
    if failed:
        return _MISSING
    return cls(**values)


def is_missing(value: object) -> bool:
    return value is _MISSING


def field_docs(cls: type) -> dict[str, str]:
    return {f.name: f.metadata.get("doc", "") for f in dataclasses.fields(cls)}
