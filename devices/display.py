"""The window call display interface (RS-485 LED screens above each window, hall strips).

A display device stands for a *set* of screens (usually every screen on one bus): the core
says "counter 3 calls A023" and the device decides which screens show it (the screen of
window 3, and hall strips that show every call). A screen that does not answer is marked
offline in the health report and skipped, so one dead screen never holds up a call.

Events: ``screen_offline`` ``{"screen", "address"}``, ``screen_online`` ``{"screen", "address"}``,
``shown`` ``{"counter", "number", "screens": int, "failed": int}``.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass

from devices.base import Device, DeviceKind


@dataclass(frozen=True)
class ShowResult:
    """Which screens took the update. ``offline`` lists screen names skipped or failed."""

    updated: tuple[str, ...]
    offline: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return bool(self.updated) and not self.offline


class CallDisplay(Device):
    kind = DeviceKind.CALL_DISPLAY

    @abstractmethod
    def show_call(self, counter: int, number: str, text: str = "") -> ShowResult:
        """Show a call. ``text`` is the full line (``请A023号到3号窗口``); empty = built from
        the screen's template."""

    @abstractmethod
    def show_text(self, counter: int, text: str) -> ShowResult:
        """Show a free line on the screens of one window (``暂停服务``); counter 0 = every screen."""

    @abstractmethod
    def clear(self, counter: int = 0) -> ShowResult:
        """Blank the screens of one window; counter 0 = every screen."""
