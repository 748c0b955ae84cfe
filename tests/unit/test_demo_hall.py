"""The demo hall is one data file: the kiosk's demo fallback and the reference platform read
the same profile, and it passes the platform contract (the wheel test checks that it ships)."""

from __future__ import annotations

from kiosk import demo_hall
from kiosk.queue.hall import DEMO_HALL, demo_profile
from kiosk.refplatform import seed
from offline_cache import contract


def test_kiosk_and_platform_read_the_same_hall() -> None:
    assert seed.HALL == DEMO_HALL
    assert seed.HALL_ID == DEMO_HALL["hall_id"] == "H-DEMO-001"
    assert DEMO_HALL["id_hash_salt"] == seed.SALT
    contract.check(DEMO_HALL, contract.HALL)
    profile = demo_profile()
    assert [c.code for c in profile.categories] == ["A", "B", "C", "D", "E"]
    assert [h.close.strftime("%H:%M") for h in profile.hours_on(1)] == ["17:00"]


def test_each_caller_gets_its_own_copy() -> None:
    mine = demo_hall.load()
    mine["categories"].clear()
    assert demo_hall.load()["categories"], "one caller's change must not reach the others"
