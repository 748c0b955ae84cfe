"""Take a number: category grid, confirmation with people ahead and estimated wait."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel


class TakeNumberViewModel(StateViewModel):
    categoryChosen = Signal(str)
    """The bridge answers with ``set_estimate`` (people ahead, minutes) for the confirmation."""
    takeRequested = Signal(str)

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "categories": [],  # [{code, name, name_en, prefix, waiting, estMin, open, note, noteEn}]
        "selected": "",
        "step": "choose",  # choose | confirm | long_wait | printing | refused
        "peopleAhead": 0,
        "estMin": 0,
        "priority": "",  # "" | elderly | appointment | disability ...
        "holder": "",
        "messageKey": "",
        "messageDetail": "",
    }
    PERSONAL = frozenset({"holder", "priority", "selected", "step", "messageDetail", "messageKey"})

    def reset(self) -> None:
        """A new citizen: the flow starts over; the hall's categories stay (they are not theirs)."""
        categories = self._state["categories"]
        super().reset()
        self.update(categories=categories)

    def set_categories(self, rows: list[dict[str, Any]]) -> None:
        self.update(categories=[dict(r) for r in rows])

    def category(self, code: str) -> dict[str, Any] | None:
        for row in self._state["categories"]:
            if row.get("code") == code:
                return dict(row)
        return None

    @Slot(str)
    def choose(self, code: str) -> None:
        row = self.category(code)
        if row is None or not row.get("open", True):
            return
        self.update(
            selected=code,
            step="confirm",
            peopleAhead=int(row.get("waiting", 0)),
            estMin=int(row.get("estMin", 0)),
            messageKey="",
            messageDetail="",
        )
        self.categoryChosen.emit(code)

    def set_estimate(self, code: str, people_ahead: int, est_min: int, priority: str = "") -> None:
        if code == self._state["selected"]:
            self.update(peopleAhead=people_ahead, estMin=est_min, priority=priority)

    def long_wait(self, code: str, sentence: str, people_ahead: int, est_min: int) -> None:
        """The core says the wait is long: its sentence, and the number only if confirmed."""
        if code == self._state["selected"] and self._state["step"] in ("confirm", "long_wait"):
            self.update(step="long_wait", messageDetail=sentence, peopleAhead=people_ahead, estMin=est_min)

    def set_holder(self, masked_name: str) -> None:
        self.update(holder=masked_name)

    @Slot()
    def confirm(self) -> None:
        if self._state["step"] in ("confirm", "long_wait") and self._state["selected"]:
            self.update(step="printing")
            self.takeRequested.emit(self._state["selected"])

    @Slot()
    def back(self) -> None:
        self.update(step="choose", selected="", messageKey="", messageDetail="")

    def refuse(self, message_key: str, detail: str = "") -> None:
        """A clear sentence instead of a ticket: daily limit reached, closed, per-person limit."""
        self.update(step="refused", messageKey=message_key, messageDetail=detail)
