"""Property tests of the queue engine over random operation sequences.

An independent bookkeeping in the test (not the engine's own counters) checks: numbers unique
and consecutive per category and day; no ticket lost or served twice; never two open tickets at
one counter; FIFO within a lane; the anti-starvation bound; the forced-call rule; transfer keeps
the issue time; day rollover; and (with the real store) that a reload at any step, including
after a failed write, rebuilds exactly the same queue.

"Passed over" is counted by the test from the moment each ticket joined its category's queue
(issue, requeue after a no-show, transfer), not from the engine's order key: a ticket X passes W
when X is called while W waits in the same category and W joined before X.

The bounds, for both calling policies:
- weighted: nobody is passed over more than ``starvation_bound`` times (transfers and recalls
  included);
- service level: the ticket called is due no later than any waiting ticket of the window's
  categories (due = start + lane target, start = issue or, after a requeue, the last call), so a
  ticket W is never passed by one that started waiting more than due_in(W) - min due_in minutes
  after W.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.queue import ledger
from kiosk.queue.engine import Mutation, QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.model import HallProfile, Priority, QueuePolicy, Ticket, TicketState
from kiosk.queue.service import QueueService
from offline_cache.store import Store

PROFILE = HallProfile.from_dict(
    {
        "hall_id": "H-TEST",
        "name": "test hall",
        "timezone": "Asia/Shanghai",
        "categories": [
            {"code": "A", "name": "A", "prefix": "A", "daily_limit": 0, "priority_allowed": True},
            {"code": "B", "name": "B", "prefix": "B", "daily_limit": 0, "priority_allowed": True},
            {"code": "C", "name": "C", "prefix": "C", "daily_limit": 6, "priority_allowed": False},
        ],
        "counters": [
            {"number": 1, "categories": ["A"]},
            {"number": 2, "categories": ["B", "A"]},
            {"number": 3, "categories": ["C", "B"]},
        ],
    }
)
START = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai

PRIORITIES = st.sampled_from(list(Priority))
CATS = st.sampled_from(["A", "B", "C"])
COUNTERS = st.sampled_from([1, 2, 3])
STRATEGIES: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "issue": st.tuples(
        st.just("issue"), CATS, PRIORITIES, st.booleans(), st.sampled_from([None, "h1", "h2"])
    ),
    "next": st.tuples(st.just("next"), COUNTERS),
    "recall": st.tuples(st.just("recall"), COUNTERS),
    "skip": st.tuples(st.just("skip"), COUNTERS),
    "transfer": st.tuples(st.just("transfer"), COUNTERS, CATS),
    "finish": st.tuples(st.just("finish"), COUNTERS),
    "pause": st.tuples(st.just("pause"), COUNTERS),
    "resume": st.tuples(st.just("resume"), COUNTERS),
    "print_ok": st.tuples(st.just("print_ok")),
    "print_fail": st.tuples(st.just("print_fail")),
    "rate": st.tuples(st.just("rate"), COUNTERS, st.integers(1, 5)),
    "online": st.tuples(
        st.just("online"),
        st.sampled_from(["r1", "r2", "r3", "r4", "r5", "r6"]),
        CATS,
        st.sampled_from(["a" * 64, "b" * 64]),
        st.integers(0, 40),
        st.integers(1, 90),
    ),
    "arrive": st.tuples(st.just("arrive"), st.integers(0, 3)),
    "time": st.tuples(st.just("time"), st.integers(0, 30)),
    "midnight": st.tuples(st.just("midnight")),
}
KINDS = (
    ["issue"] * 8
    + ["next"] * 6
    + ["print_ok"] * 2
    + ["online"] * 2
    + ["arrive"] * 2
    + [k for k in STRATEGIES if k not in ("issue", "next")]
)
OPS = st.sampled_from(KINDS).flatmap(lambda k: STRATEGIES[k])
POLICIES = st.builds(
    QueuePolicy,
    calling=st.sampled_from(["service_level", "weighted"]),
    target_wait_min=st.fixed_dictionaries({p.value: st.integers(0, 40) for p in Priority}),
    category_target_wait_min=st.sampled_from([{}, {"B": {"appointment": 30, "normal": 5}}]),
    horizon_min=st.integers(1, 120),
    lane_weights=st.fixed_dictionaries({p.value: st.integers(0, 4) for p in Priority}),
    starvation_bound=st.integers(0, 3),
    recall_max=st.integers(0, 2),
    no_show=st.sampled_from(["requeue_once", "gone"]),
    real_name_limit=st.sampled_from([0, 2]),
    counter_weights=st.just({"2": {"B": 2, "A": 1}, "3": {"C": 1, "B": 3}}),
    enforce_hours=st.just(False),
    near_turn_ahead=st.integers(0, 3),
)


class Checker:
    """Independent bookkeeping of what the engine did, checked after every operation."""

    def __init__(self, policy: QueuePolicy) -> None:
        self.policy = policy
        self.numbers: Counter[tuple[str, str]] = Counter()
        self.seqs: dict[tuple[str, str], list[int]] = {}
        self.issued: dict[str, str] = {}  # ticket id -> day
        self.served: Counter[str] = Counter()
        self.passed: Counter[str] = Counter()
        self.issue_time: dict[str, datetime] = {}
        self.open_at: dict[int, str] = {}
        self.joined: dict[str, int] = {}  # ticket id -> when it joined its category's queue
        self.join_seq = 0
        self.last_call: dict[str, datetime] = {}
        self.requeued: set[str] = set()
        self.requests: Counter[tuple[str, str]] = Counter()
        self.near: Counter[str] = Counter()

    def join(self, ticket_id: str) -> None:
        self.join_seq += 1
        self.joined[ticket_id] = self.join_seq

    def since(self, t: Ticket) -> datetime:
        """When the ticket's target clock started, from the events seen (not the engine)."""
        if t.ticket_id in self.requeued:
            return self.last_call[t.ticket_id]
        return self.issue_time[t.ticket_id]

    def due_in(self, engine: QueueEngine, t: Ticket) -> int:
        lane = engine.lane_of(t)
        own = self.policy.category_target_wait_min.get(t.category, {})
        target = own.get(lane.value, self.policy.target_wait_min.get(lane.value, 0))
        return target if target > 0 else self.policy.horizon_min

    def min_due_in(self) -> int:
        values = [v if v > 0 else self.policy.horizon_min for v in self.policy.target_wait_min.values()]
        for own in self.policy.category_target_wait_min.values():
            values += [v if v > 0 else self.policy.horizon_min for v in own.values()]
        return min(values)

    def before_call(self, engine: QueueEngine) -> dict[str, Ticket]:
        """The tickets a window may call: waiting, and (online) their holder has arrived."""
        return {
            t.ticket_id: t.copy()
            for t in engine.tickets.values()
            if t.state is TicketState.WAITING and not t.held
        }

    def on_mutation(self, engine: QueueEngine, mut: Mutation, waiting_before: dict[str, Ticket]) -> None:
        for t in mut.tickets.values():
            if t.ticket_id not in self.joined:  # a number takes its place when it is taken
                self.join(t.ticket_id)
        for ev in mut.events:
            d = ev.data
            if ev.type == "ticket.issued":
                t = engine.tickets[d["ticket_id"]]
                self.numbers[(t.day, t.number)] += 1
                assert self.numbers[(t.day, t.number)] == 1, f"number {t.number} reused on {t.day}"
                self.issued[t.ticket_id] = t.day
                self.issue_time[t.ticket_id] = t.issued_at
                if "request_id" in d:
                    self.requests[(t.day, d["request_id"])] += 1
                    assert self.requests[(t.day, d["request_id"])] == 1, "an online request issued twice"
            elif ev.type == "ticket.near_turn":
                self.near[d["ticket_id"]] += 1
                assert self.near[d["ticket_id"]] == 1, "near_turn sent twice"
                assert d["ahead"] <= self.policy.near_turn_ahead
            elif ev.type == "ticket.expired":
                t = engine.tickets[d["ticket_id"]]
                assert t.arrive_by is not None and t.arrive_by <= ev.at and t.checked_in_at is None
            elif ev.type == "ticket.called" and d["recall"]:
                self.last_call[d["ticket_id"]] = ev.at
            elif ev.type == "ticket.called":
                called = engine.tickets[d["ticket_id"]]
                assert called.channel != "online" or called.checked_in_at is not None, "called before arrival"
                assert d["counter"] not in self.open_at, "called while another ticket is open there"
                self.open_at[d["counter"]] = called.ticket_id
                self._check_choice(engine, called, waiting_before, d["counter"])
                self.last_call[called.ticket_id] = ev.at
            elif ev.type in ("ticket.skipped", "ticket.transferred", "ticket.served"):
                counter = d.get("counter", d.get("from_counter"))
                assert self.open_at.pop(counter) == d["ticket_id"]
                if ev.type == "ticket.served":
                    self.served[d["ticket_id"]] += 1
                    assert self.served[d["ticket_id"]] == 1, "served twice"
                if ev.type == "ticket.transferred":
                    t = engine.tickets[d["ticket_id"]]
                    assert t.issued_at == self.issue_time[t.ticket_id]
                    self.join(t.ticket_id)
                back = engine.tickets[d["ticket_id"]].state is TicketState.WAITING
                if ev.type == "ticket.skipped" and back:
                    self.requeued.add(d["ticket_id"])
                    self.join(d["ticket_id"])
                self.passed.pop(d["ticket_id"], None)
        for (day, cat), seq in mut.sequences.items():
            seen = self.seqs.setdefault((day, cat), [])
            assert seq == len(seen) + 1, "numbers not consecutive"
            seen.append(seq)
        for t in mut.tickets.values():
            if t.state is TicketState.EXPIRED:
                for c, tid in list(self.open_at.items()):
                    if tid == t.ticket_id:
                        del self.open_at[c]

    def _check_choice(
        self, engine: QueueEngine, called: Ticket, waiting: dict[str, Ticket], counter: int
    ) -> None:
        bound = self.policy.starvation_bound
        cat = called.category
        lane = engine.lane_of(called)
        same_cat = [w for w in waiting.values() if w.category == cat and w.ticket_id != called.ticket_id]
        me = self.joined[called.ticket_id]
        passed = [w for w in same_cat if self.joined[w.ticket_id] < me]
        if self.policy.calling == "service_level":
            self._check_due_first(engine, called, waiting, counter, passed)
        else:
            # FIFO within a lane, by the moment each joined
            for w in same_cat:
                if engine.lane_of(w) is lane:
                    assert self.joined[w.ticket_id] > me, "a later ticket of the same lane was called first"
            # forced rule: once someone is at the bound, the one that joined first is called
            starving = [w for w in same_cat if self.passed[w.ticket_id] >= bound]
            forced = bool(starving) or self.passed[called.ticket_id] >= bound
            if starving or (bound == 0 and same_cat):
                assert not passed, "a starving ticket was passed over again"
            # a zero-weight normal lane only gets calls when forced or when no weighted priority waits
            if lane is Priority.NORMAL and self.policy.lane_weight(Priority.NORMAL) == 0 and not forced:
                assert not [
                    w
                    for w in same_cat
                    if engine.lane_of(w) is not Priority.NORMAL
                    and self.policy.lane_weight(engine.lane_of(w)) > 0
                ], "normal ticket called while a weighted priority ticket waits"
        # independent passed-over count (transfers and requeues included), and the bound
        for w in passed:
            self.passed[w.ticket_id] += 1
            if self.policy.calling == "weighted":
                assert self.passed[w.ticket_id] <= bound, "anti-starvation bound exceeded"
        self.passed.pop(called.ticket_id, None)

    def _check_due_first(
        self,
        engine: QueueEngine,
        called: Ticket,
        waiting: dict[str, Ticket],
        counter: int,
        passed: list[Ticket],
    ) -> None:
        """Service level: nobody waiting at this window is due before the one called; so a
        passed ticket started waiting at most due_in(W) - min due_in minutes before the one
        that passed it."""
        cdef = engine.profile.counter(counter)
        assert cdef is not None
        due = self.since(called) + timedelta(minutes=self.due_in(engine, called))
        for w in waiting.values():
            if w.category in cdef.categories and w.ticket_id != called.ticket_id:
                w_due = self.since(w) + timedelta(minutes=self.due_in(engine, w))
                assert due <= w_due, "a ticket due later was called first"
        for w in passed:
            started_after = (self.since(called) - self.since(w)).total_seconds() / 60.0
            assert started_after <= self.due_in(engine, w) - self.min_due_in(), "starvation bound exceeded"

    def check_state(self, engine: QueueEngine) -> None:
        open_per_counter = Counter(
            t.counter for t in engine.tickets.values() if t.state is TicketState.CALLED
        )
        assert all(n == 1 for n in open_per_counter.values())
        for c in engine.counters:
            cur = engine.current(c)
            assert (cur.ticket_id if cur else None) == self.open_at.get(c)
        day = engine.day
        today = {tid for tid, d in self.issued.items() if d == day}
        in_engine = {
            t.ticket_id for t in engine.tickets.values() if t.day == day and t.state is not TicketState.VOIDED
        }
        in_engine -= {t.ticket_id for t in engine.tickets.values() if t.state is TicketState.PRINTING}
        assert today == in_engine, "a ticket was lost (or appeared)"
        for t in engine.tickets.values():
            if t.state is TicketState.WAITING:
                assert self.passed[t.ticket_id] == t.passed_over


