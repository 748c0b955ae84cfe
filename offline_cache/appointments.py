"""The day's bookings, matched offline against an ID card by salted hash.

The terminal never holds a booking's plain ID number: the platform sends
``holder_id_hash = hex(SHA256(hall_salt + ":" + id_number_uppercase))`` and the kiosk hashes the
card it reads the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from offline_cache.outbox import now_rfc3339


def holder_id_hash(salt: str, id_number: str) -> str:
    return hashlib.sha256(f"{salt}:{id_number.strip().upper()}".encode()).hexdigest()


@dataclass(frozen=True)
class Appointment:
    id: str
    hall_id: str
    date: str
    item_code: str | None
    category: str
    slot_start: str
    slot_end: str
    holder_id_hash: str
    holder_name_masked: str
    status: str
    checked_in_at: str | None
    ticket_id: str | None


_COLS = (
    "id, hall_id, date, item_code, category, slot_start, slot_end, holder_id_hash, holder_name_masked, "
    "status, checked_in_at, ticket_id"
)


def upsert(conn: Any, hall_id: str, date: str, items: list[dict[str, Any]]) -> int:
    """Store bookings as sent by the platform; a local check-in survives a later pull."""
    for a in items:
        conn.execute(
            "INSERT INTO appointments (id, hall_id, date, item_code, category, slot_start, slot_end, "
            "holder_id_hash, holder_name_masked, status, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET item_code=excluded.item_code, category=excluded.category, "
            "slot_start=excluded.slot_start, slot_end=excluded.slot_end, "
            "holder_id_hash=excluded.holder_id_hash, holder_name_masked=excluded.holder_name_masked, "
            "status=excluded.status, updated_at=excluded.updated_at, date=excluded.date",
            (
                a["id"],
                hall_id,
                date,
                a.get("item_code"),
                a["category"],
                a["slot_start"],
                a["slot_end"],
                a["holder_id_hash"].lower(),
                a.get("holder_name_masked", ""),
                a["status"],
                now_rfc3339(),
            ),
        )
    return len(items)


def get(conn: Any, appointment_id: str) -> Appointment | None:
    row = conn.execute(f"SELECT {_COLS} FROM appointments WHERE id = ?", (appointment_id,)).fetchone()  # noqa: S608
    return None if row is None else Appointment(*tuple(row))


def for_holder(conn: Any, holder_hash: str, date: str) -> list[Appointment]:
    """Booked (not cancelled) appointments of one person on one date, earliest slot first."""
    rows = conn.execute(
        f"SELECT {_COLS} FROM appointments WHERE holder_id_hash = ? AND date = ? AND status = 'booked' "  # noqa: S608
        "ORDER BY slot_start",
        (holder_hash.lower(), date),
    ).fetchall()
    return [Appointment(*tuple(r)) for r in rows]


def on_date(conn: Any, date: str) -> list[Appointment]:
    rows = conn.execute(
        f"SELECT {_COLS} FROM appointments WHERE date = ? ORDER BY slot_start, id",  # noqa: S608
        (date,),
    ).fetchall()
    return [Appointment(*tuple(r)) for r in rows]


def mark_checked_in(conn: Any, appointment_id: str, ticket_id: str, at: str) -> bool:
    """Record a local check-in once; False if unknown, cancelled or already checked in."""
    cur = conn.execute(
        "UPDATE appointments SET checked_in_at = ?, ticket_id = ? "
        "WHERE id = ? AND status = 'booked' AND checked_in_at IS NULL",
        (at, ticket_id, appointment_id),
    )
    return bool(cur.rowcount)


def purge_before(conn: Any, date: str) -> int:
    return int(conn.execute("DELETE FROM appointments WHERE date < ?", (date,)).rowcount)
