"""Home screen: waiting counts per category (fed by the queue service when there is one)."""

from __future__ import annotations

from typing import Any

from ui.qt import Property, QObject, Signal


class HomeViewModel(QObject):
    waitingChanged = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._waiting: list[dict[str, Any]] = []

    def set_waiting(self, rows: list[dict[str, Any]]) -> None:
        """rows: [{"code": "A", "name": "...", "name_en": "...", "waiting": 3}, ...]"""
        self._waiting = [dict(r) for r in rows]
        self.waitingChanged.emit()

    def _get_waiting(self) -> list[dict[str, Any]]:
        return self._waiting

    waiting = Property(list, _get_waiting, notify=waitingChanged)
