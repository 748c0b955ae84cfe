"""The clerk's caller: next, recall, skip, transfer, pause, finish, invite a rating."""

from __future__ import annotations

import logging

from kiosk.facade import Kiosk
from kiosk.hall_queue import CounterAction, CounterView, HallInfo
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import CounterChanged, HostReachability
from kiosk.usecases.results import Result
from ui.context import UiContext
from ui.presenters.base import Newest, Peers, Presenter

log = logging.getLogger(__name__)


def counter_state(view: CounterView, hall: HallInfo) -> dict[str, object]:
    cdef = hall.counter(view.counter)
    codes = cdef.categories if cdef else ()
    tz = hall.tz
    current: dict[str, object] = {}
    cur = view.current
    if cur is not None:
        called = cur.called_at or view.at
        current = {
            "number": cur.number,
            "categoryName": hall.category_name(cur.category),
            "categoryNameEn": hall.category_name_en(cur.category),
            "holder": cur.holder_masked,  # masked when stored; anonymous tickets have none
            "item": cur.item_code,
            "itemEn": cur.item_code,
            "priority": "" if cur.priority == "normal" else cur.priority,
            "calledAt": called.astimezone(tz).strftime("%H:%M"),
            "waitedMin": cur.wait_min,
            "recalls": cur.recalls,
            "online": cur.channel == "online",
        }
    return {
        "counter": view.counter,
        "categories": [
            {"code": c, "name": hall.category_name(c), "nameEn": hall.category_name_en(c)} for c in codes
        ],
        "paused": view.paused,
        "current": current,
        "waiting": [
            {
                "number": t.number,
                "categoryCode": t.category,
                "waitedMin": int((view.at - t.issued_at).total_seconds() // 60),
                "priority": "" if t.priority == "normal" else t.priority,
                "online": t.channel == "online",
            }
            for t in view.waiting
        ],
        "waitingCount": view.waiting_count,
        "servedToday": view.served_today,
        "transferTargets": [
            {"code": c.code, "name": c.name, "nameEn": c.name_en or c.name}
            for c in hall.categories
            if c.code not in codes or len(codes) > 1
        ],
    }


def host_lost(exc: BaseException) -> bool:
    return isinstance(exc, QueueRefused) and exc.code == "host_unreachable"


class CounterPresenter(Presenter):
    screen = "counter"

    def __init__(self, ctx: UiContext, kiosk: Kiosk, peers: Peers) -> None:
        super().__init__(ctx, kiosk, peers)
        self.newest = Newest()
        """A view read before a change must not overwrite one read after it."""

    def connect(self) -> None:
        self.ctx.counter.actionRequested.connect(self.action)

    def start(self) -> None:
        if str(self.ctx.ui.profile) == "counter":
            self.refresh()

    def shown(self) -> None:
        self.refresh()

    def number(self) -> int:
        return int(self.ctx.counter.get("counter"))

    def read_view(self, counter: int) -> dict[str, object]:
        """The window's state as the queue has it now (blocking: on a worker, or a screenshot)."""
        q = self.kiosk.queue()
        return counter_state(q.counter_view(counter), q.hall())

    def refresh(self) -> None:
        counter = self.number()
        if counter and self.kiosk.has_queue():
            asked = self.newest.ask()
            self.run(
                lambda: self.read_view(counter),
                lambda view: self.apply(view, asked),
                lambda exc: self.read_failed(exc, asked),
            )

    def read_failed(self, exc: BaseException, asked: int) -> None:
        if host_lost(exc):
            if self.newest.fresh(asked):
                self.ctx.counter.update(hostLost=True)
            return
        log.warning("counter failed: %s", type(exc).__name__)

    def on_event(self, event: object) -> None:
        if isinstance(event, CounterChanged) and event.counter == self.ctx.counter.get("counter"):
            self.refresh()
        elif isinstance(event, HostReachability):
            if event.reachable:
                self.refresh()  # a read that works ends the greyed screen
            else:
                self.ctx.counter.update(hostLost=True)

    def rating_received(self, counter: object, level: int) -> None:
        if counter == self.ctx.counter.get("counter"):
            self.ctx.counter.set_rating("received", level)

    def action(self, action: str, arg: str) -> None:
        vm = self.ctx.counter
        counter = self.number()

        asked = self.newest.ask()

        def act() -> tuple[Result, dict[str, object]]:
            q = self.kiosk.queue()
            what = CounterAction.INVITE if action == "rate" else CounterAction(action)
            r = q.counter_action(counter, what, to_category=arg or None)
            return r, self.read_view(counter)

        def done(out: tuple[Result, dict[str, object]]) -> None:
            r, view = out
            if r.message == "host_unreachable":
                vm.done()
                vm.update(hostLost=True)  # the screen's banner says it, and stays until it is back
                return
            if not r.ok:
                vm.done(text=r.text(self.lang()))  # the core's one sentence for the refusal
                return
            self.apply(view, asked)
            if action == "rate":
                vm.set_rating("requested")
            vm.done()

        def failed(exc: BaseException) -> None:
            if host_lost(exc):  # refused, or the window's read after it could not reach the host
                vm.done()
                vm.update(hostLost=True)
                return
            log.warning("counter %s failed: %s", action, type(exc).__name__)
            vm.done("counter.msg.failed")

        self.run(act, done, failed)

    def apply(self, view: dict[str, object], asked: int | None = None) -> None:
        """Show a view; ``asked`` is its number (None: shown as it is, e.g. a screenshot)."""
        if not self.newest.fresh(asked):
            return
        vm = self.ctx.counter
        state = dict(view)
        current = state.pop("current")
        assert isinstance(current, dict)
        rating = vm.get("rating") if current.get("number") == vm.get("current").get("number") else ""
        vm.update(**state, hostLost=False)
        if current != vm.get("current"):
            vm.set_current(current)
        if rating:
            vm.update(rating=rating)
