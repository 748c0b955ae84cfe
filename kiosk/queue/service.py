"""The live queue of one hall: the engine, its ledger in the store, the bus and the devices.

One lock serialises every operation. Each operation is: bring the engine to today (persisted on
its own), run the engine, write the mutation in one store transaction (rows + outbox events),
then tell the world (bus events, LED screens, announcer). A refused operation has changed
nothing; a failed write reloads the engine from the store, so memory never runs ahead of disk.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from kiosk.queue import ledger
from kiosk.queue.engine import Estimate, Mutation, QueueEngine, WaitQuote
from kiosk.queue.events import (
    CallEntry,
    CategoryStatus,
    CounterChanged,
    HallDisplayChanged,
    HallDisplayModel,
    QueueChanged,
    TicketCalled,
)
from kiosk.queue.model import Evaluation, HallProfile, Priority, QueuePolicy, Ticket, TicketState
from kiosk.queue.outputs import CallOutputs
from kiosk.queue.views import CounterView, ServingTicket, WaitingTicket

log = logging.getLogger(__name__)

T = TypeVar("T")
Clock = Callable[[], datetime]
RECENT_CALLS = 8


def utc_now() -> datetime:
    return datetime.now(UTC)


class QueueService:
    def __init__(
        self,
        store: Any,
        profile: HallProfile,
        policy: QueuePolicy,
        *,
        terminal_id: str,
        clock: Clock = utc_now,
        publish: Callable[[Any], None] | None = None,
        outputs: CallOutputs | None = None,
        new_id: Callable[[], str] | None = None,
        notice: str = "",
    ) -> None:
        self.store = store
        self.profile = profile
        self.policy = policy
        self.terminal_id = terminal_id
        self.hall_id = profile.hall_id
        self.clock = clock
        self.publish = publish or (lambda event: None)
        self._quiet = publish is None
        """Nobody listens (simulation, CLI): skip building the bus events."""
        self.outputs = outputs or CallOutputs(None)
        self.engine = QueueEngine(profile, policy, new_id=new_id)
        self.notice = notice
        self._lock = threading.RLock()
        self._changes = 0
        """Bumped by every operation and reload: the category waits are cached per change."""
        self._cat_cache: tuple[tuple[object, ...], tuple[CategoryStatus, ...]] | None = None
        self._recent: deque[CallEntry] = deque(maxlen=RECENT_CALLS)
        self._batch: list[Mutation] | None = None
        self._batch_size = 1
        self._checkins: list[ledger.CheckIn] = []
        self.last_device_jobs: list[Future[Any]] = []
        """Futures of the device jobs of the last call (tests and benchmarks wait on them)."""
        self._also = threading.local()

    # -- lifecycle -------------------------------------------------------------------------
    def load(self) -> None:
        with self._lock, self.store.read() as conn:
            ledger.load(self.engine, conn, self.clock())
            self._changes += 1
            self._recent_from_tickets()

    def _recent_from_tickets(self) -> None:
        """After a restart the hall screen must still show today's last calls (the hall host
        rebuilds its own list the same way from the ledger)."""
        day = self.engine.local_day(self.clock())
        called = sorted(
            (
                t
                for t in self.engine.tickets_of_day(day)
                if t.called_at is not None and (t.counter or t.first_counter)
            ),
            key=lambda t: t.called_at or t.issued_at,
        )
        self._recent.clear()
        self._recent.extend(self._call_entry(t, recall=False) for t in called[-RECENT_CALLS:])

    def start(self) -> None:
        self.load()
        self._announce_state()

    # -- the one way state changes -----------------------------------------------------------
    @contextmanager
    def recording(self, write: Callable[[Any, Any], None]) -> Iterator[None]:
        """The next operation run on this thread inside the block also calls ``write(conn,
        result)`` in its own store transaction (the hall host stores a command's answer with
        the change it made, so a repeated command gets the first answer and nothing twice)."""
        self._also.write = write
        try:
            yield
        finally:
            self._also.write = None

    def _commit(self, mut: Mutation, also: Callable[[Any], None] | None = None) -> None:
        self._changes += 1
        if not mut and also is None:
            return
        if self._batch is not None:
            self._batch.append(mut)
            # Its rows are written from the engine's live tickets when the group ends; which
            # appointments this change used can only be read now.
            self._checkins.extend(ledger.checkins(mut))
            if also is None and len(self._batch) < self._batch_size:
                return
            self._flush(also)
            return
        self._write([mut], also)

    def _write(
        self,
        muts: list[Mutation],
        also: Callable[[Any], None] | None = None,
        checkins: list[ledger.CheckIn] | None = None,
    ) -> None:
        """One transaction for ``muts``. With ``checkins`` (a group made by ``batched``) each
        row is written once for the group, after its changes' passed-over counts and events."""

        def apply(conn: Any) -> None:
            group = None if checkins is None else ledger.Group(checkins)
            for mut in muts:
                ledger.apply(conn, mut, terminal_id=self.terminal_id, hall_id=self.hall_id, group=group)
            if group is not None:
                group.write(conn)
            if also is not None:
                also(conn)

        try:
            self.store.write(apply)
        except BaseException:
            log.exception("queue write failed; reloading the queue from the store")
            try:
                with self.store.read() as conn:
                    ledger.load(self.engine, conn, self.clock())
                    self._changes += 1
            except Exception:
                log.exception("reloading the queue failed")
            raise

    def _flush(self, also: Callable[[Any], None] | None = None) -> None:
        # Synchronous on purpose: a group handed to the store's writer while the engine went
        # on took three times as long to write (every SQLite step gives up the GIL and waits
        # for the busy engine thread to give it back), and the day was no faster.
        if self._batch or also is not None:
            muts, self._batch = self._batch or [], []
            checkins, self._checkins = self._checkins, []
            self._write(muts, also, checkins)

    @contextmanager
    def batched(self, size: int = 512) -> Iterator[None]:
        """Write the operations of this block ``size`` at a time, each group in one transaction
        (one fsync instead of one per operation), for a caller no person waits on: the
        simulated day. Nothing is told to anyone before its group is on disk, so the service
        must be quiet (no bus, no devices); a failed group rolls back whole and the queue is
        reloaded from the store, as for a single operation. Holds the queue's lock throughout."""
        if not self._quiet or self.outputs.manager is not None:
            raise RuntimeError("batched writes only for a queue nobody is told about")
        with self._lock:
            if self._batch is not None:
                yield
                return
            self._batch, self._batch_size, self._checkins = [], max(1, size), []
            try:
                yield
            finally:
                # also when the block fails: what the engine has done must reach the disk
                try:
                    self._flush()
                finally:
                    self._batch = None

    def run(self, op: Callable[[QueueEngine, datetime], tuple[T, Mutation]]) -> T:
        """Run one engine operation and persist it; ``QueueRefused`` passes through unchanged."""
        with self._lock:
            now = self.clock()
            self._commit(self.engine.roll(now))
            result, mut = op(self.engine, now)
            write = getattr(self._also, "write", None)
            if write is None:
                self._commit(mut)
            else:
                self._also.write = None
                self._commit(mut, lambda conn: write(conn, result))
            return result

    # -- citizen side ------------------------------------------------------------------------
    def begin_issue(self, category: str, **kw: Any) -> Ticket:
        """Take a number in state ``printing`` (committed before the printer is asked)."""
        ticket = self.run(lambda e, now: e.issue(now, category, printing=True, **kw))
        return ticket.copy()

    def issue_unprinted(self, category: str, **kw: Any) -> Ticket:
        """Take a number that goes straight into the queue (counter-side or no printer)."""
        ticket = self.run(lambda e, now: e.issue(now, category, printing=False, **kw))
        self._announce_state()
        return ticket.copy()

    def confirm_printed(self, ticket_id: str) -> Ticket:
        def op(e: QueueEngine, now: datetime) -> tuple[Ticket, Mutation]:
            return e.tickets[ticket_id], e.confirm_printed(ticket_id, now)

        t = self.run(op).copy()
        self._announce_state()
        return t

    def void(self, ticket_id: str, reason: str) -> Ticket:
        def op(e: QueueEngine, now: datetime) -> tuple[Ticket, Mutation]:
            return e.tickets[ticket_id], e.void(ticket_id, now, reason)

        return self.run(op).copy()

    def issue_online(self, **kw: Any) -> Ticket:
        """A number taken from the phone (``QueueEngine.issue_online``): held in its place until
        its holder checks in. Inside ``recording`` the request's outcome is written with it."""
        ticket = self.run(lambda e, now: e.issue_online(now, **kw))
        self._announce_state()
        return ticket.copy()

    def arrive(self, ticket_id: str, by: str) -> Ticket:
        """The holder of an online ticket checked in: from now on it can be called."""
        t = self.run(lambda e, now: e.arrive(ticket_id, now, by)).copy()
        self._announce_state()
        return t

    def online_for_holder(self, holder_id_hash: str) -> list[Ticket]:
        """The holder's online tickets of today not yet arrived, or expired unclaimed."""
        with self._lock:
            self._commit(self.engine.roll(self.clock()))
            return [t.copy() for t in self.engine.online_for_holder(holder_id_hash)]

    def ticket_for_request(self, request_id: str) -> Ticket | None:
        with self._lock:
            t = self.engine.ticket_for_request(request_id)
            return None if t is None else t.copy()

    def tick(self) -> None:
        """Let time act with no operation: online tickets past their arrival deadline expire."""
        with self._lock:
            mut = self.engine.roll(self.clock())
            self._commit(mut)
        if mut:
            self._announce_state()

    def printing(self) -> list[Ticket]:
        with self._lock:
            return [t.copy() for t in self.engine.printing()]

    # -- counter side ------------------------------------------------------------------------
    def call_next(self, counter: int) -> Ticket | None:
        t = self.run(lambda e, now: e.call_next(counter, now))
        if t is not None:
            self._called(t, recall=False)
        self._announce_state(counter)
        return None if t is None else t.copy()

    def recall(self, counter: int) -> Ticket:
        t = self.run(lambda e, now: e.recall(counter, now))
        self._called(t, recall=True)
        return t.copy()

    def skip(self, counter: int) -> Ticket:
        t = self.run(lambda e, now: e.skip(counter, now)).copy()
        self._announce_state(counter)
        return t

    def transfer(self, counter: int, to_category: str) -> Ticket:
        t = self.run(lambda e, now: e.transfer(counter, to_category, now)).copy()
        self._announce_state(counter)
        return t

    def finish(self, counter: int, case_number: str | None = None) -> Ticket:
        t = self.run(lambda e, now: e.finish(counter, now, case_number)).copy()
        self._announce_state(counter)
        return t

    def pause(self, counter: int) -> None:
        self.run(lambda e, now: (None, e.pause(counter, now)))
        self.outputs.counter_text(counter, "暂停服务")
        self._announce_state(counter)

    def resume(self, counter: int) -> None:
        self.run(lambda e, now: (None, e.resume(counter, now)))
        self.outputs.clear(counter)
        self._announce_state(counter)

    def invite_evaluation(self, counter: int) -> Ticket | None:
        with self._lock:
            t = self.engine.evaluation_target(counter)
        self.outputs.invite(counter)
        return None if t is None else t.copy()

    def evaluate(self, level: int, **kw: Any) -> Evaluation:
        return self.run(lambda e, now: e.evaluate(now, level, **kw))

    # -- views -------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def ticket(self, ticket_id: str) -> Ticket | None:
        with self._lock:
            t = self.engine.ticket(ticket_id)
            return None if t is None else t.copy()

    def ticket_for_appointment(self, appointment_id: str) -> Ticket | None:
        with self._lock:
            t = self.engine.ticket_for_appointment(appointment_id)
            return None if t is None else t.copy()

    def estimate(self, category: str) -> Estimate:
        with self._lock:
            return self.engine.estimate(category)

    def estimate_for(self, ticket_id: str) -> Estimate:
        """The ticket's wait now; the first one asked is the one printed on it, kept as told.
        A ticket still printing says the wait it was told: with the day-full check on,
        issuing worked it out already, for the same queue."""
        with self._lock:
            t = self.engine.tickets[ticket_id]
            if t.state is TicketState.PRINTING and t.told_wait_min is not None:
                return Estimate(self.engine.ahead_of(t), t.told_wait_min)
            est = self.engine.estimate_ticket(t, self.clock())
            if t.told_wait_min is None and t.state in (TicketState.PRINTING, TicketState.WAITING):
                t.told_wait_min = est.minutes
            return est

    def quote(self, category: str, priority: Priority = Priority.NORMAL) -> WaitQuote:
        """What a ticket taken now would wait, before it is taken: the screen shows it and asks
        the citizen to confirm when it is over ``confirm_wait_over_min``; a full day is refused
        here already (``QueueRefused("day_full")``) so nobody confirms a number never served."""
        with self._lock:
            self._fresh_day()
            now = self.clock()
            self.engine.check_open(now)
            est = self.engine.check_day_full(now, category, priority) or self.engine.quote(
                category, priority, now
            )
            limit = self.policy.confirm_wait_over_min
            confirm = est.minutes is not None and limit > 0 and est.minutes > limit
            return WaitQuote(category, est.ahead, est.minutes, confirm)

    def _fresh_day(self) -> None:
        """Views after midnight must not show yesterday's queue: roll (and persist) first."""
        now = self.clock()
        if self.engine.day != self.engine.local_day(now):
            self._commit(self.engine.roll(now))

    def categories(self) -> tuple[CategoryStatus, ...]:
        """Waiting per category, and the wait an ordinary number taken now would be told (the
        ticket's own forward-played estimate, so the board, status and heartbeat agree with
        the paper)."""
        with self._lock:
            self._fresh_day()
            now = self.clock()
            # the forward play costs (measured in tests/bench/bench_queue.py): once per queue
            # change and minute, not once per board, status and heartbeat reading
            key = (self._changes, int(now.timestamp() // 60), id(self.engine.policy), id(self.profile))
            if self._cat_cache is not None and self._cat_cache[0] == key:
                return self._cat_cache[1]
            out = []
            for c in self.profile.categories:
                waiting = self.engine.waiting_count(c.code)
                minutes = self.engine.quote(c.code, Priority.NORMAL, now).minutes
                out.append(CategoryStatus(c.code, c.name, waiting, minutes, c.name_en))
            self._cat_cache = (key, tuple(out))
            return self._cat_cache[1]

    def counters(self) -> list[CounterChanged]:
        with self._lock:
            out = []
            for n, state in sorted(self.engine.counters.items()):
                cur = self.engine.current(n)
                out.append(CounterChanged(n, state.paused, None if cur is None else cur.number))
            return out

    def is_paused(self, counter: int) -> bool:
        with self._lock:
            state = self.engine.counters.get(counter)
            return bool(state is not None and state.paused)

    def current(self, counter: int) -> Ticket | None:
        with self._lock:
            t = self.engine.current(counter)
            return None if t is None else t.copy()

    def local_day(self) -> str:
        with self._lock:
            return self.engine.local_day(self.clock())

    def counter_view(self, counter: int, limit: int = 30) -> CounterView:
        """One window as its clerk sees it, read under the queue's lock in one go."""
        cdef = self.profile.counter(counter)
        codes = cdef.categories if cdef else ()
        with self._lock:
            self._fresh_day()
            now = self.clock()
            cur = self.engine.current(counter)
            state = self.engine.counters.get(counter)
            waiting = sorted((t for code in codes for t in self.engine.waiting(code)), key=lambda t: t.order)
            rows = tuple(
                WaitingTicket(t.number, t.category, t.priority.value, t.issued_at, t.channel)
                for t in waiting[:limit]
            )
            day = self.engine.local_day(now)
            served = sum(
                1
                for t in self.engine.tickets_of_day(day)
                if t.state.value == "served" and t.counter == counter
            )
            current = None
            if cur is not None:
                current = ServingTicket(
                    number=cur.number,
                    category=cur.category,
                    priority=cur.priority.value,
                    called_at=cur.called_at,
                    holder_masked=cur.holder_masked or "",
                    item_code=cur.item_code or "",
                    wait_min=int(cur.wait_min or 0),
                    recalls=int(cur.recalls or 0),
                    channel=cur.channel,
                )
        return CounterView(
            counter=counter,
            paused=bool(state is not None and state.paused),
            current=current,
            waiting=rows,
            waiting_count=len(waiting),
            served_today=served,
            at=now,
        )

    def display_model(self) -> HallDisplayModel:
        with self._lock:
            recent = tuple(reversed(self._recent))
        return HallDisplayModel(
            current=recent[0] if recent else None,
            recent=recent,
            categories=self.categories(),
            notice=self.notice,
            at=self.clock(),
        )

    def status(self) -> dict[str, Any]:
        """The live queue as plain data (``kiosk queue status``, heartbeat ``queue``)."""
        with self._lock:
            self._fresh_day()
            day = self.engine.local_day(self.clock())
            waiting = {
                c.code: [
                    {"number": t.number, "priority": t.priority.value, "issued_at": t.issued_at.isoformat()}
                    for t in self.engine.waiting(c.code)
                ]
                for c in self.profile.categories
            }
        return {
            "hall_id": self.hall_id,
            "day": day,
            "categories": {
                c.code: {"name": c.name, "waiting": c.waiting, "est_wait_min": c.est_wait_min}
                for c in self.categories()
            },
            "waiting": waiting,
            "counters": {
                str(c.counter): {"paused": c.paused, "serving": c.current_number} for c in self.counters()
            },
        }

    def heartbeat_snapshot(self) -> dict[str, dict[str, int]]:
        """The heartbeat's ``queue`` field: waiting and estimated minutes per category."""
        return self.heartbeat_queue()

    def heartbeat_queue(self) -> dict[str, dict[str, int]]:
        return {
            c.code: {"waiting": c.waiting, "est_wait_min": int(c.est_wait_min or 0)}
            for c in self.categories()
        }

    # -- telling the world -------------------------------------------------------------------
    def _call_entry(self, t: Ticket, *, recall: bool) -> CallEntry:
        counter = t.counter or t.first_counter or 0
        cdef = self.profile.counter(counter)
        return CallEntry(
            number=t.number,
            counter=counter,
            counter_name=cdef.name if cdef else f"{counter}号窗口",
            category=t.category,
            at=t.called_at or self.clock(),
            recall=recall,
            channel=t.channel,
        )

    def _called(self, t: Ticket, *, recall: bool) -> None:
        entry = self._call_entry(t, recall=recall)
        with self._lock:
            self._recent.append(entry)
        self.last_device_jobs = self.outputs.call(entry)
        if self._quiet:
            return
        self.publish(TicketCalled(entry))
        self.publish(HallDisplayChanged(self.display_model()))

    def _announce_state(self, counter: int | None = None) -> None:
        if self._quiet:
            return
        self.publish(QueueChanged(self.categories(), self.clock()))
        if counter is not None:
            for c in self.counters():
                if c.counter == counter:
                    self.publish(c)
        self.publish(HallDisplayChanged(self.display_model()))
