"""Case progress: by card or case number; a timeline; offline -> what to do instead."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel

STATUS_KEYS = (
    "submitted",
    "accepted",
    "in_progress",
    "awaiting_supplement",
    "ready_for_pickup",
    "completed",
    "rejected",
)


class CaseProgressViewModel(StateViewModel):
    lookupRequested = Signal(str)
    """Case number ("" = look up by the identified citizen's card)."""

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "step": "input",  # input | loading | found | not_found | offline | error
        "caseNumber": "",
        "case": {},
        # {number, item, itemEn, department, departmentEn, status, acceptedAt, promisedDate,
        #  note, noteEn, timeline: [{at, status, label, labelEn, done, current}]}
        "cases": [],  # short list when a card matches several cases
        "fromCache": False,
    }
    PERSONAL = frozenset({"step", "caseNumber", "case", "cases", "fromCache"})

    @Slot(str)
    def setCaseNumber(self, text: str) -> None:
        self.update(caseNumber=text.strip().upper())

    @Slot()
    def search(self) -> None:
        number = self._state["caseNumber"]
        if number:
            self.update(step="loading")
            self.lookupRequested.emit(number)

    def lookup_by_card(self) -> None:
        self.update(step="loading")
        self.lookupRequested.emit("")

    def found(self, case: dict[str, Any], *, from_cache: bool = False) -> None:
        self.update(step="found", case=dict(case), fromCache=from_cache)

    def not_found(self) -> None:
        self.update(step="not_found", case={})

    def offline(self) -> None:
        self.update(step="offline", case={})

    def failed(self) -> None:
        self.update(step="error", case={})

    @Slot()
    def again(self) -> None:
        self.reset()
