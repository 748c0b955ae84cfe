"""Online tickets (issue 18): numbers taken from the phone, pulled from the platform.

Tickets say which channel they came through, the platform request they answer and by when
their holder must arrive; ``near_sent`` records that the "your turn is near" event went out
(so a restart never sends it twice). ``remote_requests`` keeps the outcome of every request
id ever pulled, written in the transaction that issued (or refused) it: a repeated pull, or a
restart between pull and issue, finds it there and issues nothing twice.
"""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
ALTER TABLE q_tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';
ALTER TABLE q_tickets ADD COLUMN request_id TEXT;
ALTER TABLE q_tickets ADD COLUMN arrive_by TEXT;
ALTER TABLE q_tickets ADD COLUMN near_sent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX q_tickets_request ON q_tickets (request_id) WHERE request_id IS NOT NULL;
CREATE TABLE remote_requests (
    request_id  TEXT PRIMARY KEY,
    pulled_at   TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('issued', 'refused')),
    ticket_id   TEXT,
    reason      TEXT
);
CREATE INDEX remote_requests_pulled ON remote_requests (pulled_at);
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
