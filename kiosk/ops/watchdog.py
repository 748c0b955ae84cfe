"""Tells systemd the kiosk is up (READY=1) and still healthy (WATCHDOG=1).

The GUI loop calls ``tick()`` from a timer, so a frozen GUI thread stops the pings by itself.
Before each ping the health checks run; the one shipped here asks every device worker to run a
no-op job: a worker that died, or sits in one driver call for longer than ``stall_s``, stops the
pings too, and systemd restarts the session (WatchdogSec= in hall-kiosk.service). A device that
is merely unplugged is *not* unhealthy: its worker answers at once and keeps reconnecting, and a
restart would not bring the cable back.
"""

from __future__ import annotations

import faulthandler
import logging
import time
from collections.abc import Callable, MutableMapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

from devices.base import DeviceError, DeviceState
from kiosk.ops.sdnotify import Notifier, watchdog_interval

if TYPE_CHECKING:
    from kiosk.runtime import App

log = logging.getLogger(__name__)

HealthCheck = Callable[[], str | None]
"""Returns what is wrong, or None when healthy."""


class _Manager(Protocol):
    def names(self) -> list[str]: ...

    def submit(self, name: str, fn: Callable[[Any], Any]) -> Future[Any]: ...

    def health(self) -> dict[str, Any]: ...


def _noop(_device: Any) -> None:
    return None


class DeviceWorkersCheck:
    """Each device worker must answer a no-op job within ``stall_s`` seconds."""

    def __init__(
        self, manager: _Manager, *, stall_s: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.manager = manager
        self.stall_s = stall_s
        self.clock = clock
        self._probes: dict[str, tuple[Future[Any], float]] = {}

    def __call__(self) -> str | None:
        now = self.clock()
        problems: list[str] = []
        for name in self.manager.names():
            probe = self._probes.get(name)
            if probe is not None:
                future, since = probe
                if not future.done():
                    if now - since > self.stall_s:
                        problems.append(
                            f"device {name}: worker stuck (no answer for over {self.stall_s:.0f} s)"
                        )
                    continue
                exc = future.exception()
                if isinstance(exc, DeviceError) and exc.code == "not_running":
                    problems.append(f"device {name}: worker not running")
            self._probes[name] = (self.manager.submit(name, _noop), now)
        return "; ".join(problems) or None


def device_summary(manager: _Manager) -> str:
    """'devices: 3 ready, 1 offline' for systemctl status."""
    counts: dict[str, int] = {}
    for report in manager.health().values():
        state = str(getattr(report, "state", "unknown"))
        label = "ready" if state in (DeviceState.IDLE, DeviceState.BUSY) else state
        counts[label] = counts.get(label, 0) + 1
    if not counts:
        return "no devices"
    return "devices: " + ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))


class Watchdog:
    def __init__(
        self,
        notifier: Notifier,
        interval_s: float | None,
        checks: list[HealthCheck] | None = None,
        *,
        status: Callable[[], str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.notifier = notifier
        self.interval_s = interval_s
        self.checks = list(checks or [])
        self.status = status
        self.clock = clock
        # Ping three times per interval: one late tick (a long GC pause, a slow frame) is no kill.
        self.period = interval_s / 3 if interval_s else 0.0
        self._ready = False
        self._next = 0.0
        self._unhealthy: str | None = None

    @classmethod
    def for_app(cls, app: App, environ: MutableMapping[str, str] | None = None) -> Watchdog:
        interval = watchdog_interval(environ)
        notifier = Notifier.from_environ(environ)
        checks: list[HealthCheck] = []
        status: Callable[[], str] | None = None
        manager = app.services.devices
        if manager is not None:
            checks.append(DeviceWorkersCheck(manager, stall_s=max(interval or 30.0, 10.0)))
            status = lambda: device_summary(manager)  # noqa: E731 - bound late, read at each ping
        if notifier.enabled and interval and not faulthandler.is_enabled():
            # The watchdog kills with SIGABRT: leave every thread's stack in the journal.
            faulthandler.enable(all_threads=True)
        return cls(notifier, interval if notifier.enabled else None, checks, status=status)

    @property
    def watching(self) -> bool:
        return self.interval_s is not None

    def ready(self) -> None:
        """The home screen is up: systemd's start job is done, the watchdog starts counting."""
        if self._ready:
            return
        self._ready = True
        self.notifier.notify(READY=1, STATUS=self._status("serving"))
        self._next = 0.0
        self.tick()

    def tick(self) -> None:
        """Called from the GUI loop (every few hundred ms); pings when due and healthy."""
        if not (self._ready and self.watching):
            return
        now = self.clock()
        if now < self._next:
            return
        self._next = now + self.period
        problem = self._problems()
        if problem is not None:
            if problem != self._unhealthy:
                log.error("watchdog: unhealthy, not pinging systemd: %s", problem)
                self.notifier.notify(STATUS=f"unhealthy: {problem}")
            self._unhealthy = problem
            return
        if self._unhealthy is not None:
            log.warning("watchdog: healthy again")
            self._unhealthy = None
        self.notifier.notify(WATCHDOG=1, STATUS=self._status("serving"))

    def stopping(self) -> None:
        self.notifier.notify(STOPPING=1, STATUS="shutting down")

    def _problems(self) -> str | None:
        found: list[str] = []
        for check in self.checks:
            try:
                problem = check()
            except Exception as exc:  # noqa: BLE001 - a broken check is itself a health problem
                problem = f"health check failed: {type(exc).__name__}: {exc}"
            if problem:
                found.append(problem)
        return "; ".join(found) or None

    def _status(self, head: str) -> str:
        if self.status is None:
            return head
        try:
            return f"{head}; {self.status()}"
        except Exception:  # noqa: BLE001 - status text is cosmetic
            return head
