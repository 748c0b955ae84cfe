"""The hall's one authority on the bus: commands in, answers, state and call events out.

Every command runs through the local ``QueueService`` (so the host's ledger, outbox and rules are
exactly a standalone box's) on one worker thread, in arrival order. A state-changing command's
answer is stored in the transaction of the change it made (``QueueService.recording``): a repeat
of the same command id (QoS 1 redelivery, a member's retry after a timeout, a restart in between)
gets the stored answer and changes nothing. Anything the contract refuses is answered with its
error code when it can be (it has an id and the sender's own response topic), logged once per
kind, and never reaches the queue. The ops themselves are ``kiosk.hall.commands``.

State is a versioned snapshot: ``seq`` grows with every publish and is reserved in blocks in the
store, so it never goes back after a restart; it is retained, republished on every (re)connect
and every ``refresh_s`` (a display that hears nothing for a while knows the host is gone).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kiosk.hall import contract as c
from kiosk.hall.codec import call_payload, presence_payload
from kiosk.hall.commands import HostCommands
from kiosk.hall.mqtt import Connection, props
from kiosk.hall.oncelog import OnceLog
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import CallEntry, CounterChanged, HallDisplayChanged, QueueChanged, TicketCalled
from kiosk.queue.model import iso
from kiosk.queue.service import RECENT_CALLS, QueueService
from offline_cache import hallbus
from offline_cache.errors import StoreUnavailable

log = logging.getLogger(__name__)

STATE_EVERY_S = 0.2
_STOP = object()


class HallHost(HostCommands):
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
        self._recent_from_queue()
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
        return presence_payload(online, "host", self.wall())

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
            call = self._call(event.call)
            self._recent.appendleft(call)
            if self.conn is not None:
                self.conn.publish(c.calls_topic(self.hall), c.encode(call))

    def _call(self, e: CallEntry) -> dict[str, Any]:
        return call_payload(
            self.next_seq(),
            e.number,
            e.counter,
            e.counter_name,
            e.category,
            iso(e.at),
            recall=e.recall,
            channel=e.channel,
        )

    def _recent_from_queue(self) -> None:
        """After a restart the hall TV must still show the last calls: the queue rebuilt them
        from its ledger when it loaded (newest first)."""
        for e in reversed(self.service.display_model().recent):
            self._recent.appendleft(self._call(e))

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
                    self.day_end()
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
