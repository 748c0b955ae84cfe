"""A ticket as the screens see it (``TicketView``), built in one place for every use case, so a
citizen's slip and a clerk's window show the same category name and the same numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.usecases.results import TicketView

if TYPE_CHECKING:
    from kiosk.queue.model import Ticket
    from kiosk.queue.service import QueueService


def ticket_view(
    queue: QueueService, t: Ticket, *, called: bool = False, preview: str | None = None
) -> TicketView:
    """Waiting (just taken or checked in): how many are ahead, the estimated wait, the windows
    that serve its category and how late a check-in was. ``called`` (a clerk's action at a
    window): that window only, nobody ahead, no estimate."""
    cat = queue.profile.category(t.category)
    if called:
        ahead, minutes, late = 0, None, None
        counters: tuple[int, ...] = (t.counter,) if t.counter else ()
    else:
        est = queue.estimate_for(t.ticket_id)
        ahead, minutes, late = est.ahead, est.minutes, t.late_minutes
        counters = tuple(c.number for c in queue.profile.counters if t.category in c.categories)
    return TicketView(
        ticket_id=t.ticket_id,
        number=t.number,
        category=t.category,
        category_name=cat.name if cat else t.category,
        priority=t.priority.value,
        issued_at=t.issued_at,
        people_ahead=ahead,
        est_wait_min=minutes,
        counters=counters,
        late_minutes=late,
        preview=preview,
    )
