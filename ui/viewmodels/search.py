"""Item search: the query typed on the virtual keyboard (Chinese or pinyin initials), debounced,
and the catalog's matches."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.qt import QTimer, Signal, Slot
from ui.viewmodels.base import StateViewModel

DEBOUNCE_MS = 180


class ItemSearchViewModel(StateViewModel):
    searchRequested = Signal(str)
    itemOpened = Signal(str)
    itemChosenForNumber = Signal(str)

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "query": "",
        "results": [],  # [{code, name, nameEn, department, category, kind}]
        "busy": False,
        "searched": False,
        "errorKey": "",
    }
    PERSONAL = frozenset({"query", "results", "searched", "errorKey", "busy"})

    def __init__(self) -> None:
        super().__init__()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._fire)

    @Slot(str)
    def setQuery(self, text: str) -> None:
        self.update(query=text)
        self._debounce.start()

    def _fire(self) -> None:
        q = self._state["query"].strip()
        if not q:
            self.update(results=[], searched=False, busy=False)
            return
        self.update(busy=True, errorKey="")
        self.searchRequested.emit(q)

    def flush(self) -> None:
        """Search now (tests, the enter key)."""
        self._debounce.stop()
        self._fire()

    def set_results(self, query: str, rows: list[dict[str, Any]]) -> None:
        if query.strip() != self._state["query"].strip():
            return  # an older keystroke's answer arriving late
        self.update(results=[dict(r) for r in rows], busy=False, searched=True)

    def fail(self, error_key: str) -> None:
        self.update(busy=False, errorKey=error_key)

    @Slot(str)
    def open(self, code: str) -> None:
        self.itemOpened.emit(code)

    @Slot(str)
    def takeNumberFor(self, code: str) -> None:
        self.itemChosenForNumber.emit(code)

    def wipe_personal_data(self) -> None:
        self._debounce.stop()
        super().wipe_personal_data()
