"""An online ticket in a hall with a host (issue 18): the host holds it; its holder checks in at
a member ticket machine by ID card, through the same check-in use case, over the real bus."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.hall.member import member_usecases
from kiosk.identity.person import Identity
from kiosk.queue.hall import DEMO_HALL
from kiosk.queue.model import TicketState
from offline_cache.appointments import holder_id_hash
from tests.hall.harness import start_host, start_member, wait_for
from tests.hall.mosquitto import Mosquitto

pytestmark = pytest.mark.timeout(120)

CHEN = Identity("id_card", "陈志强", "440304199206111537", None)


def test_member_check_in_puts_the_hosts_online_ticket_in_the_queue(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    host = start_host(mosquitto, tmp_path)
    tm = start_member(mosquitto, tmp_path, "T-TM1")
    try:
        svc = host.service
        now = svc.now()
        t = svc.issue_online(
            request_id="RT-BUS-1",
            category="A",
            holder_id_hash=holder_id_hash(DEMO_HALL["id_hash_salt"], CHEN.id_number),
            taken_at=now,
            arrive_by=now + timedelta(minutes=30),
        )
        assert svc.call_next(1) is None  # held: the holder is not here yet
        uc = member_usecases(tm.queue, store=tm.store)
        r = uc.check_in(identity=CHEN)
        assert r.ok and r.message == "online_arrived", r.text("en")
        assert r.params["number"] == t.number and r.data["request_id"] == "RT-BUS-1"
        assert uc.check_in(identity=CHEN).message == "no_appointment"  # arrived once, nothing else
        called = svc.call_next(1)
        assert called is not None and called.ticket_id == t.ticket_id
        assert svc.ticket(t.ticket_id).state is TicketState.CALLED  # type: ignore[union-attr]
        # a second number taken online and never claimed: past its deadline check-in says so
        late = svc.issue_online(
            request_id="RT-BUS-2",
            category="B",
            holder_id_hash=holder_id_hash(DEMO_HALL["id_hash_salt"], CHEN.id_number),
            taken_at=svc.now(),
            arrive_by=svc.now() + timedelta(minutes=5),
        )
        later = svc.now() + timedelta(minutes=6)
        svc.clock = lambda: later
        r = uc.check_in(identity=CHEN)
        assert not r.ok and r.message == "online_ticket_expired" and r.params["number"] == late.number
    finally:
        tm.stop()
        host.stop()


def test_the_online_lookup_unanswered_is_not_a_refusal(mosquitto: Mosquitto, tmp_path: Path) -> None:
    """While the host is gone a member cannot see the hall's online tickets: check-in goes on
    to the bookings (as without online tickets) instead of refusing on the lookup."""
    host = start_host(mosquitto, tmp_path)
    tm = start_member(mosquitto, tmp_path, "T-TM1", give_up_s=1.5)
    try:
        uc = member_usecases(tm.queue, store=tm.store)
        holder = holder_id_hash(DEMO_HALL["id_hash_salt"], CHEN.id_number)
        assert uc._arrive_online(holder, "id_card") is None  # reachable, nothing held
        host.stop(clean=False)
        wait_for(lambda: not tm.queue.host_reachable(), timeout=30, what="host gone")
        assert uc._arrive_online(holder, "id_card") is None
    finally:
        tm.stop()
        host.stop()
