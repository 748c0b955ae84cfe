"""The "this terminal has issued tickets" marker, kept beside the store's key file.

An empty or missing ``kiosk.db`` looks exactly like a new terminal's, and SQLite happily
starts a fresh one: numbers begin again at A001 on a day that already had an A001, and the
platform ends up with two different tickets of one number. The marker is written (atomically,
once) as soon as the store holds a ticket or an event; from then on a missing or empty
database is an error a technician sees (restore a backup, or delete the marker to start the
terminal afresh on purpose), not a fresh start. It lives beside the key, not beside the
database, because a database restored or replaced by hand usually loses its neighbours.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offline_cache.errors import StoreError, StoreUnavailable
from offline_cache.files import write_atomic

log = logging.getLogger(__name__)

_ISSUED_SQL = "SELECT EXISTS(SELECT 1 FROM outbox) OR EXISTS(SELECT 1 FROM q_tickets)"


def marker_path(key_file: Path) -> Path:
    return key_file.with_name(key_file.stem + ".issued")


def check(marker: Path, db: Path) -> None:
    """``StoreUnavailable("lost")`` when the marker says tickets were issued but ``db`` is
    missing or empty."""
    if not marker.exists():
        return
    try:
        size = db.stat().st_size
    except FileNotFoundError:
        size = 0
    if size > 0:
        return
    raise StoreUnavailable(
        "lost",
        f"{db} is missing or empty, but this terminal has issued tickets with it ({marker}): "
        f"restore a backup (kiosk store restore FILE), or delete {marker} to start afresh",
    )


def has_issued(conn: Any) -> bool:
    return bool(conn.execute(_ISSUED_SQL).fetchone()[0])


def write(marker: Path, db: Path) -> None:
    doc = {"database": str(db), "since": datetime.now(UTC).isoformat(timespec="seconds")}
    write_atomic(marker, (json.dumps(doc) + "\n").encode(), mode=0o600)
    log.info("store marked as having issued tickets")


class Watcher:
    """Writes the marker after the first commit that leaves a ticket or event in the store;
    then unhooks itself. The commit hook only sets an event; the check runs on its own thread."""

    def __init__(self, store: Any, marker: Path) -> None:
        self.store = store
        self.marker = marker
        self._wake = threading.Event()
        self._done = threading.Event()
        self._unlisten = store.add_commit_listener(self._wake.set)
        self._thread = threading.Thread(target=self._run, name="store-marker", daemon=True)
        self._wake.set()
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._done.is_set() or self.store.closed:
                break
            try:
                with self.store.read() as conn:
                    issued = has_issued(conn)
                if issued:
                    write(self.marker, self.store.path)
                    break
            except (StoreError, OSError) as exc:
                log.warning("cannot record that this store has issued tickets yet: %s", exc)
        self._unlisten()

    def stop(self) -> None:
        self._done.set()
        self._wake.set()
        self._thread.join(5)
