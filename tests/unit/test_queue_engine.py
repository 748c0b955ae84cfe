"""Queue engine rules by example: counter actions, weights, estimates, statistics, profiles."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.queue import stats
from kiosk.queue.engine import QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.hall import DEMO_HALL, demo_profile
from kiosk.queue.model import HallProfile, HallProfileInvalid, Priority, QueuePolicy, TicketState
from kiosk.usecases.messages import MESSAGES, text

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


def engine(**kw: object) -> QueueEngine:
    return QueueEngine(demo_profile(), QueuePolicy(enforce_hours=False, **kw))  # type: ignore[arg-type]


def test_numbers_are_prefix_and_three_digits() -> None:
    e = engine()
    assert [e.issue(T0, c, printing=False)[0].number for c in "AABE"] == ["A001", "A002", "B001", "E001"]


def test_call_recall_skip_requeue_once_then_gone() -> None:
    e = engine(recall_max=1, no_show="requeue_once")
    a1, _ = e.issue(T0, "A", printing=False)
    a2, _ = e.issue(T0, "A", printing=False)
    assert e.call_next(1, T0)[0] is a1
    e.recall(1, T0)
    with pytest.raises(QueueRefused) as exc:
        e.recall(1, T0)
    assert exc.value.code == "recall_limit"
    e.skip(1, T0)
    assert a1.state is TicketState.WAITING and a1.order > a2.order  # back of the queue
    assert e.call_next(1, T0)[0] is a2
    assert e.call_next(1, T0)[0] is a1  # "next" finished a2
    assert a2.state is TicketState.SERVED
    e.skip(1, T0)
    assert a1.state is TicketState.NO_SHOW  # only once back in the queue


def test_skip_gone_policy() -> None:
    e = engine(no_show="gone")
    t, _ = e.issue(T0, "A", printing=False)
    e.call_next(1, T0)
    _, mut = e.skip(1, T0)
    assert t.state is TicketState.NO_SHOW
    assert [ev.type for ev in mut.events] == ["ticket.skipped"]


def test_transfer_keeps_issue_time_and_goes_ahead_of_later_tickets() -> None:
    e = engine()
    a, _ = e.issue(T0, "A", printing=False)
    later = T0 + timedelta(minutes=30)
    _b, _ = e.issue(later, "B", printing=False)
    e.call_next(1, later)
    _, mut = e.transfer(1, "B", later)
    assert a.issued_at == T0 and a.category == "B" and a.origin_category == "A"
    assert mut.events[0].data == {"ticket_id": a.ticket_id, "from_counter": 1, "to_category": "B"}
    assert e.call_next(3, later)[0] is a  # waits in B as if issued for it at T0
    with pytest.raises(QueueRefused):
        e.transfer(3, "B", later)


def test_one_open_ticket_per_counter_and_pause() -> None:
    e = engine()
    e.issue(T0, "A", printing=False)
    e.call_next(1, T0)
    with pytest.raises(QueueRefused) as exc:
        e.pause(1, T0)
    assert exc.value.code == "finish_first"
    e.finish(1, T0 + timedelta(minutes=4))
    e.pause(1, T0)
    e.issue(T0, "A", printing=False)
    with pytest.raises(QueueRefused):
        e.call_next(1, T0)
    e.resume(1, T0)
    assert e.call_next(1, T0)[0] is not None


def test_lane_weights_interleave_priority_and_normal() -> None:
    e = engine(calling="weighted", lane_weights={"elderly": 2, "normal": 1}, starvation_bound=100)
    for _ in range(30):
        e.issue(T0, "A", printing=False, priority=Priority.NORMAL)
    for _ in range(30):
        e.issue(T0, "A", printing=False, priority=Priority.ELDERLY)
    called = [e.call_next(1, T0)[0].priority for _ in range(30)]  # type: ignore[union-attr]
    assert Counter(called) == {Priority.ELDERLY: 20, Priority.NORMAL: 10}


def test_anti_starvation_bound() -> None:
    e = engine(calling="weighted", lane_weights={"vip": 1, "normal": 0}, starvation_bound=3)
    n, _ = e.issue(T0, "A", printing=False)
    for _ in range(10):
        e.issue(T0, "A", printing=False, priority=Priority.VIP)
    order = [e.call_next(1, T0)[0] for _ in range(5)]
    assert order.index(n) == 3  # passed over by exactly 3 later tickets, then called
    assert n.passed_over == 3


def test_counter_weights_across_categories() -> None:
    policy = QueuePolicy(enforce_hours=False, calling="weighted", counter_weights={"8": {"E": 3, "A": 1}})
    e = QueueEngine(demo_profile(), policy)
    for _ in range(20):
        e.issue(T0, "A", printing=False)
        e.issue(T0, "E", printing=False)
    cats = [e.call_next(8, T0)[0].category for _ in range(8)]  # type: ignore[union-attr]
    assert Counter(cats) == {"E": 6, "A": 2}


def test_estimate_uses_rolling_service_times_and_open_counters() -> None:
    e = engine(default_service_min=5.0)
    assert e.estimate("A").minutes == 0
    for _ in range(6):
        e.issue(T0, "A", printing=False)
    # counters 1, 2 serve only A; 8 serves E and A (half a window for A): 2.5 windows
    assert e.capacity("A") == pytest.approx(2.5)
    assert e.estimate("A").minutes == 12  # ceil(6 * 5 / 2.5)
    e.call_next(1, T0)
    e.finish(1, T0 + timedelta(minutes=10))
    assert e.avg_service_min("A") == pytest.approx(10.0)
    e.pause(1, T0)
    e.pause(2, T0)
    assert e.estimate("A").minutes == 100  # 5 waiting * 10 min / 0.5 window
    e.pause(8, T0)
    assert e.estimate("A").minutes is None


def test_statistics_and_csv() -> None:
    e = engine()
    _a, _ = e.issue(T0, "A", printing=False)
    _b, _ = e.issue(T0, "A", printing=False, priority=Priority.APPOINTMENT, checked_in_at=T0)
    _c, _ = e.issue(T0, "B", printing=False)
    e.call_next(1, T0 + timedelta(minutes=5))  # b (appointment) after 5 min
    e.call_next(2, T0 + timedelta(minutes=20))  # a after 20 min
    e.finish(1, T0 + timedelta(minutes=9))
    e.finish(2, T0 + timedelta(minutes=25))
    e.call_next(3, T0 + timedelta(minutes=30))
    e.skip(3, T0 + timedelta(minutes=31))
    e.call_next(3, T0 + timedelta(minutes=40))
    e.skip(3, T0 + timedelta(minutes=41))
    ev, _ = e.evaluate(T0, 5, counter=1)
    s = stats.compute(e.tickets.values(), [ev])
    assert (s["issued"], s["served"], s["no_show"]) == (3, 2, 1)
    assert s["avg_wait_min"] == pytest.approx((5 + 20 + 30) / 3, abs=0.01)
    assert s["p95_wait_min"] == 30.0
    assert s["appointment_called_within_10min_pct"] == 100.0
    assert s["max_wait_min_by_priority"] == {"appointment": 5.0, "normal": 30.0}
    assert s["no_show_rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert s["counters"]["1"]["evaluation_avg"] == 5.0
    csv = stats.to_csv(s).splitlines()
    assert csv[0].startswith("scope,key,issued")
    assert csv[1].startswith("day,all,3,")
    assert any(line.startswith("category,B,") for line in csv)
    assert stats.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) == 10


def test_hall_profile_validation() -> None:
    p = HallProfile.from_dict(DEMO_HALL)
    assert p.counter(8).categories == ("E", "A")  # type: ignore[union-attr]
    bad = dict(DEMO_HALL, categories=[{"code": "A", "name": "x", "prefix": "AB"}])
    with pytest.raises(HallProfileInvalid):
        HallProfile.from_dict(bad)
    with pytest.raises(HallProfileInvalid):
        HallProfile.from_dict(dict(DEMO_HALL, timezone="Mars/Olympus"))
    with pytest.raises(HallProfileInvalid):
        HallProfile.from_dict({"hall_id": "x"})
    with pytest.raises(HallProfileInvalid):
        HallProfile.from_dict("nonsense")


def test_every_refusal_has_both_languages() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == {"zh", "en"}, key
    assert (
        text("recall_limit", "en", number="A001", limit=2) == "A001 was recalled 2 times; skip or finish it."
    )
    assert text("no_such_key") == "no_such_key"
