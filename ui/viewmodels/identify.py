"""Who is at the kiosk: the identity from an ID card, a QR code or a social-security card.

The identity (the core's one type, ``kiosk.identity.person.Identity``) stays in Python: the
queue needs the ID number to hash it and the birth date for the elderly priority; QML only ever
sees the masked name and number.
"""

from __future__ import annotations

from kiosk.identity.person import Identity
from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel

PURPOSES = ("take_number", "appointment", "case_progress", "my_licences", "apply")


class IdentifyViewModel(StateViewModel):
    identified = Signal(str)
    """Emitted with the purpose once someone is identified (the screen to continue to)."""
    anonymousRequested = Signal(str)

    DEFAULTS = {
        "status": "waiting",  # waiting | reading | booking | ok | error
        "method": "",
        "holder": "",
        "idMasked": "",
        "purpose": "take_number",
        "errorKey": "",
        "anonymousAllowed": True,
        "booking": {},  # the holder's booking today, offered first: {slot, categoryName, item}
        "ssCardReader": True,  # a social-security card reader is there to insert a card into
        "hintKey": "",  # the method a person tapped: its how-to, shown and read aloud
    }
    PERSONAL = frozenset({"holder", "idMasked", "method", "status", "errorKey", "booking", "hintKey"})

    def __init__(self) -> None:
        super().__init__()
        self._identity: Identity | None = None

    @property
    def identity(self) -> Identity | None:
        return self._identity

    @Slot(str)
    def start(self, purpose: str) -> None:
        self._identity = None
        self.update(
            status="waiting",
            method="",
            holder="",
            idMasked="",
            errorKey="",
            purpose=purpose if purpose in PURPOSES else "take_number",
        )

    def reading(self, method: str) -> None:
        self.update(status="reading", method=method, errorKey="")

    def accept(self, identity: Identity) -> None:
        self._identity = identity
        self.update(
            status="ok",
            method=identity.source,
            holder=identity.masked_name(),
            idMasked=identity.masked_id(),
            errorKey="",
        )
        self.identified.emit(self._state["purpose"])

    def offer_booking(self, identity: Identity, purpose: str, booking: dict[str, str]) -> None:
        """The holder has a booking today: greet them and offer check-in before ``purpose``."""
        self._identity = identity
        self.update(
            status="booking",
            method=identity.source,
            holder=booking.get("holder") or identity.masked_name(),
            idMasked=identity.masked_id(),
            errorKey="",
            booking=dict(booking),
            purpose=purpose if purpose in PURPOSES else "take_number",
        )

    @Slot()
    def acceptBooking(self) -> None:
        """Check in for the booking (an appointment ticket, with its priority)."""
        if self._identity is not None and self._state["status"] == "booking":
            self.update(status="ok", purpose="appointment")
            self.identified.emit("appointment")

    @Slot()
    def declineBooking(self) -> None:
        """Go on with what the screen was for (an ordinary number, a case lookup)."""
        if self._identity is not None and self._state["status"] == "booking":
            self.update(status="ok")
            self.identified.emit(self._state["purpose"])

    @Slot(str)
    def explain(self, method: str) -> None:
        """A tap on a way to identify: that way is marked and its how-to said (the card, code
        or insert itself is what identifies; the tap must still answer)."""
        if method in ("id_card", "qr", "ss_card"):
            self.update(method=method, hintKey=f"identify.{method}.how")
            if self._state["status"] == "error":
                self.update(status="waiting", errorKey="")

    def set_card_reader(self, present: bool) -> None:
        self.update(ssCardReader=present)

    def fail(self, error_key: str) -> None:
        """error_key: an ``identify.error.*`` string key (unreadable card, bad code...)."""
        self._identity = None
        self.update(status="error", errorKey=error_key, holder="", idMasked="")

    @Slot()
    def continueWithout(self) -> None:
        if self._state["anonymousAllowed"]:
            self.anonymousRequested.emit(self._state["purpose"])

    def wipe_personal_data(self) -> None:
        self._identity = None
        super().wipe_personal_data()

    def holds_personal_data(self) -> bool:
        return self._identity is not None or super().holds_personal_data()
