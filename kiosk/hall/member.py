"""A member's queue: the surface of ``QueueService`` the use cases call, answered by the host.

``BusHallQueue`` is ``HallQueue`` for a member: the same use cases (printing, check-in, the
refusal sentences) run here over ``RemoteQueue``, which sends each change as a command to the
host (request/response, MQTT v5 correlation data, resent with the same id after a timeout) and
answers views from the host's last retained state. Nothing above ``HallQueue`` knows.

When the host cannot be reached:
- a ticket machine (``lease_size`` > 0) issues from its lease: numbers the host set aside for it;
  each is kept in this machine's store and submitted (same ids, issue times) once the host is
  back; no number is ever issued twice;
- a counter gets ``host_unreachable`` at once (one sentence); nothing is queued for later;
- a display keeps the last picture with "connection lost since HH:MM".
Calls heard on the bus drive this member's LED screens, voice and pads (deduplicated by ``seq``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from typing import Any, cast

from devices.manager import DeviceManager
from kiosk.hall import contract as c
from kiosk.hall.codec import offline_ticket, ticket_from_dict
from kiosk.hall.mqtt import Connection, props
from kiosk.hall.picture import HallPicture
from kiosk.hall_queue import LocalHallQueue
from kiosk.queue.engine import Estimate, WaitQuote
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import HostReachability
from kiosk.queue.model import (
    Evaluation,
    HallProfile,
    Priority,
    QueuePolicy,
    Ticket,
    TicketState,
    iso,
)
from kiosk.queue.outputs import CallOutputs
from kiosk.queue.service import Clock, QueueService, utc_now
from kiosk.queue.views import CounterView, ServingTicket, WaitingTicket
from kiosk.usecases import UseCases
from kiosk.usecases.citizen import CheckInConfig
from offline_cache import hallbus
from offline_cache.store import Store

log = logging.getLogger(__name__)


class HostUnreachable(QueueRefused):
    def __init__(self) -> None:
        super().__init__("host_unreachable")


class RemoteQueue(HallPicture):
    def __init__(
        self,
        conn: Connection | None,
        *,
        store: Any,
        profile: HallProfile,
        policy: QueuePolicy,
        hall_id: str,
        terminal_id: str,
        clock: Clock = utc_now,
        publish: Callable[[Any], None] | None = None,
        outputs: CallOutputs | None = None,
        timeout_s: float = 3.0,
        give_up_s: float = 8.0,
        lease_size: int = 0,
        stale_s: float = 30.0,
        notice: str = "",
    ) -> None:
        super().__init__(
            profile=profile, clock=clock, publish=publish, outputs=outputs, stale_s=stale_s, notice=notice
        )
        self.conn = conn
        self.store = store
        self.policy = policy
        self.hall_id = hall_id
        self.terminal_id = terminal_id
        self.timeout_s = timeout_s
        self.give_up_s = give_up_s
        self.lease_size = lease_size
        self._pending: dict[str, Future[c.Response]] = {}
        self._offline: dict[str, Ticket] = {}
        self._estimates: dict[str, Estimate] = {}
        self._threads: list[threading.Thread] = []
        self._kick = threading.Event()
        self._unsettled = False
        """Tickets issued offline found at ``load`` (to settle or hand to the host)."""
        self._lease_day: str | None = None
        self._told_reachable: bool | None = None
        """What the screens were last told of the host (the bus's callbacks run on one thread)."""

    # -- lifecycle -------------------------------------------------------------------------------
    def attach(self) -> None:
        """Subscribe (before the connection starts)."""
        if self.conn is None:
            return
        self.conn.subscribe(c.res_topic(self.hall_id, self.terminal_id), self._on_response)
        self.conn.subscribe(c.state_topic(self.hall_id), self._on_state)
        self.conn.subscribe(c.calls_topic(self.hall_id), self._on_call)
        self.conn.subscribe(c.presence_topic(self.hall_id, "+"), self._on_presence)
        self.conn.on_up(self._on_up)
        self.conn.on_down(self._on_down)

    def start(self) -> None:
        jobs: list[tuple[str, Callable[[], None]]] = [("hall-member-watch", self._watch)]
        if self.lease_size > 0 or self._unsettled:
            # only a ticket machine, or a box left with tickets it issued offline, has leases to sync
            jobs.append(("hall-member-leases", self._leases))
        for name, target in jobs:
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stop.set()
        self._kick.set()
        for t in self._threads:
            t.join(10)

    def load(self) -> None:
        """Tickets issued from a lease and not yet settled (a crash mid-print) are ours to settle."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT payload, number, day FROM hall_offline_tickets WHERE state = 'printing'"
            ).fetchall()
            unsubmitted = conn.execute(
                "SELECT COUNT(*) FROM hall_offline_tickets WHERE submitted_at IS NULL AND state = 'printed'"
            ).fetchone()[0]
        for payload, number, day in rows:
            d = json.loads(payload)
            self._offline[d["ticket_id"]] = offline_ticket(d, number, day)
        self._unsettled = bool(rows) or unsubmitted > 0

    # -- bus plumbing ----------------------------------------------------------------------------
    def _on_up(self) -> None:
        self._kick.set()
        self._reachability()

    def _on_down(self) -> None:
        if self._lost_since is None:
            self._lost_since = self.clock()
        self._reachability()

    def _reachability(self) -> None:
        reachable = self.host_reachable()
        if reachable != self._told_reachable:
            self._told_reachable = reachable
            self.publish(HostReachability(reachable))

    def _on_response(self, topic: str, payload: bytes, properties: Any) -> None:
        try:
            resp = c.parse_response(payload)
        except c.ContractError as exc:
            self.refused(exc.code, f"response: {exc.message}")
            return
        fut = self._pending.get(resp.id)
        if fut is None:
            self.refused("late_response", "an answer to a command no longer waited for")
            return
        if not fut.done():
            fut.set_result(resp)

    # -- requests --------------------------------------------------------------------------------
    def host_reachable(self) -> bool:
        return self.conn is not None and self.conn.connected and self._host_online is not False

    def request(self, op: str, args: dict[str, Any], *, give_up_s: float | None = None) -> dict[str, Any]:
        """The host's answer to one command (its result), ``QueueRefused`` with the host's code,
        or ``HostUnreachable``. Resent with the same id until ``give_up_s``: the host answers a
        repeat from its ledger, so a resend never acts twice."""
        if not self.host_reachable():
            raise HostUnreachable()
        assert self.conn is not None
        rid = str(uuid.uuid4())
        payload = c.Request(rid, self.terminal_id, op, args, iso(utc_now()) or "").to_json()
        fut: Future[c.Response] = Future()
        self._pending[rid] = fut
        p = props(ResponseTopic=c.res_topic(self.hall_id, self.terminal_id), CorrelationData=rid.encode())
        deadline = time.monotonic() + (self.give_up_s if give_up_s is None else give_up_s)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise HostUnreachable()
                if not self.conn.publish(c.req_topic(self.hall_id), payload, properties=p):
                    self.conn.wait_connected(min(0.5, left))
                    continue
                try:
                    resp = fut.result(timeout=min(self.timeout_s, max(left, 0.01)))
                    break
                except FutureTimeout:
                    continue
        finally:
            self._pending.pop(rid, None)
        if resp.ok:
            return resp.result
        raise QueueRefused(resp.code, **resp.params)

    def _ticket(self, result: dict[str, Any]) -> Ticket | None:
        data = result.get("ticket")
        if data is None:
            return None
        t = ticket_from_dict(data)
        if isinstance(result.get("ahead"), int):
            self._estimates[t.ticket_id] = Estimate(result["ahead"], result.get("est_wait_min"))
        return t

    def _must(self, result: dict[str, Any]) -> Ticket:
        t = self._ticket(result)
        if t is None:
            raise QueueRefused("internal")
        return t

    # -- citizen side ----------------------------------------------------------------------------
    def _issue_args(self, category: str, printing: bool, kw: dict[str, Any]) -> dict[str, Any]:
        pr = kw.get("priority")
        checked = kw.get("checked_in_at")
        return {
            "category": category,
            "printing": printing,
            "item_code": kw.get("item_code"),
            "priority": pr.value if isinstance(pr, Priority) else pr,
            "holder_id_hash": kw.get("holder_id_hash"),
            "holder_masked": kw.get("holder_masked"),
            "appointment_id": kw.get("appointment_id"),
            "checked_in_at": iso(checked) if isinstance(checked, datetime) else None,
            "late_minutes": kw.get("late_minutes"),
        }

    def begin_issue(self, category: str, **kw: Any) -> Ticket:
        try:
            return self._must(self.request("issue", self._issue_args(category, True, kw)))
        except HostUnreachable:
            if self.lease_size <= 0 or kw.get("appointment_id") is not None:
                raise
            return self._issue_from_lease(category, kw)

    def issue_unprinted(self, category: str, **kw: Any) -> Ticket:
        return self._must(self.request("issue", self._issue_args(category, False, kw)))

    def _issue_from_lease(self, category: str, kw: dict[str, Any]) -> Ticket:
        cat = self.profile.category(category)
        if cat is None:
            raise QueueRefused("unknown_category", category=category)
        now = self.clock()
        day = now.astimezone(self.profile.tz).date().isoformat()
        pr = kw.get("priority") or Priority.NORMAL
        tid = str(uuid.uuid4())

        holder = kw.get("holder_id_hash")
        limit = self.policy.real_name_limit

        def take(conn: Any) -> dict[str, Any] | None:
            # Only this machine's own numbers are known while the host is gone: the hall-wide
            # limit cannot be checked, but one person cannot empty the lease.
            if holder and limit > 0 and hallbus.offline_for_holder(conn, day, category, holder) >= limit:
                raise QueueRefused("real_name_limit", limit=limit, category=cat.name)
            got = hallbus.take_from_lease(conn, day, category)
            if got is None:
                return None
            lease_id, seq = got
            data = {
                "ticket_id": tid,
                "lease_id": lease_id,
                "seq": seq,
                "category": category,
                "issued_at": iso(now),
                "priority": Priority(pr).value,
                "item_code": kw.get("item_code"),
                "holder_id_hash": kw.get("holder_id_hash"),
                "holder_masked": kw.get("holder_masked"),
            }
            hallbus.keep_offline_ticket(conn, data, f"{cat.prefix}{seq:03d}", day)
            return data

        data = self.store.write(take)
        if data is None:
            log.warning("host unreachable and no leased number left in %s", category)
            raise HostUnreachable()
        t = offline_ticket(data, f"{cat.prefix}{data['seq']:03d}", day)
        self._offline[tid] = t
        log.info("ticket %s issued from this machine's lease (host unreachable)", t.number)
        return t.copy()

    def _settle_offline(self, ticket_id: str, state: str) -> Ticket:
        t = self._offline.pop(ticket_id)
        self.store.write(
            lambda conn: conn.execute(
                "UPDATE hall_offline_tickets SET state = ? WHERE ticket_id = ?", (state, ticket_id)
            )
        )
        t.state = TicketState.WAITING if state == "printed" else TicketState.VOIDED
        self._kick.set()
        return t.copy()

    def confirm_printed(self, ticket_id: str) -> Ticket:
        if ticket_id in self._offline:
            return self._settle_offline(ticket_id, "printed")
        return self._must(self.request("confirm_printed", {"ticket_id": ticket_id}))

    def void(self, ticket_id: str, reason: str) -> Ticket:
        if ticket_id in self._offline:
            return self._settle_offline(ticket_id, "voided")
        return self._must(self.request("void", {"ticket_id": ticket_id, "reason": reason[:64]}))

    def printing(self) -> list[Ticket]:
        mine = [t.copy() for t in self._offline.values()]
        try:
            res = self.request("view", {"what": "printing"})
        except QueueRefused:
            return mine
        return mine + [ticket_from_dict(d) for d in res.get("tickets", [])]

    def evaluate(self, level: int, **kw: Any) -> Evaluation:
        tags = [str(x) for x in kw.get("tags") or ()]
        channel = str(kw.get("channel") or "kiosk")
        args: dict[str, Any] = {
            "level": level,
            "tags": tags,
            "ticket_id": kw.get("ticket_id"),
            "counter": kw.get("counter"),
            "channel": channel,
            "case_number": kw.get("case_number"),
            "comment": kw.get("comment"),
        }
        res = self.request("evaluate", args)
        return Evaluation(
            str(res.get("evaluation_id")),
            kw.get("ticket_id"),
            kw.get("case_number"),
            kw.get("counter"),
            channel,
            level,
            tuple(tags),
            kw.get("comment"),
            self.clock(),
        )

    # -- counter side ----------------------------------------------------------------------------
    def call_next(self, counter: int) -> Ticket | None:
        return self._ticket(self.request("call_next", {"counter": counter}))

    def recall(self, counter: int) -> Ticket:
        return self._must(self.request("recall", {"counter": counter}))

    def skip(self, counter: int) -> Ticket:
        return self._must(self.request("skip", {"counter": counter}))

    def transfer(self, counter: int, to_category: str) -> Ticket:
        return self._must(self.request("transfer", {"counter": counter, "to_category": to_category}))

    def finish(self, counter: int, case_number: str | None = None) -> Ticket:
        return self._must(self.request("finish", {"counter": counter, "case_number": case_number}))

    def pause(self, counter: int) -> None:
        self.request("pause", {"counter": counter})
        self.outputs.counter_text(counter, "暂停服务")

    def resume(self, counter: int) -> None:
        self.request("resume", {"counter": counter})
        self.outputs.clear(counter)

    def invite_evaluation(self, counter: int) -> Ticket | None:
        t = self._ticket(self.request("invite", {"counter": counter}))
        self.outputs.invite(counter)
        return t

    # -- views -----------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def local_day(self) -> str:
        return self.clock().astimezone(self.profile.tz).date().isoformat()

    def ticket(self, ticket_id: str) -> Ticket | None:
        if ticket_id in self._offline:
            return self._offline[ticket_id].copy()
        return self._ticket(self.request("view", {"what": "ticket", "ticket_id": ticket_id}))

    def online_for_holder(self, holder_id_hash: str) -> list[Ticket]:
        """The holder's online tickets not yet arrived, or expired unclaimed (the host's queue)."""
        res = self.request("view", {"what": "held", "holder_id_hash": holder_id_hash})
        return [ticket_from_dict(d) for d in res.get("tickets") or []]

    def arrive(self, ticket_id: str, by: str) -> Ticket:
        return self._must(self.request("arrive", {"ticket_id": ticket_id, "by": by}))

    def ticket_for_appointment(self, appointment_id: str) -> Ticket | None:
        return self._ticket(self.request("view", {"what": "appointment", "appointment_id": appointment_id}))

    def estimate_for(self, ticket_id: str) -> Estimate:
        est = self._estimates.get(ticket_id)
        if est is not None:
            return est
        t = self._offline.get(ticket_id)
        return self.estimate(t.category) if t is not None else Estimate(0, None)

    def quote(self, category: str, priority: Priority = Priority.NORMAL) -> WaitQuote:
        """The host's quote (its lanes, its day-full verdict: ``QueueRefused`` with its code).
        Cut off from the host, the last hall state's wait stands in: numbers still come from
        the leases, and the citizen is still told a long wait before one is printed."""
        try:
            res = self.request("view", {"what": "quote", "category": category, "priority": priority.value})
            return WaitQuote(category, int(res["ahead"]), res.get("est_wait_min"), bool(res["confirm"]))
        except HostUnreachable:
            est = self.estimate(category)
            limit = self.policy.confirm_wait_over_min
            confirm = est.minutes is not None and limit > 0 and est.minutes > limit
            return WaitQuote(category, est.ahead, est.minutes, confirm)

    def current(self, counter: int) -> Ticket | None:
        return self._ticket(self.request("view", {"what": "counter", "counter": counter}))

    def counter_view(self, counter: int, limit: int = 30) -> CounterView:
        res = self.request("view", {"what": "counter", "counter": counter, "limit": limit})
        v = res["view"]
        cur = v.get("current")
        return CounterView(
            counter=counter,
            paused=bool(v["paused"]),
            current=None
            if cur is None
            else ServingTicket(
                number=cur["number"],
                category=cur["category"],
                priority=cur["priority"],
                called_at=None if cur["called_at"] is None else datetime.fromisoformat(cur["called_at"]),
                holder_masked=cur["holder_masked"],
                item_code=cur["item_code"],
                wait_min=int(cur["wait_min"]),
                recalls=int(cur["recalls"]),
                channel=str(cur.get("channel") or "kiosk"),
            ),
            waiting=tuple(
                WaitingTicket(
                    w["number"],
                    w["category"],
                    w["priority"],
                    datetime.fromisoformat(w["issued_at"]),
                    str(w.get("channel") or "kiosk"),
                )
                for w in v["waiting"]
            ),
            waiting_count=int(v["waiting_count"]),
            served_today=int(v["served_today"]),
            at=datetime.fromisoformat(v["at"]),
        )

    def status(self) -> dict[str, Any]:
        st = self._state or {}
        return {
            "hall_id": self.hall_id,
            "day": st.get("day", self.local_day()),
            "role": "member",
            "host_reachable": self.host_reachable(),
            "seq": st.get("seq", 0),
            "categories": {
                c.code: {"name": c.name, "waiting": c.waiting, "est_wait_min": c.est_wait_min}
                for c in self.categories()
            },
            "counters": {
                str(k.counter): {"paused": k.paused, "serving": k.current_number} for k in self.counters()
            },
        }

    # -- leases ----------------------------------------------------------------------------------
    def _leases(self) -> None:
        while not self._stop.is_set():
            self._kick.wait(2.0)
            self._kick.clear()
            if self._stop.is_set() or not self.host_reachable():
                continue
            try:
                self.sync_offline()
            except Exception as exc:  # noqa: BLE001 - retried on the next kick; said once
                self.refused("lease_sync_failed", f"submitting or leasing numbers failed: {exc!r}")

    def sync_offline(self) -> None:
        """Submit what was issued offline, then top up the leases (ticket machines only)."""
        while True:
            with self.store.read() as conn:
                batch = hallbus.unsubmitted(conn, c.MAX_OFFLINE_BATCH)
            if not batch:
                break
            try:
                self.request("submit_offline_tickets", {"tickets": batch})
            except HostUnreachable:
                return
            except QueueRefused as exc:
                # kept in this machine's ledger; retried, but said once (staff must look)
                self.refused("offline_refused", f"the host refused tickets issued offline: {exc}")
                return
            ids = [t["ticket_id"] for t in batch]
            self.store.write(lambda conn, ids=ids: hallbus.mark_submitted(conn, ids, iso(utc_now()) or ""))
            log.info("%d ticket(s) issued offline handed to the host", len(ids))
        if self.lease_size <= 0:
            return
        day = self.local_day()
        if day != self._lease_day:  # past days' leases go once a day, not on every sync
            self.store.write(lambda conn: hallbus.drop_leases_before(conn, day))
            self._lease_day = day
        for cat in self.profile.categories:
            with self.store.read() as conn:
                have = hallbus.remaining(conn, day, cat.code)
            if have * 2 > self.lease_size:
                continue
            try:
                res = self.request("lease", {"category": cat.code, "count": self.lease_size - have})
            except QueueRefused as exc:
                if exc.code != "daily_limit_reached":
                    log.warning("no lease for %s: %s", cat.code, exc.code)
                continue
            lease = hallbus.Lease(
                res["lease_id"], self.terminal_id, res["day"], res["category"], res["first"], res["last"]
            )
            self.store.write(lambda conn, lease=lease: hallbus.hold_lease(conn, lease))


class BusHallQueue(LocalHallQueue):
    """``HallQueue`` of a member: this box's use cases (its printer, its pads) over the host's
    queue. The use cases call the ``QueueService`` surface; ``RemoteQueue`` is that surface."""


def member_usecases(
    remote: RemoteQueue,
    *,
    store: Store,
    devices: DeviceManager | None = None,
    config: CheckInConfig | None = None,
    hall_name: str = "",
) -> UseCases:
    """The use cases over the host's queue (``RemoteQueue`` has the surface they call)."""
    return UseCases(
        cast(QueueService, remote), store=store, devices=devices, config=config, hall_name=hall_name
    )
