"""Plain-language failure screens: what happened and what the citizen can do now."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.viewmodels.base import StateViewModel

KINDS = ("paper_out", "printer", "reader", "platform", "unavailable", "general")


class ErrorViewModel(StateViewModel):
    DEFAULTS: ClassVar[dict[str, Any]] = {"kind": "paper_out", "reference": "", "ticketNumber": ""}
    PERSONAL = frozenset({"reference", "ticketNumber"})

    def show(self, kind: str, *, reference: str = "", ticket_number: str = "") -> None:
        self.update(
            kind=kind if kind in KINDS else "general", reference=reference, ticketNumber=ticket_number
        )
