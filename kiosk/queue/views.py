"""Read-only views of the live queue for the screens: plain frozen data, safe to hand across
threads and across the hall bus (masked holders only, never an ID number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class WaitingTicket:
    number: str
    category: str
    priority: str
    issued_at: datetime
    channel: str = "kiosk"
    """``online``: taken from the phone (the screens mark it)."""


@dataclass(frozen=True)
class ServingTicket:
    """The ticket open at a window (masked holder only)."""

    number: str
    category: str
    priority: str
    called_at: datetime | None
    holder_masked: str = ""
    item_code: str = ""
    wait_min: int = 0
    recalls: int = 0
    channel: str = "kiosk"


@dataclass(frozen=True)
class CounterView:
    """One window as its clerk sees it."""

    counter: int
    paused: bool
    current: ServingTicket | None
    waiting: tuple[WaitingTicket, ...]
    """The first ``limit`` waiting tickets of the window's categories, in calling order."""
    waiting_count: int
    served_today: int
    at: datetime
