"""Appointment check-in: by the citizen's card or by the booking's signed QR code.

A refusal shows the core's one sentence for its code in the screen's language (and again in
the other language when the citizen switches), never a second sentence of the UI's own."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.identity.person import Identity
from kiosk.usecases.results import Result, refused
from ui.presenters.base import Presenter
from ui.presenters.error_printer import PRINTER_CODES, ErrorPresenter
from ui.presenters.ticket_printed import ticket_view

log = logging.getLogger(__name__)

REFUSALS = {
    "no_appointment": "no_booking",
    "already_checked_in": "already",
    "checkin_too_early": "too_early",
    "qr_not_recognised": "invalid_code",
    "checkin_unavailable": "offline",
    "online_ticket_expired": "too_late",
}
"""Result codes -> which refusal the screen is in (it offers a regular number for some); the
sentence shown is the core's (``Result.text``)."""


class AppointmentPresenter(Presenter):
    screen = "appointment"
    card_purpose = "appointment"

    def on_code(self, text: str) -> None:
        self.check_in_by_code(text)

    def connect(self) -> None:
        self.ctx.appointment.checkInRequested.connect(self.check_in)
        self.ctx.tr.changed.connect(self._relabel)
        self._refusal: tuple[Result, bool] | None = None

    def _refuse(self, r: Result, by_code: bool = False) -> None:
        self._refusal = (r, by_code)
        detail = str(r.params.get("number") or r.params.get("opens") or "")
        reason = REFUSALS.get(r.message, "invalid_code" if by_code else "offline")
        self.ctx.appointment.refuse(reason, r.text(self.lang()), detail, None)

    def _relabel(self) -> None:
        if self._refusal is not None and self.ctx.appointment.get("step") == "refused":
            self._refuse(*self._refusal)

    def check_in(self) -> None:
        identity = self.ctx.identify.identity
        self._refusal = None
        if identity is None:
            self._refuse(refused("no_appointment"))
            return
        self._run(
            lambda: self.kiosk.queue().check_in(identity=identity, language=self.lang()), identity, False
        )

    def check_in_by_code(self, text: str) -> None:
        """A booking's offline QR code (signed ``HK1``) on the appointment screen."""
        self.ctx.appointment.update(step="matching")
        self._refusal = None
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
                "itemEn": hall.category_name_en(view.category),
                "slot": str(r.params.get("slot") or ""),
                "categoryName": view.category_name,
                "categoryNameEn": hall.category_name_en(view.category),
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
            self._refuse(r, by_code)

        def failed(exc: BaseException) -> None:
            from kiosk.facade import PrintFailed, Unavailable

            if isinstance(exc, PrintFailed | Unavailable):
                self.peers.get(ErrorPresenter).failure(exc, "check-in")
            else:
                log.warning("check-in failed: %s", type(exc).__name__)
                self._refuse(refused("checkin_unavailable"))

        self.run(work, done, failed)
