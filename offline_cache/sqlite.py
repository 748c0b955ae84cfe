"""Which SQLite the store runs on.

Debian 12's SQLite (3.40) is too old for some trigram queries; ``pysqlite3-binary`` bundles a
current one. sqlite-utils prefers it too, so both see the same library. ``KIOSK_SQLITE=stdlib``
forces the system module (tests run the search paths against both).
"""

from __future__ import annotations

import importlib
import os
import sqlite3 as _stdlib
from types import ModuleType


def _pick() -> ModuleType:
    if os.environ.get("KIOSK_SQLITE", "").lower() == "stdlib":
        return _stdlib
    try:
        return importlib.import_module("pysqlite3.dbapi2")
    except ImportError:
        return _stdlib


driver: ModuleType = _pick()
"""The DB-API module in use (``pysqlite3.dbapi2`` or ``sqlite3``); same API either way."""

STDLIB: ModuleType = _stdlib


def version(module: ModuleType | None = None) -> tuple[int, ...]:
    m = module or driver
    return tuple(int(p) for p in str(m.sqlite_version).split("."))
