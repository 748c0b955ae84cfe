"""The retention job clears the holder hash of old tickets and keeps everything else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.queue import ledger  # noqa: F401  (registers the queue's purger)
from offline_cache import retention
from offline_cache.store import Store


def test_old_tickets_lose_the_holder_hash_recent_ones_keep_it(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "kiosk.db")
    try:

        def seed(conn: object) -> None:
            for i, day in enumerate(["2026-09-30", "2026-10-24", "2026-10-25", "2026-11-23"], start=1):
                conn.execute(  # type: ignore[attr-defined]
                    "INSERT INTO q_tickets (ticket_id, number, day, seq, category, origin_category, priority,"
                    " issued_at, queue_order, state, holder_id_hash, holder_masked) VALUES"
                    " (?, ?, ?, ?, 'A', 'A', 'normal', ?, ?, 'served', 'h', '李*华')",
                    (f"t{i}", f"A00{i}", day, i, f"{day}T09:00:00+08:00", i),
                )

        store.write(seed)
        done = store.write(lambda c: retention.purge(c, retention_days=30, today=date(2026, 11, 24)))
        assert done["queue_ticket_holders"] == 2
        with store.read() as conn:
            rows = conn.execute(
                "SELECT number, day, holder_id_hash, holder_masked FROM q_tickets ORDER BY day"
            )
            got = [tuple(r) for r in rows.fetchall()]
        assert got == [
            ("A001", "2026-09-30", None, None),
            ("A002", "2026-10-24", None, None),
            ("A003", "2026-10-25", "h", "李*华"),
            ("A004", "2026-11-23", "h", "李*华"),
        ]
    finally:
        store.close()
