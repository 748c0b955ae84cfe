"""Service guide for one catalog item: materials checklist, conditions, limits, fees, where and
when; the checklist can be printed."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel


class ServiceGuideViewModel(StateViewModel):
    printRequested = Signal(str)
    openRequested = Signal(str)
    takeNumberRequested = Signal(str)
    """A number for this service's category (the guide's 取号)."""

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "item": {},
        # {code, name, nameEn, department, departmentEn, kind (1 即办件 / 2 承诺件), legalDays,
        #  promisedDays, conditions, conditionsEn, fee, feeEn, location, locationEn, hours,
        #  hoursEn, phone, visits, category, materials: [{name, nameEn, form, copies, required,
        #  note, noteEn}]}
        "printStatus": "idle",  # idle | printing | printed | failed
        "loading": False,
    }
    PERSONAL = frozenset({"printStatus"})

    def show(self, item: dict[str, Any]) -> None:
        self.update(item=dict(item), printStatus="idle", loading=False)

    @Slot(str)
    def openItem(self, code: str) -> None:
        self.update(loading=True)
        self.openRequested.emit(code)

    @Slot()
    def printChecklist(self) -> None:
        code = self._state["item"].get("code", "")
        if code and self._state["printStatus"] != "printing":
            self.update(printStatus="printing")
            self.printRequested.emit(code)

    @Slot()
    def takeNumber(self) -> None:
        category = str(self._state["item"].get("category") or "")
        if category:
            self.takeNumberRequested.emit(category)

    def set_print_status(self, status: str) -> None:
        self.update(printStatus=status)
