"""Tickets keep the holder's masked name (``李*华``) for the counter screen.

The clerk calling a real-name number sees whose it is, as the paper ticket shows; only the
masked form is stored (like the platform's appointment copy), and the retention job clears it
with the holder hash.
"""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
ALTER TABLE q_tickets ADD COLUMN holder_masked TEXT;
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
