"""kill -9 in the middle of a busy simulated day: the store reopens, the queue reloads, and the
ledger and the outbox agree (every issued ticket has exactly one ``ticket.issued`` event, every
served one one ``ticket.served``, no number twice, sequences match the tickets)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.queue import ledger
from kiosk.queue.engine import QueueEngine
from kiosk.queue.model import QueuePolicy, TicketState
from kiosk.queue.simulate import SimConfig, sim_profile
from offline_cache.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def tickets_on_disk(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM q_tickets").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created or not migrated yet


@pytest.mark.parametrize("after_tickets", [1, 600, 1800])
def test_kill_9_mid_day_keeps_ledger_and_outbox_consistent(tmp_path: Path, after_tickets: int) -> None:
    """Killed once the store holds ``after_tickets`` tickets: early, and well into the day (the
    simulation groups its writes, so the kill lands inside a group as often as not)."""
    db = tmp_path / "day.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "queue", "simulate", "--tickets", "3000", "--counters", "20",
         "--seed", "5", "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "data")),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while tickets_on_disk(db) < after_tickets and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(10) == -signal.SIGKILL, "the simulated day ended before the kill"
    store = Store.open(db)
    try:
        with store.read() as conn:
            tickets = {
                r[0]: (r[1], r[2], r[3])
                for r in conn.execute("SELECT ticket_id, number, day, state FROM q_tickets")
            }
            events = [json.loads(r[0]) for r in conn.execute("SELECT payload FROM outbox ORDER BY seq")]
            seqs = {(r[0], r[1]): r[2] for r in conn.execute("SELECT day, category, last FROM q_sequences")}
            per_cat = {
                (r[0], r[1]): (r[2], r[3])
                for r in conn.execute(
                    "SELECT day, origin_category, MAX(seq), COUNT(*) FROM q_tickets GROUP BY 1, 2"
                )
            }
            first_day = conn.execute("SELECT MIN(issued_at) FROM q_tickets").fetchone()[0]
        assert tickets, "the day had started before the kill"
        numbers = Counter((day, number) for number, day, _ in tickets.values())
        assert max(numbers.values()) == 1
        for key, (top, count) in per_cat.items():
            assert seqs[key] == top == count  # no gap, no reuse
        by_type: dict[str, Counter[str]] = {}
        for e in events:
            by_type.setdefault(e["type"], Counter())[e["data"].get("ticket_id", "")] += 1
        issued = by_type.get("ticket.issued", Counter())
        for tid, (_, _, state) in tickets.items():
            expected = 0 if state in ("printing", "voided") else 1
            assert issued[tid] == expected, state
        served = by_type.get("ticket.served", Counter())
        assert all(n == 1 for n in served.values())
        assert {t for t in served} == {t for t, v in tickets.items() if v[2] == "served"}
        # the queue reloads from what survived
        cfg = SimConfig(tickets=3000, counters=20)
        engine = QueueEngine(sim_profile(cfg), QueuePolicy())
        with store.read() as conn:
            ledger.load(engine, conn, datetime.fromisoformat(first_day))
        open_counters = Counter(t.counter for t in engine.tickets.values() if t.state is TicketState.CALLED)
        assert all(n == 1 for n in open_counters.values())
    finally:
        store.close()
