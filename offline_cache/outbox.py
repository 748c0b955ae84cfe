"""The outbox: every event for the platform, written in the same transaction as the action.

The terminal makes the event id (uuid4), so a push whose answer was lost can be resent and the
platform reports it as a duplicate instead of applying it twice. Rows leave the outbox only
when the platform has accepted them (or called them duplicates) or they were quarantined.
Order is ``seq`` (insertion order), which keeps each ticket's events in the order they happened.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from offline_cache import contract

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""``json.dumps`` with these options builds an encoder per call; every event is encoded here."""


def now_rfc3339() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _at(at: datetime | str | None) -> str:
    if at is None:
        return now_rfc3339()
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError("event time must carry a UTC offset")
        return at.isoformat(timespec="milliseconds")
    datetime.fromisoformat(at)  # raises ValueError for garbage
    return at


def enqueue(
    conn: Any,
    type: str,
    data: dict[str, Any],
    *,
    terminal_id: str,
    hall_id: str,
    at: datetime | str | None = None,
) -> str:
    """Record one event inside the caller's write transaction; return its id.

    The event is checked against the contract here, so a malformed event fails the action that
    made it (and rolls it back) instead of surfacing days later in quarantine.
    """
    event_id, row = prepare(type, data, terminal_id=terminal_id, hall_id=hall_id, at=at)
    insert(conn, [row])
    return event_id


def prepare(
    type: str,
    data: dict[str, Any],
    *,
    terminal_id: str,
    hall_id: str,
    at: datetime | str | None = None,
) -> tuple[str, tuple[str, str, str, str, str]]:
    """The event's id and outbox row, checked against the contract (``enqueue`` in two steps,
    for a caller that inserts a group of them at once with ``insert``, in their order)."""
    event_id = str(uuid.uuid4())
    event = {
        "id": event_id,
        "type": type,
        "at": _at(at),
        "terminal_id": terminal_id,
        "hall_id": hall_id,
        "data": data,
    }
    try:
        contract.check_event(event)
    except contract.ContractError as exc:
        raise ValueError(f"event {type!r} does not match the platform contract: {exc}") from None
    payload = _COMPACT.encode(event)
    return event_id, (event_id, type, str(event["at"]), payload, now_rfc3339())


def insert(conn: Any, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Insert prepared events inside the caller's transaction, in the order given (their seq)."""
    conn.executemany(
        "INSERT INTO outbox (id, type, at, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0)",
        rows,
    )


@dataclass(frozen=True)
class Pending:
    seq: int
    id: str
    type: str
    attempts: int
    payload: str
    """The event as stored: its JSON, which the push sends as it is."""

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.payload))


def depth(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def due(conn: Any, limit: int = 500, now: float | None = None, after_seq: int = 0) -> list[Pending]:
    """The oldest events whose retry time has come, in order, at most ``limit``.

    Stops at the first event that is not yet due so a later event never overtakes an earlier
    one waiting on backoff (order per ticket is preserved). ``after_seq`` skips the events of
    a batch already delivered whose removal is still being written.
    """
    t = time.time() if now is None else now
    rows = conn.execute(
        "SELECT seq, id, type, attempts, payload, next_attempt_at FROM outbox WHERE seq > ? "
        "ORDER BY seq LIMIT ?",
        (after_seq, limit),
    ).fetchall()
    out: list[Pending] = []
    for seq, eid, typ, attempts, payload, next_at in rows:
        if next_at > t:
            break
        out.append(Pending(seq, eid, typ, attempts, payload))
    return out


def next_due_at(conn: Any) -> float | None:
    row = conn.execute("SELECT next_attempt_at FROM outbox ORDER BY seq LIMIT 1").fetchone()
    return None if row is None else float(row[0])


def mark_done(conn: Any, ids: list[str]) -> int:
    """Remove delivered events (accepted or duplicates)."""
    n = 0
    for chunk in _chunks(ids, 400):
        marks = ",".join("?" * len(chunk))
        n += conn.execute(f"DELETE FROM outbox WHERE id IN ({marks})", chunk).rowcount  # noqa: S608
    return n


def mark_failed(conn: Any, ids: list[str], error: str, next_attempt_at: float) -> None:
    """Count an attempt and hold the events until ``next_attempt_at`` (epoch seconds)."""
    for chunk in _chunks(ids, 400):
        marks = ",".join("?" * len(chunk))
        conn.execute(
            f"UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "  # noqa: S608
            f"WHERE id IN ({marks})",
            [error[:500], next_attempt_at, *chunk],
        )


def reschedule_all(conn: Any, when: float = 0.0) -> None:
    """Make everything due now (``sync now`` from a technician or a heartbeat command)."""
    conn.execute("UPDATE outbox SET next_attempt_at = ?", (when,))


def _chunks(items: list[str], n: int) -> list[list[str]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


@dataclass(frozen=True)
class Waiting:
    """An event still in the outbox, as a technician sees it (no payload: it may be personal)."""

    id: str
    type: str
    created_at: str
    attempts: int
    last_error: str


def waiting(conn: Any, limit: int = 20) -> list[Waiting]:
    """The oldest events still to send, in sending order (the technician's sync page)."""
    rows = conn.execute(
        "SELECT id, type, created_at, attempts, last_error FROM outbox ORDER BY seq LIMIT ?", (limit,)
    ).fetchall()
    return [Waiting(str(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4] or "")) for r in rows]
