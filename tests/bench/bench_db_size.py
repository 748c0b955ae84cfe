# ruff: noqa: E501
"""Database size per 10,000 tickets.

Run: .venv/bin/python tests/bench/bench_db_size.py [--tickets 10000]
Each ticket is recorded as the outbox events a real one produces (issued, called, served, and
an evaluation for a third of them), with realistic payloads. Prints the file size with all of
them pending (a long outage) and after delivery (outbox drained, VACUUM).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from offline_cache import outbox  # noqa: E402
from offline_cache.store import Store  # noqa: E402

T, H = "T-DEMO-001", "H-DEMO-001"


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if not p.name.endswith(".lock"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kiosk.db"
        store = Store.open(db)
        empty = size(db)

        def day(conn: Any, start: int, n: int) -> int:
            count = 0
            for i in range(start, start + n):
                tid = f"20261123-{'ABCDE'[i % 5]}{i:05d}"
                at = f"2026-11-23T09:{i % 60:02d}:00+08:00"
                ev = [
                    ("ticket.issued", {"ticket_id": tid, "number": f"{'ABCDE'[i % 5]}{i % 1000:03d}",
                                       "category": "ABCDE"[i % 5], "item_code": "34112209CN002",
                                       "priority": "elderly" if i % 9 == 0 else "normal",
                                       "appointment_id": None, "holder_id_hash": "3b" * 32 if i % 2 else None,
                                       "issued_at": at}),
                    ("ticket.called", {"ticket_id": tid, "counter": i % 8 + 1, "called_at": at, "recall": False}),
                    ("ticket.served", {"ticket_id": tid, "counter": i % 8 + 1, "started_at": at, "finished_at": at,
                                       "case_number": f"BDC20261123{i:04d}" if i % 4 == 0 else None}),
                ]  # fmt: skip
                if i % 3 == 0:
                    ev.append(("evaluation.submitted", {"evaluation_id": f"E{tid}", "ticket_id": tid,
                               "case_number": None, "counter": i % 8 + 1, "channel": "window", "level": 5,
                               "tags": ["服务热情"], "comment": None}))  # fmt: skip
                for typ, data in ev:
                    outbox.enqueue(conn, typ, data, terminal_id=T, hall_id=H)
                    count += 1
            return count

        events = sum(store.write(lambda c, s=s: day(c, s, 1000)) for s in range(0, args.tickets, 1000))
        store.backup_to(Path(tmp) / "copy.db")  # checkpoint-independent measure of the content
        pending = os.path.getsize(Path(tmp) / "copy.db")
        store.write(lambda c: c.execute("DELETE FROM outbox"))
        store.close()
        import sqlite3

        conn = sqlite3.connect(db)
        conn.execute("VACUUM")
        conn.close()
        drained = size(db)
        print(f"empty schema: {empty / 1024:.0f} KiB")
        print(
            f"{args.tickets} tickets ({events} events) pending in the outbox: {pending / 1e6:.2f} MB "
            f"({pending / events:.0f} B/event)"
        )
        print(f"after delivery and VACUUM: {drained / 1024:.0f} KiB (outbox rows are deleted once accepted)")
        _with_queue(Path(tmp), args.tickets)
    return 0


def _with_queue(tmp: Path, tickets: int) -> None:
    """The same through the real queue engine (ledger rows + its outbox events), if present."""
    try:
        from kiosk.queue.simulate import SimConfig, run
    except ImportError:
        print("queue engine not available; ledger size not measured")
        return
    import sqlite3

    db = tmp / "queue.db"
    run(SimConfig(tickets=tickets), db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    events = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    full = os.path.getsize(db)
    conn.execute("DELETE FROM outbox")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    ledger_only = os.path.getsize(db)
    print(
        f"real queue (kiosk.queue.simulate, {tickets} tickets): {full / 1e6:.2f} MB with {events} pending events; "
        f"{ledger_only / 1e6:.2f} MB after delivery (ledger, counters, evaluations)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
