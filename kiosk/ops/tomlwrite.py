"""A small TOML writer for terminal configs (tables of strings, numbers, booleans and arrays).

The standard library reads TOML but cannot write it; configs are simple enough that a short,
tested writer beats a new dependency. Round-trip is checked by the caller with ``tomllib``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _string(s: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; TOML also forbids a raw DEL.
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(k: str) -> str:
    return k if _BARE_KEY.fullmatch(k) else _string(k)


def value(v: Any) -> str:
    """One TOML value (string, number, boolean or array of those)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise ValueError("NaN and infinity have no place in a terminal config")
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dumps(doc: dict[str, Any], header: str = "") -> str:
    lines: list[str] = [f"# {line}".rstrip() for line in header.splitlines()]

    def table(path: list[str], node: dict[str, Any]) -> None:
        scalars = [(k, v) for k, v in node.items() if not isinstance(v, dict)]
        tables = [(k, v) for k, v in node.items() if isinstance(v, dict)]
        if path and (scalars or not tables):
            if lines:
                lines.append("")
            lines.append("[" + ".".join(_key(p) for p in path) + "]")
        for k, v in scalars:
            lines.append(f"{_key(k)} = {value(v)}")
        for k, v in tables:
            table([*path, k], v)

    table([], doc)
    return "\n".join(lines) + "\n"
