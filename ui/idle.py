"""Idle timeout: after a while without a touch on a citizen screen, a countdown; then back to
home and every view-model wipes its personal data.

Elderly mode doubles the time (no hurried time limits). ``tick()`` advances one second, so
tests drive the countdown without sleeping.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import Property, QEvent, QObject, QTimer, Signal, Slot

_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class IdleWatcher(QObject):
    changed = Signal()
    expired = Signal()

    def __init__(
        self,
        *,
        timeout_s: int,
        countdown_s: int,
        screen: Callable[[], str],
        elderly: Callable[[], bool],
        live: bool = True,
        citizen_screens: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self._citizen_screens = citizen_screens
        """Where the timeout applies (``ui.screens``: the screens marked ``citizen``)."""
        self._timeout_s = timeout_s
        self._countdown_s = min(countdown_s, timeout_s)
        self._screen = screen
        self._elderly = elderly
        self._idle = 0
        self._timer: QTimer | None = None
        if live:
            self._timer = QTimer(self)
            self._timer.setInterval(1000)
            self._timer.timeout.connect(self.tick)
            self._timer.start()

    def limit(self) -> int:
        return self._timeout_s * (2 if self._elderly() else 1)

    def active(self) -> bool:
        return self._screen() in self._citizen_screens

    @Slot()
    def tick(self) -> None:
        if not self.active():
            if self._idle:
                self._idle = 0
                self.changed.emit()
            return
        self._idle += 1
        if self._idle >= self.limit():
            self._idle = 0
            self.changed.emit()
            self.expired.emit()
        elif self._idle >= self.limit() - self._countdown_s:
            self.changed.emit()

    @Slot()
    def touch(self) -> None:
        if self._idle:
            was_warning = self._get_warning()
            self._idle = 0
            if was_warning:
                self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.touch()
        return False

    def _get_warning(self) -> bool:
        return self.active() and self._idle >= self.limit() - self._countdown_s

    def _get_remaining(self) -> int:
        return max(0, self.limit() - self._idle)

    warning = Property(bool, _get_warning, notify=changed)
    remaining = Property(int, _get_remaining, notify=changed)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
