"""The ticket screen: what the citizen's ticket says (the printer's own rendering if any)."""

from __future__ import annotations

from kiosk.hall_queue import HallInfo
from kiosk.usecases.results import TicketView
from ui.presenters.base import Presenter


def ticket_view(view: TicketView, holder: str, hall: HallInfo, names: tuple[str, str]) -> dict[str, object]:
    return {
        "number": view.number,
        "categoryName": view.category_name,
        "categoryNameEn": view.category_name,
        "issuedAt": view.issued_at.astimezone(hall.tz).strftime("%Y-%m-%d %H:%M"),
        "peopleAhead": view.people_ahead,
        "estMin": int(view.est_wait_min or 0),
        "priority": "" if view.priority == "normal" else str(view.priority),
        "holder": holder,
        "counters": ", ".join(str(c) for c in view.counters),
        "hallName": names[0],
        "hallNameEn": names[1],
        # The printer's own rendering of the bytes it printed (``preview_dir``), if any.
        "previewPng": str(view.preview or ""),
    }


class TicketPresenter(Presenter):
    screen = "ticket_printed"
    card_purpose = "take_number"

    def show(self, view: dict[str, object]) -> None:
        self.ctx.ticket.show(view)
        self.ctx.ticket.set_print_status("printed")
        self.ctx.ui.go("ticket_printed")
