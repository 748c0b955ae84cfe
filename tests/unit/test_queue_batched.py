"""QueueService.batched(): many operations, one transaction per group, nothing told early."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.queue import ledger
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import Priority, QueuePolicy
from kiosk.queue.outputs import CallOutputs
from kiosk.queue.service import QueueService
from offline_cache.store import Store

T0 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


def day(svc: QueueService, clock: list[datetime], n: int) -> None:
    for i in range(n):
        clock[0] += timedelta(seconds=20)
        # every fifth an appointment: called before the older ordinary ones, who are passed over
        t = svc.begin_issue("A", priority=Priority.APPOINTMENT if i % 5 == 4 else Priority.NORMAL)
        svc.confirm_printed(t.ticket_id)
        if i % 3 == 2:
            svc.call_next(1)


def service(path: Path, **kw: Any) -> tuple[Store, QueueService, list[datetime]]:
    store = Store.open(path)
    clock = [T0]
    ids = (f"t-{i:05d}" for i in itertools.count())
    svc = QueueService(
        store,
        demo_profile(),
        QueuePolicy(enforce_hours=False),
        terminal_id="T-B",
        clock=lambda: clock[0],
        new_id=lambda: next(ids),
        **kw,
    )
    svc.start()
    return store, svc, clock


def ledger_rows(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with store.read() as conn:
        tickets = [
            tuple(r)
            for r in conn.execute("SELECT ticket_id, number, state, passed_over FROM q_tickets ORDER BY 1")
        ]
        events = [tuple(r) for r in conn.execute("SELECT type FROM outbox ORDER BY seq")]
    return tickets, events


def test_grouped_writes_leave_the_same_ledger_in_fewer_transactions(tmp_path: Path) -> None:
    results = []
    for label, size in (("one", 0), ("grouped", 16)):
        store, svc, clock = service(tmp_path / f"{label}.db")
        commits = [0]
        write = store.write

        def counted(fn: Any, write: Any = write, commits: list[int] = commits) -> Any:
            commits[0] += 1  # one write = one transaction
            return write(fn)

        store.write = counted  # type: ignore[method-assign]
        try:
            if size:
                with svc.batched(size):
                    day(svc, clock, 40)
                    # inside the block, nothing is on disk before its group is full
                    assert commits[0] == (2 * 40 + 13) // size  # 40 issued and printed, 13 calls
            else:
                day(svc, clock, 40)
            results.append((ledger_rows(store), commits[0], svc.engine.snapshot()))
        finally:
            store.close()
    (rows_one, commits_one, snap_one), (rows_grouped, commits_grouped, snap_grouped) = results
    assert rows_one == rows_grouped
    assert snap_one == snap_grouped
    assert commits_one == 93  # 40 issues, 40 confirmations, 13 calls
    assert commits_grouped == 6  # five full groups of 16, then the rest at the end of the block
    assert sum(r[3] for r in rows_one[0]) > 0  # the appointments passed ordinary tickets over


def test_a_failed_group_rolls_back_whole_and_the_queue_reloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, svc, clock = service(tmp_path / "k.db")
    try:
        with svc.batched(8):
            day(svc, clock, 4)  # 8 mutations: the first group is written
        kept = ledger_rows(store)
        snapshot = svc.engine.snapshot()
        real = ledger.apply
        calls = itertools.count()

        def apply(conn: Any, mut: Any, **kw: Any) -> list[str]:
            if next(calls) == 5:
                raise OSError("disk gone")
            return real(conn, mut, **kw)

        monkeypatch.setattr(ledger, "apply", apply)
        with pytest.raises(OSError, match="disk gone"), svc.batched(8):
            day(svc, clock, 4)
        assert ledger_rows(store) == kept  # none of the failed group's 8 changes
        assert svc.engine.snapshot() == snapshot  # memory back to what the disk holds
    finally:
        store.close()


def test_refused_when_the_world_would_be_told_before_the_disk(tmp_path: Path) -> None:
    class Manager:
        def by_kind(self, kind: Any) -> list[str]:
            return []

        def submit(self, name: str, fn: Any) -> Any:
            raise AssertionError

    for kw in ({"publish": lambda event: None}, {"outputs": CallOutputs(Manager())}):
        store, svc, _ = service(tmp_path / f"r{len(kw)}-{id(kw)}.db", **kw)
        try:
            with pytest.raises(RuntimeError, match="nobody is told"), svc.batched():
                pass
        finally:
            store.close()


def test_a_block_that_fails_still_writes_what_the_engine_did(tmp_path: Path) -> None:
    store, svc, clock = service(tmp_path / "k.db")
    try:
        with pytest.raises(RuntimeError, match="caller broke"), svc.batched(64):
            day(svc, clock, 3)
            raise RuntimeError("caller broke")
        snapshot = svc.engine.snapshot()
        svc.load()
        assert svc.engine.snapshot() == snapshot
        assert len(ledger_rows(store)[0]) == 3
    finally:
        store.close()


def _whole_ledger(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every queue table of a store, all columns, plus what the outbox says (less the random
    event ids and write times) and the appointments the day used."""
    import json
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        out = {
            table: [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
            for table in ("q_tickets", "q_sequences", "q_counters", "q_state", "q_evaluations")
        }
        out["passed_over"] = [tuple(conn.execute("SELECT sum(passed_over) FROM q_tickets").fetchone())]
        out["appointments"] = [
            tuple(r)
            for r in conn.execute("SELECT id, checked_in_at, ticket_id FROM appointments ORDER BY id")
        ]
        events = []
        for type_, payload in conn.execute("SELECT type, payload FROM outbox ORDER BY seq"):
            body = json.loads(payload)
            events.append((type_, body["at"], json.dumps(body["data"], sort_keys=True)))
        out["outbox"] = events  # type: ignore[assignment]
        return out
    finally:
        conn.close()


def test_a_grouped_day_leaves_every_row_as_one_write_per_operation_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grouped rows are written once per group from the engine's live tickets: the passed-over
    counts (tickets issued and passed over in the same group), the appointments used (a
    checked-in ticket called in the same group), transfers, no-shows and ratings must still
    come out exactly as when every operation is its own transaction."""
    from collections.abc import Iterator
    from contextlib import contextmanager

    from kiosk.queue.simulate import SimConfig, run

    cfg = SimConfig(tickets=240, counters=6, seed=3, appointment_share=0.3, transfer_share=0.1)
    grouped = run(cfg, tmp_path / "grouped.db")

    @contextmanager
    def one_by_one(self: QueueService, size: int = 0) -> Iterator[None]:
        yield

    monkeypatch.setattr(QueueService, "batched", one_by_one)
    single = run(cfg, tmp_path / "single.db")
    a, b = _whole_ledger(tmp_path / "grouped.db"), _whole_ledger(tmp_path / "single.db")
    assert a["q_tickets"] and len(a["q_tickets"]) == 240
    assert any(r[1] for r in a["appointments"])  # appointments were used
    assert a["passed_over"][0][0] > 0  # tickets were passed over
    for table in a:
        assert a[table] == b[table], table
    assert grouped.stats == single.stats
