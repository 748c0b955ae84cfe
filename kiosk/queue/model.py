"""Plain data of the queue: the hall profile it runs on, tickets, counters and the policy.

Tickets are mutable records owned by the engine (one lock serialises every change); everything
that reaches the store or another thread is a copy (``Ticket.copy``) or a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from enum import StrEnum
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Priority(StrEnum):
    APPOINTMENT = "appointment"
    ELDERLY = "elderly"
    DISABILITY = "disability"
    MILITARY = "military"
    VIP = "vip"
    NORMAL = "normal"


PRIORITY_CLAIMS = frozenset({Priority.DISABILITY, Priority.MILITARY, Priority.VIP})
"""Priorities a clerk or the citizen UI may claim (the others are derived: appointment from a
check-in, elderly from the birth date on the ID card)."""


class TicketState(StrEnum):
    PRINTING = "printing"
    """Number taken, ticket handed to the printer, not yet confirmed (crash recovery looks here)."""
    WAITING = "waiting"
    CALLED = "called"
    SERVED = "served"
    NO_SHOW = "no_show"
    VOIDED = "voided"
    """Never reached the citizen (print failed or interrupted and not reprinted)."""
    EXPIRED = "expired"
    """Still waiting when the hall's day ended."""


ACTIVE_STATES = frozenset({TicketState.PRINTING, TicketState.WAITING, TicketState.CALLED})


_TZ_NAME = re.compile(r"(?!.*\.\.)[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,3}")
"""An IANA zone name (``Asia/Shanghai``, ``Etc/GMT-8``); checked before ``ZoneInfo`` sees it,
which would otherwise take a 300-character name to the file system and raise ``OSError``."""
_TZ_MAX = 64


class HallProfileInvalid(ValueError):
    """The hall profile (from the platform or the store) cannot drive a queue."""


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    prefix: str
    daily_limit: int = 0
    """0 = no limit."""
    priority_allowed: bool = True
    name_en: str = ""
    """The English name the hall gives it ("" when it gives none: screens then show ``name``)."""


@dataclass(frozen=True)
class CounterDef:
    number: int
    name: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class OpeningHours:
    weekday: int
    """1 = Monday ... 7 = Sunday (ISO)."""
    open: time
    close: time