def run_op(engine: QueueEngine, op: tuple[Any, ...], now: datetime) -> tuple[Mutation, datetime]:
    kind = op[0]
    if kind == "time":
        return Mutation(), now + timedelta(minutes=op[1])
    if kind == "midnight":
        local = now.astimezone(engine.tz)
        nxt = (local + timedelta(days=1)).replace(hour=8, minute=30, second=0, microsecond=0)
        return Mutation(), nxt.astimezone(UTC)
    if kind == "issue":
        _, cat, prio, printing, holder = op
        return engine.issue(now, cat, priority=prio, printing=printing, holder_id_hash=holder)[1], now
    if kind == "next":
        return engine.call_next(op[1], now)[1], now
    if kind == "online":
        _, rid, cat, holder, back, within = op
        return engine.issue_online(
            now,
            request_id=rid,
            category=cat,
            holder_id_hash=holder,
            taken_at=now - timedelta(minutes=back),
            arrive_by=now + timedelta(minutes=within),
        )[1], now
    if kind == "arrive":
        held = engine.held()
        if not held:
            return Mutation(), now
        return engine.arrive(held[op[1] % len(held)].ticket_id, now, "id_card")[1], now
    if kind == "recall":
        return engine.recall(op[1], now)[1], now
    if kind == "skip":
        return engine.skip(op[1], now)[1], now
    if kind == "transfer":
        return engine.transfer(op[1], op[2], now)[1], now
    if kind == "finish":
        return engine.finish(op[1], now)[1], now
    if kind == "pause":
        return engine.pause(op[1], now), now
    if kind == "resume":
        return engine.resume(op[1], now), now
    if kind in ("print_ok", "print_fail"):
        printing = engine.printing()
        if not printing:
            return Mutation(), now
        if kind == "print_ok":
            return engine.confirm_printed(printing[0].ticket_id, now), now
        return engine.void(printing[0].ticket_id, now, "print_failed"), now
    if kind == "rate":
        return engine.evaluate(now, op[2], counter=op[1])[1], now
    raise AssertionError(kind)


