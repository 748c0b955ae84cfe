"""Plain results the front ends show: ok or not, a message key (``messages.text``), params.

Plain data only (str, int, datetime, tuples): a result crosses the hall bus as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.usecases.messages import text

ParamValue = str | int | None
Params = dict[str, ParamValue]


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
    """The one refusal (or success) code from the device up to the screen: the message key."""
    params: Params = field(default_factory=dict)
    ticket: TicketView | None = None
    data: dict[str, str | int | bool | None] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return text(self.message, lang, **self.params)


def plain_params(params: dict[str, object]) -> Params:
    """Refusal params as plain values (anything else becomes its text)."""
    return {k: v if v is None or isinstance(v, str | int) else str(v) for k, v in params.items()}


def refused(message: str, **params: object) -> Result:
    return Result(False, message, plain_params(params))