@dataclass(frozen=True)
class HallProfile:
    hall_id: str
    name: str
    timezone: str
    categories: tuple[Category, ...]
    counters: tuple[CounterDef, ...]
    opening_hours: tuple[OpeningHours, ...] = ()
    id_hash_salt: str = ""
    version: int = 0
    name_en: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def category(self, code: str) -> Category | None:
        return self._category_by_code.get(code)

    def counter(self, number: int) -> CounterDef | None:
        return self._counter_by_number.get(number)

    @cached_property
    def _category_by_code(self) -> dict[str, Category]:
        """Looked up for every window on every call and estimate (a 100-window day does it
        millions of times); the first definition wins, as in the list."""
        out: dict[str, Category] = {}
        for c in self.categories:
            out.setdefault(c.code, c)
        return out

    @cached_property
    def _counter_by_number(self) -> dict[int, CounterDef]:
        out: dict[int, CounterDef] = {}
        for c in self.counters:
            out.setdefault(c.number, c)
        return out

    def hours_on(self, weekday: int) -> list[OpeningHours]:
        return [h for h in self.opening_hours if h.weekday == weekday]

    @classmethod
    def from_dict(cls, data: Any) -> HallProfile:
        """Build from the platform's ``GET /v1/halls/{id}`` body; anything malformed is refused
        as a whole (a half-read profile would hand out numbers for the wrong windows)."""
        if not isinstance(data, dict):
            raise HallProfileInvalid("hall profile is not an object")
        try:
            tz = data["timezone"]
            if not (isinstance(tz, str) and len(tz) <= _TZ_MAX and _TZ_NAME.fullmatch(tz)):
                raise HallProfileInvalid(f"time zone {str(tz)[:40]!r} is not an IANA zone name")
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
                # OSError: a name the OS cannot even look up (too long, a directory, unreadable)
                raise HallProfileInvalid(f"unknown time zone {tz!r}") from exc
            cats = []
            for c in data["categories"]:
                prefix = str(c["prefix"])
                if not (len(prefix) == 1 and prefix.isascii() and prefix.isalpha() and prefix.isupper()):
                    raise HallProfileInvalid(f"category prefix must be one capital letter, got {prefix!r}")
                limit = c.get("daily_limit") or 0
                if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
                    raise HallProfileInvalid("daily_limit must be a non-negative integer")
                cats.append(
                    Category(
                        code=str(c["code"]),
                        name=str(c["name"]),
                        prefix=prefix,
                        daily_limit=min(limit, 999),
                        priority_allowed=bool(c.get("priority_allowed", True)),
                        name_en=str(c.get("name_en") or ""),
                    )
                )
            codes = {c.code for c in cats}
            if len(codes) != len(cats) or len({c.prefix for c in cats}) != len(cats):
                raise HallProfileInvalid("category codes and prefixes must be unique")
            counters = []
            for k in data["counters"]:
                number = k["number"]
                if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                    raise HallProfileInvalid("counter number must be a positive integer")
                kc = tuple(str(x) for x in k["categories"])
                if not set(kc) <= codes:
                    raise HallProfileInvalid(f"counter {number} serves an unknown category")
                counters.append(CounterDef(number, str(k.get("name") or f"{number}号窗口"), kc))
            if len({k.number for k in counters}) != len(counters):
                raise HallProfileInvalid("counter numbers must be unique")
            hours = []
            for h in data.get("opening_hours") or []:
                wd = h["weekday"]
                if not isinstance(wd, int) or not 1 <= wd <= 7:
                    raise HallProfileInvalid("weekday must be 1-7")
                hours.append(OpeningHours(wd, time.fromisoformat(h["open"]), time.fromisoformat(h["close"])))
            return cls(
                hall_id=str(data["hall_id"]),
                name=str(data.get("name") or ""),
                name_en=str(data.get("name_en") or ""),
                timezone=tz,
                categories=tuple(cats),
                counters=tuple(counters),
                opening_hours=tuple(hours),
                id_hash_salt=str(data.get("id_hash_salt") or ""),
                version=int(data.get("version") or 0),
            )
        except HallProfileInvalid:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
            raise HallProfileInvalid(f"hall profile malformed: {type(exc).__name__} {exc}") from exc


DEFAULT_TARGETS: dict[str, int] = {
    "appointment": 10,
    "elderly": 20,
    "disability": 20,
    "military": 30,
    "vip": 30,
    "normal": 0,
}
"""Target waits (minutes). Appointment: the published 10 (Songjiang 2022; complex items 30 are a
per-category override); the green channel (elderly, disability) twice that; military and vip
the complex-item 30; ordinary tickets have no published target."""


