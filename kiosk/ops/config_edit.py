"""Change a few keys of a terminal config in place: what the technician tested on site (a serial
port), a new technician PIN hash.

Line by line, so an integrator's comments and layout survive. The result must parse to exactly
the old config plus the new values and pass the schema before it replaces the file (atomically,
keeping its owner and a private mode); otherwise nothing changes and the error says why.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from kiosk.ops import tomlwrite
from kiosk.ops.files import write_private
from kiosk.settings.load import check_document

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")

Value = str | int | bool


class ConfigEditError(Exception):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def _table_name(header: str) -> str:
    return ".".join(part.strip().strip('"') for part in header.split("."))


def with_values(text: str, table: str, values: dict[str, Value]) -> str:
    """``text`` with ``[table]`` keys set to ``values``, every other line untouched."""
    lines = text.splitlines()
    current = ""
    header = None
    pending = dict(values)
    for i, raw in enumerate(lines):
        m = _TABLE.match(raw)
        if m:
            current = _table_name(m.group(1))
            if current == table:
                header = i
            continue
        if current != table:
            continue
        for key in list(pending):
            if re.match(rf"^\s*{re.escape(key)}\s*=", raw):
                lines[i] = f"{key} = {tomlwrite.value(pending.pop(key))}"
    new = [f"{k} = {tomlwrite.value(v)}" for k, v in pending.items()]
    if header is not None:
        lines[header + 1 : header + 1] = new
    elif new:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [f"[{table}]", *new]
    return "\n".join(lines) + "\n"


def _expected(old: dict[str, Any], table: str, values: dict[str, Value]) -> dict[str, Any]:
    doc = dict(old)
    node = doc
    for part in table.split("."):
        node[part] = dict(node.get(part, {}))
        node = node[part]
    node.update(values)
    return doc


def set_values(path: Path, table: str, values: dict[str, Value]) -> None:
    try:
        old_text = path.read_text(encoding="utf-8") if path.exists() else ""
        old: dict[str, Any] = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigEditError(f"{path}: not valid TOML ({exc}); fix it first, nothing changed") from None
    except OSError as exc:
        raise ConfigEditError(f"cannot read {path}: {exc.strerror}", 1) from None
    new_text = with_values(old_text, table, values)
    try:
        new: dict[str, Any] | None = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        new = None
    if new is None or new != _expected(old, table, values):  # e.g. an inline table, dotted keys
        wanted = ", ".join(f"{k} = {tomlwrite.value(v)}" for k, v in values.items())
        raise ConfigEditError(
            f"{path}: could not change [{table}] without touching other settings; set {wanted} by hand", 1
        )
    owner = None
    if path.exists() and os.geteuid() == 0:
        st = path.stat()
        owner = (st.st_uid, st.st_gid)
    _, errors = check_document(str(path), new)
    if errors:
        problems = "; ".join(str(e) for e in errors)
        raise ConfigEditError(f"the config would not be valid, nothing changed: {problems}")
    try:
        write_private(path, new_text.encode("utf-8"), owner)
    except OSError as exc:  # e.g. a root-owned /etc/hall-kiosk and the kiosk user
        raise ConfigEditError(f"cannot write {path}: {exc.strerror}", 1) from None
