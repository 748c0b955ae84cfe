"""The retention job: personal data is kept only as long as it is needed.

Built in: expired case-cache entries, appointments of past days (beyond the retention period
the hashes are no use), quarantined entries are kept (a technician must see them). Other
modules that keep personal fields (e.g. the queue's ticket ledger) register a purger that
clears what has been synced and is older than the cutoff.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from offline_cache import appointments, cases

log = logging.getLogger(__name__)

Purger = Callable[[Any, str], int]
"""``fn(conn, cutoff_date_iso) -> rows changed``; runs inside the retention transaction."""

PURGERS: dict[str, Purger] = {}


def register(name: str, fn: Purger) -> None:
    PURGERS[name] = fn


def purge(conn: Any, *, retention_days: int, today: date | None = None) -> dict[str, int]:
    """Run every purger; returns rows affected per purger (run it inside one store write)."""
    day = today or date.today()
    cutoff = (day - timedelta(days=retention_days)).isoformat()
    done = {
        "case_cache": cases.purge_expired(conn),
        # Bookings are only useful on their day; keep yesterday's for late questions.
        "appointments": appointments.purge_before(conn, (day - timedelta(days=1)).isoformat()),
    }
    for name, fn in sorted(PURGERS.items()):
        done[name] = int(fn(conn, cutoff))
    log.info("retention: %s", ", ".join(f"{k}={v}" for k, v in done.items()))
    return done
