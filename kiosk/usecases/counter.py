"""What a clerk does at a window, from the counter screen or a caller keypad (same path), and
how the evaluation pad's ratings reach the queue."""

from __future__ import annotations

import logging
from typing import Any

from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import QueueNotice
from kiosk.queue.service import QueueService
from kiosk.usecases.results import Result, TicketView, refused
from offline_cache.errors import StoreUnavailable

log = logging.getLogger(__name__)

ACTIONS = ("next", "recall", "skip", "transfer", "finish", "pause", "resume", "toggle_pause", "invite")


def _view(q: QueueService, t: Any) -> TicketView:
    cat = q.profile.category(t.category)
    return TicketView(
        ticket_id=t.ticket_id,
        number=t.number,
        category=t.category,
        category_name=cat.name if cat else t.category,
        priority=t.priority.value,
        issued_at=t.issued_at,
        people_ahead=0,
        est_wait_min=None,
        counters=(t.counter,) if t.counter else (),
    )


class CounterUseCases:
    queue: QueueService
    publish: Any = None

    def counter_action(
        self,
        counter: int,
        action: str,
        *,
        to_category: str | None = None,
        to_counter: int | None = None,
        case_number: str | None = None,
    ) -> Result:
        """``next``, ``recall``, ``skip``, ``transfer`` (to a category, or to a window's
        category), ``finish``, ``pause``, ``resume``, ``toggle_pause``, ``invite`` (evaluation)."""
        q = self.queue
        try:
            if action == "next":
                t = q.call_next(counter)
                if t is None:
                    return refused("queue_empty")
                return Result(True, "called", {"number": t.number}, _view(q, t))
            if action == "recall":
                t = q.recall(counter)
                return Result(True, "recalled", {"number": t.number}, _view(q, t))
            if action == "skip":
                t = q.skip(counter)
                return Result(True, "skipped", {"number": t.number}, _view(q, t))
            if action == "transfer":
                target = to_category or self._category_of_counter(counter, to_counter)
                if target is None:
                    return refused("unknown_category", category="")
                t = q.transfer(counter, target)
                cat = q.profile.category(target)
                return Result(
                    True,
                    "transferred",
                    {"number": t.number, "category": cat.name if cat else target},
                    _view(q, t),
                )
            if action == "finish":
                t = q.finish(counter, case_number)
                return Result(True, "finished", {"number": t.number}, _view(q, t))
            if action == "toggle_pause":
                action = (
                    "resume"
                    if q.engine.counters.get(counter) and q.engine.counters[counter].paused
                    else "pause"
                )
            if action == "pause":
                q.pause(counter)
                return Result(True, "paused")
            if action == "resume":
                q.resume(counter)
                return Result(True, "resumed")
            if action == "invite":
                t = q.invite_evaluation(counter)
                if t is None:
                    return refused("nothing_to_rate")
                return Result(True, "evaluation_invited", {"number": t.number}, _view(q, t))
        except QueueRefused as exc:
            return refused(exc.code, **exc.params)
        except StoreUnavailable:
            return refused("store_unavailable")
        return refused("unknown_action")

    def _category_of_counter(self, counter: int, to_counter: int | None) -> str | None:
        """A keypad transfers to a window: the first category of that window other than the
        ticket's own."""
        if to_counter is None:
            return None
        cdef = self.queue.profile.counter(to_counter)
        cur = self.queue.engine.current(counter)
        if cdef is None:
            return None
        for code in cdef.categories:
            if cur is None or code != cur.category:
                return code
        return cdef.categories[0] if cdef.categories else None

    # -- device events (keypads, pads) -----------------------------------------------------------
    def on_device_event(self, event: Any) -> Result | None:
        """``key`` events from caller keypads and ``rating`` events from evaluation pads."""
        etype = getattr(event, "type", None)
        data = getattr(event, "data", None)
        if etype not in ("key", "rating") or not isinstance(data, dict):
            return None
        counter = data.get("counter")
        if not isinstance(counter, int) or isinstance(counter, bool):
            return None
        if etype == "key":
            action = data.get("action")
            if action == "pause":
                action = "toggle_pause"
            if action not in ACTIONS:
                return None
            target = data.get("target")
            result = self.counter_action(
                counter, str(action), to_counter=target if isinstance(target, int) else None
            )
        else:
            level = data.get("level")
            if not isinstance(level, int) or isinstance(level, bool):
                return None
            submit = getattr(self, "submit_evaluation", None)
            if submit is None:
                return None
            result = submit(level, counter=counter, channel="window")
        if not result.ok and self.publish is not None:
            self.publish(QueueNotice(counter, result.message, dict(result.params)))
        log.info("counter %s %s: %s", counter, data.get("action", "rating"), result.message)
        return result
