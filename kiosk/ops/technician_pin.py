"""``kiosk technician set-pin``: put a new technician PIN's hash into the terminal's config.

The PIN itself is never written anywhere; only its salted hash (``kiosk.pin``), into ``[ui]``
through ``config_edit`` (in place, comments kept, schema-checked, atomic).
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.ops.config_edit import ConfigEditError, set_values
from kiosk.pin import hash_pin

PIN_RE = re.compile(r"[0-9]{4,12}")


class PinError(ConfigEditError):
    pass


def check_pin(pin: str) -> None:
    if not PIN_RE.fullmatch(pin):
        raise PinError("the PIN must be 4 to 12 digits (the technician types it on the touch keypad)")


def set_pin(config_file: Path, pin: str) -> None:
    check_pin(pin)
    try:
        set_values(config_file, "ui", {"technician_pin_hash": hash_pin(pin)})
    except ConfigEditError as exc:
        raise PinError(exc.message, exc.exit_code) from None
