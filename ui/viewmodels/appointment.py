"""Appointment check-in: card or QR -> the matched booking -> a priority ticket, or one
sentence saying why not (too early, too late, already checked in, no booking)."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel

REFUSALS = ("too_early", "too_late", "already", "no_booking", "offline", "invalid_code")


class AppointmentViewModel(StateViewModel):
    checkInRequested = Signal()

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "step": "identify",  # identify | matching | done | refused
        "booking": {},  # {item, itemEn, slot, categoryName, categoryNameEn, holder}
        "refusal": "",  # which refusal (the screen offers a regular number for some)
        "refusalText": "",  # the core's one sentence for it (kiosk.usecases.messages)
        "refusalDetail": "",
        "ticket": {},
    }
    PERSONAL = frozenset({"step", "booking", "refusal", "refusalText", "refusalDetail", "ticket"})

    def matching(self) -> None:
        self.update(step="matching", refusal="", refusalText="", refusalDetail="")
        self.checkInRequested.emit()

    def checked_in(self, booking: dict[str, Any], ticket: dict[str, Any]) -> None:
        self.update(step="done", booking=dict(booking), ticket=dict(ticket), refusal="", refusalText="")

    def refuse(self, reason: str, text: str, detail: str = "", booking: dict[str, Any] | None = None) -> None:
        """``text``: the core's sentence in the screen's language; ``reason`` picks the way on."""
        if reason not in REFUSALS:
            reason = "no_booking"
        booking = dict(booking or {})
        self.update(step="refused", refusal=reason, refusalText=text, refusalDetail=detail, booking=booking)

    @Slot()
    def retry(self) -> None:
        self.reset()
