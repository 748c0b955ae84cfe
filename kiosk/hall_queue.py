"""The one typed queue interface under every screen, keypad, pad and remote command: ``HallQueue``.

A standalone box and the hall's host use ``LocalHallQueue`` (the use cases over this box's
``QueueService``); a hall-bus member plugs in an implementation that sends each call to the
host. Nothing above this interface knows which it has. So every argument and every result is
plain data — str, int, bool, datetime, tuples and frozen dataclasses of those (``Identity``,
``Result``, ``TicketView``, the views below) — never a live object, and every refusal is a
``Result`` with one message code (``kiosk.usecases.messages``), the same on both sides.

The interface is stable: add to it, do not rename (the hall bus implements it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from kiosk.identity.person import Identity
from kiosk.queue.events import CategoryStatus, CounterChanged, HallDisplayModel
from kiosk.queue.model import HallProfile, Priority
from kiosk.queue.views import CounterView, ServingTicket, WaitingTicket
from kiosk.usecases import UseCases
from kiosk.usecases.results import Result

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


class CounterAction(StrEnum):
    NEXT = "next"
    RECALL = "recall"
    SKIP = "skip"
    TRANSFER = "transfer"
    FINISH = "finish"
    PAUSE = "pause"
    RESUME = "resume"
    TOGGLE_PAUSE = "toggle_pause"
    """A keypad's one pause key: pause an open counter, resume a paused one."""
    INVITE = "invite"
    """Ask the citizen just served to rate the service (the window's pad lights up)."""


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    name: str
    prefix: str
    name_en: str = ""


@dataclass(frozen=True)
class CounterInfo:
    number: int
    name: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class HallInfo:
    """The hall the queue runs for: names, categories and windows (from the hall profile)."""

    hall_id: str
    name: str
    name_en: str
    timezone: str
    categories: tuple[CategoryInfo, ...]
    counters: tuple[CounterInfo, ...]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def category_name(self, code: str) -> str:
        return next((c.name for c in self.categories if c.code == code), code)

    def category_name_en(self, code: str) -> str:
        """The English name, or the hall's own name where the profile gives no English one."""
        return next((c.name_en or c.name for c in self.categories if c.code == code), code)

    def counter(self, number: int) -> CounterInfo | None:
        return next((c for c in self.counters if c.number == number), None)

    @classmethod
    def of(cls, profile: HallProfile) -> HallInfo:
        return cls(
            profile.hall_id,
            profile.name,
            profile.name_en,
            profile.timezone,
            tuple(CategoryInfo(c.code, c.name, c.prefix, c.name_en) for c in profile.categories),
            tuple(CounterInfo(c.number, c.name, tuple(c.categories)) for c in profile.counters),
        )


@dataclass(frozen=True)
class TicketEstimate:
    """What a citizen would get now in a category: people ahead, minutes, the priority."""

    ahead: int
    minutes: int | None
    """None when no open counter serves the category."""
    priority: str = Priority.NORMAL.value


@runtime_checkable
class HallQueue(Protocol):
    # -- citizen ---------------------------------------------------------------------------------
    def take_ticket(
        self,
        category: str,
        *,
        item_code: str | None = None,
        item_name: str | None = None,
        identity: Identity | None = None,
        claim: str | None = None,
        language: str = "zh",
    ) -> Result:
        """Issue and print a number. ``identity`` makes it real-name (limit per day) and gives
        elderly priority by age; ``claim`` is a clerk-granted ``disability``/``military``/``vip``."""
        ...

    def estimate(
        self, category: str, identity: Identity | None = None, claim: str | None = None
    ) -> TicketEstimate:
        """What ``take_ticket`` would give now, without taking anything."""
        ...

    def wait_quote(self, category: str, identity: Identity | None = None, claim: str | None = None) -> Result:
        """Asked before printing: refused (``day_full``, hall closed) or ok with the wait the
        ticket would be told; ``data["confirm"]`` means the screen says ``long_wait_confirm``
        and prints only when the citizen confirms."""
        ...

    def check_in(
        self, *, identity: Identity | None = None, qr_payload: str | None = None, language: str = "zh"
    ) -> Result:
        """Today's appointment of the identity's holder, or of a booking's signed QR code."""
        ...

    def submit_evaluation(
        self,
        level: int,
        *,
        tags: tuple[str, ...] = (),
        ticket_id: str | None = None,
        counter: int | None = None,
        channel: str = "window",
        case_number: str | None = None,
        comment: str | None = None,
    ) -> Result:
        """One rating per service; a window rating without a ticket binds to the ticket just
        served at that window."""
        ...

    # -- counter ---------------------------------------------------------------------------------
    def counter_action(
        self,
        counter: int,
        action: CounterAction,
        *,
        to_category: str | None = None,
        to_counter: int | None = None,
        case_number: str | None = None,
    ) -> Result:
        """Next, recall, skip, transfer (to a category or a window), finish, pause, resume,
        invite evaluation."""
        ...

    # -- read-only views -------------------------------------------------------------------------
    def hall(self) -> HallInfo: ...

    def categories(self) -> tuple[CategoryStatus, ...]:
        """Waiting and estimated minutes per category."""
        ...

    def counters(self) -> tuple[CounterChanged, ...]: ...

    def counter_view(self, counter: int, limit: int = 30) -> CounterView: ...

    def display_model(self) -> HallDisplayModel:
        """What the hall TV shows: latest call, recent calls, waiting per category."""
        ...

    def status(self) -> dict[str, JsonValue]:
        """The live queue as plain data (``kiosk queue status``, the heartbeat)."""
        ...


