"""Identify: an ID card, a social-security card or a platform person code, from any citizen
screen; it continues what that screen is for (each presenter's ``card_purpose``: a number, an
appointment, a case)."""

from __future__ import annotations

from kiosk.identity.person import Identity
from ui.presenters.base import Presenter


class IdentifyPresenter(Presenter):
    screen = "identify"

    def connect(self) -> None:
        c = self.ctx
        self.peers.continue_with = self.continue_with
        c.identify.identified.connect(self._on_identified)
        c.identify.anonymousRequested.connect(lambda purpose: c.ui.go(purpose))

    def card_unreadable(self) -> None:
        """Said where a card is what the screen waits for (here, check-in, case progress)."""
        current = self.peers.for_screen(self.current_screen())
        if current is self or (
            current is not None and current.card_purpose in ("appointment", "case_progress")
        ):
            self.ctx.identify.fail("identify.error.unreadable")

    def by_code(self, text: str) -> None:
        """A platform person code (``HK1``, verified offline) identifies like a card, without a
        name or ID number: a real-name number or an appointment by the signed holder hash."""

        def done(identity: Identity | None) -> None:
            purpose = (
                self.ctx.identify.get("purpose") if self.current_screen() == self.screen else "take_number"
            )
            if identity is None or purpose == "case_progress":  # needs the card or a case number
                self.ctx.identify.fail("identify.error.bad_code")
                if self.current_screen() == "home":
                    self.ctx.ui.go("identify")
                return
            current = self.peers.for_screen(self.current_screen())
            if current is not None:
                current.on_card(identity)

        self.run(lambda: self.kiosk.identify_code(text), done, lambda _exc: done(None))

    def on_card(self, identity: Identity) -> None:
        self.continue_with(identity, str(self.ctx.identify.get("purpose")))

    def on_code(self, text: str) -> None:
        self.by_code(text)

    def continue_with(self, identity: Identity, purpose: str) -> None:
        """Accept the identity and go on to what it is for (``identified`` -> the screen)."""
        self.ctx.identify.update(purpose=purpose or "take_number")
        self.ctx.identify.accept(identity)  # emits identified(purpose) -> _on_identified

    def _on_identified(self, purpose: str) -> None:
        c = self.ctx
        c.ui.go(purpose)
        if purpose == "take_number":
            c.take_number.set_holder(c.identify.get("holder"))
        elif purpose == "appointment":
            c.appointment.matching()
        elif purpose == "case_progress":
            c.case_progress.lookup_by_card()
