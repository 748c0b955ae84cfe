"""The hall as a member sees it: the host's retained state, its call events and presence.

A reader, not a participant: a state whose ``seq`` is not above the one it has is ignored, a call
``seq`` already heard is not announced again, anything malformed is dropped; each said once
(``OnceLog``). What it draws from the state goes onto the app bus as the same events a local
queue publishes (``QueueChanged``, ``CounterChanged``, ``HallDisplayChanged``, ``TicketCalled``),
so screens do not know where the queue is; calls drive this box's LED screens, voice and pads.
After ``stale_s`` without a state the display keeps its last picture and says since when the
host has been lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from kiosk.hall import contract as c
from kiosk.hall.oncelog import OnceLog
from kiosk.queue.engine import Estimate
from kiosk.queue.events import (
    CallEntry,
    CategoryStatus,
    CounterChanged,
    HallDisplayChanged,
    HallDisplayModel,
    QueueChanged,
    TicketCalled,
)
from kiosk.queue.model import Category, CounterDef, HallProfile
from kiosk.queue.outputs import CallOutputs

log = logging.getLogger(__name__)


class HallPicture:
    """Base of ``RemoteQueue``: everything it knows without asking the host."""

    def __init__(
        self,
        *,
        profile: HallProfile,
        clock: Callable[[], datetime],
        publish: Callable[[Any], None] | None,
        outputs: CallOutputs | None,
        stale_s: float,
        notice: str,
    ) -> None:
        self.profile = profile
        self.clock = clock
        self.publish = publish or (lambda event: None)
        self.outputs = outputs or CallOutputs(None)
        self.stale_s = stale_s
        self.notice = notice
        self.refused = OnceLog(log)
        self.last_device_jobs: list[Future[Any]] = []
        self._lock = threading.Lock()
        self._state: dict[str, Any] | None = None
        self._state_seen = 0.0
        self._call_seq = 0
        self._host_online: bool | None = None
        self._lost_since: datetime | None = None
        self._stop = threading.Event()

    def _on_presence(self, topic: str, payload: bytes, properties: Any) -> None:
        try:
            p = c.parse_presence(payload)
        except c.ContractError as exc:
            self.refused(exc.code, f"presence: {exc.message}")
            return
        if p["role"] == "host":
            self._host_online = p["online"]
            self._reachability()

    def _reachability(self) -> None:
        """The host's presence changed (a member tells its screens)."""

    def _on_state(self, topic: str, payload: bytes, properties: Any) -> None:
        if not payload:
            return
        try:
            st = c.parse_state(payload)
        except c.ContractError as exc:
            self.refused(exc.code, f"state: {exc.message}")
            return
        with self._lock:
            if self._state is not None and st["seq"] <= self._state["seq"]:
                self.refused("stale_state", f"state seq {st['seq']} after {self._state['seq']}")
                return
            old = self._state
            self._state = st
            self._state_seen = time.monotonic()
            self._lost_since = None
            if old is None:  # calls made before this member started are history, not news
                self._call_seq = max([self._call_seq, *(x["seq"] for x in st["recent_calls"])])
        self._announce(old)

    def _on_call(self, topic: str, payload: bytes, properties: Any) -> None:
        try:
            call = c.parse_call(payload)
        except c.ContractError as exc:
            self.refused(exc.code, f"call: {exc.message}")
            return
        with self._lock:
            if call["seq"] <= self._call_seq:
                self.refused("stale_call", f"call seq {call['seq']} already heard")
                return
            self._call_seq = call["seq"]
        entry = _entry(call)
        self.last_device_jobs = self.outputs.call(entry)
        self.publish(TicketCalled(entry))

    def _announce(self, old: dict[str, Any] | None) -> None:
        self.publish(QueueChanged(self.categories(), self.clock()))
        prev = (old or {}).get("counters", {})
        current = self.state_counters()
        for cc in self.counters():
            was = prev.get(str(cc.counter))
            now = current.get(str(cc.counter))
            if was != now:
                self.publish(cc)
        self.publish(HallDisplayChanged(self.display_model()))

    def _watch(self) -> None:
        """A display that hears no state for ``stale_s`` says so (keeping the last picture)."""
        flagged = False
        while not self._stop.wait(1.0):
            stale = self._state is None or time.monotonic() - self._state_seen > self.stale_s
            if stale and not flagged:
                flagged = True
                if self._lost_since is None:
                    self._lost_since = self.clock()
                self.publish(HallDisplayChanged(self.display_model()))
            elif not stale:
                flagged = False

    def estimate(self, category: str) -> Estimate:
        cat = (self._state or {}).get("categories", {}).get(category)
        if cat is None:
            return Estimate(0, None)
        return Estimate(cat["waiting"], cat["est_wait_min"])

    def state_counters(self) -> dict[str, dict[str, Any]]:
        return dict((self._state or {}).get("counters", {}))

    def categories(self) -> tuple[CategoryStatus, ...]:
        cats = (self._state or {}).get("categories", {})
        out = []
        for k in self.profile.categories:
            v = cats.get(k.code, {"waiting": 0, "est_wait_min": None})
            out.append(CategoryStatus(k.code, k.name, v["waiting"], v["est_wait_min"]))
        return tuple(out)

    def counters(self) -> list[CounterChanged]:
        return [
            CounterChanged(int(n), v["state"] == "paused", v["current"])
            for n, v in sorted(self.state_counters().items(), key=lambda kv: int(kv[0]))
        ]

    def is_paused(self, counter: int) -> bool:
        v = self.state_counters().get(str(counter))
        return bool(v and v["state"] == "paused")

    def connection_lost_since(self) -> datetime | None:
        """When the host was last heard, once nothing has been heard for ``stale_s``."""
        if self._state is not None and time.monotonic() - self._state_seen <= self.stale_s:
            return None
        return self._lost_since

    def display_model(self) -> HallDisplayModel:
        st = self._state or {}
        recent = tuple(_entry(x) for x in st.get("recent_calls", []))
        notice = st.get("notice", self.notice) or self.notice
        lost = self.connection_lost_since()
        if lost is not None:
            hhmm = lost.astimezone(self.profile.tz).strftime("%H:%M")
            notice = f"与叫号主机的连接已中断（自 {hhmm} 起） connection lost since {hhmm}"
        at = st.get("at")
        return HallDisplayModel(
            current=recent[0] if recent else None,
            recent=recent,
            categories=self.categories(),
            notice=notice,
            at=datetime.fromisoformat(at) if at else None,
        )

    def last_state(self) -> dict[str, Any] | None:
        return self._state

    def state_seq(self) -> int:
        return int((self._state or {}).get("seq", 0))


def profile_from_state(st: dict[str, Any]) -> HallProfile:
    """What a display needs of the hall (names, windows, time zone) from the host's state: a
    display may not send commands, so it cannot ask for the profile."""
    cats = tuple(
        Category(code, v["name"], (code[:1] or "X").upper()) for code, v in sorted(st["categories"].items())
    )
    counters = tuple(
        CounterDef(int(n), v["name"], ())
        for n, v in sorted(st["counters"].items(), key=lambda kv: int(kv[0]))
    )
    return HallProfile(st["hall"], st["name"], st["timezone"], cats, counters, name_en=st["name_en"])


def _entry(call: dict[str, Any]) -> CallEntry:
    return CallEntry(
        number=call["number"],
        counter=call["counter"],
        counter_name=call["counter_name"],
        category=call["category"],
        at=datetime.fromisoformat(call["at"]),
        recall=call["recall"],
        channel=str(call.get("channel") or "kiosk"),
    )
