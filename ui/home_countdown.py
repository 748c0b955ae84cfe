"""A finished citizen's screen (the ticket, the check-in, the thank-you) goes home by itself
after a short countdown the citizen can see, so the next person never finds the previous
one's ticket and masked name waiting on the screen.

``tick()`` advances one second, so tests drive the countdown without sleeping.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import Property, QObject, QTimer, Signal, Slot

SECONDS = 15
"""Long enough to read the number and take the paper."""
SECONDS_ELDERLY = 20
"""Elderly mode: more time, still within the 20 s the issue allows."""


class HomeCountdown(QObject):
    changed = Signal()
    expired = Signal()

    def __init__(
        self, *, finished: Callable[[], bool], elderly: Callable[[], bool], live: bool = True
    ) -> None:
        super().__init__()
        self._finished = finished
        """True while the screen shown is a finished one (``UiContext`` knows which)."""
        self._elderly = elderly
        self._remaining = 0
        self._timer: QTimer | None = None
        if live:
            self._timer = QTimer(self)
            self._timer.setInterval(1000)
            self._timer.timeout.connect(self.tick)

    def limit(self) -> int:
        return SECONDS_ELDERLY if self._elderly() else SECONDS

    @Slot()
    def update_for_screen(self) -> None:
        """Start when a finished screen appears, stop when the screen is no longer finished."""
        if self._finished():
            if not self._remaining:
                self._remaining = self.limit()
                if self._timer is not None:
                    self._timer.start()
                self.changed.emit()
        elif self._remaining:
            self._stop()

    def _stop(self) -> None:
        self._remaining = 0
        if self._timer is not None:
            self._timer.stop()
        self.changed.emit()

    @Slot()
    def tick(self) -> None:
        if not self._remaining:
            return
        self._remaining -= 1
        if self._remaining <= 0:
            self._stop()
            self.expired.emit()
        else:
            self.changed.emit()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _get_active(self) -> bool:
        return self._remaining > 0

    def _get_remaining(self) -> int:
        return self._remaining

    active = Property(bool, _get_active, notify=changed)
    remaining = Property(int, _get_remaining, notify=changed)
