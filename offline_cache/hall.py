"""The hall profile (name, categories, counters, opening hours, id-hash salt) as last synced."""

from __future__ import annotations

import json
from typing import Any

from offline_cache.outbox import now_rfc3339


def save(conn: Any, profile: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO hall_profile (hall_id, version, payload, fetched_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(hall_id) DO UPDATE SET version=excluded.version, payload=excluded.payload, "
        "fetched_at=excluded.fetched_at",
        (profile["hall_id"], int(profile["version"]), json.dumps(profile, ensure_ascii=False), now_rfc3339()),
    )


def load(conn: Any, hall_id: str | None = None) -> dict[str, Any] | None:
    """The profile for ``hall_id`` (or the only one stored), or None before the first sync."""
    if hall_id:
        row = conn.execute("SELECT payload FROM hall_profile WHERE hall_id = ?", (hall_id,)).fetchone()
    else:
        row = conn.execute("SELECT payload FROM hall_profile ORDER BY fetched_at DESC LIMIT 1").fetchone()
    if row is None:
        return None
    try:
        profile = json.loads(row[0])
    except (ValueError, TypeError, RecursionError):
        return None  # damaged on disk: as if never synced (the sync engine names it)
    return profile if isinstance(profile, dict) else None