def _ids() -> Any:
    n = iter(range(1, 10**9))
    return lambda: f"id-{next(n):06d}"


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=POLICIES, ops=st.lists(OPS, min_size=30, max_size=150))
def test_engine_invariants_over_random_operations(policy: QueuePolicy, ops: list[tuple[Any, ...]]) -> None:
    engine = QueueEngine(PROFILE, policy, new_id=_ids())
    check = Checker(policy)
    now = START
    day_before = None
    for op in ops:
        waiting = check.before_call(engine)
        try:
            roll = engine.roll(now)
            check.on_mutation(engine, roll, waiting)
            mut, now = run_op(engine, op, now)
        except QueueRefused:
            continue
        check.on_mutation(engine, mut, waiting)
        check.on_mutation(engine, engine.roll(now), {})
        check.check_state(engine)
        assert all(t.arrive_by is not None and t.arrive_by > now for t in engine.held()), (
            "held past arrive_by"
        )
        if day_before is not None and engine.day != day_before:
            assert all(t.day == engine.day for t in engine.tickets.values())
        day_before = engine.day


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    policy=POLICIES,
    ops=st.lists(OPS, min_size=5, max_size=80),
    crash_at=st.sets(st.integers(0, 79), max_size=6),
)
def test_restart_at_any_step_restores_the_exact_queue(
    tmp_path_factory: pytest.TempPathFactory,
    policy: QueuePolicy,
    ops: list[tuple[Any, ...]],
    crash_at: set[int],
) -> None:
    path = tmp_path_factory.mktemp("q") / "kiosk.db"
    store = Store.open(path)
    clock = [START]
    try:
        svc = QueueService(
            store, PROFILE, policy, terminal_id="T-TEST", clock=lambda: clock[0], new_id=_ids()
        )
        svc.start()
        for i, op in enumerate(ops):
            if op[0] in ("time", "midnight"):
                clock[0] = run_op(svc.engine, op, clock[0])[1]
                continue
            failing = i in crash_at
            if failing:
                before = svc.engine.snapshot()
                svc.store = _FailingStore(store)
            try:
                svc.run(lambda e, now, op=op: (None, run_op(e, op, now)[0]))
            except QueueRefused:
                pass
            except _Crash:
                assert failing
                svc.store = store
                # the write never happened: the queue is what it was before the operation
                fresh = _fresh(store, policy, clock[0])
                assert fresh.snapshot() == svc.engine.snapshot()
                svc.engine.roll(clock[0])
                del before
                continue
            finally:
                svc.store = store
            fresh = _fresh(store, policy, clock[0])
            fresh.roll(clock[0])
            svc.engine.roll(clock[0])
            assert fresh.snapshot() == svc.engine.snapshot()
    finally:
        store.close()


