"""The wait the hall board, ``queue status`` and the heartbeat show per category is the wait an
ordinary number taken at that moment is printed with (issue 13), and it follows every change."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.queue.errors import QueueRefused
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import Priority, QueuePolicy
from kiosk.queue.service import QueueService
from offline_cache.store import Store

MONDAY_9 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def test_the_board_says_the_wait_printed_on_the_next_ticket(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "q.db")
    clock = [MONDAY_9]
    policy = QueuePolicy(enforce_hours=False)
    svc = QueueService(store, demo_profile(), policy, terminal_id="T-B", clock=lambda: clock[0])
    svc.start()
    rng = random.Random(5)
    lanes = [Priority.NORMAL, Priority.NORMAL, Priority.ELDERLY, Priority.APPOINTMENT]
    compared = differs_from_floor = 0
    for step in range(120):
        clock[0] += timedelta(seconds=40)
        if rng.random() < 0.7:
            svc.issue_unprinted(rng.choice("ABCDE"), priority=rng.choice(lanes))
        else:
            try:
                svc.call_next(rng.randint(1, 8))
            except QueueRefused:
                pass
        if step % 10:
            continue
        for code in "ABCDE":  # each read just before its number is taken (windows are shared)
            cat = {c.code: c for c in svc.categories()}[code]
            status = svc.status()["categories"][code]
            beat = svc.heartbeat_queue()[code]
            floor = svc.engine.estimate(code).minutes
            t = svc.issue_unprinted(code)  # taken at the same moment, ordinary
            told = svc.estimate_for(t.ticket_id).minutes
            assert cat.est_wait_min == told == status["est_wait_min"], (step, code)
            assert beat["est_wait_min"] == int(told or 0)
            after = {c.code: c.waiting for c in svc.categories()}
            assert after[code] == cat.waiting + 1, "the board is read afresh after a change"
            compared += 1
            differs_from_floor += floor != told
    assert compared >= 50
    assert differs_from_floor > 0, "the old figure (ahead x mean service) is not what tickets are told"
    store.close()
