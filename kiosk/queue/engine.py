"""The queue state machine: pure, deterministic, in memory, time passed in by the caller.

Every operation changes the in-memory state and returns a ``Mutation`` naming exactly what
changed (ticket rows, counter rows, policy credits, sequences, outbox events). The ledger
writes that mutation in one transaction; if the write fails the caller reloads the engine from
the store, so memory never runs ahead of the disk. Everything the choice of the next ticket
depends on (credits, passed-over counts, the order key) is persisted, so a restart rebuilds the
exact same queue and makes the exact same next call.

Calling order, ``calling = "service_level"`` (the default): every waiting ticket is due at its
start (check-in or issue; for a requeued no-show its last call) plus its lane's target wait in
its category (``target_wait_min``; a lane without a target: ``horizon_min``). A window calls the
ticket due soonest among the categories it serves (ties: oldest order), i.e. the one that would
miss its target first. The starvation bound: a ticket W is passed over only by tickets due no
later than W, so never by one that started waiting more than due_in(W) - min due_in minutes
after W (defaults: an ordinary ticket, 150 - 10 = 140 minutes); W is called before any ticket
due after it, so nobody waits forever while windows of its category keep calling.

Calling order, ``calling = "weighted"`` (the earlier policy), inside a category:
1. Once any waiting ticket has been passed over by ``starvation_bound`` later tickets, the
   oldest waiting ticket of the category is called (which passes nobody): so nobody is ever
   passed over by more than N tickets that joined the queue after it.
2. Otherwise the priority lanes (appointment, elderly, disability, military, vip, normal) take
   turns by smooth weighted round robin on their weights; within a lane, oldest order first.
A counter serving several categories picks the category the same way, on its own weights.

The order key is the moment a ticket joined its queue: issue, requeue after a no-show, or a
transfer (a transferred ticket keeps its issue time, which makes it due early under service
level, but joins the queue behind the tickets already waiting there in the order used for
passing: so a transfer never passes anyone more often than the bound allows).
"""

from __future__ import annotations

import bisect
import heapq
import math
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kiosk.queue.errors import QueueRefused
from kiosk.queue.forward import LATER, Group, Play, Stream
from kiosk.queue.model import (
    ACTIVE_STATES,
    CounterState,
    Evaluation,
    HallProfile,
    Priority,
    QueuePolicy,
    Ticket,
    TicketState,
    iso,
)

LANES: tuple[Priority, ...] = tuple(Priority)


@dataclass(frozen=True)
class OutEvent:
    type: str
    data: dict[str, Any]
    at: datetime


@dataclass
class Mutation:
    """What one operation changed; written by the ledger as one transaction."""

    tickets: dict[str, Ticket] = field(default_factory=dict)
    counters: dict[int, CounterState] = field(default_factory=dict)
    lanes: dict[str, dict[str, int]] = field(default_factory=dict)
    sequences: dict[tuple[str, str], int] = field(default_factory=dict)
    next_order: int | None = None
    passed: list[tuple[str, int]] = field(default_factory=list)
    """(category, order): every waiting ticket of the category with a smaller order was passed
    over once more (applied before the ticket rows, which carry their own counts)."""
    events: list[OutEvent] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)

    def touch(self, t: Ticket) -> None:
        self.tickets[t.ticket_id] = t

    def __bool__(self) -> bool:
        return bool(
            self.tickets
            or self.counters
            or self.lanes
            or self.sequences
            or self.next_order is not None
            or self.events
            or self.evaluations
        )


@dataclass(frozen=True)
class Estimate:
    ahead: int
    minutes: int | None
    """None when no open counter serves the category."""


@dataclass(frozen=True)
class WaitQuote:
    """Before a ticket is taken: how long it would wait, and whether the citizen should confirm
    that wait first (over ``confirm_wait_over_min``) — what the take-a-number screen shows."""

    category: str
    ahead: int
    minutes: int | None
    confirm: bool


def swrr(credits: dict[str, int], weights: dict[str, int], oldest: Callable[[str], int]) -> str:
    """Smooth weighted round robin (nginx): each candidate gains its weight, the richest wins
    and pays the total. Ties and all-zero weights go to the oldest head."""
    weights = {k: w for k, w in weights.items() if w > 0} or weights
    total = sum(weights.values())
    if total <= 0:
        return min(weights, key=oldest)
    for k, w in weights.items():
        credits[k] = credits.get(k, 0) + w
    best = max(weights, key=lambda k: (credits[k], -oldest(k)))
    credits[best] -= total
    return best


