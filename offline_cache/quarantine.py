"""Quarantine: what the platform rejected (or sent us that made no sense), kept for a technician.

Nothing is silently dropped: a rejected event leaves the outbox only by moving here, with the
platform's reason. A technician can list, inspect and release (re-queue) or discard entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from offline_cache.outbox import now_rfc3339


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    type: str
    payload: str
    reason: str
    quarantined_at: str


def add(conn: Any, entry_id: str, kind: str, type_: str, payload: Any, reason: str) -> None:
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    conn.execute(
        "INSERT INTO quarantine (id, kind, type, payload, reason, quarantined_at) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET reason=excluded.reason, quarantined_at=excluded.quarantined_at",
        (entry_id, kind, type_, text, reason[:1000], now_rfc3339()),
    )


def move_from_outbox(conn: Any, event_id: str, reason: str) -> bool:
    row = conn.execute("SELECT type, payload FROM outbox WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        return False
    add(conn, event_id, "event", row[0], row[1], reason)
    conn.execute("DELETE FROM outbox WHERE id = ?", (event_id,))
    return True


def count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM quarantine").fetchone()[0])


def entries(conn: Any, limit: int = 100) -> list[Entry]:
    rows = conn.execute(
        "SELECT id, kind, type, payload, reason, quarantined_at FROM quarantine "
        "ORDER BY quarantined_at LIMIT ?",
        (limit,),
    ).fetchall()
    return [Entry(*(str(v) if not isinstance(v, str) else v for v in tuple(r))) for r in rows]


def release(conn: Any, entry_id: str) -> bool:
    """Put a quarantined event back at the end of the outbox (after a technician fixed the cause)."""
    row = conn.execute("SELECT kind, type, payload FROM quarantine WHERE id = ?", (entry_id,)).fetchone()
    if row is None or row[0] != "event":
        return False
    event = json.loads(row[2])
    conn.execute(
        "INSERT INTO outbox (id, type, at, payload, created_at, next_attempt_at) VALUES (?,?,?,?,?,0)",
        (event["id"], row[1], event["at"], row[2], now_rfc3339()),
    )
    conn.execute("DELETE FROM quarantine WHERE id = ?", (entry_id,))
    return True
