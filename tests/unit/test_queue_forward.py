"""The hall played forward once (``kiosk.queue.forward``): the same waits as the play made for
each ticket, one play reused for a minute with the tickets that joined counted in, and made
again when a window pauses or the minute is over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import kiosk.queue.forward as forward
from kiosk.queue.engine import QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.model import Priority, TicketState
from tests.unit.test_queue_engine import T0
from tests.unit.test_queue_engine import engine as queue_engine


def engine(**kw: Any) -> QueueEngine:
    return queue_engine(default_service_min=7.0, **kw)


def plays_made(monkeypatch: Any) -> list[int]:
    made = [0]
    real = forward.Play.__init__

    def counted(self: forward.Play, group: forward.Group) -> None:
        made[0] += 1
        real(self, group)

    monkeypatch.setattr(forward.Play, "__init__", counted)
    return made


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("ABCDE"),
            st.sampled_from(list(Priority)),
            st.integers(0, 50),
            st.sampled_from(["issue", "issue", "issue", "call", "pause", "finish"]),
            st.integers(1, 8),
        ),
        max_size=70,
    ),
    st.integers(111, 200),  # the last issue (minute 50) over an hour ago: no arrivals to come
)
def test_one_play_gives_every_ticket_the_wait_of_its_own_play(
    steps: list[tuple[str, Priority, int, str, int]], later: int
) -> None:
    """With no arrivals to come (none in the last hour) the one play and the play made for a
    single ticket are the same calls: every waiting ticket and every quote must agree, with
    shared windows, paused ones, tickets being served and several lanes and targets."""
    e = engine(category_target_wait_min={"B": {"normal": 40}})
    for cat, prio, minute, what, counter in sorted(steps, key=lambda s: s[2]):
        now = T0 + timedelta(minutes=minute)
        try:
            if what == "issue":
                e.issue(now, cat, priority=prio, printing=False)
            elif what == "call":
                e.call_next(counter, now)
            elif what == "pause":
                e.pause(counter, now)
            else:
                e.finish(counter, now)
        except QueueRefused:
            pass
    now = T0 + timedelta(minutes=later)
    for t in [t for t in e.tickets.values() if t.state is TicketState.WAITING]:
        lane, since = e.lane_of(t), e.since(t)
        own = e._forward_wait(t.category, lane, since, t.order, now)
        assert e.estimate_ticket(t, now).minutes == own, t
    for c in "ABCDE":
        for p in (Priority.NORMAL, Priority.APPOINTMENT, Priority.ELDERLY):
            cat = e.profile.category(c)
            lane = p if cat is not None and cat.priority_allowed else Priority.NORMAL
            own = e._forward_wait(c, lane, now, e.next_order, now)
            assert e.quote(c, p, now).minutes == own, (c, p)


def test_the_play_serves_a_minute_and_counts_in_who_joined(monkeypatch: Any) -> None:
    made = plays_made(monkeypatch)
    e = engine()
    for _ in range(12):
        e.issue(T0, "B", printing=False)
    first = e.quote("B", Priority.NORMAL, T0).minutes
    assert made[0] == 1 and first is not None
    told = []
    for i in range(6):  # the same minute: the same play, each newcomer one call further back
        now = T0 + timedelta(seconds=5 * i)
        t, _ = e.issue(now, "B", printing=False)
        told.append(e.estimate_ticket(t, now).minutes)
    assert made[0] == 1
    assert told == sorted(told) and told[-1] > first  # nobody is told less than one before them
    # two windows serve B at 7 min each: six more people ahead are three more rounds
    fresh = e._forward_wait(
        "B", Priority.NORMAL, T0 + timedelta(seconds=25), e.next_order - 1, T0 + timedelta(seconds=25)
    )
    assert told[-1] == fresh
    e.quote("B", Priority.NORMAL, T0 + timedelta(seconds=61))
    assert made[0] == 2  # a minute on: played again


def test_a_paused_window_plays_the_hall_again(monkeypatch: Any) -> None:
    made = plays_made(monkeypatch)
    e = engine()
    for _ in range(8):
        e.issue(T0, "B", printing=False)
    both = e.quote("B", Priority.NORMAL, T0).minutes
    e.pause(3, T0)
    one = e.quote("B", Priority.NORMAL, T0).minutes
    assert made[0] == 2 and both is not None and one is not None and one > both
    e.pause(4, T0)
    assert e.quote("B", Priority.NORMAL, T0).minutes is None  # nobody serves B
    e.resume(3, T0)
    assert e.quote("B", Priority.NORMAL, T0).minutes == one


def test_a_ticket_past_the_play_is_asked_the_exact_way(monkeypatch: Any) -> None:
    monkeypatch.setattr(forward.Play, "STEPS", 5)
    e = engine()
    tickets = [e.issue(T0, "B", printing=False)[0] for _ in range(30)]
    last = tickets[-1]
    exact = e._forward_wait("B", Priority.NORMAL, e.since(last), last.order, T0)
    assert exact is not None and exact > 60
    assert e.estimate_ticket(last, T0).minutes == exact


def test_a_ticket_merged_in_among_the_waiting_is_not_counted_twice() -> None:
    """A ticket machine's offline ticket goes in at its issue time: the tickets after it move
    one place back. They were in the play already; they must not also count as newcomers."""
    from kiosk.queue.model import Ticket

    e = engine()
    tickets = [e.issue(T0 + timedelta(minutes=i), "B", printing=False)[0] for i in range(20)]
    now = T0 + timedelta(minutes=20)
    for t in tickets:
        e.estimate_ticket(t, now)  # the play is made
    offline = Ticket(
        ticket_id="offline-1",
        number="B900",
        day=tickets[0].day,
        seq=900,
        category="B",
        origin_category="B",
        item_code=None,
        priority=Priority.NORMAL,
        issued_at=T0 + timedelta(seconds=5),
        order=0,
        state=TicketState.WAITING,
    )
    e.merge_issued(offline, now)
    told = [e.estimate_ticket(e.tickets[t.ticket_id], now).minutes for t in tickets]
    own = [e._forward_wait("B", e.lane_of(t), e.since(t), e.tickets[t.ticket_id].order, now) for t in tickets]
    assert told == own