class QueueEngine:
    def __init__(
        self,
        profile: HallProfile,
        policy: QueuePolicy,
        *,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.profile = profile
        self.policy = policy
        self.tz = profile.tz
        self._new_id = new_id or (lambda: str(uuid.uuid4()))
        self.tickets: dict[str, Ticket] = {}
        self.counters: dict[int, CounterState] = {c.number: CounterState(c.number) for c in profile.counters}
        self.lane_credits: dict[str, dict[str, int]] = {c.code: {} for c in profile.categories}
        self.sequences: dict[tuple[str, str], int] = {}
        self.next_order = 1
        self.evaluated: set[str] = set()
        self.day: str | None = None
        self._waiting: dict[str, dict[Priority, list[tuple[int, str]]]] = {}
        self._starving: dict[str, set[str]] = {}
        """Waiting tickets passed over ``starvation_bound`` times: the next call is forced."""
        self._due: dict[str, list[tuple[float, int, str]]] = {}
        """Per category, waiting tickets by (due time, order): the service-level calling order."""
        self._current: dict[int, str] = {}
        self._issued: Counter[tuple[str, str]] = Counter()
        self._by_holder: Counter[tuple[str, str, str]] = Counter()
        self._by_appointment: dict[str, str] = {}
        self._service: dict[str, deque[float]] = {}
        self._arrivals: dict[str, dict[Priority, list[datetime]]] = {}
        """Per category and lane, issue times of the day's tickets (wait estimates)."""
        self._day_first: datetime | None = None
        """The day's first issue: arrival rates are measured from it (at most the last hour)."""
        self._held: set[str] = set()
        """Online tickets waiting for their holder to arrive: in their place, never called."""
        self._near_pending: set[str] = set()
        """Active online tickets whose "your turn is near" has not gone out yet."""
        self._by_request: dict[str, str] = {}
        self._window_cats = {c.number: tuple(c.categories) for c in profile.counters}
        """Each window's categories by number: the forward plays ask on every step."""
        self._plays: dict[tuple[str, ...], Play] = {}
        """One forward play per linked group, while it answers (see ``_play_for``)."""
        self._last_day: tuple[datetime, str] | None = None
        self._reindex()

    # -- loading ---------------------------------------------------------------------------
    def load(
        self,
        tickets: Iterable[Ticket],
        counters: Iterable[CounterState],
        lane_credits: dict[str, dict[str, int]],
        sequences: dict[tuple[str, str], int],
        next_order: int,
        evaluated: Iterable[str],
    ) -> None:
        """Replace the state with what the store holds (start, or after a failed write)."""
        self.tickets = {t.ticket_id: t for t in tickets}
        self.counters = {c.number: CounterState(c.number) for c in self.profile.counters}
        for c in counters:
            if c.number in self.counters:
                self.counters[c.number] = c
        self.lane_credits = {c.code: dict(lane_credits.get(c.code, {})) for c in self.profile.categories}
        self.sequences = dict(sequences)
        self.next_order = next_order
        self.evaluated = set(evaluated)
        self.day = None
        self._reindex()

    def _reindex(self) -> None:
        self._plays.clear()
        self._waiting = {c.code: {p: [] for p in LANES} for c in self.profile.categories}
        self._starving = {c.code: set() for c in self.profile.categories}
        self._due = {c.code: [] for c in self.profile.categories}
        self._current = {}
        self._issued = Counter()
        self._by_holder = Counter()
        self._by_appointment = {}
        self._service = {c.code: deque(maxlen=self.policy.rolling_window) for c in self.profile.categories}
        self._arrivals = {c.code: {p: [] for p in LANES} for c in self.profile.categories}
        self._day_first = None
        self._held = set()
        self._near_pending = set()
        self._by_request = {}
        served: list[Ticket] = []
        for t in sorted(self.tickets.values(), key=lambda t: t.order):
            if t.state not in (TicketState.VOIDED, TicketState.PRINTING):
                self._arrived(t)
            if t.channel == "online" and t.state in ACTIVE_STATES and not t.near_sent:
                self._near_pending.add(t.ticket_id)
            if t.state is TicketState.WAITING and t.held:
                self._held.add(t.ticket_id)
            elif t.state is TicketState.WAITING:
                self._enqueue(t)
            elif t.state is TicketState.CALLED and t.counter is not None:
                self._current[t.counter] = t.ticket_id
            if t.state is not TicketState.VOIDED:
                self._count_issue(t, +1)
            if t.state is TicketState.SERVED:
                served.append(t)
        served.sort(key=lambda t: (t.finished_at, t.ticket_id))
        for t in served:
            self._record_service(t)

    # -- small helpers ---------------------------------------------------------------------
    def local_day(self, now: datetime) -> str:
        # asked by every operation, mostly with the same clock reading as the one before
        if self._last_day is not None and self._last_day[0] == now:
            return self._last_day[1]
        day = now.astimezone(self.tz).date().isoformat()
        self._last_day = (now, day)
        return day

    def lane_of(self, t: Ticket) -> Priority:
        cat = self.profile.category(t.category)
        if cat is None or not cat.priority_allowed:
            return Priority.NORMAL
        return t.priority

    def since(self, t: Ticket) -> datetime:
        """When the ticket started waiting for its target: check-in or issue (kept on a
        transfer); a requeued no-show from its last call. An online ticket holds its place
        from when it was taken (its ``issued_at``), not from its holder's arrival."""
        if t.requeues and t.called_at is not None:
            return t.called_at
        if t.channel == "online":
            return t.issued_at
        return t.checked_in_at or t.issued_at

    def due_at(self, t: Ticket) -> datetime:
        return self.since(t) + timedelta(minutes=self.policy.due_in_min(self.lane_of(t), t.category))

    def target_min(self, t: Ticket) -> int | None:
        return self.policy.target_min(self.lane_of(t), t.category)

    def _due_key(self, t: Ticket) -> tuple[float, int, str]:
        return (self.due_at(t).timestamp(), t.order, t.ticket_id)

    def _enqueue(self, t: Ticket) -> None:
        lanes = self._waiting.get(t.category)
        if lanes is None:  # category dropped from a newer profile: keep it, callable by nobody
            lanes = self._waiting[t.category] = {p: [] for p in LANES}
            self._starving[t.category] = set()
            self._due[t.category] = []
        bisect.insort(lanes[self.lane_of(t)], (t.order, t.ticket_id))
        key = self._due_key(t)
        bisect.insort(self._due[t.category], key)
        play = self._plays.get(self._component(t.category)[0])
        if play is not None:
            bisect.insort(play.joined.setdefault(t.category, []), (key[0], float(key[1])))
            play.joined_ids.add(t.ticket_id)
        if 0 < self.policy.starvation_bound <= t.passed_over:
            self._starving[t.category].add(t.ticket_id)

    def _dequeue(self, t: Ticket) -> None:
        self._starving[t.category].discard(t.ticket_id)
        lane = self._waiting[t.category][self.lane_of(t)]
        i = bisect.bisect_left(lane, (t.order, t.ticket_id))
        if i < len(lane) and lane[i][1] == t.ticket_id:
            del lane[i]
        due = self._due[t.category]
        key = self._due_key(t)
        j = bisect.bisect_left(due, key)
        if j < len(due) and due[j] == key:
            del due[j]

    def _count_issue(self, t: Ticket, delta: int) -> None:
        self._issued[(t.day, t.origin_category)] += delta
        if t.holder_id_hash:
            self._by_holder[(t.day, t.origin_category, t.holder_id_hash)] += delta
        if t.appointment_id:
            if delta > 0:
                self._by_appointment[t.appointment_id] = t.ticket_id
            else:
                self._by_appointment.pop(t.appointment_id, None)
        if t.request_id:
            self._by_request[t.request_id] = t.ticket_id

    def _record_service(self, t: Ticket) -> None:
        minutes = t.service_min
        if minutes is not None and t.category in self._service:
            self._service[t.category].append(minutes)

    def waiting(self, category: str) -> list[Ticket]:
        """Waiting tickets of a category in order key order (all lanes)."""
        lanes = self._waiting.get(category, {})
        keys = sorted(k for lane in lanes.values() for k in lane)
        return [self.tickets[tid] for _, tid in keys]

    def waiting_count(self, category: str) -> int:
        return sum(len(lane) for lane in self._waiting.get(category, {}).values())

    def current(self, counter: int) -> Ticket | None:
        tid = self._current.get(counter)
        return None if tid is None else self.tickets[tid]

    def ticket(self, ticket_id: str) -> Ticket | None:
        return self.tickets.get(ticket_id)

    def ticket_for_appointment(self, appointment_id: str) -> Ticket | None:
        tid = self._by_appointment.get(appointment_id)
        return None if tid is None else self.tickets[tid]

    def tickets_of_day(self, day: str) -> list[Ticket]:
        return sorted((t for t in self.tickets.values() if t.day == day), key=lambda t: t.order)

    def _counter(self, number: int) -> CounterState:
        c = self.counters.get(number)
        if c is None:
            raise QueueRefused("unknown_counter", counter=number)
        return c

    def _open_ticket(self, counter: int) -> Ticket:
        t = self.current(counter)
        if t is None:
            raise QueueRefused("no_open_ticket", counter=counter)
        return t

    # -- day and hours ---------------------------------------------------------------------
    def _roll(self, now: datetime, mut: Mutation) -> str:
        """Start a new local day: tickets of earlier days still open end as ``expired``; online
        tickets whose holder missed the arrival deadline end as ``expired`` too."""
        day = self.local_day(now)
        if self.day == day:
            self._expire_held(now, mut)
            return day
        for t in list(self.tickets.values()):
            if t.day < day and t.state in ACTIVE_STATES:
                self._held.discard(t.ticket_id)
                self._near_pending.discard(t.ticket_id)
                if t.state is TicketState.WAITING:
                    self._dequeue(t)
                if t.state is TicketState.CALLED and t.counter is not None:
                    self._current.pop(t.counter, None)
                t.state = TicketState.EXPIRED
                t.counter = None
                t.note = "day_ended"
                mut.touch(t)
        for tid in [tid for tid, t in self.tickets.items() if t.day < day]:
            del self.tickets[tid]
        self.evaluated &= set(self.tickets)
        self.sequences = {k: v for k, v in self.sequences.items() if k[0] >= day}
        for lanes in self._arrivals.values():
            for times in lanes.values():
                times[:] = [x for x in times if self.local_day(x) >= day]
        if self._day_first is not None and self.local_day(self._day_first) < day:
            self._day_first = None
        self._by_request = {k: v for k, v in self._by_request.items() if v in self.tickets}
        self.day = day
        self._plays.clear()  # played on the day before
        self._expire_held(now, mut)
        return day

    def _expire_held(self, now: datetime, mut: Mutation) -> None:
        for tid in sorted(self._held):
            t = self.tickets[tid]
            if t.arrive_by is not None and t.arrive_by <= now:
                self._held.discard(tid)
                self._near_pending.discard(tid)
                t.state = TicketState.EXPIRED
                t.note = "not_arrived"
                t.finished_at = now
                mut.touch(t)
                mut.events.append(
                    OutEvent(
                        "ticket.expired",
                        {
                            "ticket_id": t.ticket_id,
                            "request_id": t.request_id,
                            "reason": "not_arrived",
                            "arrive_by": iso(t.arrive_by),
                        },
                        now,
                    )
                )

    def roll(self, now: datetime) -> Mutation:
        """Bring the engine to the day of ``now`` (the service persists this on its own, so an
        operation refused afterwards has changed nothing)."""
        mut = Mutation()
        self._roll(now, mut)
        return mut

    def check_open(self, now: datetime) -> None:
        """Refuse outside opening hours (and the configured minutes before closing)."""
        if not self.policy.enforce_hours or not self.profile.opening_hours:
            return
        local = now.astimezone(self.tz)
        spans = self.profile.hours_on(local.isoweekday())
        if not spans:
            raise QueueRefused("hall_closed_today")
        cut = timedelta(minutes=self.policy.stop_issuing_before_close_min)
        for h in sorted(spans, key=lambda h: h.open):
            opens = local.replace(hour=h.open.hour, minute=h.open.minute, second=0, microsecond=0)
            closes = local.replace(hour=h.close.hour, minute=h.close.minute, second=0, microsecond=0) - cut
            if local < opens:
                raise QueueRefused("hall_not_open_yet", opens=h.open.strftime("%H:%M"))
            if local < closes:
                return
        last = max(spans, key=lambda h: h.close)
        raise QueueRefused("hall_closed", closed=last.close.strftime("%H:%M"))

    # -- issuing ---------------------------------------------------------------------------
    def issue(
        self,
        now: datetime,
        category: str,
        *,
        item_code: str | None = None,
        priority: Priority = Priority.NORMAL,
        holder_id_hash: str | None = None,
        holder_masked: str | None = None,
        appointment_id: str | None = None,
        checked_in_at: datetime | None = None,
        late_minutes: int | None = None,
        printing: bool = True,
    ) -> tuple[Ticket, Mutation]:
        """Take the next number. With ``printing`` the ticket waits in ``printing`` until
        ``confirm_printed`` (the printer took it) or ``void``; only then is it in the queue."""
        mut = Mutation()
        day = self._roll(now, mut)
        cat = self.profile.category(category)
        if cat is None:
            raise QueueRefused("unknown_category", category=category)
        self.check_open(now)
        if appointment_id is not None:
            existing = self.ticket_for_appointment(appointment_id)
            if existing is not None:
                raise QueueRefused("already_checked_in", number=existing.number)
        if cat.daily_limit and self._issued[(day, category)] >= cat.daily_limit:
            raise QueueRefused("daily_limit_reached", category=cat.name)
        quoted = self.check_day_full(now, category, priority if cat.priority_allowed else Priority.NORMAL)
        limit = self.policy.real_name_limit
        if holder_id_hash and limit > 0 and self._by_holder[(day, category, holder_id_hash)] >= limit:
            raise QueueRefused("real_name_limit", limit=self.policy.real_name_limit, category=cat.name)
        seq = self.sequences.get((day, category), 0) + 1
        if seq > 999:
            raise QueueRefused("daily_limit_reached", category=cat.name)
        if not cat.priority_allowed:
            priority = Priority.NORMAL
        t = Ticket(
            ticket_id=self._new_id(),
            number=f"{cat.prefix}{seq:03d}",
            day=day,
            seq=seq,
            category=category,
            origin_category=category,
            item_code=item_code,
            priority=priority,
            issued_at=now,
            order=self.next_order,
            state=TicketState.PRINTING,
            appointment_id=appointment_id,
            holder_id_hash=holder_id_hash,
            holder_masked=holder_masked,
            checked_in_at=checked_in_at,
            late_minutes=late_minutes,
        )
        if quoted is not None and self.since(t) == now:
            # the day-full quote was played for exactly this ticket (same lane, start, order
            # and state; its own admission changes nothing due before it): that is its wait
            t.told_wait_min = quoted.minutes
        self.sequences[(day, category)] = seq
        self.next_order += 1
        self.tickets[t.ticket_id] = t
        self._count_issue(t, +1)
        mut.sequences[(day, category)] = seq
        mut.next_order = self.next_order
        mut.touch(t)
        if not printing:
            self._admit(t, mut)
        return t, mut

    def ticket_for_request(self, request_id: str) -> Ticket | None:
        tid = self._by_request.get(request_id)
        return None if tid is None else self.tickets.get(tid)

    def issue_online(
        self,
        now: datetime,
        *,
        request_id: str,
        category: str,
        holder_id_hash: str,
        taken_at: datetime,
        arrive_by: datetime,
        item_code: str | None = None,
        holder_masked: str | None = None,
    ) -> tuple[Ticket, Mutation]:
        """A number taken from the phone, under the kiosk's rules (hours, daily limit, day full,
        real-name limit). It holds its place from ``taken_at`` (no earlier than the day's start
        and no later than now) but is not called until its holder arrives (``arrive``); past
        ``arrive_by`` it expires. A request id is issued at most once."""
        mut = Mutation()
        day = self._roll(now, mut)
        if request_id in self._by_request:
            raise QueueRefused("already_issued", number=self.tickets[self._by_request[request_id]].number)
        if arrive_by <= now:
            raise QueueRefused("arrive_by_passed")
        start = now.astimezone(self.tz).replace(hour=0, minute=0, second=0, microsecond=0)
        taken = min(max(taken_at, start), now)
        t, issued = self.issue(
            now,
            category,
            item_code=item_code,
            holder_id_hash=holder_id_hash,
            holder_masked=holder_masked,
            printing=True,
        )
        mut.tickets.update(issued.tickets)
        mut.sequences.update(issued.sequences)
        mut.next_order = issued.next_order
        assert t.day == day
        t.channel = "online"
        t.request_id = request_id
        t.arrive_by = arrive_by
        t.issued_at = taken
        self._by_request[request_id] = t.ticket_id
        t.state = TicketState.WAITING
        self._arrived(t)
        self._held.add(t.ticket_id)
        self._near_pending.add(t.ticket_id)
        mut.touch(t)
        self._issued_event(t, mut)
        self._near_turn(now, mut)
        return t, mut

    def online_for_holder(self, holder_id_hash: str) -> list[Ticket]:
        """Today's online tickets of a holder that check-in is about: those waiting for the
        holder to arrive, and those that expired because they did not (to say so)."""
        return sorted(
            (
                t
                for t in self.tickets.values()
                if t.channel == "online"
                and t.holder_id_hash == holder_id_hash
                and (
                    t.ticket_id in self._held or (t.state is TicketState.EXPIRED and t.note == "not_arrived")
                )
            ),
            key=lambda t: t.order,
        )

    def held(self) -> list[Ticket]:
        return sorted((self.tickets[tid] for tid in self._held), key=lambda t: t.order)

    def arrive(self, ticket_id: str, now: datetime, by: str) -> tuple[Ticket, Mutation]:
        """The holder of an online ticket checked in at a kiosk (ID card or code): from now on
        it is called in the place it has held since it was taken."""
        mut = Mutation()
        self._roll(now, mut)
        t = self.tickets.get(ticket_id)
        if t is None or t.channel != "online":
            raise QueueRefused("no_online_ticket")
        if t.state is TicketState.EXPIRED:
            raise QueueRefused("online_ticket_expired", number=t.number)
        if ticket_id not in self._held:
            raise QueueRefused("already_checked_in", number=t.number)
        self._held.discard(ticket_id)
        t.checked_in_at = now
        self._enqueue(t)
        mut.touch(t)
        mut.events.append(
            OutEvent(
                "ticket.arrived",
                {"ticket_id": t.ticket_id, "request_id": t.request_id, "arrived_at": iso(now), "by": by},
                now,
            )
        )
        self._near_turn(now, mut)
        return t, mut

    def _near_turn(self, now: datetime, mut: Mutation) -> None:
        """``ticket.near_turn`` once for each online ticket with at most N waiting before it
        (``near_turn_ahead``; 0 = never): the platform's cue for "your turn is near"."""
        n = self.policy.near_turn_ahead
        if n <= 0:
            return
        for tid in sorted(self._near_pending):
            t = self.tickets[tid]
            if t.state is not TicketState.WAITING:
                continue
            ahead = self.ahead_of(t)
            if ahead > n:
                continue
            self._near_pending.discard(tid)
            t.near_sent = True
            mut.touch(t)
            mut.events.append(
                OutEvent(
                    "ticket.near_turn",
                    {
                        "ticket_id": t.ticket_id,
                        "request_id": t.request_id,
                        "number": t.number,
                        "category": t.category,
                        "ahead": min(ahead, 999),
                    },
                    now,
                )
            )

    def _arrived(self, t: Ticket) -> None:
        if self._day_first is None or t.issued_at < self._day_first:
            self._day_first = t.issued_at
        lanes = self._arrivals.setdefault(t.origin_category, {p: [] for p in LANES})
        bisect.insort(lanes[t.priority], t.issued_at)

    def _admit(self, t: Ticket, mut: Mutation) -> None:
        t.state = TicketState.WAITING
        self._arrived(t)
        self._enqueue(t)
        mut.touch(t)
        self._issued_event(t, mut)
        if t.appointment_id is not None and t.checked_in_at is not None:
            mut.events.append(
                OutEvent(
                    "appointment.checked_in",
                    {
                        "appointment_id": t.appointment_id,
                        "ticket_id": t.ticket_id,
                        "checked_in_at": iso(t.checked_in_at),
                        "late_minutes": int(t.late_minutes or 0),
                    },
                    t.checked_in_at,
                )
            )

    def confirm_printed(self, ticket_id: str, now: datetime) -> Mutation:
        mut = Mutation()
        t = self.tickets.get(ticket_id)
        if t is None or t.state is not TicketState.PRINTING:
            raise QueueRefused("not_printing", ticket=ticket_id)
        self._admit(t, mut)
        return mut

    def void(self, ticket_id: str, now: datetime, reason: str) -> Mutation:
        """The ticket never reached the citizen: its number stays used, it is not in the queue
        and does not count against the daily or real-name limits."""
        mut = Mutation()
        t = self.tickets.get(ticket_id)
        if t is None or t.state is not TicketState.PRINTING:
            raise QueueRefused("not_printing", ticket=ticket_id)
        t.state = TicketState.VOIDED
        t.note = reason
        t.finished_at = now
        self._count_issue(t, -1)
        mut.touch(t)
        return mut

    def printing(self) -> list[Ticket]:
        return sorted(
            (t for t in self.tickets.values() if t.state is TicketState.PRINTING), key=lambda t: t.order
        )

    # -- calling ---------------------------------------------------------------------------
    def _head(self, category: str, lane: Priority) -> Ticket | None:
        q = self._waiting[category][lane]
        return self.tickets[q[0][1]] if q else None

    def _pick(self, category: str, mut: Mutation) -> Ticket:
        heads = {p: h for p in LANES if (h := self._head(category, p)) is not None}
        if self.policy.starvation_bound == 0 or self._starving[category]:
            # Someone reached the bound: call the oldest ticket of the category, which passes
            # nobody (and is the head of its own lane, so lanes stay first-in first-out).
            return min(heads.values(), key=lambda t: t.order)
        credits = self.lane_credits.setdefault(category, {})
        weights = {p.value: self.policy.lane_weight(p) for p in heads}
        lane = swrr(credits, weights, lambda k: heads[Priority(k)].order)
        mut.lanes[category] = dict(credits)
        return heads[Priority(lane)]

    def call_next(self, counter: int, now: datetime) -> tuple[Ticket | None, Mutation]:
        """Call the next ticket at a counter; an open ticket there is finished first (pressing
        "next" on a caller means "done with this one")."""
        mut = Mutation()
        self._roll(now, mut)
        state = self._counter(counter)
        if state.paused:
            raise QueueRefused("counter_paused", counter=counter)
        cur = self.current(counter)
        if cur is not None:
            self._finish(cur, now, None, mut)
        cdef = self.profile.counter(counter)
        assert cdef is not None
        cands = [k for k in cdef.categories if self.waiting_count(k) > 0]
        if not cands:
            return None, mut
        if self.policy.calling == "service_level":
            # the ticket due soonest over the window's categories (ties: the oldest order)
            category = min(cands, key=lambda k: self._due[k][0][:2])
            t = self.tickets[self._due[category][0][2]]
            return self._call(t, category, counter, now, mut), mut
        if len(cands) == 1:
            category = cands[0]
        else:
            weights = {k: self.policy.counter_weight(counter, k) for k in cands}

            def oldest(k: str) -> int:
                return min(q[0][0] for q in self._waiting[k].values() if q)

            category = swrr(state.credits, weights, oldest)
            mut.counters[counter] = state
        t = self._pick(category, mut)
        return self._call(t, category, counter, now, mut), mut

    def _call(self, t: Ticket, category: str, counter: int, now: datetime, mut: Mutation) -> Ticket:
        called = self._call_one(t, category, counter, now, mut)
        self._near_pending.discard(t.ticket_id)
        self._near_turn(now, mut)
        return called

    def _call_one(self, t: Ticket, category: str, counter: int, now: datetime, mut: Mutation) -> Ticket:
        self._dequeue(t)
        bound = self.policy.starvation_bound
        for lane in self._waiting[category].values():
            for _, tid in lane[: bisect.bisect_left(lane, (t.order, ""))]:
                w = self.tickets[tid]
                w.passed_over += 1
                if w.passed_over >= bound:
                    self._starving[category].add(tid)
        mut.passed.append((category, t.order))
        t.state = TicketState.CALLED
        t.counter = counter
        t.called_at = now
        t.recalls = 0
        if t.first_called_at is None:
            t.first_called_at = now
            t.first_counter = counter
        self._current[counter] = t.ticket_id
        mut.touch(t)
        mut.events.append(
            OutEvent(
                "ticket.called",
                {"ticket_id": t.ticket_id, "counter": counter, "called_at": iso(now), "recall": False},
                now,
            )
        )
        return t

    def recall(self, counter: int, now: datetime) -> tuple[Ticket, Mutation]:
        mut = Mutation()
        self._roll(now, mut)
        t = self._open_ticket(counter)
        if t.recalls >= self.policy.recall_max:
            raise QueueRefused("recall_limit", number=t.number, limit=self.policy.recall_max)
        t.recalls += 1
        t.called_at = now
        mut.touch(t)
        mut.events.append(
            OutEvent(
                "ticket.called",
                {"ticket_id": t.ticket_id, "counter": counter, "called_at": iso(now), "recall": True},
                now,
            )
        )
        return t, mut

    def skip(self, counter: int, now: datetime) -> tuple[Ticket, Mutation]:
        """No-show: back of the queue once (``requeue_once``) or out (``gone``)."""
        mut = Mutation()
        self._roll(now, mut)
        t = self._open_ticket(counter)
        del self._current[counter]
        mut.events.append(
            OutEvent(
                "ticket.skipped", {"ticket_id": t.ticket_id, "counter": counter, "reason": "no_show"}, now
            )
        )
        t.counter = None
        if self.policy.no_show == "requeue_once" and t.requeues == 0:
            t.requeues += 1
            t.state = TicketState.WAITING
            t.order = self.next_order
            t.passed_over = 0
            self.next_order += 1
            mut.next_order = self.next_order
            self._enqueue(t)
        else:
            t.state = TicketState.NO_SHOW
            t.finished_at = now
        mut.touch(t)
        return t, mut

    def transfer(self, counter: int, to_category: str, now: datetime) -> tuple[Ticket, Mutation]:
        """Send the open ticket to another category. It keeps its issue time, so under service
        level it is due there as if it had been issued for it; its order key is the moment it
        joins, so calling it counts as passing exactly the tickets that waited there before it
        (an old order key let it pass a ticket already at the starvation bound)."""
        mut = Mutation()
        self._roll(now, mut)
        t = self._open_ticket(counter)
        if self.profile.category(to_category) is None:
            raise QueueRefused("unknown_category", category=to_category)
        if to_category == t.category:
            raise QueueRefused("same_category", category=to_category)
        del self._current[counter]
        t.state = TicketState.WAITING
        t.category = to_category
        t.counter = None
        t.passed_over = 0
        t.recalls = 0
        t.transfers += 1
        t.order = self.next_order
        self.next_order += 1
        mut.next_order = self.next_order
        self._enqueue(t)
        mut.touch(t)
        mut.events.append(
            OutEvent(
                "ticket.transferred",
                {"ticket_id": t.ticket_id, "from_counter": counter, "to_category": to_category},
                now,
            )
        )
        return t, mut

    def finish(self, counter: int, now: datetime, case_number: str | None = None) -> tuple[Ticket, Mutation]:
        mut = Mutation()
        self._roll(now, mut)
        t = self._open_ticket(counter)
        self._finish(t, now, case_number, mut)
        return t, mut

    def _finish(self, t: Ticket, now: datetime, case_number: str | None, mut: Mutation) -> None:
        counter = t.counter
        assert counter is not None
        del self._current[counter]
        t.state = TicketState.SERVED
        t.finished_at = now
        t.case_number = case_number
        self._record_service(t)
        state = self.counters[counter]
        state.eval_ticket = t.ticket_id
        mut.counters[counter] = state
        mut.touch(t)
        mut.events.append(
            OutEvent(
                "ticket.served",
                {
                    "ticket_id": t.ticket_id,
                    "counter": counter,
                    "started_at": iso(t.called_at),
                    "finished_at": iso(now),
                    "case_number": case_number,
                },
                now,
            )
        )

    def pause(self, counter: int, now: datetime) -> Mutation:
        mut = Mutation()
        self._roll(now, mut)
        state = self._counter(counter)
        if self.current(counter) is not None:
            raise QueueRefused("finish_first", counter=counter)
        if not state.paused:
            state.paused = True
            self._plays.clear()  # the play assumed the windows open as they were
            mut.counters[counter] = state
        return mut

    def resume(self, counter: int, now: datetime) -> Mutation:
        mut = Mutation()
        self._roll(now, mut)
        state = self._counter(counter)
        if state.paused:
            state.paused = False
            self._plays.clear()  # the play assumed the windows open as they were
            mut.counters[counter] = state
        return mut

    # -- evaluation ------------------------------------------------------------------------
    def evaluation_target(self, counter: int) -> Ticket | None:
        """The ticket a rating at this window is about: the open one, else the last finished
        one not yet rated."""
        cur = self.current(counter)
        if cur is not None and cur.ticket_id not in self.evaluated:
            return cur
        tid = self._counter(counter).eval_ticket
        if tid is not None and tid not in self.evaluated and tid in self.tickets:
            return self.tickets[tid]
        return None

    def evaluate(
        self,
        now: datetime,
        level: int,
        *,
        tags: Iterable[str] = (),
        ticket_id: str | None = None,
        counter: int | None = None,
        channel: str = "window",
        case_number: str | None = None,
        comment: str | None = None,
    ) -> tuple[Evaluation, Mutation]:
        """One rating per service (一次一评): a ticket already rated is refused."""
        mut = Mutation()
        self._roll(now, mut)
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
            raise QueueRefused("bad_level")
        if channel not in ("window", "kiosk"):
            raise QueueRefused("bad_channel")
        if ticket_id is None and counter is not None and channel == "window":
            target = self.evaluation_target(counter)
            if target is None:
                raise QueueRefused("nothing_to_rate", counter=counter)
            ticket_id = target.ticket_id
        if ticket_id is not None:
            if ticket_id in self.evaluated:
                raise QueueRefused("already_rated")
            t = self.tickets.get(ticket_id)
            if t is None or t.state not in (TicketState.SERVED, TicketState.CALLED):
                raise QueueRefused("nothing_to_rate", counter=counter)
            case_number = case_number or t.case_number
            if counter is None:
                counter = t.counter if t.state is TicketState.CALLED else t.first_counter
            self.evaluated.add(ticket_id)
            if counter is not None and counter in self.counters:
                state = self.counters[counter]
                if state.eval_ticket == ticket_id:
                    state.eval_ticket = None
                    mut.counters[counter] = state
        ev = Evaluation(
            evaluation_id=self._new_id(),
            ticket_id=ticket_id,
            case_number=case_number,
            counter=counter,
            channel=channel,
            level=level,
            tags=tuple(str(x) for x in tags),
            comment=comment,
            at=now,
        )
        mut.evaluations.append(ev)
        mut.events.append(
            OutEvent(
                "evaluation.submitted",
                {
                    "evaluation_id": ev.evaluation_id,
                    "ticket_id": ev.ticket_id,
                    "case_number": ev.case_number,
                    "counter": ev.counter,
                    "channel": ev.channel,
                    "level": ev.level,
                    "tags": list(ev.tags),
                    "comment": ev.comment,
                },
                now,
            )
        )
        return ev, mut

    # -- estimates -------------------------------------------------------------------------
    def avg_service_min(self, category: str) -> float:
        times = self._service.get(category)
        if not times:
            return self.policy.default_service_min
        return sum(times) / len(times)

    def capacity(self, category: str) -> float:
        """Counters open for a category, each counted by its share of weight for it."""
        return sum(share for n, share in self._shares().get(category, ()) if not self.counters[n].paused)

    def _shares(self) -> dict[str, list[tuple[int, float]]]:
        shares = self.__dict__.get("_shares_cache")
        if shares is None:
            shares = {}
            for cdef in self.profile.counters:
                weights = {k: self.policy.counter_weight(cdef.number, k) for k in cdef.categories}
                total = sum(weights.values())
                for k, w in weights.items():
                    share = w / total if total > 0 else 1.0 / len(weights)
                    shares.setdefault(k, []).append((cdef.number, share))
            self.__dict__["_shares_cache"] = shares
        return shares

    def ahead_of(self, t: Ticket) -> int:
        """Waiting tickets called before this one if nobody else came: under service level
        those due before it; under weighted calling, for a normal ticket every priority ticket
        plus the older normal ones, for a priority ticket the older priority ones."""
        return self.ahead_key(t.category, self.lane_of(t), self.since(t), t.order)

    def ahead_key(self, category: str, lane: Priority, since: datetime, order: int) -> int:
        """Waiting tickets of a category called before a ticket of ``lane`` that started
        waiting at ``since`` with ``order``, by the configured calling policy."""
        if self.policy.calling != "service_level":
            n = 0
            for p, q in self._waiting.get(category, {}).items():
                if (p is Priority.NORMAL) == (lane is Priority.NORMAL):
                    n += bisect.bisect_left(q, (order, ""))
                elif lane is Priority.NORMAL:
                    n += len(q)
            return n
        due = since + timedelta(minutes=self.policy.due_in_min(lane, category))
        return bisect.bisect_left(self._due.get(category, []), (due.timestamp(), order, ""))

    def _component(self, category: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The categories linked to this one through shared windows, and those windows: under
        service level they drain as one pool (a shared window calls whichever is due first)."""
        cache: dict[str, tuple[tuple[str, ...], tuple[int, ...]]]
        cache = self.__dict__.setdefault("_comp_cache", {})
        if category not in cache:
            cats, todo = {category}, [category]
            while todo:
                k = todo.pop()
                for cdef in self.profile.counters:
                    if k in cdef.categories:
                        for other in cdef.categories:
                            if other not in cats:
                                cats.add(other)
                                todo.append(other)
            windows = tuple(c.number for c in self.profile.counters if cats & set(c.categories))
            cache[category] = (tuple(sorted(cats)), windows)
        return cache[category]

    def _arrivals_per_min(self, category: str, lane: Priority, now: datetime) -> float:
        """Issues per minute of one lane of a category over the last hour (at least 15 min)."""
        times = self._arrivals.get(category, {}).get(lane, [])
        since = now - timedelta(minutes=60)
        i = bisect.bisect_left(times, since)
        n = len(times) - i
        if n == 0:
            return 0.0
        opened = min(self._day_first or now, now)
        span = max(15.0, min(60.0, (now - opened).total_seconds() / 60.0))
        return n / span

    def wait_minutes(
        self, category: str, lane: Priority, since: datetime, order: int, now: datetime
    ) -> int | None:
        """Estimated wait of a ticket of ``lane`` that started waiting at ``since``: the work due
        before it (mean service of each ticket's category) plus the work that will arrive
        meanwhile yet be due before it, shared by the open windows, plus one service for the
        window that frees up for it; nothing while a window is free for it."""
        if self.policy.calling != "service_level":
            ahead = self.ahead_key(category, lane, since, order)
            return self._weighted_wait(category, lane, ahead, now)
        return self._played_wait(category, lane, since, order, now, None)

    PLAY_AGE_MIN = (1.0, 10.0)
    """How long one play of the hall answers, in hall minutes: a minute, or a hundredth of
    the time it took to play the hall empty when that is longer (at most ten). The tickets
    that join meanwhile are counted in, the calls made meanwhile were played; a wait told
    is as exact as a minute in a hundred. A hall hours behind plays thousands of calls each
    time: once a minute that grew faster than the day (bench_queue_day.py, 20,000 tickets)."""

    def _play_for(self, category: str, now: datetime) -> Play:
        """The group's play, made again once its time is up (``PLAY_AGE_MIN``), a window
        paused or resumed or the day changed (pause, resume and a reload drop it)."""
        cats, windows = self._component(category)
        t0 = now.timestamp() / 60.0
        cached = self._plays.get(cats)
        if cached is not None and cached.t0 <= t0 < cached.t0 + cached.age:
            return cached
        open_ = [n for n in windows if not self.counters[n].paused]
        farthest = {k: max(self.policy.due_in_min(p, k) for p in LANES) for k in cats}
        group = Group(
            t0=t0,
            windows={n: self._window_cats[n] for n in open_},
            free_at=self._free_at(open_, t0),
            service={k: self.avg_service_min(k) for k in cats},
            queues={k: self._due.get(k, []) for k in cats},
            streams={k: self._streams(k, now, t0) for k in cats},
            until={k: ((t0 + farthest[k] + self.PLAY_AGE_MIN[1]) * 60.0, LATER) for k in cats},
        )
        play = Play(group)
        shortest, longest = self.PLAY_AGE_MIN
        play.age = min(longest, max(shortest, play.span / 100.0))
        self._plays[cats] = play
        return play

    def _free_at(self, open_: list[int], t0: float) -> dict[int, float]:
        """When each open window is next free in a forward play (minutes since the epoch): now,
        or after a mean service from its call (at least a third of one from now)."""
        free_at: dict[int, float] = {}
        for n in open_:
            cur = self.current(n)
            if cur is None or cur.called_at is None:
                free_at[n] = t0
            else:
                s_k = self.avg_service_min(cur.category)
                free_at[n] = max(cur.called_at.timestamp() / 60.0 + s_k, t0 + 0.3 * s_k)
        return free_at

    def _streams(self, category: str, now: datetime, t0: float) -> tuple[Stream, ...]:
        """The lanes of a category that had arrivals in the last hour, going on at that rate."""
        out = []
        for p in LANES:
            rate = self._arrivals_per_min(category, p, now)
            if rate > 0:
                out.append(Stream(t0 + 1.0 / rate, 1.0 / rate, float(self.policy.due_in_min(p, category))))
        return tuple(out)

    def _played_wait(
        self, category: str, lane: Priority, since: datetime, order: int, now: datetime, ticket_id: str | None
    ) -> int | None:
        """The wait from the group's play: ``ticket_id`` names a ticket that was waiting when
        it was made (else the ticket is placed by its key among those that came since)."""
        play = self._play_for(category, now)
        if category not in play.served:
            return None
        due = (since + timedelta(minutes=self.policy.due_in_min(lane, category))).timestamp()
        key = (due, float(order))
        queued = ticket_id is not None and ticket_id not in play.joined_ids
        came = bisect.bisect_left(play.joined.get(category, []), key)
        at = play.call_at(category, key, queued=queued, joined=came)
        if at is None:  # beyond what was played: the exact way
            return self._forward_wait(category, lane, since, order, now)
        return math.ceil(max(0.0, at - now.timestamp() / 60.0))

    def _forward_wait(
        self, category: str, lane: Priority, since: datetime, order: int, now: datetime
    ) -> int | None:
        """Play the calls forward for one ticket: each open window of the linked categories
        frees up after a mean service of its category and calls the ticket due soonest among
        its categories — the waiting ones due before this one, and those that will arrive (at
        the last hour's rate) yet be due before it — until a window of this category has
        nobody before it. The exact way, a play per ticket; ``_played_wait`` answers from one
        play of the whole group and comes here only past the end of it."""
        cats, windows = self._component(category)
        wcats = self._window_cats
        open_ = [n for n in windows if not self.counters[n].paused]
        mine_windows = {n for n in open_ if category in wcats[n]}
        if not mine_windows:
            return None
        mine = self.policy.due_in_min(lane, category)
        t0 = now.timestamp() / 60.0
        due = since.timestamp() / 60.0 + mine
        cut = (due * 60.0, order, "")
        svc = {k: self.avg_service_min(k) for k in cats}
        queue: dict[str, list[tuple[float, int, str]]] = {}
        limit: dict[str, int] = {}
        pos = dict.fromkeys(cats, 0)
        # arrivals to come that will be due before this ticket: (next arrival, step, due_in)
        streams: dict[str, list[list[float]]] = {}
        for k in cats:
            q = self._due.get(k, [])
            queue[k] = q
            limit[k] = bisect.bisect_left(q, cut)
            streams[k] = [[s.first, s.step, s.due_in] for s in self._streams(k, now, t0) if s.due_in < mine]
        free = [(at, n) for n, at in self._free_at(open_, t0).items()]
        heapq.heapify(free)
        heappop, heappush = heapq.heappop, heapq.heappush
        for _ in range(20000):
            at, n = heappop(free)
            ks = wcats[n]
            best, best_order = -1.0, LATER
            best_k = ""
            best_i = -2
            for k in ks:
                i = pos[k]
                if i < limit[k]:
                    head = queue[k][i][0] / 60.0
                    # due soonest, then oldest order: the engine's own calling order
                    if best_i == -2 or head < best or (head == best and queue[k][i][1] < best_order):
                        best, best_order, best_k, best_i = head, queue[k][i][1], k, -1
                for j, stream in enumerate(streams[k]):
                    arr = stream[0]
                    if arr <= at:
                        d_at = arr + stream[2]
                        if d_at < due and (best_i == -2 or d_at < best):
                            best, best_order, best_k, best_i = d_at, LATER, k, j
            if best_i == -2:
                if n in mine_windows:
                    return math.ceil(max(0.0, at - t0))
                later = [st[0] for k in ks for st in streams[k] if st[0] > at]
                if later:
                    heappush(free, (min(later), n))
                continue
            if best_i < 0:
                pos[best_k] += 1
            else:
                stream = streams[best_k][best_i]
                stream[0] += stream[1]
            heappush(free, (at + svc[best_k], n))
        return math.ceil(max(0.0, free[0][0] - t0)) if free else None

    def _weighted_wait(self, category: str, lane: Priority, ahead: int, now: datetime) -> int | None:
        """Under weighted calling: the category's share of its windows, the older tickets of the
        lane group, and the priority tickets that will arrive meanwhile (for a normal one)."""
        cap = self.capacity(category)
        if cap <= 0:
            return None
        open_ = [n for n, _ in self._shares().get(category, ()) if not self.counters[n].paused]
        if ahead < sum(1 for n in open_ if n not in self._current):
            return 0
        svc = self.avg_service_min(category)
        rate = 0.0
        if lane is Priority.NORMAL:
            rate = sum(self._arrivals_per_min(category, p, now) for p in LANES if p is not Priority.NORMAL)
        wait = (ahead + 1) * svc / cap
        for _ in range(8):
            wait = (ahead + 1 + rate * wait) * svc / cap if rate * svc / cap < 1 else wait
        return math.ceil(wait)

    def estimate_ticket(self, t: Ticket, now: datetime) -> Estimate:
        """The wait a waiting ticket is told (printed on it, shown before confirming)."""
        lane = self.lane_of(t)
        since = self.since(t)
        ahead = self.ahead_key(t.category, lane, since, t.order)
        if self.policy.calling != "service_level":
            return Estimate(ahead, self.wait_minutes(t.category, lane, since, t.order, now))
        waiting = t.state is TicketState.WAITING
        minutes = self._played_wait(t.category, lane, since, t.order, now, t.ticket_id if waiting else None)
        return Estimate(ahead, minutes)

    def quote(self, category: str, priority: Priority, now: datetime) -> Estimate:
        """The wait a ticket taken now would be told, before it is taken."""
        cat = self.profile.category(category)
        lane = priority if cat is not None and cat.priority_allowed else Priority.NORMAL
        ahead = self.ahead_key(category, lane, now, self.next_order)
        return Estimate(ahead, self.wait_minutes(category, lane, now, self.next_order, now))

    def closing_at(self, now: datetime) -> datetime | None:
        """When the current opening span ends (None: no hours known or not enforced)."""
        if not self.policy.enforce_hours or not self.profile.opening_hours:
            return None
        local = now.astimezone(self.tz)
        for h in sorted(self.profile.hours_on(local.isoweekday()), key=lambda h: h.open):
            opens = local.replace(hour=h.open.hour, minute=h.open.minute, second=0, microsecond=0)
            closes = local.replace(hour=h.close.hour, minute=h.close.minute, second=0, microsecond=0)
            if opens <= local < closes:
                return closes
        return None

    def check_day_full(self, now: datetime, category: str, priority: Priority) -> Estimate | None:
        """Refuse a number the open windows cannot serve before closing: its estimated wait
        plus one mean service runs past the close (halls that serve everyone turn it off).
        Returns the quote it played (None when it played none): the caller tells it rather
        than play the same state again."""
        if not self.policy.day_full_for(category):
            return None
        closes = self.closing_at(now)
        if closes is None:
            return None
        est = self.quote(category, priority, now)
        if est.minutes is None:
            return est  # every window paused: they may resume; no verdict on the day
        left = (closes - now).total_seconds() / 60.0
        if est.minutes + self.avg_service_min(category) > left:
            cat = self.profile.category(category)
            name, name_en = (cat.name, cat.name_en or cat.name) if cat else (category, category)
            raise QueueRefused("day_full", category=name, category_en=name_en)
        return est

    def estimate(self, category: str, ahead: int | None = None) -> Estimate:
        if ahead is None:
            ahead = self.waiting_count(category)
        cap = self.capacity(category)
        if cap <= 0:
            return Estimate(ahead, None)
        return Estimate(ahead, math.ceil(ahead * self.avg_service_min(category) / cap))

    # -- hall bus: number leases and the tickets issued from them ----------------------------
    def reserve(self, now: datetime, category: str, count: int) -> tuple[tuple[str, int, int], Mutation]:
        """Set ``count`` numbers of today's sequence aside for a ticket machine (its lease):
        this engine's own numbering continues after them. Returns ((day, first, last), mutation)."""
        mut = Mutation()
        day = self._roll(now, mut)
        cat = self.profile.category(category)
        if cat is None:
            raise QueueRefused("unknown_category", category=category)
        first = self.sequences.get((day, category), 0) + 1
        last = min(first + max(count, 1) - 1, 999)
        if first > 999:
            raise QueueRefused("daily_limit_reached", category=cat.name)
        self.sequences[(day, category)] = last
        mut.sequences[(day, category)] = last
        return (day, first, last), mut

    def merge_issued(self, t: Ticket, now: datetime) -> Mutation:
        """A ticket a machine issued from its lease while cut off: into its queue at its issue
        time (ahead of the tickets of its category issued after it), with its ``ticket.issued``
        event. A ticket of an earlier day is recorded as expired, never queued. Idempotent."""
        mut = Mutation()
        day = self._roll(now, mut)
        if t.ticket_id in self.tickets:
            return mut
        if t.day < day:
            t.state = TicketState.EXPIRED
            t.note = "day_ended"
            mut.touch(t)
            self._issued_event(t, mut)
            return mut
        later = [
            x.order
            for x in self.tickets.values()
            if x.day == t.day and x.category == t.category and x.issued_at > t.issued_at
        ]
        if later:
            # make room: the later tickets of its category move one place back (same relative order)
            self._plays.clear()  # the play had them at their old places
            t.order = min(later)
            for x in self.tickets.values():
                if x.day == t.day and x.category == t.category and x.order >= t.order:
                    if x.state is TicketState.WAITING and x.ticket_id not in self._held:
                        self._dequeue(x)
                        x.order += 1
                        self._enqueue(x)
                    else:
                        x.order += 1
                    mut.touch(x)
            top = max(x.order for x in self.tickets.values()) + 1 if self.tickets else t.order + 1
            if top > self.next_order:
                self.next_order = top
                mut.next_order = top
        else:
            t.order = self.next_order
            self.next_order += 1
            mut.next_order = self.next_order
        self.tickets[t.ticket_id] = t
        self._count_issue(t, +1)
        self._admit(t, mut)
        return mut

    def _issued_event(self, t: Ticket, mut: Mutation) -> None:
        data: dict[str, Any] = {
            "ticket_id": t.ticket_id,
            "number": t.number,
            "category": t.origin_category,
            "item_code": t.item_code,
            "priority": t.priority.value,
            "appointment_id": t.appointment_id,
            "holder_id_hash": t.holder_id_hash,
            "issued_at": iso(t.issued_at),
        }
        if t.channel == "online":
            data["channel"] = "online"
            data["request_id"] = t.request_id
        mut.events.append(OutEvent("ticket.issued", data, t.issued_at))

    # -- snapshots (restart checks, status) --------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Everything that decides the future of the queue, as plain comparable data."""
        return {
            "tickets": {tid: vars(t).copy() for tid, t in sorted(self.tickets.items())},
            "counters": {n: vars(c.copy()) for n, c in sorted(self.counters.items())},
            "lanes": {
                k: {p: v for p, v in sorted(c.items()) if v} for k, c in sorted(self.lane_credits.items())
            },
            "sequences": dict(sorted(self.sequences.items())),
            "next_order": self.next_order,
            "evaluated": sorted(self.evaluated),
        }
