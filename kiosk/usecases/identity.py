"""The few facts the queue needs from an identity document: the ID number (hashed at once,
never stored) and the birth date (for elderly priority)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kiosk.identity.classify import OfflineCode
from offline_cache.appointments import holder_id_hash

_ID18 = re.compile(r"\d{6}(\d{8})\d{3}[0-9Xx]")


def birth_date_of(identity: Any) -> date | None:
    """From the card's birth date field (``1985-03-07`` / ``19850307`` / a date), else from the
    18-digit resident ID number."""
    value = getattr(identity, "birth_date", None)
    if isinstance(value, date):
        return value
    candidates = []
    if isinstance(value, str) and value.strip():
        candidates.append(value.strip().replace("-", "").replace(".", "").replace("/", ""))
    m = _ID18.fullmatch(str(getattr(identity, "id_number", "") or "").strip())
    if m:
        candidates.append(m.group(1))
    for c in candidates:
        if len(c) == 8 and c.isdigit():
            try:
                return date(int(c[:4]), int(c[4:6]), int(c[6:8]))
            except ValueError:
                continue
    return None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def holder_hash(identity: Any, salt: str) -> str | None:
    """The salted hash the queue keeps; a platform person code (``HK1``, typ ``person``) already
    carries it, signed, so a citizen without the card can still take a real-name number."""
    if isinstance(identity, OfflineCode):
        return identity.sub if identity.typ == "person" else None
    number = str(getattr(identity, "id_number", "") or "").strip()
    return holder_id_hash(salt, number) if number else None
