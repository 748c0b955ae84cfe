"""The store contract: one writer, one transaction per write, concurrent readers, migrations."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from offline_cache import migrations, outbox
from offline_cache.errors import MigrationError, StoreUnavailable
from offline_cache.store import Store

CALLED = {"ticket_id": "t1", "counter": 3, "called_at": "2026-11-23T09:00:00+08:00", "recall": False}


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store.open(tmp_path / "kiosk.db")
    yield s
    s.close()


def _enqueue(conn: Any) -> str:
    return outbox.enqueue(conn, "ticket.called", CALLED, terminal_id="T-DEMO-001", hall_id="H-DEMO-001")


def test_open_sets_wal_full_and_latest_schema(store: Store) -> None:
    assert store.schema_version() == migrations.latest()
    with store.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.write(lambda c: c.execute("PRAGMA synchronous").fetchone()[0]) == 2  # FULL


def test_write_returns_result_and_commits(store: Store) -> None:
    eid = store.write(_enqueue)
    with store.read() as conn:
        assert outbox.depth(conn) == 1
        assert outbox.due(conn)[0].id == eid


def test_due_after_a_batch_whose_removal_is_in_flight(store: Store) -> None:
    ids = [store.write(_enqueue) for _ in range(5)]
    with store.read() as conn:
        first = outbox.due(conn, 2)
        assert [p.id for p in first] == ids[:2]
        assert [p.id for p in outbox.due(conn, 2, after_seq=first[-1].seq)] == ids[2:4]
        assert outbox.due(conn, 10, after_seq=outbox.due(conn, 10)[-1].seq) == []


def test_failed_write_rolls_back_everything(store: Store) -> None:
    def action(conn: Any) -> None:
        _enqueue(conn)
        raise RuntimeError("printer jammed before commit")

    with pytest.raises(RuntimeError, match="printer jammed"):
        store.write(action)
    with store.read() as conn:
        assert outbox.depth(conn) == 0


def test_malformed_event_fails_the_action(store: Store) -> None:
    with pytest.raises(ValueError, match="contract"):
        store.write(
            lambda c: outbox.enqueue(c, "ticket.called", {"ticket_id": "x"}, terminal_id="T", hall_id="H")
        )
    with pytest.raises(ValueError, match="contract"):
        store.write(lambda c: outbox.enqueue(c, "made.up", {}, terminal_id="T", hall_id="H"))


def test_nested_write_on_writer_thread_uses_savepoint(store: Store) -> None:
    def outer(conn: Any) -> int:
        _enqueue(conn)
        with pytest.raises(KeyError):
            store.write(lambda c: (_enqueue(c), {}["boom"]))
        return outbox.depth(conn)

    assert store.write(outer) == 1


def test_many_threads_write_and_read_concurrently(store: Store) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(50):
                store.write(_enqueue)
                with store.read() as conn:
                    outbox.depth(conn)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with store.read() as conn:
        assert outbox.depth(conn) == 300


def test_reader_sees_a_snapshot(store: Store) -> None:
    store.write(_enqueue)
    with store.read() as conn:
        before = outbox.depth(conn)
        store.write(_enqueue)
        assert outbox.depth(conn) == before
    with store.read() as conn:
        assert outbox.depth(conn) == before + 1


def test_closed_store_refuses_plainly(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "k.db")
    s.close()
    s.close()
    with pytest.raises(StoreUnavailable) as info:
        s.write(_enqueue)
    assert info.value.reason == "closed"


def test_newer_database_is_refused(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "k.db")
    s.write(lambda c: None)
    s.close()
    import sqlite3

    conn = sqlite3.connect(tmp_path / "k.db")
    conn.execute("PRAGMA user_version = 9999")
    conn.close()
    with pytest.raises(MigrationError, match="newer"):
        Store.open(tmp_path / "k.db")


def test_writes_racing_close_finish_or_refuse_never_hang(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "k.db")
    outcomes: list[str] = []

    def writer() -> None:
        for _ in range(200):
            try:
                s.write(_enqueue)
                outcomes.append("ok")
            except StoreUnavailable:
                outcomes.append("closed")
                return

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    s.close()
    for t in threads:
        t.join(30)
        assert not t.is_alive()
    reopened = Store.open(tmp_path / "k.db")
    with reopened.read() as conn:
        assert outbox.depth(conn) == outcomes.count("ok")
    reopened.close()
