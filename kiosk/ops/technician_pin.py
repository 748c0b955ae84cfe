"""``kiosk technician set-pin``: put a new technician PIN's hash into the terminal's config.

The PIN itself is never written anywhere; only its salted hash (``kiosk.pin``). The config is
edited in place, line by line, so an integrator's comments and layout survive; the result must
parse to exactly the old config plus the new hash and pass the schema before it replaces the
file (atomically, keeping its owner and a private mode).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from kiosk.ops.provision import write_private
from kiosk.pin import hash_pin
from kiosk.settings.load import check_file

PIN_RE = re.compile(r"^[0-9]{4,12}$")
_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*technician_pin_hash\s*=")


class PinError(Exception):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def check_pin(pin: str) -> None:
    if not PIN_RE.match(pin):
        raise PinError("the PIN must be 4 to 12 digits (the technician types it on the touch keypad)")


def with_pin_hash(text: str, hashed: str) -> str:
    """``text`` with ``[ui] technician_pin_hash`` set to ``hashed``, everything else untouched."""
    line = f'technician_pin_hash = "{hashed}"'
    lines = text.splitlines()
    table = ""
    ui_header = None
    for i, raw in enumerate(lines):
        m = _TABLE.match(raw)
        if m:
            table = m.group(1)
            if table == "ui":
                ui_header = i
            continue
        if table == "ui" and _KEY.match(raw):
            lines[i] = line
            return "\n".join(lines) + "\n"
    if ui_header is not None:
        lines.insert(ui_header + 1, line)
    else:
        if lines and lines[-1].strip():
            lines.append("")
        lines += ["[ui]", line]
    return "\n".join(lines) + "\n"


def set_pin(config_file: Path, pin: str) -> None:
    check_pin(pin)
    try:
        old_text = config_file.read_text(encoding="utf-8") if config_file.exists() else ""
        old: dict[str, Any] = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as exc:
        raise PinError(f"{config_file}: not valid TOML ({exc}); fix it first, nothing changed") from None
    except OSError as exc:
        raise PinError(f"cannot read {config_file}: {exc.strerror}", 1) from None
    hashed = hash_pin(pin)
    new_text = with_pin_hash(old_text, hashed)
    expected = {**old, "ui": {**old.get("ui", {}), "technician_pin_hash": hashed}}
    if tomllib.loads(new_text) != expected:  # e.g. a [ui] written as a dotted or inline table
        raise PinError(
            f"{config_file}: could not add the PIN without changing other settings; "
            f'set [ui] technician_pin_hash = "{hashed}" by hand',
            1,
        )
    owner = None
    if config_file.exists() and os.geteuid() == 0:
        st = config_file.stat()
        owner = (st.st_uid, st.st_gid)
    tmp = config_file.with_name(f".{config_file.name}.pin-check.toml")
    try:
        write_private(tmp, new_text.encode("utf-8"), None)
        _, errors = check_file(tmp)
    finally:
        tmp.unlink(missing_ok=True)
    if errors:
        problems = "; ".join(str(e).replace(str(tmp), str(config_file)) for e in errors)
        raise PinError(f"the config is not valid, nothing changed: {problems}")
    try:
        write_private(config_file, new_text.encode("utf-8"), owner)
    except OSError as exc:
        raise PinError(f"cannot write {config_file}: {exc.strerror}", 1) from None
