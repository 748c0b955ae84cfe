"""Calling by service level: target waits per lane and category, the ticket due soonest first,
transfers that never pass a ticket at the bound, on-target calling whenever the windows have
room (property), the day that is full, the wait quoted before a ticket, estimates and stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.queue import stats
from kiosk.queue.engine import QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import HallProfile, Priority, QueuePolicy, TicketState
from kiosk.usecases.messages import text
from tests.unit.test_queue_engine import T0, engine

CLOSE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 17:00 in Shanghai


def test_the_ticket_due_soonest_is_called() -> None:
    e = engine()
    old, _ = e.issue(T0, "A", printing=False)
    appt, _ = e.issue(T0 + timedelta(minutes=5), "A", printing=False, priority=Priority.APPOINTMENT)
    elder, _ = e.issue(T0 + timedelta(minutes=6), "A", printing=False, priority=Priority.ELDERLY)
    now = T0 + timedelta(minutes=7)
    assert [e.call_next(1, now)[0] for _ in range(3)] == [appt, elder, old]
    # an ordinary ticket that reached its horizon (150 min) goes before a fresh appointment
    late, _ = e.issue(T0, "C", printing=False)
    fresh, _ = e.issue(T0 + timedelta(minutes=145), "C", printing=False, priority=Priority.APPOINTMENT)
    assert e.due_at(late) < e.due_at(fresh)
    assert e.call_next(5, T0 + timedelta(minutes=146))[0] is late


def test_targets_per_category_override_the_lane_default() -> None:
    e = engine(category_target_wait_min={"B": {"appointment": 30}})
    appt, _ = e.issue(T0, "B", printing=False, priority=Priority.APPOINTMENT)
    elder, _ = e.issue(T0, "B", printing=False, priority=Priority.ELDERLY)
    assert (e.target_min(appt), e.target_min(elder)) == (30, 20)
    assert e.call_next(3, T0)[0] is elder  # due at 20 min, the complex-item appointment at 30
    a_appt, _ = e.issue(T0, "A", printing=False, priority=Priority.APPOINTMENT)
    assert e.target_min(a_appt) == 10
    normal, _ = e.issue(T0, "A", printing=False)
    assert e.target_min(normal) is None and e.due_at(normal) == T0 + timedelta(minutes=150)


def test_a_shared_window_calls_across_its_categories_by_due_time() -> None:
    e = engine()
    a, _ = e.issue(T0, "A", printing=False)
    e_appt, _ = e.issue(T0 + timedelta(minutes=30), "E", printing=False, priority=Priority.APPOINTMENT)
    assert e.call_next(8, T0 + timedelta(minutes=31))[0] is e_appt  # window 8 serves E and A
    assert e.call_next(8, T0 + timedelta(minutes=32))[0] is a


def test_a_transfer_never_passes_a_ticket_at_the_bound() -> None:
    """The weighted policy used to keep a transferred ticket's old order key: it was 'oldest',
    so the forced call took it ahead of a ticket already passed over ``starvation_bound`` times."""
    e = engine(calling="weighted", lane_weights={"vip": 1, "normal": 0}, starvation_bound=1)
    t, _ = e.issue(T0, "A", printing=False)
    w, _ = e.issue(T0 + timedelta(minutes=1), "B", printing=False)
    v, _ = e.issue(T0 + timedelta(minutes=2), "B", printing=False, priority=Priority.VIP)
    assert e.call_next(3, T0 + timedelta(minutes=3))[0] is v
    assert w.passed_over == 1  # at the bound: the next call in B must be w
    assert e.call_next(1, T0 + timedelta(minutes=3))[0] is t
    e.transfer(1, "B", T0 + timedelta(minutes=4))
    assert t.issued_at == T0 and t.order > w.order  # keeps its issue time, joins behind w
    assert e.call_next(4, T0 + timedelta(minutes=5))[0] is w
    assert e.call_next(4, T0 + timedelta(minutes=6))[0] is t


def test_under_service_level_a_transfer_is_due_by_its_issue_time() -> None:
    e = engine()
    t, _ = e.issue(T0, "A", printing=False)
    b, _ = e.issue(T0 + timedelta(minutes=20), "B", printing=False)
    e.call_next(1, T0 + timedelta(minutes=30))
    e.transfer(1, "B", T0 + timedelta(minutes=31))
    assert t.order > b.order and e.due_at(t) < e.due_at(b)
    assert e.call_next(3, T0 + timedelta(minutes=32))[0] is t


def test_a_requeued_no_show_is_due_from_its_last_call() -> None:
    e = engine(recall_max=0)
    t, _ = e.issue(T0, "A", printing=False, priority=Priority.ELDERLY)
    e.call_next(1, T0 + timedelta(minutes=3))
    e.skip(1, T0 + timedelta(minutes=4))
    assert t.state is TicketState.WAITING
    assert e.due_at(t) == T0 + timedelta(minutes=3 + 20)


ONE_CATEGORY = {
    "hall_id": "H-ONE",
    "name": "one",
    "timezone": "Asia/Shanghai",
    "categories": [{"code": "A", "name": "A", "prefix": "A"}],
}


@settings(max_examples=150, deadline=None)
@given(
    windows=st.integers(1, 3),
    service=st.integers(2, 9),
    arrivals=st.lists(
        st.tuples(
            st.integers(0, 90), st.sampled_from([Priority.APPOINTMENT, Priority.ELDERLY, Priority.NORMAL])
        ),
        max_size=60,
    ),
)
def test_appointments_are_called_on_target_whenever_the_windows_have_room(
    windows: int, service: int, arrivals: list[tuple[int, Priority]]
) -> None:
    """Windows serve ``service`` minutes each and call as soon as they are free. An appointment
    (the lane with the shortest target) that arrives when the windows' calls before its target
    outnumber the tickets due before it is always called within its 10 minutes: later arrivals
    are all due after it, so the calls go to those due first and it gets one of them."""
    profile = HallProfile.from_dict(
        {**ONE_CATEGORY, "counters": [{"number": n, "categories": ["A"]} for n in range(1, windows + 1)]}
    )
    e = QueueEngine(profile, QueuePolicy(enforce_hours=False, horizon_min=60))
    started: dict[int, int] = {}  # window -> minute its ticket was called
    promised: list[Any] = []
    by_minute: dict[int, list[Priority]] = {}
    for minute, prio in arrivals:
        by_minute.setdefault(minute, []).append(prio)
    for minute in range(400):
        now = T0 + timedelta(minutes=minute)
        for prio in by_minute.get(minute, []):
            t, _ = e.issue(now, "A", printing=False, priority=prio)
            if prio is Priority.APPOINTMENT:
                due = e.due_at(t)
                ahead = sum(1 for w in e.waiting("A") if (e.due_at(w), w.order) <= (due, t.order))
                calls = 0
                for n in range(1, windows + 1):
                    free = minute if n not in started else max(minute, started[n] + service)
                    calls += max(0, (minute + 10 - free) // service + 1)
                if ahead <= calls:
                    promised.append(t)
        for n in range(1, windows + 1):
            if n in started and minute - started[n] < service:
                continue
            called, _ = e.call_next(n, now)
            if called is None:
                started.pop(n, None)
            else:
                started[n] = minute
    for t in promised:
        assert t.wait_min is not None and t.wait_min <= 10, "an appointment with room was called late"


def test_starvation_bound_holds_when_priority_tickets_never_stop() -> None:
    """A stream of appointments that would keep one window busy forever: the ordinary ticket is
    called once it is due (its horizon), not never."""
    e = engine(horizon_min=60)
    normal, _ = e.issue(T0, "C", printing=False)
    called_at = None
    for minute in range(0, 200, 2):
        now = T0 + timedelta(minutes=minute)
        e.issue(now, "C", printing=False, priority=Priority.APPOINTMENT)
        for window in (5, 6):
            t, _ = e.call_next(window, now)
            if t is normal:
                called_at = minute
    assert called_at is not None and called_at <= 60 + 2


def test_day_full_refuses_with_what_to_do_instead() -> None:
    profile = demo_profile()
    e = QueueEngine(profile, QueuePolicy(day_full=True, default_service_min=10.0))
    late = CLOSE - timedelta(minutes=60)  # 16:00: two B windows, 10-minute services
    for _ in range(12):  # the 13th would be called at 16:60 at best: never served today
        e.issue(late, "B", printing=False)
    with pytest.raises(QueueRefused) as exc:
        e.issue(late, "B", printing=False)
    assert exc.value.code == "day_full"
    sentence = text("day_full", "zh", **exc.value.params)
    assert "不动产登记" in sentence and "网上预约" in sentence and "咨询台" in sentence
    assert "book online" in text("day_full", "en", **exc.value.params)
    # an appointment due before the crowd still fits; other categories are unaffected
    assert e.issue(late, "B", printing=False, priority=Priority.APPOINTMENT)[0].number == "B013"
    assert e.issue(late, "A", printing=False)[0].number == "A001"
    # off per category (a hall that serves everyone who came), and off by default
    off = QueueEngine(profile, QueuePolicy(day_full=True, day_full_categories={"B": False}))
    default = QueueEngine(profile, QueuePolicy(default_service_min=10.0))
    for eng in (off, default):
        for _ in range(30):
            eng.issue(late, "B", printing=False)


def test_the_wait_is_quoted_before_the_ticket() -> None:
    e = QueueEngine(demo_profile(), QueuePolicy(default_service_min=10.0))
    assert e.quote("B", Priority.NORMAL, T0).minutes == 0  # both windows free
    for _ in range(14):
        e.issue(T0, "B", printing=False)
    q = e.quote("B", Priority.NORMAL, T0)
    assert q.ahead == 14 and q.minutes is not None and q.minutes > 60
    appt = e.quote("B", Priority.APPOINTMENT, T0)
    assert appt.ahead == 0 and appt.minutes is not None and appt.minutes <= 10
    t, _ = e.issue(T0, "B", printing=False)
    told = e.estimate_ticket(t, T0)
    assert told.ahead == 14 and told.minutes == q.minutes


def test_estimate_plays_the_calls_forward() -> None:
    e = engine(default_service_min=6.0)
    tickets = [e.issue(T0, "B", printing=False)[0] for _ in range(5)]
    # windows 3 and 4 serve B (window 4 only B in the demo hall): the 5th waits for 2 rounds
    assert [e.estimate_ticket(t, T0).minutes for t in tickets] == [0, 0, 6, 6, 12]
    e.pause(3, T0)
    e.pause(4, T0)
    assert e.estimate_ticket(tickets[0], T0).minutes is None


def test_stats_per_lane_targets_and_estimate_error() -> None:
    e = engine()
    a, _ = e.issue(T0, "A", printing=False, priority=Priority.APPOINTMENT, checked_in_at=T0)
    b, _ = e.issue(T0, "A", printing=False, priority=Priority.APPOINTMENT, checked_in_at=T0)
    n, _ = e.issue(T0, "A", printing=False)
    e.call_next(1, T0 + timedelta(minutes=4))
    e.call_next(2, T0 + timedelta(minutes=12))
    e.call_next(8, T0 + timedelta(minutes=40))
    told = {a.ticket_id: 5, b.ticket_id: 5, n.ticket_id: 30}
    s = stats.compute(e.tickets.values(), policy=e.policy, estimates=told)
    lanes = s["lanes"]
    assert lanes["appointment"]["target_min"] == 10 and lanes["appointment"]["within_target_pct"] == 50.0
    assert lanes["appointment"]["p50_wait_min"] == 4.0 and lanes["appointment"]["max_wait_min"] == 12.0
    assert lanes["normal"]["target_min"] is None and lanes["normal"]["within_target_pct"] is None
    err = s["estimate_error"]
    assert err["compared"] == 3 and err["median_abs_min"] == 7.0 and err["p90_abs_min"] == 10.0
    assert err["within_20pct_or_3min_pct"] == pytest.approx(33.3)
    csv = stats.to_csv(s).splitlines()
    assert "within_target_pct" in csv[0] and "estimate_median_abs_min" in csv[0]
    assert any(line.startswith("lane,appointment,2,2,") and ",10,50.0," in line for line in csv)
    assert "None" not in stats.to_csv(stats.compute([]))


def test_the_demo_appointment_is_on_time_whenever_it_is_synced() -> None:
    """李明华's slot is the next half hour: check-in (open 30 min before, late 15 after) is on
    time from the moment the bookings are fetched until at least 15 minutes later."""
    from kiosk.devtools.refplatform import seed
    from kiosk.usecases.citizen import CheckInConfig

    cfg = CheckInConfig()
    day = datetime(2026, 11, 23, 8, 0, tzinfo=seed.TZ)
    for minute in range(0, 9 * 60, 7):
        now = day + timedelta(minutes=minute, seconds=minute % 60)
        [li] = [b for b in seed.appointments_for(now.date(), now) if b["id"].endswith("0001")]
        start = datetime.fromisoformat(li["slot_start"])
        assert start - timedelta(minutes=cfg.before_min) <= now
        assert now + timedelta(minutes=15) <= start + timedelta(minutes=cfg.after_min)


def test_the_wait_told_at_issue_is_the_tickets_own_estimate() -> None:
    """Issuing with the day-full check on plays the new ticket's wait once and keeps it as told:
    the same figure a play after it joined the queue gives (its own arrival is due with it, so
    it changes nothing due before it), and what a printing ticket is said to wait."""

    policy = QueuePolicy(enforce_hours=True, day_full=True, default_service_min=6.0)
    e = QueueEngine(demo_profile(), policy)
    for i in range(30):
        prio = [Priority.NORMAL, Priority.APPOINTMENT, Priority.ELDERLY][i % 3]
        now = T0 + timedelta(minutes=i)
        t, _ = e.issue(now, "AB"[i % 2], priority=prio, checked_in_at=now if i % 3 == 1 else None)
        assert t.told_wait_min is not None
        e.confirm_printed(t.ticket_id, now)
        assert e.estimate_ticket(t, now).minutes == t.told_wait_min
        if i % 4 == 0:
            e.call_next(1 + i % 8, now)


def test_a_printing_ticket_says_the_wait_it_was_told_and_keeps_it(tmp_path: Path) -> None:
    """The paper is printed from ``estimate_for`` while the ticket prints: the wait played at
    issue, stored with the ticket, unchanged by a call made meanwhile; once in the queue the
    estimate is played afresh."""
    from kiosk.queue.service import QueueService
    from offline_cache.store import Store

    store = Store.open(tmp_path / "kiosk.db")
    clock = [T0]
    policy = QueuePolicy(enforce_hours=True, day_full=True, default_service_min=10.0)
    svc = QueueService(store, demo_profile(), policy, terminal_id="T-DEMO-001", clock=lambda: clock[0])
    svc.start()
    try:
        for _ in range(6):
            svc.issue_unprinted("B")
        t = svc.begin_issue("B")
        assert t.told_wait_min is not None and t.told_wait_min > 0
        svc.call_next(3)
        printed = svc.estimate_for(t.ticket_id)
        assert (printed.ahead, printed.minutes) == (5, t.told_wait_min)
        svc.confirm_printed(t.ticket_id)
        clock[0] += timedelta(minutes=20)
        assert svc.estimate_for(t.ticket_id).minutes != t.told_wait_min
        assert svc.ticket(t.ticket_id).told_wait_min == t.told_wait_min  # type: ignore[union-attr]
    finally:
        store.close()
