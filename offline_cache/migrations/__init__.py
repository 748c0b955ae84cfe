"""Numbered schema migrations: ``mNNNN_<name>.py`` modules, each with ``up(conn)``.

The database's ``PRAGMA user_version`` is the number of the last migration applied. Each
migration runs in its own transaction together with the version bump, so a crash leaves the
file at the previous version, never half-way. A database newer than this code is refused
rather than guessed at.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from offline_cache.errors import MigrationError

log = logging.getLogger(__name__)

_NAME = re.compile(r"m(\d{4})_[a-z0-9_]+")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    module: ModuleType

    def up(self, conn: Any) -> None:
        self.module.up(conn)


def discover() -> list[Migration]:
    """Every migration shipped in this package, in order; numbers must be unique."""
    found: dict[int, Migration] = {}
    for info in pkgutil.iter_modules(__path__):
        m = _NAME.fullmatch(info.name)
        if not m:
            continue
        number = int(m.group(1))
        if number in found:
            raise MigrationError(f"two migrations numbered {number}: {found[number].name}, {info.name}")
        found[number] = Migration(number, info.name, importlib.import_module(f"{__name__}.{info.name}"))
    return [found[n] for n in sorted(found)]


def latest() -> int:
    migrations = discover()
    return migrations[-1].number if migrations else 0


def current(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, target: int | None = None) -> list[int]:
    """Bring the database up to ``target`` (default: latest); return the numbers applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    todo = discover()
    have = current(conn)
    top = todo[-1].number if todo else 0
    if have > top:
        raise MigrationError(
            f"database schema version {have} is newer than this software knows ({top}); "
            "install the newer kiosk version or restore a matching backup"
        )
    applied: list[int] = []
    for mig in todo:
        if mig.number <= have or (target is not None and mig.number > target):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            mig.up(conn)
            conn.execute(f"PRAGMA user_version = {mig.number:d}")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise MigrationError(f"migration {mig.name} failed: {exc}") from exc
        log.info("schema migrated to %s", mig.name)
        applied.append(mig.number)
    return applied


def run_script(conn: Any, sql: str) -> None:
    """Execute each statement of ``sql`` inside the caller's transaction.

    (``executescript`` would commit first, breaking the one-transaction-per-migration rule.)
    """
    import sqlite3

    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                conn.execute(buf)
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") or not ln.strip() for ln in buf.splitlines()):
        raise MigrationError(f"incomplete SQL statement: {buf.strip()[:60]}")
