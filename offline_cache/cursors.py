"""Sync cursors (opaque platform tokens per stream) and small bits of sync state."""

from __future__ import annotations

from typing import Any

from offline_cache.outbox import now_rfc3339


def get(conn: Any, name: str) -> str | None:
    row = conn.execute("SELECT cursor FROM sync_cursors WHERE name = ?", (name,)).fetchone()
    return None if row is None else row[0]


def put(conn: Any, name: str, cursor: str | None) -> None:
    conn.execute(
        "INSERT INTO sync_cursors (name, cursor, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET cursor=excluded.cursor, updated_at=excluded.updated_at",
        (name, cursor, now_rfc3339()),
    )


def get_meta(conn: Any, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put_meta(conn: Any, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        (key, value),
    )
