"""Online tickets end to end against the reference platform over loopback HTTP (issue 18):
requests taken on the platform -> pulled (at a sync, and at once on the heartbeat's sync_now) ->
issued exactly once (also after a restart and a repeated pull) -> held until the holder checks
in by ID card or by scanned code -> called -> served; "your turn is near" reaches the platform,
each event exactly once; bad requests come back as refusals with their reason."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.identity.person import Identity
from kiosk.platform.client import ClientConfig, PlatformClient
from kiosk.platform.signing import load_secret
from kiosk.platform.sync import SyncEngine
from kiosk.queue.model import HallProfile, QueuePolicy, TicketState
from kiosk.queue.remote import RemoteTickets
from kiosk.queue.service import QueueService
from kiosk.usecases import CheckInConfig, UseCases
from offline_cache import cursors, hall
from offline_cache.store import Store
from tests.integration.platform_helpers import admin

pytestmark = [pytest.mark.timeout(90)]

T, H = seed.TERMINAL_ID, seed.HALL_ID
CHEN = Identity("id_card", "陈志强", "440304199206111537", None)
ZHAO = "11010519900101123X"


@dataclass
class Rig:
    tmp: Path
    server: ServerThread
    store: Store
    client: PlatformClient
    engine: SyncEngine
    box: list[QueueService]

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return admin(self.server.url, path, body)

    def sync_engine(self) -> SyncEngine:
        """The box's sync engine with the online-ticket puller (a new one = a restart)."""
        engine = SyncEngine(
            self.store, self.client, terminal_id=T, hall_id=H, sync_interval_s=3600, heartbeat_s=0.3
        )
        remote = RemoteTickets(
            self.store, lambda: self.box[0] if self.box else None, terminal_id=T, hall_id=H
        )
        engine.add_pull("remote_tickets", partial(remote.pull, self.client))
        return engine

    def queue(self) -> QueueService:
        """The box's queue over the synced hall profile (a new one = a restart of the box)."""
        with self.store.read() as conn:
            profile = HallProfile.from_dict(hall.load(conn, H))
        svc = QueueService(
            self.store,
            profile,
            QueuePolicy(enforce_hours=False, near_turn_ahead=1, real_name_limit=1),
            terminal_id=T,
        )
        svc.start()
        self.box[:] = [svc]
        return svc

    def outbox(self) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            return [json.loads(r[0]) for r in conn.execute("SELECT payload FROM outbox ORDER BY seq")]

    def recorded(self) -> list[dict[str, Any]]:
        """Every event the box recorded: delivered to the platform, or still in the outbox."""
        seen = {e["id"]: e for e in self.platform_events()}
        seen.update({e["id"]: e for e in self.outbox()})
        return list(seen.values())

    def platform_events(self) -> list[dict[str, Any]]:
        return list(self.admin("/admin/events")["events"])


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    platform = prepare(tmp_path / "platform")
    server = ServerThread(platform).start()
    store = Store.open(tmp_path / "kiosk.db")
    secret = load_secret(tmp_path / "platform" / SECRET_NAME)
    client = PlatformClient(ClientConfig(server.url, T, H, secret, timeout_s=5))
    box: list[QueueService] = []
    r = Rig(tmp_path, server, store, client, None, box)  # type: ignore[arg-type]
    r.engine = r.sync_engine()
    yield r
    r.engine.stop()
    client.close()
    store.close()
    server.stop()