class _Crash(Exception):
    pass


class _FailingStore:
    """The real store, whose next transaction dies after writing everything (rolled back)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def write(self, fn: Any) -> Any:
        def dying(conn: Any) -> Any:
            fn(conn)
            raise _Crash()

        return self._store.write(dying)

    def read(self) -> Any:
        return self._store.read()


def _fresh(store: Store, policy: QueuePolicy, now: datetime) -> QueueEngine:
    engine = QueueEngine(PROFILE, policy)
    with store.read() as conn:
        ledger.load(engine, conn, now)
    return engine


def test_rollover_restarts_numbers_and_expires_yesterday(tmp_path: Path) -> None:
    policy = QueuePolicy(enforce_hours=False)
    engine = QueueEngine(PROFILE, policy, new_id=_ids())
    t1, _ = engine.issue(START, "A", printing=False)
    t2, _ = engine.issue(START, "A", printing=False)
    assert (t1.number, t2.number) == ("A001", "A002")
    # 23:59:59 local is still the same day; 00:00 local is the next
    last = datetime(2026, 11, 23, 15, 59, 59, tzinfo=UTC)
    t3, _ = engine.issue(last, "A", printing=False)
    assert t3.number == "A003" and t3.day == "2026-11-23"
    nxt = datetime(2026, 11, 23, 16, 0, 0, tzinfo=UTC)
    t4, mut = engine.issue(nxt, "A", printing=False)
    assert t4.number == "A001" and t4.day == "2026-11-24"
    assert {t.state for t in mut.tickets.values() if t.day == "2026-11-23"} == {TicketState.EXPIRED}
    assert engine.waiting_count("A") == 1