class LocalHallQueue:
    """``HallQueue`` over this box's own queue (standalone, or the hall's host)."""

    def __init__(self, usecases: UseCases) -> None:
        self._uc = usecases
        self._q = usecases.queue

    @property
    def usecases(self) -> UseCases:
        return self._uc

    def take_ticket(
        self,
        category: str,
        *,
        item_code: str | None = None,
        item_name: str | None = None,
        identity: Identity | None = None,
        claim: str | None = None,
        language: str = "zh",
    ) -> Result:
        return self._uc.take_ticket(
            category, item_code, identity, claim=claim, item_name=item_name, language=language
        )

    def estimate(
        self, category: str, identity: Identity | None = None, claim: str | None = None
    ) -> TicketEstimate:
        est = self._q.estimate(category)
        return TicketEstimate(est.ahead, est.minutes, self._uc.priority_for(identity, claim).value)

    def wait_quote(self, category: str, identity: Identity | None = None, claim: str | None = None) -> Result:
        return self._uc.wait_quote(category, identity, claim=claim)

    def check_in(
        self, *, identity: Identity | None = None, qr_payload: str | None = None, language: str = "zh"
    ) -> Result:
        return self._uc.check_in(identity, qr_payload=qr_payload)

    def submit_evaluation(
        self,
        level: int,
        *,
        tags: tuple[str, ...] = (),
        ticket_id: str | None = None,
        counter: int | None = None,
        channel: str = "window",
        case_number: str | None = None,
        comment: str | None = None,
    ) -> Result:
        return self._uc.submit_evaluation(
            level,
            tags,
            ticket_id=ticket_id,
            counter=counter,
            channel=channel,
            case_number=case_number,
            comment=comment,
        )

    def counter_action(
        self,
        counter: int,
        action: CounterAction,
        *,
        to_category: str | None = None,
        to_counter: int | None = None,
        case_number: str | None = None,
    ) -> Result:
        return self._uc.counter_action(
            counter, str(action), to_category=to_category, to_counter=to_counter, case_number=case_number
        )

    def hall(self) -> HallInfo:
        return HallInfo.of(self._q.profile)

    def categories(self) -> tuple[CategoryStatus, ...]:
        return self._q.categories()

    def counters(self) -> tuple[CounterChanged, ...]:
        return tuple(self._q.counters())

    def counter_view(self, counter: int, limit: int = 30) -> CounterView:
        return self._q.counter_view(counter, limit)

    def display_model(self) -> HallDisplayModel:
        return self._q.display_model()

    def status(self) -> dict[str, JsonValue]:
        return self._q.status()


__all__ = [
    "CategoryInfo",
    "CategoryStatus",
    "CounterAction",
    "CounterChanged",
    "CounterInfo",
    "CounterView",
    "HallDisplayModel",
    "HallInfo",
    "HallQueue",
    "Identity",
    "JsonValue",
    "LocalHallQueue",
    "Result",
    "ServingTicket",
    "TicketEstimate",
    "WaitingTicket",
]
