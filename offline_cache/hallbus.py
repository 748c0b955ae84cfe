"""Rows of the hall bus in the store (migration m0005): the host's command answers, leases and
state ``seq``; a ticket machine's leases and the tickets it issued from them.

Every function runs inside the caller's transaction (``store.write``) or read connection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SEQ_BLOCK = 1000
"""The host reserves state ``seq`` numbers in blocks: one write per thousand publishes, and a
restart continues above anything it may have published."""


# -- host: command answers ------------------------------------------------------------------------
def command(conn: Any, command_id: str) -> tuple[str, str] | None:
    """(terminal, stored response JSON) of a command already answered, or None."""
    row = conn.execute("SELECT terminal, response FROM hall_commands WHERE id = ?", (command_id,)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def record_command(conn: Any, command_id: str, terminal: str, op: str, at: str, response: str) -> None:
    conn.execute(
        "INSERT INTO hall_commands (id, terminal, op, at, response) VALUES (?, ?, ?, ?, ?)",
        (command_id, terminal, op, at, response),
    )


def issue_answers(conn: Any, terminal: str, since: str) -> list[str]:
    """Stored answers (JSON) of the ``issue`` commands ``terminal`` sent since ``since``."""
    rows = conn.execute(
        "SELECT response FROM hall_commands WHERE terminal = ? AND op = 'issue' AND at >= ?",
        (terminal, since),
    ).fetchall()
    return [str(r[0]) for r in rows]


def purge_commands(conn: Any, before: str) -> int:
    """Answers older than any member still retries (a day) are dropped."""
    return int(conn.execute("DELETE FROM hall_commands WHERE at < ?", (before,)).rowcount)


# -- host: state seq ------------------------------------------------------------------------------
def reserve_seq(conn: Any, floor: int = 0) -> tuple[int, int]:
    """A fresh block ``(first, last)`` of state seq numbers above every block handed out and
    above ``floor`` (the host passes the time in ms: a host restored from an older backup, or a
    new box, still continues above what members have seen, since it publishes far fewer than
    one state a millisecond)."""
    row = conn.execute("SELECT value FROM hall_meta WHERE key = 'seq_reserved'").fetchone()
    top = max(int(row[0]) if row else 0, floor)
    new = top + SEQ_BLOCK
    conn.execute(
        "INSERT INTO hall_meta (key, value) VALUES ('seq_reserved', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(new),),
    )
    return top + 1, new


# -- host: leases ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lease:
    lease_id: str
    terminal: str
    day: str
    category: str
    first: int
    last: int


def grant_lease(conn: Any, lease: Lease, at: str) -> None:
    conn.execute(
        "INSERT INTO hall_leases (lease_id, terminal, day, category, first, last, granted_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (lease.lease_id, lease.terminal, lease.day, lease.category, lease.first, lease.last, at),
    )


def lease(conn: Any, lease_id: str) -> Lease | None:
    row = conn.execute(
        "SELECT lease_id, terminal, day, category, first, last FROM hall_leases WHERE lease_id = ?",
        (lease_id,),
    ).fetchone()
    return (
        None
        if row is None
        else Lease(str(row[0]), str(row[1]), str(row[2]), str(row[3]), int(row[4]), int(row[5]))
    )


def open_leases_before(conn: Any, day: str) -> list[Lease]:
    rows = conn.execute(
        "SELECT lease_id, terminal, day, category, first, last FROM hall_leases "
        "WHERE day < ? AND closed_at IS NULL ORDER BY day, category, first",
        (day,),
    ).fetchall()
    return [Lease(str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5])) for r in rows]


def close_lease(conn: Any, lease_id: str, at: str, voided: list[int]) -> None:
    conn.execute(
        "UPDATE hall_leases SET closed_at = ?, voided = ? WHERE lease_id = ?",
        (at, json.dumps(voided), lease_id),
    )


# -- member: leases held and tickets issued from them ---------------------------------------------
def hold_lease(conn: Any, lease: Lease) -> None:
    conn.execute(
        "INSERT INTO hall_member_leases (lease_id, day, category, first, last, next)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (lease_id) DO NOTHING",
        (lease.lease_id, lease.day, lease.category, lease.first, lease.last, lease.first),
    )


def held(conn: Any, day: str, category: str) -> list[tuple[str, int, int]]:
    """(lease_id, next seq, last seq) of the leases held for ``day`` and ``category``, oldest first."""
    rows = conn.execute(
        "SELECT lease_id, next, last FROM hall_member_leases WHERE day = ? AND category = ? AND next <= last "
        "ORDER BY first",
        (day, category),
    ).fetchall()
    return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


def remaining(conn: Any, day: str, category: str) -> int:
    return sum(last - nxt + 1 for _, nxt, last in held(conn, day, category))


def take_from_lease(conn: Any, day: str, category: str) -> tuple[str, int] | None:
    """The next leased number (lease id, seq), consumed in this transaction; None when none is left."""
    for lease_id, nxt, _last in held(conn, day, category):
        conn.execute("UPDATE hall_member_leases SET next = next + 1 WHERE lease_id = ?", (lease_id,))
        return lease_id, nxt
    return None


def drop_leases_before(conn: Any, day: str) -> None:
    conn.execute("DELETE FROM hall_member_leases WHERE day < ?", (day,))


def keep_offline_ticket(conn: Any, ticket: dict[str, Any], number: str, day: str) -> None:
    conn.execute(
        "INSERT INTO hall_offline_tickets (ticket_id, lease_id, day, category, seq, number, issued_at,"
        " payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ticket["ticket_id"],
            ticket["lease_id"],
            day,
            ticket["category"],
            ticket["seq"],
            number,
            ticket["issued_at"],
            json.dumps(ticket, ensure_ascii=False, sort_keys=True),
        ),
    )


def offline_for_holder(conn: Any, day: str, category: str, holder_id_hash: str) -> int:
    """Numbers this machine gave the holder from its leases (voided ones do not count)."""
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM hall_offline_tickets WHERE day = ? AND category = ? AND state != 'voided'"
            " AND json_extract(payload, '$.holder_id_hash') = ?",
            (day, category, holder_id_hash),
        ).fetchone()[0]
    )


def unsubmitted(conn: Any, limit: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT payload FROM hall_offline_tickets WHERE submitted_at IS NULL AND state = 'printed'"
        " ORDER BY issued_at, seq LIMIT ?",
        (limit,),
    ).fetchall()
    return [dict(json.loads(r[0])) for r in rows]


def mark_submitted(conn: Any, ticket_ids: list[str], at: str) -> None:
    conn.executemany(
        "UPDATE hall_offline_tickets SET submitted_at = ? WHERE ticket_id = ?", [(at, t) for t in ticket_ids]
    )


def offline_tickets(conn: Any) -> list[dict[str, Any]]:
    """Every ticket this machine issued from a lease (its ledger), in issue-time order."""
    rows = conn.execute(
        "SELECT payload, number, submitted_at, state FROM hall_offline_tickets ORDER BY issued_at, seq"
    ).fetchall()
    return [{**json.loads(r[0]), "number": r[1], "submitted_at": r[2], "state": r[3]} for r in rows]
