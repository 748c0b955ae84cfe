"""The hall bus contract and the host's command rules, without a broker: every refusal has its
code, is logged once, and leaves the queue exactly as it was; a repeat gets the first answer."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.hall import contract as c
from kiosk.hall.host import HallHost
from kiosk.queue.events import TicketCalled
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import QueuePolicy
from kiosk.queue.service import QueueService
from offline_cache import hallbus
from offline_cache.store import Store

HALL = "H-DEMO-001"
NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in the hall


@pytest.fixture
def clock() -> dict[str, datetime]:
    """The host's time: NOW unless a test moves it on."""
    return {"now": NOW}


@pytest.fixture
def host(tmp_path: Path, clock: dict[str, datetime]) -> Any:
    store = Store.open(tmp_path / "host.db")
    svc = QueueService(store, demo_profile(), QueuePolicy(), terminal_id="HOST", clock=lambda: clock["now"])
    svc.start()
    h = HallHost(svc, None, hall_id=HALL, terminal_id="HOST", wall=lambda: clock["now"])
    yield h
    store.close()


def req(
    op: str, args: dict[str, Any], *, id: str = "c-1", terminal: str = "T-C1", sent: datetime = NOW
) -> bytes:
    return c.Request(id, terminal, op, args, sent.isoformat()).to_json()


def reply(terminal: str = "T-C1") -> str:
    return c.res_topic(HALL, terminal)


def snapshot(h: HallHost) -> tuple[Any, int, int]:
    with h.store.read() as conn:
        depth = conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        tickets = conn.execute("SELECT COUNT(*) FROM q_tickets").fetchone()[0]
    return h.service.engine.snapshot(), depth, tickets


def test_a_ticket_and_a_call_through_the_host(host: HallHost) -> None:
    out = host.handle(
        req("issue", {"category": "A", "printing": False}, id="i-1", terminal="T-TM1"), reply("T-TM1")
    )
    assert out is not None
    topic, resp, changed = out
    assert (topic, resp.ok, changed) == (reply("T-TM1"), True, True)
    assert resp.result["ticket"]["number"] == "A001" and resp.result["ahead"] == 0
    _, called, _ = host.handle(req("call_next", {"counter": 1}, id="n-1"), reply()) or (None, None, None)
    assert called is not None and called.result["ticket"]["number"] == "A001"


BAD = [
    (b"{not json", "bad_payload"),
    (b"x" * (c.MAX_REQUEST_BYTES + 1), "too_large"),
    (b"[]", "bad_payload"),
    (
        json.dumps({"v": 1, "id": "x", "terminal": "T-C1", "op": "call_next", "args": {}}).encode(),
        "bad_payload",
    ),
]


