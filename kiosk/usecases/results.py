"""Plain results the front ends show: ok or not, a message key (``messages.text``), params."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.usecases.messages import text


@dataclass(frozen=True)
class TicketView:
    ticket_id: str
    number: str
    category: str
    category_name: str
    priority: str
    issued_at: datetime
    people_ahead: int
    est_wait_min: int | None
    counters: tuple[int, ...] = ()
    """Windows serving the category (where to wait)."""
    late_minutes: int | None = None
    preview: str | None = None
    """PNG of what the printer printed, when it renders one (``preview_dir``): the ticket screen
    shows the citizen the real slip rather than a mock-up."""


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    ticket: TicketView | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return text(self.message, lang, **self.params)


def refused(message: str, **params: Any) -> Result:
    return Result(False, message, dict(params))
