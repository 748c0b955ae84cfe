"""What a clerk does at a window, from the counter screen or a caller keypad (same path), and
how the evaluation pad's ratings reach the queue."""

from __future__ import annotations

import logging
from typing import Any

from kiosk.queue.errors import QueueRefused
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
                action = "resume" if q.is_paused(counter) else "pause"
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
        cur = self.queue.current(counter)
        if cdef is None:
            return None
        for code in cdef.categories:
            if cur is None or code != cur.category:
                return code
        return cdef.categories[0] if cdef.categories else None
