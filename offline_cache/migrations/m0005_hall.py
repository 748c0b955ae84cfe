"""The hall bus (``docs/hall-bus.md``): what a host and a member keep in their own store.

Host: every command's answer by the member's command id (written in the transaction of the
change it made, so a repeat gets the first answer), the number leases it granted, and the
high-water mark of the state ``seq`` (so it never goes back after a restart).
Member (ticket machine): its copy of the leases it holds, and the tickets it issued from them
while the host was unreachable, until the host has them.
"""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
CREATE TABLE hall_commands (
    id          TEXT PRIMARY KEY,
    terminal    TEXT NOT NULL,
    op          TEXT NOT NULL,
    at          TEXT NOT NULL,
    response    TEXT NOT NULL
);
CREATE INDEX hall_commands_at ON hall_commands (at);
CREATE TABLE hall_leases (
    lease_id    TEXT PRIMARY KEY,
    terminal    TEXT NOT NULL,
    day         TEXT NOT NULL,
    category    TEXT NOT NULL,
    first       INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    granted_at  TEXT NOT NULL,
    closed_at   TEXT,
    voided      TEXT
);
CREATE INDEX hall_leases_day ON hall_leases (day);
CREATE TABLE hall_meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
CREATE TABLE hall_member_leases (
    lease_id    TEXT PRIMARY KEY,
    day         TEXT NOT NULL,
    category    TEXT NOT NULL,
    first       INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    next        INTEGER NOT NULL
);
CREATE TABLE hall_offline_tickets (
    ticket_id   TEXT PRIMARY KEY,
    lease_id    TEXT NOT NULL,
    day         TEXT NOT NULL,
    category    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    number      TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'printing',
    submitted_at TEXT,
    UNIQUE (day, category, seq)
);
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
