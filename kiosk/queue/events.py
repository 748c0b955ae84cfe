"""What the queue publishes on ``app.bus`` for the hall display, the counter UI and the kiosk.

Plain frozen dataclasses (thread-safe to hand across); the UI re-emits them as Qt signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class CategoryStatus:
    code: str
    name: str
    waiting: int
    est_wait_min: int | None
    name_en: str = ""
    """The hall's English name for it ("" if it has none)."""


@dataclass(frozen=True)
class CallEntry:
    number: str
    counter: int
    counter_name: str
    category: str
    at: datetime
    recall: bool = False
    channel: str = "kiosk"
    """``online``: a number taken from the phone (the hall display marks it)."""

    @property
    def text_zh(self) -> str:
        return f"请{self.number}号到{self.counter_name}办理"

    @property
    def text_en(self) -> str:
        return f"Number {self.number}, please go to counter {self.counter}"


@dataclass(frozen=True)
class QueueChanged:
    """Waiting counts and estimates changed (issue, call, skip, transfer, pause...)."""

    categories: tuple[CategoryStatus, ...]
    at: datetime


@dataclass(frozen=True)
class TicketCalled:
    call: CallEntry


@dataclass(frozen=True)
class CounterChanged:
    counter: int
    paused: bool
    current_number: str | None
    """The ticket open at the window now (None = free)."""


@dataclass(frozen=True)
class HallDisplayModel:
    """What the hall TV shows: the latest call, recent calls, waiting per category."""

    current: CallEntry | None
    recent: tuple[CallEntry, ...]
    categories: tuple[CategoryStatus, ...]
    notice: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class HallDisplayChanged:
    model: HallDisplayModel


@dataclass(frozen=True)
class HostReachability:
    """A hall member's way to the queue host came or went: a counter greys its buttons while
    it is gone (a press could only be refused) and reads its window again when it is back."""

    reachable: bool


@dataclass(frozen=True)
class QueueNotice:
    """A refusal or device trouble worth showing at a counter (message key + params)."""

    counter: int | None
    message: str
    params: dict[str, object] = field(default_factory=dict)
