"""The wait each ticket was told (issue 13): printed on the ticket when it was issued, kept so
``kiosk queue stats`` and its CSV report how far the live estimates were from the real waits.
NULL for tickets issued before this version (they are left out of the comparison)."""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
ALTER TABLE q_tickets ADD COLUMN told_wait_min INTEGER;
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
