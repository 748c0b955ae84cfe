"""Outcomes of the platform's online ticket requests (migration m0006), one row per request id.

Written in the transaction that issued the ticket (or recorded the refusal), so "already
handled" is exactly "has a row": a repeated pull or a restart between pull and issue finds it
and issues nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from offline_cache import retention


def outcome(conn: Any, request_id: str) -> tuple[str, str | None, str | None] | None:
    """(outcome, ticket_id, reason) of a request already handled, else None."""
    row = conn.execute(
        "SELECT outcome, ticket_id, reason FROM remote_requests WHERE request_id = ?", (request_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), row[1], row[2])


def record(
    conn: Any, request_id: str, result: str, *, ticket_id: str | None = None, reason: str | None = None
) -> None:
    conn.execute(
        "INSERT INTO remote_requests (request_id, pulled_at, outcome, ticket_id, reason)"
        " VALUES (?, ?, ?, ?, ?)",
        (request_id, datetime.now(UTC).isoformat(timespec="seconds"), result, ticket_id, reason),
    )


def purge(conn: Any, cutoff: str) -> int:
    """Requests are pulled once and are for the day they were taken: a row older than the
    retention cutoff can never be pulled again (the cursor is past it)."""
    cur = conn.execute("DELETE FROM remote_requests WHERE pulled_at < ?", (cutoff,))
    return int(cur.rowcount)


retention.register("remote_requests", purge)
