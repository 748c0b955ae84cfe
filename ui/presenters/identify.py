"""Identify: an ID card, a social-security card or a platform person code, from any citizen
screen; it continues what that screen is for (a number, an appointment, a case)."""

from __future__ import annotations

from kiosk.identity.person import Identity
from ui.presenters.base import Presenter

CITIZEN_ENTRY = (
    "home",
    "identify",
    "ticket_printed",
    "error_printer",
    "evaluation",
    "service_guide",
    "item_search",
)
STAFF = ("technician", "counter", "statistics", "hall_display")


class IdentifyPresenter(Presenter):
    screen = "identify"

    def connect(self) -> None:
        c = self.ctx
        c.identify.identified.connect(self._on_identified)
        c.identify.anonymousRequested.connect(lambda purpose: c.ui.go(purpose))

    def card_unreadable(self) -> None:
        if self.current_screen() in ("identify", "appointment", "case_progress"):
            self.ctx.identify.fail("identify.error.unreadable")

    def by_code(self, text: str) -> None:
        """A platform person code (``HK1``, verified offline) identifies like a card, without a
        name or ID number: a real-name number or an appointment by the signed holder hash."""

        def done(identity: Identity | None) -> None:
            purpose = (
                self.ctx.identify.get("purpose") if self.current_screen() == "identify" else "take_number"
            )
            if identity is None or purpose == "case_progress":  # needs the card or a case number
                self.ctx.identify.fail("identify.error.bad_code")
                if self.current_screen() == "home":
                    self.ctx.ui.go("identify")
                return
            self.identified(identity)

        self.run(lambda: self.kiosk.identify_code(text), done, lambda _exc: done(None))

    def identified(self, identity: Identity) -> None:
        """An ID card works from any citizen screen: it continues what that screen is for."""
        from ui.presenters.take_number import TakeNumberPresenter

        c = self.ctx
        screen = self.current_screen()
        if screen in STAFF:
            return
        purpose = {"appointment": "appointment", "case_progress": "case_progress"}.get(screen)
        if screen in CITIZEN_ENTRY:
            purpose = c.identify.get("purpose") if screen == "identify" else "take_number"
        if screen == "take_number":
            c.identify.update(purpose="take_number")
            c.identify.accept(identity)
            c.take_number.set_holder(c.identify.get("holder"))
            sel = c.take_number.get("selected")
            if sel:
                self.peers.get(TakeNumberPresenter).estimate(sel)
            return
        c.identify.update(purpose=purpose or "take_number")
        c.identify.accept(identity)  # emits identified(purpose) -> _on_identified

    def _on_identified(self, purpose: str) -> None:
        c = self.ctx
        c.ui.go(purpose)
        if purpose == "take_number":
            c.take_number.set_holder(c.identify.get("holder"))
        elif purpose == "appointment":
            c.appointment.matching()
        elif purpose == "case_progress":
            c.case_progress.lookup_by_card()
