"""What the terminal accepts from the platform, record by record, beyond the contract's shapes.

The contract says "a string" and "an integer"; a terminal must also be able to use the value
everywhere downstream: a 300-character time zone makes ``ZoneInfo`` raise ``OSError``, a
``legal_days`` of 2**70 overflows SQLite. Each record is checked here, at the boundary,
against bounds on its strings and numbers; a record that fails is refused with one plain
line (``Refused``) and the terminal keeps its last good copy. Limits are generous: ten times
anything a real hall or catalog holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kiosk.queue.model import HallProfile, HallProfileInvalid

CODE_MAX = 64
NAME_MAX = 200
TEXT_MAX = 8000
DAYS_MAX = 3650
"""Ten years: no service item has a statutory or promised time longer than that."""
VERSION_MAX = 2**53 - 1


def one_line(value: Any, limit: int = 200) -> str:
    """Platform-given text (an error, a code, a field path, a reason) for one plain line:
    unprintable characters as "?", at most ``limit`` characters, a cut marked with "…"."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Refused(ValueError):
    """A record from the platform the terminal will not use; ``str()`` is one plain line."""


def _text(record: Mapping[str, Any], key: str, limit: int, *, nullable: bool = False) -> None:
    if not isinstance(record, Mapping):
        raise Refused(f"an entry holding {key} is not an object")
    value = record.get(key)
    if value is None and nullable:
        return
    if not isinstance(value, str):
        raise Refused(f"{key} is not text")
    if len(value) > limit:
        raise Refused(f"{key} is {len(value)} characters long (at most {limit})")
    if any(ord(c) < 0x20 and c not in "\n\t" for c in value):
        raise Refused(f"{key} holds control characters")


def _number(record: Mapping[str, Any], key: str, lo: int, hi: int, *, nullable: bool = False) -> None:
    if not isinstance(record, Mapping):
        raise Refused(f"an entry holding {key} is not an object")
    value = record.get(key)
    if value is None and nullable:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise Refused(f"{key} = {str(value)[:24]} is outside {lo}..{hi}")


def _count(record: Mapping[str, Any], key: str, limit: int) -> list[Any]:
    if not isinstance(record, Mapping):
        raise Refused(f"an entry holding {key} is not an object")
    value = record.get(key)
    if not isinstance(value, list):
        raise Refused(f"{key} is not a list")
    if len(value) > limit:
        raise Refused(f"{key} has {len(value)} entries (at most {limit})")
    return value


def _stamp(record: Mapping[str, Any], key: str, *, nullable: bool = False) -> None:
    _text(record, key, 64, nullable=nullable)
    value = record.get(key)
    if value is None:
        return
    try:
        datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise Refused(f"{key} is not a date and time") from None


def hall_profile(body: Mapping[str, Any]) -> HallProfile:
    """The profile as the queue will use it, or ``Refused``."""
    if not isinstance(body, Mapping):
        raise Refused("the hall profile is not an object")
    _text(body, "hall_id", CODE_MAX)
    for key in ("name", "address"):
        _text(body, key, NAME_MAX * 2)
    _number(body, "version", 0, VERSION_MAX)
    _text(body, "id_hash_salt", 256, nullable=True)
    for c in _count(body, "categories", 26):
        _text(c, "code", CODE_MAX)
        _text(c, "name", NAME_MAX)
        _number(c, "daily_limit", 0, 100_000)
    for k in _count(body, "counters", 999):
        _number(k, "number", 1, 9999)
        _text(k, "name", NAME_MAX)
        _count(k, "categories", 26)
    for h in _count(body, "opening_hours", 70):
        _text(h, "open", 8)
        _text(h, "close", 8)
    try:
        return HallProfile.from_dict(dict(body))
    except HallProfileInvalid as exc:
        raise Refused(one_line(exc)) from None


def catalog_item(item: Mapping[str, Any]) -> None:
    """``Refused`` unless the item can be stored, searched and shown."""
    _text(item, "code", CODE_MAX)
    for key in ("name", "department", "category"):
        _text(item, key, NAME_MAX)
    _text(item, "name_en", NAME_MAX, nullable=True)
    _number(item, "legal_days", 0, DAYS_MAX, nullable=True)
    _number(item, "promised_days", 0, DAYS_MAX, nullable=True)
    for key in ("fee", "location", "phone"):
        _text(item, key, 1000)
    _text(item, "conditions", TEXT_MAX)
    _stamp(item, "updated_at")
    for m in _count(item, "materials", 200):
        _text(m, "name", 1000)
        _number(m, "copies", 0, 1000)
        _text(m, "note", 2000, nullable=True)
    for i, step in enumerate(_count(item, "steps", 100)):
        _text({f"steps[{i}]": step}, f"steps[{i}]", 2000)
    for f in _count(item, "faq", 100):
        _text(f, "q", 2000)
        _text(f, "a", TEXT_MAX)


def appointment(appt: Mapping[str, Any]) -> None:
    for key in ("id", "category"):
        _text(appt, key, CODE_MAX)
    _text(appt, "item_code", CODE_MAX, nullable=True)
    _stamp(appt, "slot_start")
    _stamp(appt, "slot_end")
    _text(appt, "holder_id_hash", 128)
    _text(appt, "holder_name_masked", 64)


def signing_key(key: Mapping[str, Any]) -> None:
    _text(key, "kid", CODE_MAX)
    _text(key, "public_key", 128)
    _stamp(key, "not_after", nullable=True)


def command(cmd: Mapping[str, Any]) -> None:
    _text(cmd, "id", CODE_MAX)
    _text(cmd, "name", CODE_MAX)
