"""Every migration, applied from every earlier released schema (fixture DB per version)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from offline_cache import catalog, migrations, outbox
from offline_cache.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
VERSIONS = sorted(int(p.stem.split("_")[1]) for p in FIXTURES.glob("schema_*.db"))


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [m.number for m in migrations.discover()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert numbers[:2] == [1, 2]


def test_a_fixture_exists_for_every_released_store_schema() -> None:
    """A new migration comes with its fixture (tests/fixtures/db/make_fixtures.py N)."""
    released = list(range(1, migrations.latest() + 1))
    assert released == VERSIONS


@pytest.mark.parametrize("version", [0, *VERSIONS])
def test_upgrade_from_every_earlier_version_keeps_data(tmp_path: Path, version: int) -> None:
    db = tmp_path / "kiosk.db"
    if version:
        shutil.copyfile(FIXTURES / f"schema_{version:04d}.db", db)
    store = Store.open(db)
    try:
        assert store.schema_version() == migrations.latest()
        with store.read() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            if version >= 1:
                assert outbox.depth(conn) == 1
                assert outbox.due(conn)[0].event["data"]["counter"] == 3
                assert conn.execute("SELECT cursor FROM sync_cursors").fetchone()[0] == "c-17"
            if version >= 2:
                assert [i.code for i in catalog.search(conn, "bdcdj")] == ["11000000B001"]
            if version >= 3:
                row = conn.execute("SELECT number, state FROM q_tickets WHERE ticket_id = 't-0003'")
                row = row.fetchone()
                assert tuple(row) == ("B007", "waiting")
                assert conn.execute("SELECT last FROM q_sequences").fetchone()[0] == 7
                assert conn.execute("SELECT level FROM q_evaluations").fetchone()[0] == 5
            if version >= 4:
                assert conn.execute("SELECT holder_masked FROM q_tickets").fetchone()[0] == "李*华"
            if version >= 5:
                assert conn.execute("SELECT op FROM hall_commands").fetchone()[0] == "call_next"
                assert conn.execute("SELECT first, last FROM hall_leases").fetchone()[:] == (8, 27)
            if version >= 2:  # an item stored before English names came has none, said as ""
                item = catalog.search(conn, "bdcdj")[0]
                assert item.name_en == ("Real estate registration" if version >= 7 else "")
            if version >= 6:
                told = conn.execute("SELECT told_wait_min FROM q_tickets WHERE ticket_id = 't-0006'")
                assert told.fetchone()[0] == (14 if version >= 8 else None)  # unknown before m0008
    finally:
        store.close()


@pytest.mark.parametrize("start", range(migrations.latest()))
def test_each_step_from_each_version(tmp_path: Path, start: int) -> None:
    """Stepwise: start at ``start``, then apply one migration at a time to the latest."""
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    migrations.migrate(conn, target=start)
    for target in range(start + 1, migrations.latest() + 1):
        assert migrations.migrate(conn, target=target) == [target]
        assert migrations.current(conn) == target
    conn.close()


def test_failed_migration_leaves_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    migrations.migrate(conn, target=1)
    mig2 = migrations.discover()[1]

    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(mig2.module, "up", broken)
    with pytest.raises(migrations.MigrationError, match="power cut"):
        migrations.migrate(conn)
    assert migrations.current(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    conn.close()