def _wait(cond: Any, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_online_request_pulled_issued_once_checked_in_called_near_turn_seen(rig: Rig) -> None:
    first = rig.engine.run_once()  # hall profile, keys; no queue yet, so no requests are taken
    assert first.ok, first.reason
    assert first.pulls["remote_tickets"] == "ok (no queue yet)"
    svc = rig.queue()
    k1 = svc.issue_unprinted("A")
    k2 = svc.issue_unprinted("A")
    # two citizens take a number on the phone; then the bad ones
    r1 = rig.admin("/admin/remote-tickets", {"id": "RT-E2E-1", "category": "A", "id_number": CHEN.id_number})
    r2 = rig.admin("/admin/remote-tickets", {"id": "RT-E2E-2", "category": "A", "id_number": ZHAO})
    now = datetime.now(seed.TZ)
    good = {
        "category": "A",
        "holder_id_hash": seed.holder_hash("110101199003070000"),
        "taken_at": now.isoformat(),
        "arrive_by": (now + timedelta(minutes=30)).isoformat(),
    }
    bad = {
        "RT-BAD-CAT": {**good, "id": "RT-BAD-CAT", "category": "Z"},
        "RT-BAD-HASH": {**good, "id": "RT-BAD-HASH", "holder_id_hash": "not a hash"},
        "RT-BAD-LATE": {
            **good,
            "id": "RT-BAD-LATE",
            "taken_at": (now - timedelta(hours=2)).isoformat(),
            "arrive_by": (now - timedelta(hours=1)).isoformat(),
        },
        "RT-BAD-LIMIT": {**good, "id": "RT-BAD-LIMIT", "holder_id_hash": r1["holder_id_hash"]},
    }
    for raw in bad.values():
        rig.admin("/admin/remote-tickets", {"raw": raw})
    rig.admin("/admin/remote-tickets", {"raw": {**good, "id": "RT-E2E-1"}})  # the same request again
    rig.admin("/admin/remote-tickets", {"raw": {"category": "A"}})  # no id at all
    rig.admin("/admin/remote-tickets", {"raw": "not a request"})  # not even an object

    # the heartbeat's sync_now pulls at once (the next regular sync is an hour away)
    rig.engine.start()
    rig.admin("/admin/commands", {"name": "sync_now"})
    _wait(lambda: svc.ticket_for_request("RT-E2E-2") is not None)
    _wait(lambda: len([e for e in rig.recorded() if e["type"] == "remote_ticket.refused"]) >= 6)
    rig.engine.stop()
    rig.engine = rig.sync_engine()

    o1, o2 = svc.ticket_for_request("RT-E2E-1"), svc.ticket_for_request("RT-E2E-2")
    assert o1 is not None and o2 is not None
    assert o1.channel == "online" and o1.held and o1.state is TicketState.WAITING
    issued = [e["data"] for e in rig.recorded() if e["type"] == "ticket.issued" and e["data"].get("channel")]
    assert sorted(d["request_id"] for d in issued) == ["RT-E2E-1", "RT-E2E-2"]
    refusals = {
        e["data"]["request_id"]: e["data"]["reason"]
        for e in rig.recorded()
        if e["type"] == "remote_ticket.refused"
    }
    assert refusals == {
        "RT-BAD-CAT": "unknown_category",
        "RT-BAD-HASH": "malformed",
        "RT-BAD-LATE": "arrive_by_passed",
        "RT-BAD-LIMIT": "real_name_limit",
        "": "malformed",  # the two without an id
    }
    assert len([e for e in rig.recorded() if e["type"] == "remote_ticket.refused"]) == 6

    # a repeated pull from the start, and a restart of the box, issue nothing twice
    before = len(rig.recorded())
    rig.store.write(lambda c: cursors.put(c, "remote_tickets", None))
    svc = rig.queue()
    again = rig.engine.run_once()
    assert again.ok, again.reason
    assert again.pulls["remote_tickets"] == "ok (0 issued, 0 refused, 9 already handled)"
    assert len(rig.recorded()) == before

    # the holders are away: the windows pass over their tickets, no no-show
    assert svc.call_next(1).ticket_id == k1.ticket_id  # type: ignore[union-attr]
    assert svc.call_next(1).ticket_id == k2.ticket_id  # type: ignore[union-attr]
    assert svc.call_next(1) is None
    assert svc.ticket(o1.ticket_id).passed_over == 0  # type: ignore[union-attr]

    # check-in by ID card, and by the code on the phone (the platform's person code)
    uc = UseCases(svc, store=rig.store, devices=None, config=CheckInConfig())
    by_card = uc.check_in(identity=CHEN)
    assert by_card.ok and by_card.message == "online_arrived", by_card.text("en")
    assert by_card.ticket is not None and by_card.ticket.number == o1.number
    code = rig.admin("/admin/codes", {"typ": "person", "sub": r2["holder_id_hash"]})["code"]
    by_code = uc.check_in(qr_payload=code)
    assert by_code.ok and by_code.message == "online_arrived" and by_code.params["number"] == o2.number
    assert uc.check_in(identity=CHEN).message != "online_arrived"  # once

    first_call = svc.call_next(1)
    assert first_call is not None and first_call.ticket_id == o1.ticket_id
    svc.finish(1)
    assert svc.call_next(2) is not None  # o2, at another window serving A
    assert rig.engine.run_once().ok

    events = rig.platform_events()
    receipts = rig.admin("/admin/events")["receipts"]
    assert all(receipts[e["id"]] == 1 for e in events), "an event reached the platform twice"
    types = [e["type"] for e in events]
    assert types.count("ticket.near_turn") == 2 and types.count("ticket.arrived") == 2
    by = sorted(e["data"]["by"] for e in events if e["type"] == "ticket.arrived")
    assert by == ["code", "id_card"]
    st1 = rig.admin("/admin/remote-tickets/RT-E2E-1")
    assert st1["state"] == "served" and st1["number"] == o1.number and st1["near_turn"]
    st2 = rig.admin("/admin/remote-tickets/RT-E2E-2")
    assert st2["state"] == "called" and st2["counter"] == 2
    assert rig.admin("/admin/remote-tickets/RT-BAD-CAT")["state"] == "refused"


def test_platform_position_from_events_and_expiry(rig: Rig) -> None:
    assert rig.engine.run_once().ok
    svc = rig.queue()
    svc.issue_unprinted("B")
    svc.issue_unprinted("B")
    svc.issue_unprinted("B")
    time.sleep(1.1)  # the platform stamps taken_at to the second: taken after the three
    rig.admin(
        "/admin/remote-tickets", {"id": "RT-POS", "category": "B", "id_number": ZHAO, "arrive_within_min": 1}
    )
    assert rig.engine.run_once().ok
    st = rig.admin("/admin/remote-tickets/RT-POS")
    assert st["state"] == "waiting" and st["ahead"] == 3 and not st["near_turn"]
    # past its arrival deadline the ticket expires with the reason, and the platform hears it
    t = svc.ticket_for_request("RT-POS")
    assert t is not None and t.arrive_by is not None
    svc.clock = lambda: t.arrive_by + timedelta(seconds=1)  # type: ignore[operator]
    svc.tick()
    assert svc.ticket(t.ticket_id).state is TicketState.EXPIRED  # type: ignore[union-attr]
    assert rig.engine.run_once().ok
    st = rig.admin("/admin/remote-tickets/RT-POS")
    assert st["state"] == "expired" and st["reason"] == "not_arrived"


def test_reference_platform_validates_its_side(rig: Rig) -> None:
    """The platform refuses to create a request out of bounds, pages after its cursor, and
    refuses a malformed cursor or limit with the contract's 400."""
    for body in (
        {"category": "Z", "id_number": ZHAO},
        {"category": "A"},
        {"category": "A", "id_number": ZHAO, "arrive_within_min": 0},
        {"category": "A", "id_number": ZHAO, "id": "bad id!"},
    ):
        r = requests.post(rig.server.url + "/admin/remote-tickets", json=body, timeout=5)
        assert r.status_code == 400, body
    for i in range(3):
        rig.admin("/admin/remote-tickets", {"id": f"RT-P{i}", "category": "A", "id_number": ZHAO})
    first = rig.client.remote_tickets(limit=2)
    assert [q["id"] for q in first["requests"]] == ["RT-P0", "RT-P1"] and first["has_more"]
    rest = rig.client.remote_tickets(since=first["cursor"], limit=2)
    assert [q["id"] for q in rest["requests"]] == ["RT-P2"] and not rest["has_more"]
    assert rig.client.remote_tickets(since=rest["cursor"])["requests"] == []
    from kiosk.platform.client import Rejected

    for kw in ({"since": "c-1"}, {"since": "r-x"}, {"limit": 0}, {"limit": 501}):
        with pytest.raises(Rejected) as exc:
            rig.client.remote_tickets(**kw)  # type: ignore[arg-type]
        assert exc.value.status == 400


def test_mobile_page_takes_a_number_and_follows_it(rig: Rig) -> None:
    """The integrators' page and the calls it makes: the hall's categories with their waiting
    counts, take a number, follow it to "please go to window N"."""
    page = requests.get(rig.server.url + "/m/", timeout=5)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    for needle in (
        'id="category"',
        'id="idNumber"',
        'id="takeButton"',
        "/admin/remote-tickets",
        "/m/api/hall",
    ):
        assert needle in page.text
    assert rig.engine.run_once().ok
    svc = rig.queue()
    svc.issue_unprinted("A")
    rig.engine.add_heartbeat_provider(lambda: {"queue": svc.heartbeat_queue()})
    assert rig.engine.heartbeat()
    hall_view = rig.admin("/m/api/hall")
    assert {c["code"]: c["waiting"] for c in hall_view["categories"]}["A"] == 1
    assert hall_view["counters"]["1"]
    taken = rig.admin("/admin/remote-tickets", {"category": "A", "id_number": ZHAO})
    assert rig.admin(f"/admin/remote-tickets/{taken['id']}")["state"] == "requested"
    assert rig.engine.run_once().ok
    assert rig.admin(f"/admin/remote-tickets/{taken['id']}")["state"] == "waiting"
    t = svc.ticket_for_request(taken["id"])
    assert t is not None
    svc.arrive(t.ticket_id, "id_card")
    windows = {c.ticket_id: n for n in (1, 2) if (c := svc.call_next(n)) is not None}
    assert rig.engine.run_once().ok
    st = rig.admin(f"/admin/remote-tickets/{taken['id']}")
    assert st["state"] == "called" and st["number"] == t.number and st["counter"] == windows[t.ticket_id]
