"""Rows of the queue in the store (migration m0003): write a mutation, read the queue back.

``apply`` runs inside one ``store.write`` transaction and writes the rows and the outbox
events of one engine operation together; ``load`` rebuilds the engine from those rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.queue.engine import Mutation, QueueEngine
from kiosk.queue.model import CounterState, Evaluation, Priority, Ticket, TicketState, iso
from offline_cache import outbox, retention

_TICKET_COLUMNS = (
    "ticket_id",
    "number",
    "day",
    "seq",
    "category",
    "origin_category",
    "item_code",
    "priority",
    "issued_at",
    "queue_order",
    "state",
    "appointment_id",
    "holder_id_hash",
    "checked_in_at",
    "late_minutes",
    "counter",
    "first_called_at",
    "first_counter",
    "called_at",
    "recalls",
    "requeues",
    "transfers",
    "passed_over",
    "finished_at",
    "case_number",
    "note",
    "holder_masked",
    "channel",
    "request_id",
    "arrive_by",
    "near_sent",
    "told_wait_min",
)
# Column names are the constants above, never input: the f-strings below only join them.
_UPSERT_TICKET = (
    f"INSERT INTO q_tickets ({', '.join(_TICKET_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join('?' * len(_TICKET_COLUMNS))}) ON CONFLICT (ticket_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _TICKET_COLUMNS[1:])
)
_SELECT_TICKETS = f"SELECT {', '.join(_TICKET_COLUMNS)} FROM q_tickets"  # noqa: S608


def ticket_row(t: Ticket) -> tuple[Any, ...]:
    return (
        t.ticket_id,
        t.number,
        t.day,
        t.seq,
        t.category,
        t.origin_category,
        t.item_code,
        t.priority.value,
        iso(t.issued_at),
        t.order,
        t.state.value,
        t.appointment_id,
        t.holder_id_hash,
        iso(t.checked_in_at),
        t.late_minutes,
        t.counter,
        iso(t.first_called_at),
        t.first_counter,
        iso(t.called_at),
        t.recalls,
        t.requeues,
        t.transfers,
        t.passed_over,
        iso(t.finished_at),
        t.case_number,
        t.note,
        t.holder_masked,
        t.channel,
        t.request_id,
        iso(t.arrive_by),
        int(t.near_sent),
        t.told_wait_min,
    )


def _dt(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def ticket_from_row(r: Any) -> Ticket:
    issued = _dt(r[8])
    assert issued is not None
    return Ticket(
        ticket_id=r[0],
        number=r[1],
        day=r[2],
        seq=int(r[3]),
        category=r[4],
        origin_category=r[5],
        item_code=r[6],
        priority=Priority(r[7]),
        issued_at=issued,
        order=int(r[9]),
        state=TicketState(r[10]),
        appointment_id=r[11],
        holder_id_hash=r[12],
        checked_in_at=_dt(r[13]),
        late_minutes=r[14],
        counter=r[15],
        first_called_at=_dt(r[16]),
        first_counter=r[17],
        called_at=_dt(r[18]),
        recalls=int(r[19]),
        requeues=int(r[20]),
        transfers=int(r[21]),
        passed_over=int(r[22]),
        finished_at=_dt(r[23]),
        case_number=r[24],
        note=r[25],
        holder_masked=r[26],
        channel=r[27],
        request_id=r[28],
        arrive_by=_dt(r[29]),
        near_sent=bool(r[30]),
        told_wait_min=r[31],
    )


CheckIn = tuple[str | None, str, str]
"""(checked_in_at, ticket_id, appointment_id) of an appointment a change used."""


def checkins(mut: Mutation) -> list[CheckIn]:
    """The appointments ``mut`` used, read from its tickets as they are now: call it when the
    change is made (a grouped change is written later, from tickets that have moved on)."""
    return [
        (iso(t.checked_in_at), t.ticket_id, t.appointment_id)
        for t in mut.tickets.values()
        if t.appointment_id is not None and t.state is TicketState.WAITING and t.checked_in_at is not None
    ]


@dataclass
class Group:
    """The rows a group of changes leaves, each written once when the group ends (``write``).

    A change holds the engine's live objects (tickets, counters, lanes), so when its group is
    written every one of them carries the state the last change of the group left: writing a
    ticket's row once per group, not once per change, stores the same row. The rest is kept
    per change and written first, in one statement each: the passed-over counts (increments
    on the rows as they were before the group; the group's own tickets are then overwritten
    with their live counts), the evaluations and the outbox events, in the order they
    happened (checked against the contract as each change is applied)."""

    checkins: list[CheckIn] = field(default_factory=list)
    """Taken by the caller when each change was made (``checkins``)."""
    tickets: dict[str, Ticket] = field(default_factory=dict)
    counters: dict[int, CounterState] = field(default_factory=dict)
    lanes: dict[str, dict[str, int]] = field(default_factory=dict)
    sequences: dict[tuple[str, str], int] = field(default_factory=dict)
    next_order: int | None = None
    events: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    """The group's outbox rows, checked, in the order they happened (inserted in one go)."""
    passed: list[tuple[str, int]] = field(default_factory=list)
    """Every change's passed-over (category, order), applied in one go before the rows."""
    evaluations: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, mut: Mutation) -> None:
        self.tickets.update(mut.tickets)
        self.counters.update(mut.counters)
        self.lanes.update(mut.lanes)
        self.sequences.update(mut.sequences)
        if mut.next_order is not None:
            self.next_order = mut.next_order

    def write(self, conn: Any) -> None:
        if self.passed:
            _pass_over(conn, self.passed)
        if self.evaluations:
            conn.executemany(_INSERT_EVALUATION, self.evaluations)
        outbox.insert(conn, self.events)
        _write_rows(
            conn,
            self.tickets.values(),
            self.sequences,
            self.counters.values(),
            self.lanes,
            self.next_order,
            self.checkins,
        )


