"""One pattern for every screen's view-model: a plain dict of state QML reads as
``vm.state.<key>``, and declared personal keys that the idle wipe resets.

A single ``state`` map keeps the QML side simple (one notify signal per view-model) and makes
"does this view-model still hold personal data?" a check over named keys, not over a dozen
hand-written properties.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from ui.qt import Property, QObject, Signal


class StateViewModel(QObject):
    stateChanged = Signal()

    DEFAULTS: ClassVar[dict[str, Any]] = {}
    PERSONAL: ClassVar[frozenset[str]] = frozenset()
    """Keys that may hold personal data (names, masked IDs, bookings, cases, tickets)."""

    def __init__(self) -> None:
        super().__init__()
        self._state: dict[str, Any] = copy.deepcopy(self.DEFAULTS)

    def _get_state(self) -> dict[str, Any]:
        return self._state

    state = Property(dict, _get_state, notify=stateChanged)

    def get(self, key: str) -> Any:
        return self._state[key]

    def update(self, **values: Any) -> None:
        unknown = set(values) - set(self.DEFAULTS)
        if unknown:
            raise KeyError(f"{type(self).__name__} has no state key(s) {sorted(unknown)}")
        changed = False
        for key, value in values.items():
            if self._state.get(key) != value:
                self._state[key] = copy.deepcopy(value)
                changed = True
        if changed:
            self.stateChanged.emit()

    def reset(self) -> None:
        """Back to the screen's initial state (a citizen starting over)."""
        self._state = copy.deepcopy(self.DEFAULTS)
        self.stateChanged.emit()

    def wipe_personal_data(self) -> None:
        for key in self.PERSONAL:
            self._state[key] = copy.deepcopy(self.DEFAULTS[key])
        self.stateChanged.emit()

    def holds_personal_data(self) -> bool:
        return any(self._state[k] != self.DEFAULTS[k] for k in self.PERSONAL)
