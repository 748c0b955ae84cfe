"""Where the queue gets its hall profile: the store (synced from the platform), else — in demo
mode only — the built-in demo hall, else nothing ("hall profile not synced yet")."""

from __future__ import annotations

import json
import logging
from typing import Any

from kiosk.queue.model import HallProfile, HallProfileInvalid

log = logging.getLogger(__name__)

DEMO_HALL: dict[str, Any] = {
    "hall_id": "H-DEMO-001",
    "name": "示范县政务服务中心",
    "name_en": "Demo County Government Service Centre",
    "address": "示范县人民路1号",
    "timezone": "Asia/Shanghai",
    "id_hash_salt": "demo-salt-H-DEMO-001",
    "opening_hours": [
        *({"weekday": d, "open": "08:30", "close": "17:00"} for d in range(1, 6)),
        {"weekday": 6, "open": "09:00", "close": "12:00"},
    ],
    "categories": [
        {
            "code": "A",
            "name": "综合受理",
            "name_en": "General acceptance",
            "prefix": "A",
            "daily_limit": 300,
            "priority_allowed": True,
        },
        {
            "code": "B",
            "name": "不动产登记",
            "name_en": "Real estate registration",
            "prefix": "B",
            "daily_limit": 200,
            "priority_allowed": True,
        },
        {
            "code": "C",
            "name": "民生事务",
            "name_en": "Civil affairs",
            "prefix": "C",
            "daily_limit": 300,
            "priority_allowed": True,
        },
        {
            "code": "D",
            "name": "税务",
            "name_en": "Tax",
            "prefix": "D",
            "daily_limit": 200,
            "priority_allowed": True,
        },
        {
            "code": "E",
            "name": "咨询/帮办",
            "name_en": "Help desk",
            "prefix": "E",
            "daily_limit": 300,
            "priority_allowed": True,
        },
    ],
    "counters": [
        {"number": 1, "name": "1号窗口", "categories": ["A"]},
        {"number": 2, "name": "2号窗口", "categories": ["A"]},
        {"number": 3, "name": "3号窗口", "categories": ["B"]},
        {"number": 4, "name": "4号窗口", "categories": ["B"]},
        {"number": 5, "name": "5号窗口", "categories": ["C"]},
        {"number": 6, "name": "6号窗口", "categories": ["C"]},
        {"number": 7, "name": "7号窗口", "categories": ["D"]},
        {"number": 8, "name": "8号窗口", "categories": ["E", "A"]},
    ],
    "version": 1,
}
"""The demo hall every engineer uses (COMMON.md); identical to the reference platform's copy."""


def demo_profile() -> HallProfile:
    return HallProfile.from_dict(DEMO_HALL)


def from_store(conn: Any, hall_id: str) -> HallProfile | None:
    """The synced profile for ``hall_id`` (any single synced profile when no id is configured)."""
    if hall_id:
        row = conn.execute("SELECT payload FROM hall_profile WHERE hall_id = ?", (hall_id,)).fetchone()
    else:
        row = conn.execute("SELECT payload FROM hall_profile ORDER BY fetched_at DESC LIMIT 1").fetchone()
    if row is None:
        return None
    try:
        return HallProfile.from_dict(json.loads(row[0]))
    except (ValueError, HallProfileInvalid) as exc:
        log.error("stored hall profile unusable: %s", exc)
        return None


def resolve(conn: Any, hall_id: str, *, demo: bool) -> HallProfile | None:
    profile = from_store(conn, hall_id)
    if profile is None and demo:
        return demo_profile()
    return profile
