"""The voice announcer interface: "请A023号到3号窗口办理".

``announce`` only queues: announcements are spoken one after another by the device's own
worker (never overlapping), each repeated ``repeat`` times, skipped in quiet hours. The
announcer falls back to its next engine when one fails and reports a fault.

Events: ``announced`` ``{"number", "counter", "language", "engine", "ms"}``,
``announcement_skipped`` ``{"number", "counter", "reason"}`` (``quiet_hours``, ``queue_full``,
``all_engines_failed``), ``engine_fault`` ``{"engine", "code", "detail"}`` (once per fault; the
engine ``output`` is the sound output), ``engine_ok`` ``{"engine"}`` when it works again.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Literal

from devices.base import Device, DeviceKind

AnnouncementLanguage = Literal["zh", "en"]


@dataclass(frozen=True)
class Announcement:
    number: str
    """Display form of the ticket number, ``A023``."""
    counter: int
    language: AnnouncementLanguage = "zh"
    repeat: int | None = None
    """None = the announcer's configured repeat count."""
    text: str | None = None
    """A free sentence instead of the call template (e.g. a closing notice)."""


class Announcer(Device):
    kind = DeviceKind.ANNOUNCER

    @abstractmethod
    def announce(self, item: Announcement) -> int:
        """Queue an announcement; returns how many are waiting before it. Raises DeviceError
        ``queue_full`` when the backlog is beyond the configured limit."""

    @abstractmethod
    def pending(self) -> int:
        """Announcements queued and not yet spoken."""
