"""Online ticket requests handed to the queue (``kiosk.queue.remote``) on a real store: each bad
request is one refusal event with its reason, never a crash, never a second ticket."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.queue.hall import demo_profile
from kiosk.queue.model import QueuePolicy
from kiosk.queue.remote import RemoteTickets
from kiosk.queue.service import QueueService
from offline_cache.store import Store

MONDAY_9 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
NIGHT = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 22:00


def req(rid: str, now: datetime, **kw: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "category": "A",
        "holder_id_hash": kw.pop("holder", "ab" * 32),
        "taken_at": now.isoformat(),
        "arrive_by": (now + timedelta(minutes=30)).isoformat(),
        **kw,
    }


@pytest.fixture
def box(tmp_path: Path) -> Any:
    store = Store.open(tmp_path / "kiosk.db")
    clock = [MONDAY_9]
    policy = QueuePolicy(real_name_limit=1, day_full=True, default_service_min=10.0)
    svc = QueueService(store, demo_profile(), policy, terminal_id="T-DEMO-001", clock=lambda: clock[0])
    svc.start()
    remote = RemoteTickets(store, lambda: svc, terminal_id="T-DEMO-001", hall_id="H-DEMO-001")
    yield store, svc, remote, clock
    store.close()


def events(store: Store) -> list[dict[str, Any]]:
    with store.read() as conn:
        return [json.loads(r[0]) for r in conn.execute("SELECT payload FROM outbox ORDER BY seq")]


def test_every_bad_request_is_one_refusal_with_its_reason(box: Any) -> None:
    store, svc, remote, clock = box
    assert remote.handle(svc, req("RT-OK", MONDAY_9)) == "issued"
    assert remote.handle(svc, req("RT-OK", MONDAY_9)) == "seen"
    assert remote.handle(svc, req("RT-LIMIT", MONDAY_9)) == "refused"  # same holder, limit 1
    assert remote.handle(svc, req("RT-CAT", MONDAY_9, category="Q")) == "refused"
    assert remote.handle(svc, req("RT-BAD", MONDAY_9, taken_at="soon")) == "refused"
    assert remote.handle(svc, "not an object") == "refused"
    assert remote.handle(svc, "not an object") == "seen"  # remembered by its content
    past = req("RT-PAST", MONDAY_9 - timedelta(hours=2))
    assert remote.handle(svc, past) == "refused"
    for _ in range(14):  # category B fills the day for its two windows
        svc.issue_unprinted("B")
    clock[0] = MONDAY_9 + timedelta(hours=7)
    assert remote.handle(svc, req("RT-FULL", clock[0], category="B", holder="cd" * 32)) == "refused"
    clock[0] = NIGHT
    assert remote.handle(svc, req("RT-NIGHT", NIGHT, holder="ef" * 32)) == "refused"
    reasons = {
        e["data"]["request_id"]: e["data"]["reason"]
        for e in events(store)
        if e["type"] == "remote_ticket.refused"
    }
    assert reasons == {
        "RT-LIMIT": "real_name_limit",
        "RT-CAT": "unknown_category",
        "RT-BAD": "malformed",
        "": "malformed",
        "RT-PAST": "arrive_by_passed",
        "RT-FULL": "day_full",
        "RT-NIGHT": "hall_closed",
    }
    issued = [e for e in events(store) if e["type"] == "ticket.issued" and e["data"].get("request_id")]
    assert [e["data"]["request_id"] for e in issued] == ["RT-OK"]