def _write_rows(
    conn: Any,
    tickets: Iterable[Ticket],
    sequences: dict[tuple[str, str], int],
    counters: Iterable[CounterState],
    lanes: dict[str, dict[str, int]],
    next_order: int | None,
    used: list[CheckIn],
) -> None:
    rows = [ticket_row(t) for t in tickets]
    if rows:
        conn.executemany(_UPSERT_TICKET, rows)
    if sequences:
        conn.executemany(
            "INSERT INTO q_sequences (day, category, last) VALUES (?, ?, ?) "
            "ON CONFLICT (day, category) DO UPDATE SET last = excluded.last",
            [(day, category, last) for (day, category), last in sequences.items()],
        )
    counter_rows = [
        (c.number, int(c.paused), json.dumps(c.credits, sort_keys=True), c.eval_ticket) for c in counters
    ]
    if counter_rows:
        conn.executemany(
            "INSERT INTO q_counters (number, paused, credits, eval_ticket) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (number) DO UPDATE SET paused = excluded.paused, credits = excluded.credits, "
            "eval_ticket = excluded.eval_ticket",
            counter_rows,
        )
    state: dict[str, str] = {f"lanes:{k}": json.dumps(v, sort_keys=True) for k, v in lanes.items()}
    if next_order is not None:
        state["next_order"] = str(next_order)
    if state:
        conn.executemany(
            "INSERT INTO q_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(state.items()),
        )
    if used:
        # The store's appointment copy shows it as used (the UI and sync read it there).
        conn.executemany(
            "UPDATE appointments SET checked_in_at = ?, ticket_id = ? WHERE id = ? AND ticket_id IS NULL",
            used,
        )


_PASSED = (
    "UPDATE q_tickets SET passed_over = passed_over + 1 "
    "WHERE state = 'waiting' AND category = ? AND queue_order < ?"
    " AND NOT (channel = 'online' AND checked_in_at IS NULL)"
)


