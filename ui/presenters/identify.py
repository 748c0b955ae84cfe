"""Identify: an ID card, a social-security card or a platform person code, from any citizen
screen; it continues what that screen is for (each presenter's ``card_purpose``: a number, an
appointment, a case)."""

from __future__ import annotations

from collections.abc import Callable

from devices.base import DeviceKind
from kiosk.facade import BookingToday
from kiosk.identity.person import Identity
from ui.presenters.base import Presenter

CODE_ERRORS = {
    "expired": "identify.error.code_expired",
    "bad_signature": "identify.error.code_forged",
    "unknown_key": "identify.error.code_unknown_key",
}
"""Why a code was refused -> what the citizen is told (anything else: "not recognised")."""


SELF_SERVICE = ("apply", "my_licences")
"""Purposes that need the card but take no queue number (no booking offer on their way)."""


def booking_view(b: BookingToday) -> dict[str, str]:
    """What the greeting shows of a booking (the holder's name masked)."""
    return {"slot": b.slot, "categoryName": b.category_name, "holder": b.holder_masked}


class IdentifyPresenter(Presenter):
    screen = "identify"

    def connect(self) -> None:
        c = self.ctx
        self.peers.continue_with = self.continue_with
        c.identify.identified.connect(self._on_identified)
        c.identify.anonymousRequested.connect(lambda purpose: c.ui.go(purpose))

    def shown(self) -> None:
        """社保卡 is offered only where a card reader is connected."""
        rows = self.kiosk.technician.device_rows()
        self.ctx.identify.set_card_reader(
            any(r.kind == DeviceKind.CARD_READER and r.state != "offline" for r in rows)
        )

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

        def identify() -> tuple[Identity | None, str]:
            identity = self.kiosk.identify_code(text)
            return identity, "" if identity is not None else self.kiosk.code_reason(text)

        def done(found: tuple[Identity | None, str]) -> None:
            identity, reason = found
            purpose = (
                self.ctx.identify.get("purpose") if self.current_screen() == self.screen else "take_number"
            )
            if identity is None or purpose == "case_progress":  # needs the card or a case number
                self.ctx.identify.fail(CODE_ERRORS.get(reason, "identify.error.bad_code"))
                if self.current_screen() == "home":
                    self.ctx.ui.go("identify")
                return
            current = self.peers.for_screen(self.current_screen())
            if current is not None:
                current.on_card(identity)

        self.run(identify, done, lambda _exc: done((None, "")))

    def on_card(self, identity: Identity) -> None:
        self.continue_with(identity, str(self.ctx.identify.get("purpose")))

    def on_code(self, text: str) -> None:
        self.by_code(text)

    def continue_with(self, identity: Identity, purpose: str) -> None:
        """Accept the identity and go on to what it is for (``identified`` -> the screen); a
        holder with a booking today is greeted and offered check-in first, whatever the
        screen they laid the card on (an ordinary number would lose the booking's priority).
        Not on the way to the 24-hour self-service tasks: a citizen who chose to apply or to
        print a licence came for that, and their booking waits for them at check-in."""
        purpose = purpose or "take_number"
        if purpose in ("appointment", *SELF_SERVICE):
            self._accept(identity, purpose)
            return
        self.booking_first(identity, purpose, lambda: self._accept(identity, purpose))

    def booking_first(self, identity: Identity, purpose: str, otherwise: Callable[[], None]) -> None:
        """If the holder has a booking today, greet them here and offer check-in (declining
        goes on to ``purpose``); else ``otherwise()`` (at once where no queue keeps bookings)."""
        if not self.kiosk.has_queue():
            otherwise()
            return

        def done(booking: BookingToday | None) -> None:
            if booking is None:
                otherwise()
                return
            self.ctx.identify.offer_booking(identity, purpose, booking_view(booking))
            self.ctx.ui.go(self.screen)

        self.run(lambda: self.kiosk.booking_today(identity), done, lambda _exc: done(None))

    def _accept(self, identity: Identity, purpose: str) -> None:
        self.ctx.identify.update(purpose=purpose)
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
