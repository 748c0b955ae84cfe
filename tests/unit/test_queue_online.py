"""Online tickets in the engine: held in their place until the holder arrives, never counted
as no-shows while away, expired past the arrival deadline, "your turn is near" once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.queue import stats
from kiosk.queue.engine import QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import QueuePolicy, TicketState
from tests.unit.test_queue_engine import T0, engine

HOLDER = "ab" * 32


def online(
    e: QueueEngine,
    rid: str,
    now: datetime,
    *,
    taken: datetime | None = None,
    within: int = 60,
    holder: str = HOLDER,
    category: str = "A",
):  # type: ignore[no-untyped-def]
    return e.issue_online(
        now,
        request_id=rid,
        category=category,
        holder_id_hash=holder,
        taken_at=taken or now,
        arrive_by=now + timedelta(minutes=within),
    )


def test_held_until_arrival_then_called_in_the_place_taken() -> None:
    e = engine(near_turn_ahead=0)
    k1, _ = e.issue(T0, "A", printing=False)
    o, mut = online(e, "RT-1", T0 + timedelta(minutes=1))
    assert [ev.type for ev in mut.events] == ["ticket.issued"]
    assert mut.events[0].data["channel"] == "online" and mut.events[0].data["request_id"] == "RT-1"
    k2, _ = e.issue(T0 + timedelta(minutes=2), "A", printing=False)
    assert o.state is TicketState.WAITING and o.held
    # the holder is away: the caller passes over it, no no-show, no passed-over count
    assert e.call_next(1, T0 + timedelta(minutes=3))[0] is k1
    assert e.call_next(1, T0 + timedelta(minutes=4))[0] is k2
    assert o.passed_over == 0 and o.state is TicketState.WAITING
    assert e.call_next(1, T0 + timedelta(minutes=5))[0] is None
    _t, mut = e.arrive(o.ticket_id, T0 + timedelta(minutes=6), "id_card")
    assert [ev.type for ev in mut.events] == ["ticket.arrived"]
    assert e.call_next(1, T0 + timedelta(minutes=7))[0] is o


def test_arrived_online_ticket_goes_before_later_kiosk_tickets() -> None:
    e = engine(near_turn_ahead=0)
    o, _ = online(e, "RT-1", T0 + timedelta(minutes=10), taken=T0)
    assert o.issued_at == T0  # holds its place from when it was taken
    k, _ = e.issue(T0 + timedelta(minutes=11), "A", printing=False)
    e.arrive(o.ticket_id, T0 + timedelta(minutes=30), "code")
    assert e.call_next(1, T0 + timedelta(minutes=31))[0] is o
    assert e.call_next(1, T0 + timedelta(minutes=32))[0] is k


def test_expires_past_arrive_by_with_a_reason_and_counts_no_no_show() -> None:
    e = engine(near_turn_ahead=0)
    o, _ = online(e, "RT-1", T0, within=30)
    _, mut = e.call_next(1, T0 + timedelta(minutes=31))
    assert o.state is TicketState.EXPIRED and o.note == "not_arrived"
    assert [(ev.type, ev.data["reason"]) for ev in mut.events] == [("ticket.expired", "not_arrived")]
    with pytest.raises(QueueRefused) as exc:
        e.arrive(o.ticket_id, T0 + timedelta(minutes=32), "id_card")
    assert exc.value.code == "online_ticket_expired"


def test_a_request_is_issued_once_and_bad_requests_are_refused() -> None:
    e = engine(real_name_limit=1)
    online(e, "RT-1", T0)
    with pytest.raises(QueueRefused) as exc:
        online(e, "RT-1", T0)
    assert exc.value.code == "already_issued"
    with pytest.raises(QueueRefused) as exc:
        online(e, "RT-2", T0)  # same holder, same category, limit 1
    assert exc.value.code == "real_name_limit"
    with pytest.raises(QueueRefused) as exc:
        online(e, "RT-3", T0, category="Z", holder="cd" * 32)
    assert exc.value.code == "unknown_category"
    with pytest.raises(QueueRefused) as exc:
        e.issue_online(
            T0,
            request_id="RT-4",
            category="A",
            holder_id_hash="ef" * 32,
            taken_at=T0,
            arrive_by=T0 - timedelta(minutes=1),
        )
    assert exc.value.code == "arrive_by_passed"


def test_closed_hall_refuses_online_requests() -> None:
    e = QueueEngine(demo_profile(), QueuePolicy(enforce_hours=True))
    night = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai
    with pytest.raises(QueueRefused) as exc:
        online(e, "RT-1", night)
    assert exc.value.code.startswith("hall_")


def test_near_turn_once_when_n_ahead() -> None:
    e = engine(near_turn_ahead=2)
    ks = [e.issue(T0, "A", printing=False)[0] for _ in range(4)]
    o, mut = online(e, "RT-1", T0 + timedelta(minutes=1))
    assert "ticket.near_turn" not in [ev.type for ev in mut.events]
    seen = []
    for i in range(4):
        _, mut = e.call_next(1, T0 + timedelta(minutes=2 + i))
        seen += [ev.data for ev in mut.events if ev.type == "ticket.near_turn"]
    assert len(seen) == 1 and seen[0]["ahead"] == 2 and seen[0]["request_id"] == "RT-1"
    assert o.near_sent and all(k.state is not TicketState.WAITING for k in ks)


def test_simulated_day_with_an_online_share_counts_channels_apart(tmp_path: Path) -> None:
    from kiosk.queue import simulate

    res = simulate.run(simulate.SimConfig(tickets=200, seed=5, online_share=0.3), tmp_path / "sim.db")
    ch = res.stats["channels"]
    assert ch["online"]["issued"] > 30 and ch["kiosk"]["issued"] > 100
    assert ch["online"]["issued"] + ch["kiosk"]["issued"] == res.stats["issued"]
    assert ch["online"]["arrived"] + ch["online"]["not_arrived"] == ch["online"]["issued"]
    assert ch["online"]["served"] > 0 and ch["online"]["held"] == 0
    # an online ticket waited from when it was taken, but little after its holder arrived
    assert ch["online"]["avg_wait_after_arrival_min"] < ch["online"]["avg_wait_min"]
    csv = stats.to_csv(res.stats)
    assert "channel,online," in csv and "channel,kiosk," in csv
    zero = simulate.run(simulate.SimConfig(tickets=50, seed=5), tmp_path / "zero.db")
    assert zero.stats["channels"]["online"]["issued"] == 0


GOOD = {
    "id": "RT-1",
    "category": "A",
    "item_code": None,
    "holder_id_hash": "ab" * 32,
    "holder_name_masked": "陈*强",
    "taken_at": "2026-11-23T09:00:00+08:00",
    "arrive_by": "2026-11-23T10:00:00+08:00",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": ""}, "id"),
        ({"id": "x" * 65}, "id"),
        ({"id": "RT 1; DROP"}, "id"),
        ({"id": 7}, "id"),
        ({"category": ""}, "category"),
        ({"holder_id_hash": "AB" * 32}, "holder_id_hash"),
        ({"holder_id_hash": "ab"}, "holder_id_hash"),
        ({"holder_name_masked": "x" * 33}, "holder_name_masked"),
        ({"taken_at": "yesterday"}, "taken_at"),
        ({"taken_at": "2026-11-23T09:00:00"}, "taken_at"),
        ({"arrive_by": "2026-11-23T08:59:00+08:00"}, "arrive_by"),
        ({"arrive_by": "2026-11-24T09:00:01+08:00"}, "arrive_by"),
        ({"arrive_by": None}, "arrive_by"),
    ],
)
def test_remote_request_bounds(change: dict[str, object], field: str) -> None:
    from offline_cache import contract

    assert contract.remote_ticket_problem(GOOD) is None
    problem = contract.remote_ticket_problem({**GOOD, **change})
    assert problem is not None and problem.startswith(field)
    assert contract.remote_ticket_problem([GOOD]) is not None
