"""The hall's one authority on the bus: commands in, answers, state and call events out.

Every command runs through the local ``QueueService`` (so the host's ledger, outbox and rules are
exactly a standalone box's) on one worker thread, in arrival order. A state-changing command's
answer is stored in the transaction of the change it made (``QueueService.recording``): a repeat
of the same command id (QoS 1 redelivery, a member's retry after a timeout, a restart in between)
gets the stored answer and changes nothing. Anything the contract refuses is answered with its
error code when it can be (it has an id and the sender's own response topic), logged once per
kind, and never reaches the queue.

State is a versioned snapshot: ``seq`` grows with every publish and is reserved in blocks in the
store, so it never goes back after a restart; it is retained, republished on every (re)connect
and every ``refresh_s`` (a display that hears nothing for a while knows the host is gone).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.hall import contract as c
from kiosk.hall.codec import ticket_to_dict
from kiosk.hall.mqtt import Connection, props
from kiosk.queue.engine import Mutation, QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import CounterChanged, HallDisplayChanged, QueueChanged, TicketCalled
from kiosk.queue.model import Priority, Ticket, TicketState, iso
from kiosk.queue.service import QueueService
from offline_cache import hallbus
from offline_cache.errors import StoreUnavailable

log = logging.getLogger(__name__)

RECENT_CALLS = 8
STATE_EVERY_S = 0.2
_STOP = object()


class OnceLog:
    """Each kind of refusal is logged once at WARNING, then only counted (a flood of bad
    payloads must not flood the log); ``counts`` is what the status shows."""

    def __init__(self, logger: logging.Logger) -> None:
        self.log = logger
        self.counts: Counter[str] = Counter()

    def __call__(self, kind: str, message: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] == 1:
            self.log.warning("hall bus: %s: %s (further ones are counted, not logged)", kind, message)


class HallHost:
    def __init__(
        self,
        service: QueueService,
        conn: Connection | None,
        *,
        hall_id: str,
        terminal_id: str,
        refresh_s: float = 10.0,
        wall: Callable[[], datetime] | None = None,
    ) -> None:
        self.service = service
        self.store = service.store
        self.conn = conn
        self.hall = hall_id
        self.terminal_id = terminal_id
        self.refresh_s = refresh_s
        self.wall = wall or (lambda: datetime.now(UTC))
        """Real time, for command ages (the queue's clock may be virtual in tests)."""
        self.refused = OnceLog(log)
        self.handled = 0
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._seq_lock = threading.Lock()
        self._seq = 0
        self._seq_top = 0
        self._recent: deque[dict[str, Any]] = deque(maxlen=RECENT_CALLS)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._since = iso(self.wall()) or ""

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self._recent_from_ledger()
        if self.conn is not None:
            self.conn.subscribe(c.req_topic(self.hall), self._on_request)
            self.conn.on_up(self._on_up)
        for name, target in (("hall-host", self._work), ("hall-host-refresh", self._refresh)):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)
        if self.conn is not None:
            self.conn.start()

    def stop(self) -> None:
        self._stop.set()
        self._jobs.put(_STOP)
        for t in self._threads:
            t.join(10)
        if self.conn is not None:
            self.conn.publish(
                c.presence_topic(self.hall, self.terminal_id), self._presence(False), retain=True
            )
            self.conn.stop()

    def presence_will(self) -> tuple[str, bytes]:
        return c.presence_topic(self.hall, self.terminal_id), self._presence(False)

    def _presence(self, online: bool) -> bytes:
        return c.encode({"v": c.VERSION, "online": online, "role": "host", "since": iso(self.wall())})

    def _on_up(self) -> None:
        assert self.conn is not None
        self.conn.publish(c.presence_topic(self.hall, self.terminal_id), self._presence(True), retain=True)
        self._jobs.put(("state", None))

    # -- queue events (the service's publish hook) ------------------------------------------------
    def on_queue_event(self, event: Any) -> None:
        """Called by the service after each committed change: a call goes out as a call event
        at once (LED screens, voice and displays on every member follow it)."""
        if isinstance(event, QueueChanged | CounterChanged | HallDisplayChanged):
            # a change made on this box itself (a host that is also a ticket machine) too
            self._jobs.put(("dirty", None))
        if isinstance(event, TicketCalled):
            e = event.call
            call = {
                "v": c.VERSION,
                "seq": self.next_seq(),
                "number": e.number,
                "counter": e.counter,
                "counter_name": e.counter_name,
                "category": e.category,
                "at": iso(e.at),
                "recall": e.recall,
                "channel": e.channel,
            }
            self._recent.appendleft(call)
            if self.conn is not None:
                self.conn.publish(c.calls_topic(self.hall), c.encode(call))

    def _recent_from_ledger(self) -> None:
        """After a restart the hall TV must still show the last calls: rebuilt from the ledger."""
        svc = self.service
        day = svc.engine.local_day(svc.now())
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT number, COALESCE(counter, first_counter), category, called_at FROM q_tickets"
                " WHERE day = ? AND called_at IS NOT NULL ORDER BY called_at DESC LIMIT ?",
                (day, RECENT_CALLS),
            ).fetchall()
        for number, counter, category, called_at in reversed(rows):
            if not counter:
                continue
            cdef = svc.profile.counter(int(counter))
            self._recent.appendleft(
                {
                    "v": c.VERSION,
                    "seq": self.next_seq(),
                    "number": number,
                    "counter": int(counter),
                    "counter_name": cdef.name if cdef else f"{counter}号窗口",
                    "category": category,
                    "at": called_at,
                    "recall": False,
                }
            )

    # -- seq -------------------------------------------------------------------------------------
    def next_seq(self) -> int:
        with self._seq_lock:
            if self._seq >= self._seq_top:
                floor = int(self.wall().timestamp() * 1000)
                first, last = self.store.write(lambda conn: hallbus.reserve_seq(conn, floor))
                self._seq, self._seq_top = first - 1, last
            self._seq += 1
            return self._seq

    # -- state -----------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        svc = self.service
        now = svc.now()
        with svc._lock:
            cats = svc.categories()
            counters: dict[str, Any] = {}
            for cdef in svc.profile.counters:
                cs = svc.engine.counters.get(cdef.number)
                cur = svc.engine.current(cdef.number)
                counters[str(cdef.number)] = {
                    "name": cdef.name,
                    "state": "paused" if cs and cs.paused else ("serving" if cur else "free"),
                    "current": cur.number if cur else None,
                    "holder": cur.holder_masked if cur else None,
                }
            try:
                svc.engine.check_open(now)
                is_open = True
            except QueueRefused:
                is_open = False
            day = svc.engine.local_day(now)
        return {
            "v": c.VERSION,
            "seq": self.next_seq(),
            "at": iso(now),
            "hall": self.hall,
            "name": svc.profile.name,
            "name_en": svc.profile.name_en,
            "day": day,
            "timezone": svc.profile.timezone,
            "open": is_open,
            "notice": svc.notice,
            "categories": {
                k.code: {"name": k.name, "waiting": k.waiting, "est_wait_min": k.est_wait_min} for k in cats
            },
            "counters": counters,
            "recent_calls": list(self._recent),
        }

    def publish_state(self) -> None:
        if self.conn is None or not self.conn.connected:
            return
        try:
            st = self.state()
        except StoreUnavailable:
            log.warning("state not published: the store is unavailable")
            return
        self.conn.publish(c.state_topic(self.hall), c.encode(st), retain=True)

    def _refresh(self) -> None:
        while not self._stop.wait(self.refresh_s):
            self._jobs.put(("state", None))
            self._jobs.put(("day_end", None))

    # -- requests --------------------------------------------------------------------------------
    def _on_request(self, topic: str, payload: bytes, properties: Any) -> None:
        self._jobs.put(("req", (payload, properties)))

    def _work(self) -> None:
        """One command at a time, in arrival order. After a change the state goes out at once,
        but not more often than every ``STATE_EVERY_S``: a hall of 100 windows must not send
        every display and counter a snapshot per command (each call goes out at once anyway)."""
        dirty = False
        last = 0.0
        while True:
            wait = max(0.0, last + STATE_EVERY_S - time.monotonic()) if dirty else None
            try:
                job = self._jobs.get(timeout=wait) if wait != 0.0 else self._jobs.get_nowait()
            except queue.Empty:
                job = ("state", None)
            if job is _STOP:
                return
            kind, arg = job
            try:
                if kind == "req":
                    payload, properties = arg
                    reply_to = getattr(properties, "ResponseTopic", None)
                    corr = getattr(properties, "CorrelationData", None)
                    out = self.handle(payload, reply_to)
                    if out is not None and self.conn is not None:
                        topic, resp, changed = out
                        self.conn.publish(
                            topic, resp.to_json(), properties=props(CorrelationData=corr or b"")
                        )
                        dirty = dirty or changed
                    if dirty and time.monotonic() - last >= STATE_EVERY_S:
                        kind = "state"
                elif kind == "dirty":
                    dirty = True
                    if time.monotonic() - last >= STATE_EVERY_S:
                        kind = "state"
                if kind == "state":
                    self.publish_state()
                    dirty, last = False, time.monotonic()
                elif kind == "day_end":
                    self.close_past_leases()
            except Exception:
                log.exception("hall host job %s failed", kind)

    def handle(self, payload: bytes, reply_to: str | None) -> tuple[str, c.Response, bool] | None:
        """One request: (response topic, answer, whether the queue changed), or None when no
        answer can be sent (no id, or a response topic that is not the sender's own)."""
        try:
            req = c.parse_request(payload)
        except c.ContractError as exc:
            self.refused(exc.code, exc.message)
            bad: c.Request | None = getattr(exc, "request", None)
            if bad is None:
                return None
            topic = c.res_topic(self.hall, bad.terminal)
            if reply_to != topic:
                self.refused("not_allowed", f"response topic of {bad.terminal} is not its own")
                return None
            return topic, c.error(bad.id, exc.code, exc.message), False
        topic = c.res_topic(self.hall, req.terminal)
        if reply_to != topic:
            self.refused("not_allowed", f"response topic of {req.terminal} is not its own")
            return None
        self.handled += 1
        if req.op in c.READ_OPS:
            return topic, self._read(req), False
        try:
            stored = self._stored(req)
            if stored is not None:
                return topic, stored, False
            if req.op not in c.AGELESS_OPS and self._too_old(req):
                self.refused("expired", f"{req.op} from {req.terminal} sent at {req.sent_at}")
                return topic, c.error(req.id, "expired", "command too old; not run"), False
            resp = self._run(req)
            return topic, resp, resp.ok
        except StoreUnavailable:
            return topic, c.error(req.id, "host_unavailable", "the host's store is unavailable"), False
        except Exception as exc:
            log.exception("command %s failed", req.op)
            return topic, c.error(req.id, "internal", type(exc).__name__), False

    def _too_old(self, req: c.Request) -> bool:
        try:
            sent = datetime.fromisoformat(req.sent_at.replace("Z", "+00:00"))
        except ValueError:
            return True
        return self.wall() - sent > timedelta(seconds=c.COMMAND_MAX_AGE_S)

    def _stored(self, req: c.Request) -> c.Response | None:
        with self.store.read() as conn:
            row = hallbus.command(conn, req.id)
        if row is None:
            return None
        terminal, response = row
        if terminal != req.terminal:
            self.refused("not_allowed", "a command id used by another terminal")
            return c.error(req.id, "not_allowed", "command id already used by another terminal")
        self.refused("duplicate", f"repeat of {req.op} {req.id} answered from the ledger")
        return c.parse_response(response)

    def _record(self, req: c.Request, resp: c.Response) -> Callable[[Any], None]:
        def write(conn: Any) -> None:
            hallbus.record_command(
                conn, req.id, req.terminal, req.op, iso(self.wall()) or "", resp.to_json().decode()
            )

        return write

    # -- the ops ---------------------------------------------------------------------------------
    def _run(self, req: c.Request) -> c.Response:
        svc = self.service
        a = req.args
        box: dict[str, c.Response] = {}

        def answer(result_of: Callable[[Any], dict[str, Any]]) -> Callable[[Any, Any], None]:
            def write(conn: Any, result: Any) -> None:
                resp = c.Response(req.id, True, result_of(result))
                self._record(req, resp)(conn)
                box["resp"] = resp

            return write

        write = answer(self._result_for(req.op))
        if req.op == "lease":
            inner = write

            def write(conn: Any, lease: Any) -> None:
                hallbus.grant_lease(conn, lease, iso(self.wall()) or "")
                inner(conn, lease)

        try:
            with svc.recording(write):
                self._dispatch(req.op, a, req.terminal)
        except QueueRefused as exc:
            resp = c.Response(req.id, False, code=exc.code, message=exc.code, params=_plain(exc.params))
            self.store.write(self._record(req, resp))
            return resp
        if "resp" not in box:  # nothing ran through the engine (cannot happen for these ops)
            resp = c.Response(req.id, True, {})
            self.store.write(self._record(req, resp))
            return resp
        return box["resp"]

    def _result_for(self, op: str) -> Callable[[Any], dict[str, Any]]:
        svc = self.service

        def ticket(t: Any) -> dict[str, Any]:
            if t is None:
                return {"ticket": None}
            out: dict[str, Any] = {"ticket": ticket_to_dict(t)}
            if t.state in (TicketState.PRINTING, TicketState.WAITING):
                est = svc.engine.estimate(t.category, svc.engine.ahead_of(t))
                out.update(ahead=est.ahead, est_wait_min=est.minutes)
            return out

        if op == "evaluate":
            return lambda ev: {"evaluation_id": ev.evaluation_id}
        if op in ("pause", "resume"):
            return lambda _: {}
        if op == "lease":
            return lambda lease: {
                "lease_id": lease.lease_id,
                "day": lease.day,
                "category": lease.category,
                "first": lease.first,
                "last": lease.last,
            }
        if op == "submit_offline_tickets":
            return lambda ids: {"accepted": ids}
        return ticket

    def _dispatch(self, op: str, a: dict[str, Any], terminal: str) -> None:
        svc = self.service
        if op == "issue":
            kw = {
                "item_code": a["item_code"],
                "priority": Priority(a["priority"] or "normal"),
                "holder_id_hash": a["holder_id_hash"],
                "holder_masked": a["holder_masked"],
                "appointment_id": a["appointment_id"],
                "checked_in_at": None
                if a["checked_in_at"] is None
                else datetime.fromisoformat(a["checked_in_at"]),
                "late_minutes": a["late_minutes"],
            }
            if a["printing"]:
                svc.begin_issue(a["category"], **kw)
            else:
                svc.issue_unprinted(a["category"], **kw)
        elif op == "confirm_printed":
            svc.confirm_printed(a["ticket_id"])
        elif op == "arrive":
            svc.arrive(a["ticket_id"], a["by"])
        elif op == "void":
            svc.void(a["ticket_id"], a["reason"])
        elif op == "call_next":
            svc.call_next(a["counter"])
        elif op == "recall":
            svc.recall(a["counter"])
        elif op == "skip":
            svc.skip(a["counter"])
        elif op == "transfer":
            svc.transfer(a["counter"], a["to_category"])
        elif op == "finish":
            svc.finish(a["counter"], a["case_number"])
        elif op == "pause":
            svc.pause(a["counter"])
        elif op == "resume":
            svc.resume(a["counter"])
        elif op == "evaluate":
            svc.evaluate(
                a["level"],
                tags=tuple(a["tags"]),
                ticket_id=a["ticket_id"],
                counter=a["counter"],
                channel=a["channel"],
                case_number=a["case_number"],
                comment=a["comment"],
            )
        elif op == "lease":
            self._lease(a["category"], a["count"], terminal)
        elif op == "submit_offline_tickets":
            self._merge(a["tickets"], terminal)
        else:  # parse_request let through an op this host does not serve
            raise QueueRefused("unknown_op")

    def _lease(self, category: str, count: int, terminal: str) -> None:
        def op(e: QueueEngine, now: datetime) -> tuple[hallbus.Lease, Mutation]:
            (day, first, last), mut = e.reserve(now, category, count)
            return hallbus.Lease(f"L-{uuid.uuid4()}", terminal, day, category, first, last), mut

        self.service.run(op)

    def _merge(self, tickets: list[dict[str, Any]], terminal: str) -> None:
        """Tickets issued from leases while the host was unreachable, in issue-time order; each
        must lie in a lease this terminal holds, and one already merged is skipped."""
        svc = self.service
        todo = sorted(tickets, key=lambda t: (t["issued_at"], t["seq"]))
        ids = [t["ticket_id"] for t in todo]
        with self.store.read() as conn:
            known = (
                {
                    r[0]
                    for r in conn.execute(
                        f"SELECT ticket_id FROM q_tickets WHERE ticket_id IN ({','.join('?' * len(ids))})",  # noqa: S608
                        ids,
                    )
                }
                if ids
                else set()
            )
            leases = {t["lease_id"]: hallbus.lease(conn, t["lease_id"]) for t in todo}
        merged: list[Ticket] = []
        for t in todo:
            lease = leases.get(t["lease_id"])
            if lease is None or lease.terminal != terminal or lease.category != t["category"]:
                raise QueueRefused("lease_unknown", ticket=t["ticket_id"])
            if not lease.first <= t["seq"] <= lease.last:
                raise QueueRefused("lease_out_of_range", ticket=t["ticket_id"])
            if t["ticket_id"] in known:
                continue
            cat = svc.profile.category(t["category"])
            if cat is None:
                raise QueueRefused("unknown_category", category=t["category"])
            issued = datetime.fromisoformat(t["issued_at"])
            merged.append(
                Ticket(
                    ticket_id=t["ticket_id"],
                    number=f"{cat.prefix}{t['seq']:03d}",
                    day=lease.day,
                    seq=t["seq"],
                    category=t["category"],
                    origin_category=t["category"],
                    item_code=t["item_code"],
                    priority=_priority(t["priority"]),
                    issued_at=issued,
                    order=0,
                    state=TicketState.PRINTING,
                    holder_id_hash=t["holder_id_hash"],
                    holder_masked=t["holder_masked"],
                    note=f"offline:{terminal}",
                )
            )

        def op(e: QueueEngine, now: datetime) -> tuple[list[str], Mutation]:
            total = Mutation()
            for t in merged:
                m = e.merge_issued(t, now)
                total.tickets.update(m.tickets)
                total.sequences.update(m.sequences)
                total.events.extend(m.events)
                if m.next_order is not None:
                    total.next_order = m.next_order
            return ids, total

        svc.run(op)
        svc._announce_state()

    # -- reads -----------------------------------------------------------------------------------
    def _read(self, req: c.Request) -> c.Response:
        svc = self.service
        a = req.args
        if req.op == "profile":
            with self.store.read() as conn:
                from offline_cache import hall as hall_rows

                data = hall_rows.load(conn, svc.profile.hall_id)
            if data is None:
                from kiosk.queue.hall import DEMO_HALL

                data = dict(DEMO_HALL) if svc.profile.hall_id == DEMO_HALL["hall_id"] else None
            if data is None:
                return c.error(req.id, "host_unavailable", "hall profile not available")
            return c.Response(req.id, True, {"profile": data, "policy": self._policy()})
        if req.op == "invite":
            t = svc.invite_evaluation(a["counter"])
            return c.Response(req.id, True, {"ticket": None if t is None else ticket_to_dict(t)})
        what = a["what"]
        if what == "ticket" and a["ticket_id"]:
            t = svc.ticket(a["ticket_id"])
        elif what == "appointment" and a["appointment_id"]:
            t = svc.ticket_for_appointment(a["appointment_id"])
        elif what == "printing":
            mine = self._issued_by(req.terminal)
            rows = [ticket_to_dict(t) for t in svc.printing() if t.ticket_id in mine][:50]
            return c.Response(req.id, True, {"tickets": rows})
        elif what == "held" and a["holder_id_hash"]:
            rows = [ticket_to_dict(t) for t in svc.online_for_holder(a["holder_id_hash"])][:20]
            return c.Response(req.id, True, {"tickets": rows})
        elif what == "counter" and a["counter"]:
            cur = svc.current(a["counter"])
            view = svc.counter_view(a["counter"], a["limit"] or 30)
            return c.Response(
                req.id,
                True,
                {"ticket": None if cur is None else ticket_to_dict(cur), "view": _plain(asdict(view))},
            )
        elif what == "estimate" and a["category"]:
            est = svc.estimate(a["category"])
            return c.Response(req.id, True, {"ahead": est.ahead, "est_wait_min": est.minutes})
        else:
            return c.error(req.id, "bad_args", f"view {what}: missing its id")
        out: dict[str, Any] = {"ticket": None if t is None else ticket_to_dict(t)}
        if t is not None and t.state in (TicketState.PRINTING, TicketState.WAITING):
            est = svc.estimate_for(t.ticket_id)
            out.update(ahead=est.ahead, est_wait_min=est.minutes)
        return c.Response(req.id, True, out)

    def _issued_by(self, terminal: str) -> set[str]:
        """Ids of the tickets a terminal's ``issue`` commands took today (from the answers)."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT response FROM hall_commands WHERE terminal = ? AND op = 'issue'", (terminal,)
            ).fetchall()
        out = set()
        for (resp,) in rows:
            ticket = json.loads(resp).get("result", {}).get("ticket") or {}
            if ticket.get("ticket_id"):
                out.add(str(ticket["ticket_id"]))
        return out

    def _policy(self) -> dict[str, Any]:
        p = self.service.policy
        return {"elderly_age": p.elderly_age, "real_name_limit": p.real_name_limit}

    # -- day end ---------------------------------------------------------------------------------
    def close_past_leases(self) -> int:
        """Leases of past days: the numbers no ticket came back for are voided (recorded on the
        lease; the engine's sequence never gives them out again)."""
        today = self.service.engine.local_day(self.service.now())
        with self.store.read() as conn:
            leases = hallbus.open_leases_before(conn, today)
        for lease in leases:

            def close(conn: Any, lease: hallbus.Lease = lease) -> None:
                used = {
                    int(r[0])
                    for r in conn.execute(
                        "SELECT seq FROM q_tickets WHERE day = ? AND origin_category = ?"
                        " AND seq BETWEEN ? AND ?",
                        (lease.day, lease.category, lease.first, lease.last),
                    )
                }
                voided = [n for n in range(lease.first, lease.last + 1) if n not in used]
                hallbus.close_lease(conn, lease.lease_id, iso(self.wall()) or "", voided)

            self.store.write(close)
        return len(leases)


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy (datetimes as ISO text)."""

    def default(o: Any) -> Any:
        return o.isoformat() if isinstance(o, datetime) else str(o)

    return dict(json.loads(json.dumps(params, default=default)))


def _priority(value: str | None) -> Priority:
    try:
        return Priority(value or "normal")
    except ValueError:
        return Priority.NORMAL
