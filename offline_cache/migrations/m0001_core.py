"""Core tables: outbox, quarantine, sync cursors, hall profile, appointments, keys, settings."""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Events for the platform, in the order they happened (seq). A row leaves the outbox when the
-- platform has accepted it (or reported it a duplicate) or it was moved to quarantine.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL,
    at              TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending')),
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, seq);

-- Events the platform rejected (or data it sent that made no sense): kept for a technician.
CREATE TABLE quarantine (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    type           TEXT NOT NULL,
    payload        BLOB NOT NULL,
    reason         TEXT NOT NULL,
    quarantined_at TEXT NOT NULL
);

CREATE TABLE sync_cursors (
    name       TEXT PRIMARY KEY,
    cursor     TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE hall_profile (
    hall_id    TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    payload    TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

-- The day's bookings. The holder is only ever a salted hash; the name only masked.
CREATE TABLE appointments (
    id                 TEXT PRIMARY KEY,
    hall_id            TEXT NOT NULL,
    date               TEXT NOT NULL,
    item_code          TEXT,
    category           TEXT NOT NULL,
    slot_start         TEXT NOT NULL,
    slot_end           TEXT NOT NULL,
    holder_id_hash     TEXT NOT NULL,
    holder_name_masked TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    checked_in_at      TEXT,
    ticket_id          TEXT,
    updated_at         TEXT NOT NULL
);
CREATE INDEX appointments_holder ON appointments (holder_id_hash, date);
CREATE INDEX appointments_date ON appointments (date, slot_start);

-- Public keys for offline QR codes.
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    alg        TEXT NOT NULL,
    public_key TEXT NOT NULL,
    not_after  TEXT
);
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
