"""The device model shared by every peripheral (after UnifiedPOS / CEN XFS, simplified).

A device object is owned by exactly one worker thread (the DeviceManager's); nothing else calls
its methods. It reports to the core only through ``emit`` (events) and ``health()`` (a snapshot
the manager copies under its lock), so the GUI never waits on hardware.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

log = logging.getLogger(__name__)


class DeviceState(StrEnum):
    CLOSED = "closed"
    OPENING = "opening"
    IDLE = "idle"
    BUSY = "busy"
    ERROR = "error"
    OFFLINE = "offline"


READY_STATES = frozenset({DeviceState.IDLE, DeviceState.BUSY})
"""The device can take work now."""
FAULT_STATES = frozenset({DeviceState.ERROR, DeviceState.OFFLINE})
"""The manager should retry opening with backoff."""
ACTIVE_STATES = frozenset({DeviceState.OPENING, DeviceState.IDLE, DeviceState.BUSY})


class DeviceKind(StrEnum):
    ID_CARD_READER = "id_card_reader"
    CARD_READER = "card_reader"
    CODE_SCANNER = "code_scanner"
    TICKET_PRINTER = "ticket_printer"
    CALL_DISPLAY = "call_display"
    ANNOUNCER = "announcer"
    CALLER_KEYPAD = "caller_keypad"
    EVALUATION_PAD = "evaluation_pad"


class DeviceError(Exception):
    """A device problem with a stable machine code and a sentence for people.

    ``code`` is stable across releases (technicians and dashboards key on it); ``message`` is
    plain language and must never contain personal data.
    """

    def __init__(self, code: str, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transient = transient


def options_doc(text: str, **extra: Any) -> dict[str, Any]:
    """A device option's field metadata: its ``doc`` line for the settings schema and screens,
    plus limits such as ``min``/``max``/``pattern``."""
    return {"doc": text, **extra}


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class DeviceEvent:
    """Something a device noticed: ``card_read``, ``code_scanned``, ``paper_low``,
    ``paper_out``, ``cover_open``, ``disconnected``, ``recovered``, ``state_changed``, ``key``…"""

    device: str
    type: str
    data: Mapping[str, Any] = field(default_factory=dict)
    at: str = field(default_factory=_now_iso)


@dataclass(frozen=True)
class LastError:
    code: str
    message: str
    at: str


@dataclass
class Counters:
    reads: int = 0
    failures: int = 0
    reconnects: int = 0


@dataclass(frozen=True)
class HealthReport:
    name: str
    kind: str
    driver: str
    state: str
    connected: bool
    model: str | None = None
    firmware: str | None = None
    hardware_id: str | None = None
    last_error: LastError | None = None
    counters: Counters = field(default_factory=Counters)
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


EventSink = Callable[[DeviceEvent], None]


class Device(ABC):
    """Base of every device. Subclasses implement ``open``, ``close`` and usually ``poll``."""

    kind: ClassVar[DeviceKind]
    driver_name: ClassVar[str] = ""
    poll_interval: float = 0.2
    """Seconds between ``poll()`` calls while the device is ready."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._state = DeviceState.CLOSED
        self._state_lock = threading.Lock()
        self._sink: EventSink | None = None
        self.counters = Counters()
        self.last_error: LastError | None = None
        self.model: str | None = None
        self.firmware: str | None = None
        self.hardware_id: str | None = None

    # --- events and state -------------------------------------------------------------
    def attach(self, sink: EventSink) -> None:
        self._sink = sink

    def emit(self, type_: str, **data: Any) -> None:
        if self._sink is not None:
            self._sink(DeviceEvent(self.name, type_, data))

    @property
    def state(self) -> DeviceState:
        return self._state

    def set_state(self, new: DeviceState, reason: str = "") -> None:
        """The only way a state changes: logs the transition once and emits ``state_changed``."""
        with self._state_lock:
            old = self._state
            if old == new:
                return
            self._state = new
        suffix = f" ({reason})" if reason else ""
        level = logging.WARNING if new in FAULT_STATES else logging.INFO
        log.log(level, "device %s: %s -> %s%s", self.name, old.value, new.value, suffix)
        self.emit("state_changed", old=old.value, new=new.value, reason=reason)

    def record_error(self, err: DeviceError) -> None:
        self.counters.failures += 1
        self.last_error = LastError(err.code, err.message, _now_iso())

    # --- lifecycle, called by the owning worker thread ---------------------------------
    @abstractmethod
    def open(self) -> None:
        """Connect and verify the device answers; raise DeviceError when it does not."""

    @abstractmethod
    def close(self) -> None:
        """Release the transport. Must not raise."""

    def poll(self) -> None:  # noqa: B027 - optional hook
        """Do one unit of background work (read a card, check paper). Default: nothing."""

    def health(self) -> HealthReport:
        return HealthReport(
            name=self.name,
            kind=self.kind.value,
            driver=self.driver_name,
            state=self._state.value,
            connected=self._state in READY_STATES,
            model=self.model,
            firmware=self.firmware,
            hardware_id=self.hardware_id,
            last_error=self.last_error,
            counters=Counters(**vars(self.counters)),
            detail=self.health_detail(),
        )

    def health_detail(self) -> Mapping[str, Any]:
        return {}


def monotonic() -> float:
    return time.monotonic()