@dataclass(frozen=True)
class QueuePolicy:
    """The rules a hall may tune (``[queue]`` in the config); see ``kiosk.settings.schema``."""

    lane_weights: dict[str, int] = field(
        default_factory=lambda: {
            "appointment": 3,
            "elderly": 3,
            "disability": 3,
            "military": 2,
            "vip": 2,
            "normal": 1,
        }
    )
    starvation_bound: int = 5
    recall_max: int = 2
    no_show: str = "requeue_once"
    """``requeue_once``: a skipped ticket goes to the back of its queue once; ``gone``: it is out."""
    real_name_limit: int = 3
    elderly_age: int = 70
    counter_weights: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per counter (as a string), per category weight; missing = 1."""
    stop_issuing_before_close_min: int = 0
    default_service_min: float = 5.0
    rolling_window: int = 20
    enforce_hours: bool = True
    calling: str = "service_level"
    """``service_level``: the ticket due soonest (its start plus its lane's target wait) is
    called; ``weighted``: lanes take turns by weight, with ``starvation_bound``."""
    target_wait_min: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    """Per lane, the wait the hall promises (minutes after check-in or issue); 0 = no target."""
    category_target_wait_min: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per category, per lane overrides (complex items: ``{B = {appointment = 30}}``)."""
    horizon_min: int = 150
    """A lane without a target is due this long after it starts waiting: the starvation bound."""
    day_full: bool = False
    """Stop issuing for a category once its open windows cannot serve one more person today."""
    day_full_categories: dict[str, bool] = field(default_factory=dict)
    """Per category override of ``day_full``."""
    confirm_wait_over_min: int = 60
    """A ticket estimated to wait longer is confirmed by the citizen before it is printed."""
    near_turn_ahead: int = 3
    """An online ticket with this many (or fewer) before it: ``ticket.near_turn``; 0 = never."""

    def target_min(self, lane: Priority, category: str) -> int | None:
        """The published target wait of a lane in a category; None when it has none."""
        own = self.category_target_wait_min.get(category, {})
        value = own.get(lane.value, self.target_wait_min.get(lane.value, 0))
        return int(value) if value and value > 0 else None

    def due_in_min(self, lane: Priority, category: str) -> int:
        """Minutes after it starts waiting at which a ticket of this lane is due."""
        return self.target_min(lane, category) or self.horizon_min

    def day_full_for(self, category: str) -> bool:
        return bool(self.day_full_categories.get(category, self.day_full))

    def lane_weight(self, p: Priority) -> int:
        return int(self.lane_weights.get(p.value, 1))

    def counter_weight(self, counter: int, category: str) -> int:
        return int(self.counter_weights.get(str(counter), {}).get(category, 1))


@dataclass
class Ticket:
    ticket_id: str
    number: str
    day: str
    """Local date (hall time zone) the number belongs to, ``YYYY-MM-DD``."""
    seq: int
    category: str
    """The category it waits in now (changes on transfer)."""
    origin_category: str
    item_code: str | None
    priority: Priority
    issued_at: datetime
    order: int
    """Position key in its queue: the issue order, kept on transfer, renewed on requeue."""
    state: TicketState = TicketState.WAITING
    appointment_id: str | None = None
    holder_id_hash: str | None = None
    checked_in_at: datetime | None = None
    late_minutes: int | None = None
    counter: int | None = None
    first_called_at: datetime | None = None
    first_counter: int | None = None
    called_at: datetime | None = None
    recalls: int = 0
    requeues: int = 0
    transfers: int = 0
    passed_over: int = 0
    finished_at: datetime | None = None
    case_number: str | None = None
    note: str | None = None
    holder_masked: str | None = None
    """The holder's masked name for the counter screen (``李*华``); never the full name."""
    channel: str = "kiosk"
    """``kiosk`` (taken in the hall) or ``online`` (taken from the phone, pulled from the platform)."""
    request_id: str | None = None
    """The platform's online request this ticket answers."""
    arrive_by: datetime | None = None
    """An online ticket not checked in by then expires (``not_arrived``)."""
    near_sent: bool = False
    """``ticket.near_turn`` went out for it."""
    told_wait_min: int | None = None
    """The first wait it was told (the one printed on it): kept to report the estimate error;
    stored with the ticket's next change (its confirmed print, its call)."""

    @property
    def held(self) -> bool:
        """An online ticket whose holder has not arrived: it keeps its place but is not called."""
        return self.channel == "online" and self.checked_in_at is None

    def copy(self) -> Ticket:
        # every field is immutable (text, numbers, enums, datetimes): a shallow copy of the
        # fields is a full one, at a fifth of dataclasses.replace's cost (every queue
        # operation hands its caller a copy)
        twin = object.__new__(Ticket)
        twin.__dict__.update(self.__dict__)
        return twin

    @property
    def wait_min(self) -> float | None:
        if self.first_called_at is None:
            return None
        return (self.first_called_at - self.issued_at).total_seconds() / 60.0

    @property
    def service_min(self) -> float | None:
        if self.finished_at is None or self.called_at is None:
            return None
        return (self.finished_at - self.called_at).total_seconds() / 60.0


@dataclass
class CounterState:
    number: int
    paused: bool = False
    credits: dict[str, int] = field(default_factory=dict)
    """Smooth weighted round-robin credits over its categories (persisted: exact on restart)."""
    eval_ticket: str | None = None
    """The ticket a pad rating at this window belongs to (the last one finished)."""

    def copy(self) -> CounterState:
        return CounterState(self.number, self.paused, dict(self.credits), self.eval_ticket)


@dataclass(frozen=True)
class Evaluation:
    evaluation_id: str
    ticket_id: str | None
    case_number: str | None
    counter: int | None
    channel: str
    level: int
    tags: tuple[str, ...]
    comment: str | None
    at: datetime


def utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("naive datetime")
    return dt.astimezone(UTC)


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat()
