"""Corrupt database, full disk, backup and restore: plain errors, nothing half-written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from offline_cache import backup, outbox
from offline_cache.errors import StoreUnavailable
from offline_cache.store import Store

DATA = {"ticket_id": "t1", "counter": 3, "called_at": "2026-11-23T09:00:00+08:00", "recall": False}


def _enqueue(conn: Any, n: int = 1) -> None:
    for _ in range(n):
        outbox.enqueue(conn, "ticket.called", DATA, terminal_id="T-DEMO-001", hall_id="H-DEMO-001")


def _fresh(path: Path, events: int = 5) -> None:
    s = Store.open(path)
    s.write(lambda c: _enqueue(c, events))
    s.close()


def test_garbage_file_is_reported_corrupt(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    db.write_bytes(b"this is not a database" * 500)
    with pytest.raises(StoreUnavailable) as info:
        Store.open(db)
    assert info.value.reason == "corrupt"
    assert "技术人员" in info.value.message and "technician" in info.value.message


def test_damaged_pages_are_reported_corrupt(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    _fresh(db, 300)
    raw = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 2, len(raw) - page, page * 3):
        raw[offset : offset + 64] = b"\xff" * 64
    db.write_bytes(bytes(raw))
    with pytest.raises(StoreUnavailable) as info:
        Store.open(db)
    assert info.value.reason == "corrupt"


def test_full_disk_refuses_the_action_and_keeps_earlier_rows(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.db"
    _fresh(db, 5)
    import sqlite3

    conn = sqlite3.connect(db)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    statuses: list[Any] = []
    s = Store.open(db, max_page_count=pages + 4)
    s.add_status_listener(statuses.append)
    try:
        written = 0
        with pytest.raises(StoreUnavailable) as info:
            for _ in range(1000):
                s.write(lambda c: _enqueue(c, 20))
                written += 20
        assert info.value.reason == "disk_full"
        assert s.unavailable is not None and s.unavailable.reason == "disk_full"
        assert statuses and statuses[-1].reason == "disk_full"
        with s.read() as c:
            assert outbox.depth(c) == 5 + written  # the failed batch left nothing behind
        # Space comes back (a technician cleaned up): writes work again and the status clears.
        s.write(lambda c: c.execute("DELETE FROM outbox WHERE seq > 5"))
        s.write(lambda c: _enqueue(c, 1))
        assert s.unavailable is None and statuses[-1] is None
    finally:
        s.close()


def test_backup_and_restore(tmp_path: Path) -> None:
    db = tmp_path / "data" / "kiosk.db"
    backups = tmp_path / "backups"
    db.parent.mkdir()
    s = Store.open(db)
    s.write(lambda c: _enqueue(c, 7))
    made = [backup.make_backup(s, backups, keep=2, now=datetime(2026, 11, d, 2, 0)) for d in (20, 21, 22)]
    assert [p.name for p in backup.list_backups(backups)] == [p.name for p in made[1:]]
    assert (made[-1].stat().st_mode & 0o777) == 0o600
    with pytest.raises(backup.RestoreError, match="running"):
        backup.restore(db, made[-1])
    s.write(lambda c: _enqueue(c, 3))
    s.close()

    db.write_bytes(b"\x00" * 8192)  # the disk ate it
    with pytest.raises(StoreUnavailable):
        Store.open(db)
    moved = backup.restore(db, made[-1])
    assert moved is not None and moved.exists()
    s = Store.open(db)
    try:
        with s.read() as c:
            assert outbox.depth(c) == 7
    finally:
        s.close()


def test_restore_refuses_a_bad_backup(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk-20261122-020000.db"
    bad.write_bytes(b"nope" * 1000)
    with pytest.raises(backup.RestoreError, match="not a usable database"):
        backup.restore(tmp_path / "kiosk.db", bad)


def test_daily_backup_runs_once_per_day_after_the_hour(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "kiosk.db")
    now = [datetime(2026, 11, 23, 1, 59)]
    daily = backup.DailyBackup(s, tmp_path / "b", hour=2, keep=3, clock=lambda: now[0])
    try:
        assert daily.run_once() is None
        now[0] = datetime(2026, 11, 23, 2, 0)
        assert daily.run_once() is not None
        now[0] = datetime(2026, 11, 23, 15, 0)
        assert daily.run_once() is None
        now[0] = datetime(2026, 11, 24, 2, 30)
        assert daily.run_once() is not None
        assert len(backup.list_backups(tmp_path / "b")) == 2
    finally:
        s.close()
