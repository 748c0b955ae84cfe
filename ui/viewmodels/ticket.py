"""The ticket just issued: its preview (what the paper shows) and whether it printed."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.viewmodels.base import StateViewModel


class TicketViewModel(StateViewModel):
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "ticket": {},
        # {number, categoryName, categoryNameEn, issuedAt, peopleAhead, estMin, priority,
        #  holder (masked), counters, hallName, hallNameEn, qr (text)}
        "printStatus": "idle",  # idle | printing | printed | failed
    }
    PERSONAL = frozenset({"ticket", "printStatus"})

    def show(self, ticket: dict[str, Any]) -> None:
        self.update(ticket=dict(ticket), printStatus="printing")

    def set_print_status(self, status: str) -> None:
        self.update(printStatus=status)

    @property
    def number(self) -> str:
        return str(self._state["ticket"].get("number", ""))
