"""Where the queue gets its hall profile: the store (synced from the platform), else — in demo
mode only — the built-in demo hall, else nothing ("hall profile not synced yet")."""

from __future__ import annotations

import logging
from typing import Any

from kiosk import demo_hall
from kiosk.queue.model import HallProfile, HallProfileInvalid
from offline_cache import hall as stored_hall

log = logging.getLogger(__name__)

DEMO_HALL: dict[str, Any] = demo_hall.load()
"""The demo hall every engineer uses (COMMON.md), from the file the reference platform serves."""


def demo_profile() -> HallProfile:
    return HallProfile.from_dict(DEMO_HALL)


def from_store(conn: Any, hall_id: str) -> HallProfile | None:
    """The synced profile for ``hall_id`` (any single synced profile when no id is configured)."""
    try:
        data = stored_hall.load(conn, hall_id)
        return None if data is None else HallProfile.from_dict(data)
    except (ValueError, TypeError, HallProfileInvalid) as exc:
        log.error("stored hall profile unusable: %s", exc)
        return None


def resolve(conn: Any, hall_id: str, *, demo: bool) -> HallProfile | None:
    profile = from_store(conn, hall_id)
    if profile is None and demo:
        return demo_profile()
    return profile
