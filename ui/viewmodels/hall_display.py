"""The hall TV: the current call in large type, recent calls, waiting per category, a notice."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.viewmodels.base import StateViewModel

RECENT_MAX = 8


class HallDisplayViewModel(StateViewModel):
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "current": {},  # {number, counter, categoryName, categoryNameEn}
        "recent": [],  # [{number, counter}]
        "waiting": [],  # [{code, name, nameEn, waiting}]
        "notice": "",
        "callSerial": 0,  # bumps on every call so QML can flash even on a recall
    }
    # Ticket numbers and window numbers are not personal data; nothing to wipe.
    PERSONAL = frozenset()

    def call(self, number: str, counter: int, category_name: str = "", category_name_en: str = "") -> None:
        recent = [r for r in self._state["recent"] if r.get("number") != number]
        cur = self._state["current"]
        if cur and cur.get("number") != number:
            recent.insert(0, {"number": cur["number"], "counter": cur["counter"]})
        self.update(
            current={
                "number": number,
                "counter": counter,
                "categoryName": category_name,
                "categoryNameEn": category_name_en,
            },
            recent=recent[:RECENT_MAX],
            callSerial=self._state["callSerial"] + 1,
        )

    def set_waiting(self, rows: list[dict[str, Any]]) -> None:
        self.update(waiting=[dict(r) for r in rows])

    def set_notice(self, text: str) -> None:
        self.update(notice=text)
