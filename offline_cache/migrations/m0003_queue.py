"""Queue ledger: tickets, daily number sequences, counters, policy state, evaluations.

Owned by the queue (``kiosk.queue.ledger``). Every column the choice of the next call depends
on is here (order key, passed-over count, round-robin credits), so a restart rebuilds the exact
queue. Tickets are never deleted during their day: a number once taken stays taken.
"""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
CREATE TABLE q_tickets (
    ticket_id       TEXT PRIMARY KEY,
    number          TEXT NOT NULL,
    day             TEXT NOT NULL,
    seq             INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 999),
    category        TEXT NOT NULL,
    origin_category TEXT NOT NULL,
    item_code       TEXT,
    priority        TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    queue_order     INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN
                    ('printing', 'waiting', 'called', 'served', 'no_show', 'voided', 'expired')),
    appointment_id  TEXT,
    holder_id_hash  TEXT,
    checked_in_at   TEXT,
    late_minutes    INTEGER,
    counter         INTEGER,
    first_called_at TEXT,
    first_counter   INTEGER,
    called_at       TEXT,
    recalls         INTEGER NOT NULL DEFAULT 0,
    requeues        INTEGER NOT NULL DEFAULT 0,
    transfers       INTEGER NOT NULL DEFAULT 0,
    passed_over     INTEGER NOT NULL DEFAULT 0,
    finished_at     TEXT,
    case_number     TEXT,
    note            TEXT,
    UNIQUE (day, origin_category, seq)
);
CREATE INDEX q_tickets_day ON q_tickets (day);
CREATE INDEX q_tickets_waiting ON q_tickets (state, category, queue_order);
CREATE INDEX q_tickets_appointment ON q_tickets (appointment_id);

CREATE TABLE q_sequences (
    day      TEXT NOT NULL,
    category TEXT NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (day, category)
);

CREATE TABLE q_counters (
    number      INTEGER PRIMARY KEY,
    paused      INTEGER NOT NULL DEFAULT 0,
    credits     TEXT NOT NULL DEFAULT '{}',
    eval_ticket TEXT
);

-- Small named values: next_order, lane credits per category ("lanes:A").
CREATE TABLE q_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE q_evaluations (
    evaluation_id TEXT PRIMARY KEY,
    ticket_id     TEXT UNIQUE,
    case_number   TEXT,
    counter       INTEGER,
    channel       TEXT NOT NULL CHECK (channel IN ('window', 'kiosk')),
    level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    tags          TEXT NOT NULL DEFAULT '[]',
    comment       TEXT,
    at            TEXT NOT NULL
);
CREATE INDEX q_evaluations_at ON q_evaluations (at);
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
