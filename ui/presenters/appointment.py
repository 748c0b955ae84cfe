"""Appointment check-in: by the citizen's card or by the booking's signed QR code."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.identity.person import Identity
from kiosk.usecases.results import Result
from ui.presenters.base import Presenter
from ui.presenters.error_printer import PRINTER_CODES, ErrorPresenter
from ui.presenters.ticket_printed import ticket_view

log = logging.getLogger(__name__)

REFUSALS = {
    "no_appointment": "no_booking",
    "already_checked_in": "already",
    "checkin_too_early": "too_early",
    "qr_not_recognised": "invalid_code",
}
"""Result codes -> the appointment screen's refusal panels (their text is the screen's)."""


class AppointmentPresenter(Presenter):
    screen = "appointment"
    card_purpose = "appointment"

    def on_code(self, text: str) -> None:
        self.check_in_by_code(text)

    def connect(self) -> None:
        self.ctx.appointment.checkInRequested.connect(self.check_in)

    def check_in(self) -> None:
        identity = self.ctx.identify.identity
        if identity is None:
            self.ctx.appointment.refuse("no_booking")
            return
        self._run(
            lambda: self.kiosk.queue().check_in(identity=identity, language=self.lang()), identity, False
        )

    def check_in_by_code(self, text: str) -> None:
        """A booking's offline QR code (signed ``HK1``) on the appointment screen."""
        self.ctx.appointment.update(step="matching")
        self._run(lambda: self.kiosk.queue().check_in(qr_payload=text, language=self.lang()), None, True)

    def _run(self, check: Callable[[], Result], identity: Identity | None, by_code: bool) -> None:
        vm = self.ctx.appointment

        def work() -> tuple[Result, dict[str, object], dict[str, object]]:
            r = check()
            if not r.ok or r.ticket is None:
                return r, {}, {}
            q = self.kiosk.queue()
            hall = q.hall()
            view = r.ticket
            holder = identity.masked_name() if identity is not None else ""
            booking: dict[str, object] = {
                "item": hall.category_name(view.category),
                "itemEn": hall.category_name(view.category),
                "slot": str(r.params.get("slot") or ""),
                "categoryName": view.category_name,
                "categoryNameEn": view.category_name,
                "holder": holder,
            }
            ticket = ticket_view(view, holder, hall, self.kiosk.hall_names())
            if r.message == "checked_in_late":
                ticket["lateNote"] = r.text("zh")
                ticket["lateNoteEn"] = r.text("en")
            return r, booking, ticket

        def done(out: tuple[Result, dict[str, object], dict[str, object]]) -> None:
            r, booking, ticket = out
            if r.ok and ticket:
                vm.checked_in(booking, ticket)
                return
            if r.message in PRINTER_CODES:
                self.peers.get(ErrorPresenter).printer(r.message)
                return
            detail = str(r.params.get("number") or r.params.get("opens") or "")
            vm.refuse(REFUSALS.get(r.message, "invalid_code" if by_code else "offline"), detail, None)

        def failed(exc: BaseException) -> None:
            from kiosk.facade import PrintFailed, Unavailable

            if isinstance(exc, PrintFailed | Unavailable):
                self.peers.get(ErrorPresenter).failure(exc, "check-in")
            else:
                log.warning("check-in failed: %s", type(exc).__name__)
                vm.refuse("offline")

        self.run(work, done, failed)