@pytest.mark.parametrize(("payload", "code"), BAD)
def test_malformed_payloads_change_nothing_and_are_logged_once(
    host: HallHost, payload: bytes, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = snapshot(host)
    with caplog.at_level(logging.WARNING, logger="kiosk.hall.host"):
        for _ in range(3):
            assert host.handle(payload, reply()) is None  # no id to answer to
    assert snapshot(host) == before
    assert host.refused.counts[code] == 3
    assert sum(code in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize(
    ("op", "args", "code"),
    [
        ("drop_tables", {}, "unknown_op"),
        ("call_next", {"counter": "1"}, "bad_args"),
        ("call_next", {"counter": 1, "extra": True}, "bad_args"),
        ("lease", {"category": "A", "count": c.MAX_LEASE + 1}, "bad_args"),
        ("submit_offline_tickets", {"tickets": [{"ticket_id": "t"}]}, "bad_args"),
        ("evaluate", {"level": 9, "tags": [], "channel": "kiosk"}, "bad_args"),
    ],
)
def test_refused_commands_are_answered_with_their_code(host: HallHost, op: str, args: Any, code: str) -> None:
    before = snapshot(host)
    out = host.handle(req(op, args), reply())
    assert out is not None
    assert (out[1].ok, out[1].code, out[2]) == (False, code, False)
    assert snapshot(host) == before


def test_a_response_topic_not_the_senders_own_is_not_answered(host: HallHost) -> None:
    host.handle(
        req("issue", {"category": "A", "printing": False}, id="i-0", terminal="T-TM1"), reply("T-TM1")
    )
    before = snapshot(host)
    assert host.handle(req("call_next", {"counter": 1}, terminal="T-C1"), reply("T-C2")) is None
    assert host.refused.counts["not_allowed"] == 1
    assert snapshot(host) == before


def test_a_repeated_command_gets_the_first_answer_and_acts_once(host: HallHost, tmp_path: Path) -> None:
    for i in range(3):
        host.handle(
            req("issue", {"category": "A", "printing": False}, id=f"i-{i}", terminal="T-TM1"), reply("T-TM1")
        )
    first = host.handle(req("call_next", {"counter": 1}, id="n-1"), reply())
    assert first is not None and first[1].result["ticket"]["number"] == "A001"
    before = snapshot(host)
    again = host.handle(req("call_next", {"counter": 1}, id="n-1"), reply())
    assert again is not None and again[1] == first[1] and again[2] is False
    assert snapshot(host) == before
    # the answer was stored with the change: a new host on the same ledger gives it too
    h2 = HallHost(host.service, None, hall_id=HALL, terminal_id="HOST", wall=lambda: NOW)
    repeat = h2.handle(req("call_next", {"counter": 1}, id="n-1"), reply())
    assert repeat is not None and repeat[:2] == first[:2]
    # the same id from another terminal is not its answer
    other = host.handle(req("call_next", {"counter": 2}, id="n-1", terminal="T-C2"), reply("T-C2"))
    assert other is not None and other[1].code == "not_allowed"
    # refusals are stored too: the repeat of a refused call is refused, even once the queue could serve
    empty = host.handle(req("recall", {"counter": 3}, id="r-3"), reply())
    assert empty is not None and empty[1].code == "no_open_ticket"
    assert host.handle(req("recall", {"counter": 3}, id="r-3"), reply()) == empty


def test_answer_and_change_are_one_transaction(host: HallHost) -> None:
    host.handle(
        req("issue", {"category": "B", "printing": False}, id="i-b", terminal="T-TM1"), reply("T-TM1")
    )
    with host.store.read() as conn:
        row = conn.execute("SELECT response FROM hall_commands WHERE id = 'i-b'").fetchone()
        number = conn.execute("SELECT number FROM q_tickets").fetchone()[0]
    assert json.loads(row[0])["result"]["ticket"]["number"] == number == "B001"

    def broken(conn: Any, result: Any) -> None:
        raise RuntimeError("power cut inside the transaction")

    before = snapshot(host)
    with pytest.raises(RuntimeError), host.service.recording(broken):
        host.service.issue_unprinted("B")
    assert snapshot(host) == before  # the ticket went with the answer


def test_an_old_call_is_expired_not_run(host: HallHost) -> None:
    host.handle(
        req("issue", {"category": "A", "printing": False}, id="i-1", terminal="T-TM1"), reply("T-TM1")
    )
    before = snapshot(host)
    old = NOW - timedelta(seconds=c.COMMAND_MAX_AGE_S + 5)
    out = host.handle(req("call_next", {"counter": 1}, id="late", sent=old), reply())
    assert out is not None and out[1].code == "expired"
    assert snapshot(host) == before


def test_state_seq_never_goes_back_after_a_restart(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "h.db")
    svc = QueueService(store, demo_profile(), QueuePolicy(), terminal_id="HOST", clock=lambda: NOW)
    svc.start()
    seqs = [HallHost(svc, None, hall_id=HALL, terminal_id="HOST").state()["seq"] for _ in range(3)]
    assert seqs == sorted(set(seqs))
    st = c.parse_state(c.encode(HallHost(svc, None, hall_id=HALL, terminal_id="HOST").state()))
    assert st["seq"] > seqs[-1] and set(st["categories"]) == {"A", "B", "C", "D", "E"}
    store.close()


def test_a_restarted_host_sends_the_days_last_calls_again(tmp_path: Path, clock: dict[str, datetime]) -> None:
    """The hall TV of every member must not go blank after the host restarts."""
    store = Store.open(tmp_path / "h.db")

    def started() -> HallHost:
        svc = QueueService(
            store, demo_profile(), QueuePolicy(), terminal_id="HOST", clock=lambda: clock["now"]
        )
        svc.start()
        h = HallHost(svc, None, hall_id=HALL, terminal_id="HOST", wall=lambda: clock["now"])
        h._recent_from_queue()  # as start() does, without the threads
        return h

    first = started()
    for _ in range(3):
        first.service.issue_unprinted("A")
    for counter in (1, 2):
        clock["now"] += timedelta(minutes=1)
        first.service.call_next(counter)
        first.on_queue_event(TicketCalled(first.service.display_model().recent[0]))
    sent = [(x["number"], x["counter"], x["at"]) for x in first.state()["recent_calls"]]
    assert [n for n, _, _ in sent] == ["A002", "A001"]
    again = [(x["number"], x["counter"], x["at"]) for x in started().state()["recent_calls"]]
    assert again == sent
    store.close()


def test_leases_skip_numbers_and_offline_tickets_merge_in_issue_time_order(host: HallHost) -> None:
    lease = host.handle(
        req("lease", {"category": "A", "count": 3}, id="l-1", terminal="T-TM2"), reply("T-TM2")
    )
    assert lease is not None and (lease[1].result["first"], lease[1].result["last"]) == (1, 3)
    online = host.handle(
        req("issue", {"category": "A", "printing": False}, id="i-1", terminal="T-TM1"), reply("T-TM1")
    )
    assert online is not None and online[1].result["ticket"]["number"] == "A004"
    lid = lease[1].result["lease_id"]
    earlier = (NOW - timedelta(minutes=5)).isoformat()
    tickets = [
        {
            "ticket_id": "off-2",
            "lease_id": lid,
            "seq": 2,
            "category": "A",
            "issued_at": NOW.isoformat(),
            "priority": "normal",
        },
        {
            "ticket_id": "off-1",
            "lease_id": lid,
            "seq": 1,
            "category": "A",
            "issued_at": earlier,
            "priority": "normal",
        },
    ]
    out = host.handle(
        req("submit_offline_tickets", {"tickets": tickets}, id="s-1", terminal="T-TM2"), reply("T-TM2")
    )
    assert out is not None and out[1].ok, out
    order = [t.number for t in host.service.engine.waiting("A")]
    assert order[0] == "A001"  # issued five minutes before the online A004
    assert sorted(order) == ["A001", "A002", "A004"]
    # submitted again (the member never heard the answer): nothing twice
    again = host.handle(
        req("submit_offline_tickets", {"tickets": tickets}, id="s-2", terminal="T-TM2"), reply("T-TM2")
    )
    assert again is not None and again[1].ok
    assert sorted(t.number for t in host.service.engine.waiting("A")) == ["A001", "A002", "A004"]
    with host.store.read() as conn:
        issued = [r[0] for r in conn.execute("SELECT type FROM outbox")]
    assert issued.count("ticket.issued") == 3
    # a ticket outside the lease, or a lease of another machine, is refused
    bad = [{**tickets[0], "ticket_id": "off-9", "seq": 9}]
    out = host.handle(
        req("submit_offline_tickets", {"tickets": bad}, id="s-3", terminal="T-TM2"), reply("T-TM2")
    )
    assert out is not None and out[1].code == "lease_out_of_range"
    out = host.handle(
        req("submit_offline_tickets", {"tickets": tickets}, id="s-4", terminal="T-TM1"), reply("T-TM1")
    )
    assert out is not None and out[1].code == "lease_unknown"


def test_unused_leased_numbers_are_voided_at_day_end(host: HallHost, clock: dict[str, datetime]) -> None:
    h, store = host, host.store
    out = h.handle(req("lease", {"category": "C", "count": 4}, id="l", terminal="T-TM1"), reply("T-TM1"))
    assert out is not None and out[1].ok
    assert h.close_past_leases() == 0
    clock["now"] = NOW + timedelta(days=1)
    assert h.close_past_leases() == 1
    with store.read() as conn:
        row = conn.execute("SELECT voided, closed_at FROM hall_leases").fetchone()
        assert json.loads(row[0]) == [1, 2, 3, 4] and row[1]
        assert hallbus.open_leases_before(conn, "2099-01-01") == []


def test_the_document_names_every_op_error_and_topic() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "hall-bus.md").read_text(encoding="utf-8")
    missing = [op for op in c.OPS if f"`{op}`" not in doc]
    missing += [code for code in c.ERRORS if f"`{code}`" not in doc]
    for topic in (c.req_topic("H"), c.res_topic("H", "T"), c.state_topic("H"), c.calls_topic("H")):
        missing += [] if f"`{topic}`" in doc else [topic]
    assert missing == []


def test_json_schema_describes_every_op() -> None:
    schema = c.json_schema()
    assert {k[5:] for k in schema["$defs"] if k.startswith("args_")} == set(c.OPS)
    assert schema["$defs"]["request"]["additionalProperties"] is False


def test_every_code_a_member_can_show_has_a_sentence() -> None:
    from kiosk.usecases.messages import MESSAGES

    codes = [*c.ERRORS, "lease_unknown", "lease_out_of_range"]
    assert [k for k in codes if k not in MESSAGES or not MESSAGES[k].get("en")] == []


def test_reconnect_backoff_is_jittered_and_bounded() -> None:
    import random

    from kiosk.hall.mqtt import BACKOFF_MAX_S, BACKOFF_MIN_S, backoff

    rng = random.Random(1)
    waits = [backoff(a, rng) for a in range(40)]
    assert all(BACKOFF_MIN_S <= w <= BACKOFF_MAX_S for w in waits)
    assert len({round(w, 3) for w in waits[10:]}) > 20  # not one fixed schedule for every terminal


def test_a_host_on_a_fresh_or_restored_ledger_still_publishes_above_what_members_saw(tmp_path: Path) -> None:
    seqs = []
    for i, db in enumerate(("old.db", "new.db")):
        store = Store.open(tmp_path / db)
        svc = QueueService(store, demo_profile(), QueuePolicy(), terminal_id="HOST", clock=lambda: NOW)
        svc.start()
        later = NOW + timedelta(minutes=i)
        seqs.append(HallHost(svc, None, hall_id=HALL, terminal_id="HOST", wall=lambda t=later: t).next_seq())
        store.close()
    assert seqs[1] > seqs[0]  # the new ledger knows nothing of the old one's seq


def _state(seq: int, waiting: int) -> dict[str, Any]:
    return {
        "v": 1, "seq": seq, "at": NOW.isoformat(), "hall": HALL, "name": "n", "name_en": "",
        "day": "2026-11-02", "timezone": "Asia/Shanghai", "open": True, "notice": "",
        "categories": {"A": {"name": "综合受理", "waiting": waiting, "est_wait_min": 5}},
        "counters": {"1": {"name": "1号窗口", "state": "free", "current": None, "holder": None}},
        "recent_calls": [],
    }  # fmt: skip


def test_a_member_ignores_stale_states_repeated_calls_and_garbage(caplog: pytest.LogCaptureFixture) -> None:
    from kiosk.hall.member import RemoteQueue
    from kiosk.queue.events import TicketCalled

    events: list[Any] = []
    q = RemoteQueue(
        None, store=None, profile=demo_profile(), policy=QueuePolicy(), hall_id=HALL, terminal_id="T-D1",
        publish=events.append,
    )  # fmt: skip
    q._on_state("s", c.encode(_state(5, 3)), None)
    assert q.categories()[0].waiting == 3
    with caplog.at_level(logging.WARNING, logger="kiosk.hall.member"):
        for _ in range(3):
            q._on_state("s", c.encode(_state(4, 9)), None)  # seq going back
            q._on_state("s", b'{"v": 1, "seq": "six"}', None)
            q._on_state("s", b"x" * (c.MAX_STATE_BYTES + 1), None)
    assert q.categories()[0].waiting == 3 and q.state_seq() == 5
    assert (
        q.refused.counts["stale_state"],
        q.refused.counts["bad_payload"],
        q.refused.counts["too_large"],
    ) == (
        3,
        3,
        3,
    )
    assert sum("stale_state" in r.getMessage() for r in caplog.records) == 1
    call = {"v": 1, "seq": 7, "number": "A001", "counter": 1, "counter_name": "1号窗口", "category": "A",
            "at": NOW.isoformat(), "recall": False}  # fmt: skip
    for _ in range(2):  # QoS 1 may deliver twice: announced once
        q._on_call("c", c.encode(call), None)
    assert [e.call.number for e in events if isinstance(e, TicketCalled)] == ["A001"]


def test_day_end_drops_command_answers_older_than_a_day_and_printing_looks_at_today(
    host: HallHost, clock: dict[str, datetime]
) -> None:
    h, store = host, host.store

    def issue(rid: str) -> str:
        out = h.handle(
            req("issue", {"category": "A", "printing": True}, id=rid, terminal="T-TM1", sent=clock["now"]),
            reply("T-TM1"),
        )
        assert out is not None and out[1].ok
        return str(out[1].result["ticket"]["ticket_id"])

    first = issue("i-1")
    assert h._issued_by("T-TM1") == {first}
    clock["now"] = NOW + timedelta(days=1)
    second = issue("i-2")
    assert h._issued_by("T-TM1") == {second}  # yesterday's issue answers are not today's
    clock["now"] += timedelta(hours=1)
    h.day_end()
    with store.read() as conn:
        assert hallbus.command(conn, "i-1") is None  # older than a day: dropped
        assert hallbus.command(conn, "i-2") is not None