def _pass_over(conn: Any, passed: list[tuple[str, int]]) -> None:
    """The passed-over counts of a whole group in one statement: every change's UPDATE would
    have met the same rows (none is rewritten before the group ends), so a waiting ticket
    gains one per call in its category of a ticket after it in order. One row update per
    waiting ticket instead of one per call and ticket before it (10,700 statements of a few
    hundred rows each in the 10,000-ticket day)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS q_passed_group (category TEXT, queue_order INTEGER)")
    conn.execute("CREATE INDEX IF NOT EXISTS temp.q_passed_group_i ON q_passed_group (category, queue_order)")
    conn.execute("DELETE FROM q_passed_group")
    conn.executemany("INSERT INTO q_passed_group (category, queue_order) VALUES (?, ?)", passed)
    conn.execute(
        "UPDATE q_tickets SET passed_over = passed_over + (SELECT COUNT(*) FROM q_passed_group p"
        " WHERE p.category = q_tickets.category AND p.queue_order > q_tickets.queue_order)"
        " WHERE state = 'waiting' AND NOT (channel = 'online' AND checked_in_at IS NULL)"
        " AND category IN (SELECT DISTINCT category FROM q_passed_group)"
        " AND queue_order < (SELECT MAX(queue_order) FROM q_passed_group p"
        " WHERE p.category = q_tickets.category)"
    )
    conn.execute("DELETE FROM q_passed_group")


_INSERT_EVALUATION = (
    "INSERT INTO q_evaluations (evaluation_id, ticket_id, case_number, counter, channel, level, "
    "tags, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def apply(
    conn: Any, mut: Mutation, *, terminal_id: str, hall_id: str, group: Group | None = None
) -> list[str]:
    """Write one mutation; returns the outbox event ids. Runs inside the caller's transaction.

    With ``group`` the rows of tickets, counters, sequences and lanes are left to the group's
    ``write`` at the end of the same transaction (once per row, not once per change)."""
    if group is None:
        for category, order in mut.passed:
            conn.execute(_PASSED, (category, order))
        _write_rows(
            conn,
            mut.tickets.values(),
            mut.sequences,
            mut.counters.values(),
            mut.lanes,
            mut.next_order,
            checkins(mut),
        )
    else:
        group.add(mut)
        group.passed.extend(mut.passed)
    for ev in mut.evaluations:
        values = (
            ev.evaluation_id,
            ev.ticket_id,
            ev.case_number,
            ev.counter,
            ev.channel,
            ev.level,
            json.dumps(list(ev.tags), ensure_ascii=False),
            ev.comment,
            iso(ev.at),
        )
        if group is None:
            conn.execute(_INSERT_EVALUATION, values)
        else:
            group.evaluations.append(values)
    if group is not None:
        ids = []
        for e in mut.events:
            event_id, row = outbox.prepare(e.type, e.data, terminal_id=terminal_id, hall_id=hall_id, at=e.at)
            group.events.append(row)
            ids.append(event_id)
        return ids
    return [
        outbox.enqueue(conn, e.type, e.data, terminal_id=terminal_id, hall_id=hall_id, at=e.at)
        for e in mut.events
    ]


def load(engine: QueueEngine, conn: Any, now: datetime) -> None:
    """Rebuild the engine from the store: today's tickets (hall time) plus any still open from
    earlier days (the engine expires those on its first operation)."""
    day = engine.local_day(now)
    rows = conn.execute(
        _SELECT_TICKETS + " WHERE day >= ? OR state IN ('printing', 'waiting', 'called')", (day,)
    ).fetchall()
    tickets = [ticket_from_row(r) for r in rows]
    counters = [
        CounterState(int(r[0]), bool(r[1]), {str(k): int(v) for k, v in json.loads(r[2]).items()}, r[3])
        for r in conn.execute("SELECT number, paused, credits, eval_ticket FROM q_counters")
    ]
    lanes: dict[str, dict[str, int]] = {}
    next_order = 1
    for key, value in conn.execute("SELECT key, value FROM q_state"):
        if key == "next_order":
            next_order = int(value)
        elif str(key).startswith("lanes:"):
            lanes[str(key)[6:]] = {str(k): int(v) for k, v in json.loads(value).items()}
    sequences = {
        (str(r[0]), str(r[1])): int(r[2])
        for r in conn.execute("SELECT day, category, last FROM q_sequences WHERE day >= ?", (day,))
    }
    evaluated = [e.ticket_id for e in evaluations_for(conn, (t.ticket_id for t in tickets)) if e.ticket_id]
    engine.load(tickets, counters, lanes, sequences, next_order, evaluated)


def tickets_of_day(conn: Any, day: str) -> list[Ticket]:
    rows = conn.execute(_SELECT_TICKETS + " WHERE day = ? ORDER BY queue_order", (day,)).fetchall()
    return [ticket_from_row(r) for r in rows]


def evaluations_between(conn: Any, start: str, end: str) -> list[Evaluation]:
    rows = conn.execute(
        "SELECT evaluation_id, ticket_id, case_number, counter, channel, level, tags, comment, at "
        "FROM q_evaluations WHERE at >= ? AND at < ? ORDER BY at",
        (start, end),
    ).fetchall()
    out = []
    for r in rows:
        at = _dt(r[8])
        assert at is not None
        out.append(Evaluation(r[0], r[1], r[2], r[3], r[4], int(r[5]), tuple(json.loads(r[6])), r[7], at))
    return out


def evaluations_for(conn: Any, ticket_ids: Iterable[str]) -> list[Evaluation]:
    ids = set(ticket_ids)
    rows = conn.execute(
        "SELECT evaluation_id, ticket_id, case_number, counter, channel, level, tags, comment, at "
        "FROM q_evaluations WHERE ticket_id IS NOT NULL"
    ).fetchall()
    out = []
    for r in rows:
        if r[1] not in ids:
            continue
        at = _dt(r[8])
        assert at is not None
        out.append(Evaluation(r[0], r[1], r[2], r[3], r[4], int(r[5]), tuple(json.loads(r[6])), r[7], at))
    return out


def purge_holder_hashes(conn: Any, cutoff: str) -> int:
    """Tickets of days before ``cutoff`` keep their number and times (statistics, disputes about
    waits) but lose the holder's ID hash: it only serves the per-person daily limit and the
    booking match, both of which are over once the day is; the masked name goes with it."""
    cur = conn.execute(
        "UPDATE q_tickets SET holder_id_hash = NULL, holder_masked = NULL"
        " WHERE day < ? AND (holder_id_hash IS NOT NULL OR holder_masked IS NOT NULL)",
        (cutoff,),
    )
    return int(cur.rowcount)


retention.register("queue_ticket_holders", purge_holder_hashes)
