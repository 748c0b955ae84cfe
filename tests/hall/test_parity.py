"""Nothing above ``HallQueue`` knows whether the queue is local or the host's over the bus: the
same calls give the same results (messages, numbers, views) on a standalone box and on a member."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.hall.member import BusHallQueue, member_usecases
from kiosk.hall_queue import CounterAction, HallQueue, LocalHallQueue
from kiosk.queue.hall import demo_profile
from kiosk.queue.service import QueueService
from kiosk.usecases import UseCases
from offline_cache.store import Store
from tests.hall.harness import POLICY, start_host, start_member, wait_for
from tests.hall.mosquitto import Mosquitto

pytestmark = pytest.mark.timeout(120)


def script(q: HallQueue, issue: Callable[[str], Any]) -> list[Any]:
    out: list[Any] = []

    def r(res: Any) -> None:
        out.append((res.ok, res.message, dict(res.params)))

    r(q.counter_action(1, CounterAction.NEXT))  # nobody waiting
    for cat in "AAB":
        issue(cat)
    r(q.counter_action(1, CounterAction.NEXT))
    r(q.counter_action(1, CounterAction.RECALL))
    r(q.counter_action(1, CounterAction.SKIP))
    r(q.counter_action(1, CounterAction.NEXT))
    r(q.counter_action(1, CounterAction.TRANSFER, to_category="B"))
    r(q.counter_action(3, CounterAction.NEXT))
    r(q.counter_action(3, CounterAction.FINISH))
    r(q.counter_action(3, CounterAction.INVITE))
    r(q.submit_evaluation(5, counter=3, channel="window"))
    r(q.submit_evaluation(4, counter=3, channel="window"))  # one rating per service
    r(q.counter_action(2, CounterAction.TOGGLE_PAUSE))
    r(q.counter_action(2, CounterAction.NEXT))  # paused
    r(q.counter_action(2, CounterAction.RESUME))
    r(q.counter_action(9, CounterAction.NEXT))  # no such window
    r(q.take_ticket("A"))  # this box has no printer
    out.append(q.hall())
    view = q.counter_view(3)
    out.append((view.counter, view.paused, view.current, [w.number for w in view.waiting], view.served_today))
    return out


def test_local_and_bus_queues_answer_alike(mosquitto: Mosquitto, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "standalone.db")
    svc = QueueService(store, demo_profile(), POLICY, terminal_id="T-SOLO")
    svc.start()
    local = LocalHallQueue(UseCases(svc, store=store))
    expected = script(local, lambda cat: svc.issue_unprinted(cat))
    store.close()

    host = start_host(mosquitto, tmp_path)
    counter = start_member(mosquitto, tmp_path, "T-C1")
    try:
        bus = BusHallQueue(member_usecases(counter.queue, store=counter.store))

        def issue(cat: str) -> None:
            counter.queue.issue_unprinted(cat)
            wait_for(lambda: counter.queue.state_seq() > 0, what="state")

        got = script(bus, issue)
    finally:
        counter.stop()
        host.stop()
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert g == e, (i, g, e)
    assert expected[1][:2] == (True, "called") and expected[-3][1] == "no_printer"


def test_a_member_quotes_the_hosts_wait_and_day_full(mosquitto: Mosquitto, tmp_path: Path) -> None:
    """``wait_quote`` over the bus is the host's own quote (its lanes, its day-full verdict);
    cut off from the host, the last hall state's wait stands in and a long one still asks."""
    from dataclasses import replace
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    host = start_host(mosquitto, tmp_path)
    member = start_member(mosquitto, tmp_path, "T-TM1")
    try:
        local = LocalHallQueue(UseCases(host.service, store=host.store))
        bus = BusHallQueue(member_usecases(member.queue, store=member.store))
        assert bus.wait_quote("B") == local.wait_quote("B")
        assert bus.wait_quote("B").data == {"confirm": False, "minutes": 0, "ahead": 0}
        while not local.wait_quote("B").data["confirm"]:
            host.service.issue_unprinted("B")
        long = bus.wait_quote("B")
        assert long == local.wait_quote("B") and long.message == "long_wait_confirm"
        assert bus.wait_quote("B", claim="disability") == local.wait_quote("B", claim="disability")
        wait_for(lambda: member.queue.estimate("B").ahead == long.data["ahead"], what="state")

        tz = ZoneInfo("Asia/Shanghai")
        day = datetime.now(tz)
        while day.isoweekday() > 5:
            day += timedelta(days=1)
        at = day.replace(hour=16, minute=58, second=0, microsecond=0)
        full_policy = replace(POLICY, enforce_hours=True, day_full=True)
        host.service.clock = lambda: at
        host.service.policy = full_policy
        host.service.engine.policy = full_policy
        full = bus.wait_quote("A")
        assert full == local.wait_quote("A") and not full.ok and full.message == "day_full"
        assert "网上预约" in full.text("zh") and "book online" in full.text("en")

        host.stop()
        host = None
        wait_for(lambda: not member.queue.host_reachable(), what="host gone")
        offline = bus.wait_quote("B")
        assert offline.ok and offline.data["confirm"] and offline.message == "long_wait_confirm"
    finally:
        member.stop()
        if host is not None:
            host.stop()
