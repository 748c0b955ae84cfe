"""The store's own files from a hostile disk: a full disk at the first start leaves no broken
key (finding 3); a missing or emptied database on a terminal that has issued tickets is an
error the technician sees, never a fresh start that gives A001 twice (finding 4)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app import App, _event_bus
from kiosk.paths import Paths
from kiosk.settings import load_settings
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store
from offline_cache import marker
from offline_cache.crypto import KEY_BYTES, load_or_create_key
from offline_cache.errors import StoreUnavailable
from tests.polling import wait_until

FULL_DISK_CHILD = """
import resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))   # every file write past 16 bytes fails: EFBIG
from offline_cache.crypto import KeyFileError, load_or_create_key
try:
    load_or_create_key(Path(sys.argv[1]))
except KeyFileError as exc:
    print("refused:", exc)
    sys.exit(3)
sys.exit(0)
"""


def test_a_first_start_on_a_full_disk_leaves_no_key_file_and_the_next_start_works(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "store.key"
    child = subprocess.run(
        [sys.executable, "-c", FULL_DISK_CHILD, str(key)], capture_output=True, text=True, timeout=60
    )
    assert child.returncode == 3, child.stdout + child.stderr
    assert "cannot create key file" in child.stdout
    assert not key.exists()
    assert not [p for p in key.parent.iterdir()], list(key.parent.iterdir())  # no temp left either
    assert len(load_or_create_key(key)) == KEY_BYTES  # space is back: the key is made
    assert load_or_create_key(key) == load_or_create_key(key)


def test_a_zero_byte_key_left_by_an_older_version_is_replaced(tmp_path: Path) -> None:
    key = tmp_path / "store.key"
    key.touch(mode=0o600)
    made = load_or_create_key(key)
    assert len(made) == KEY_BYTES and load_or_create_key(key) == made
    assert key.stat().st_mode & 0o777 == 0o600


def _app(data_dir: Path) -> App:
    settings = load_settings(None)
    settings = dataclasses.replace(settings, queue=dataclasses.replace(settings.queue, enforce_hours=False))
    app = App(settings, Paths.from_settings(settings.paths), demo=True)
    app.start([_event_bus, wiring_store.build, wiring_queue.build])
    return app


@pytest.mark.parametrize("damage", ["emptied", "deleted"])
def test_a_lost_database_on_a_terminal_that_issued_tickets_is_an_error_not_a_fresh_start(
    data_dir: Path, damage: str
) -> None:
    app = _app(data_dir)
    mark = marker.marker_path(data_dir / "keys" / "store.key")
    try:
        ticket = app.services.queue.issue_unprinted("A")
        assert ticket.number == "A001"
        assert wait_until(mark.exists), "the marker is written after the first ticket"
    finally:
        app.shutdown()
    db = data_dir / "kiosk.db"
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    if damage == "emptied":
        os.truncate(db, 0)
    else:
        db.unlink()

    settings = load_settings(None)
    app = App(settings, Paths.from_settings(settings.paths), demo=True)
    app.start([_event_bus, wiring_store.build, wiring_queue.build])
    try:
        assert app.services.store is None
        assert app.services.queue is None  # no A001 a second time
        err = app.services.store_error
        assert isinstance(err, StoreUnavailable) and err.reason == "lost"
        assert str(mark) in err.detail and "restore" in err.detail
    finally:
        app.shutdown()
    assert not db.exists() or db.stat().st_size == 0  # nothing was created in its place

    # the CLI says the same in one line
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "queue", "status"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KIOSK_DATA_DIR": str(data_dir)},
    )
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert "missing or empty" in out.stdout + out.stderr or "issued numbers" in out.stdout + out.stderr


def test_a_new_terminal_still_starts_fresh(data_dir: Path) -> None:
    app = _app(data_dir)
    try:
        assert app.services.store is not None
        assert not marker.marker_path(data_dir / "keys" / "store.key").exists()
    finally:
        app.shutdown()


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        '{"failures": 1e999, "locked_until": 0}',
        '{"failures": 2, "locked_until": NaN}',
        '{"failures": [], "locked_until": 1}',
        "\xff",
    ],
)
def test_a_damaged_pin_lockout_file_counts_as_no_tries(tmp_path: Path, text: str) -> None:
    from kiosk.pin import LockoutFile

    f = tmp_path / "lockout.json"
    f.write_text(text, encoding="utf-8")
    failures, until = LockoutFile(f).load()
    assert failures in (0, 2) and until == 0.0
