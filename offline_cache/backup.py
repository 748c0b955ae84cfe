"""Automatic daily backups and technician restore (``kiosk store backup|restore``).

A backup is a consistent copy made with SQLite's online backup API while the kiosk runs. A
restore replaces the database file only when no kiosk process has it open (an exclusive
``flock`` on ``kiosk.db.lock``, which every open store holds shared); the replaced file is kept
beside it, never deleted. The data key file is not in the backup: it stays on the machine.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from offline_cache import migrations
from offline_cache.errors import StoreError
from offline_cache.sqlite import driver

log = logging.getLogger(__name__)

PREFIX = "kiosk-"
SUFFIX = ".db"


class RestoreError(StoreError):
    pass


class Backupable(Protocol):
    """What a backup needs of the store (the store module imports this one, not the reverse)."""

    def backup_to(self, dest: Path) -> Path: ...


def backup_name(now: datetime | None = None) -> str:
    return f"{PREFIX}{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}{SUFFIX}"


def list_backups(directory: Path) -> list[Path]:
    """Backups in ``directory``, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX))


def make_backup(store: Backupable, directory: Path, keep: int = 7, now: datetime | None = None) -> Path:
    """Copy the live database into ``directory`` and keep only the newest ``keep`` backups."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    dest = store.backup_to(directory / backup_name(now))
    os.chmod(dest, 0o600)
    for old in list_backups(directory)[:-keep]:
        old.unlink(missing_ok=True)
    log.info("backup written: %s", dest.name)
    return dest


def verify(path: Path) -> int:
    """Check a database file opens, passes ``quick_check`` and is not from newer software."""
    try:
        conn = driver.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except driver.DatabaseError as exc:
        raise RestoreError(f"{path.name} is not a usable database: {exc}") from None
    if check != "ok":
        raise RestoreError(f"{path.name} is damaged: {check}")
    if version > migrations.latest():
        raise RestoreError(f"{path.name} is from newer software (schema {version})")
    return version


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def hold_shared(db_path: Path) -> int:
    """Taken by every open store so a restore cannot swap the file underneath it."""
    fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def restore(db_path: Path, source: Path) -> Path | None:
    """Replace ``db_path`` with ``source``; return where the replaced file was moved (if any)."""
    verify(source)
    fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RestoreError(
                "the kiosk is running; stop it (systemctl stop hall-kiosk) and try again"
            ) from None
        moved: Path | None = None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        if db_path.exists():
            moved = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
            db_path.replace(moved)
        for side in ("-wal", "-shm"):
            extra = db_path.with_name(db_path.name + side)
            if extra.exists():
                extra.replace(db_path.with_name(f"{db_path.name}{side}.replaced-{stamp}"))
        tmp = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(source, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        tmp.replace(db_path)
        log.info("database restored from %s", source.name)
        return moved
    finally:
        os.close(fd)


class DailyBackup:
    """Makes one backup per day once the local hour reaches ``hour``; checks every minute."""

    def __init__(
        self,
        store: Backupable,
        directory: Path,
        *,
        hour: int,
        keep: int,
        clock: Callable[[], datetime] = datetime.now,
        interval_s: float = 60.0,
    ) -> None:
        self.store, self.directory, self.hour, self.keep = store, directory, hour, keep
        self.clock, self.interval_s = clock, interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def due(self) -> bool:
        now = self.clock()
        if self.hour < 0 or now.hour < self.hour:
            return False
        today = f"{PREFIX}{now.strftime('%Y%m%d')}-"
        return not any(p.name.startswith(today) for p in list_backups(self.directory))

    def run_once(self) -> Path | None:
        if not self.due():
            return None
        try:
            return make_backup(self.store, self.directory, self.keep, self.clock())
        except (OSError, StoreError) as exc:
            log.error("daily backup failed: %s", exc)
            return None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="store-backup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(60)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.run_once()
