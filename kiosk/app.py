"""The composition root: configuration -> store -> devices -> services -> (UI attaches last).

Everything long-lived is a ``Component`` started here in order and stopped in reverse, so a
SIGTERM finishes the print in progress (the device manager drains its work), flushes the store
and closes devices, in that order, whichever front end (GUI, CLI) is running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk import __version__
from kiosk.events import EventBus
from kiosk.paths import Paths
from kiosk.settings.schema import Settings
from kiosk.wiring import device_faults as wiring_device_faults
from kiosk.wiring import devices as wiring_devices
from kiosk.wiring import ops as wiring_ops
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store
from kiosk.wiring import sync as wiring_sync

log = logging.getLogger(__name__)


class Component(Protocol):
    name: str

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass
class _FnComponent:
    name: str
    start_fn: Callable[[], None]
    stop_fn: Callable[[], None]

    def start(self) -> None:
        self.start_fn()

    def stop(self) -> None:
        self.stop_fn()


Builder = Callable[["App"], Component | None]
"""Builds one component from the app (which holds settings, paths and what was built before)."""


@dataclass
class App:
    settings: Settings
    paths: Paths
    demo: bool = False
    config_file: str | None = None
    """The terminal's file as given on the command line (None: ``$KIOSK_CONFIG`` or defaults);
    ``reload_config`` validates it again exactly as at start."""
    bus: EventBus = field(default_factory=EventBus)
    components: list[Component] = field(default_factory=list)
    services: dict[str, Any] = field(default_factory=dict)
    """Named services for the front ends (``store``, ``devices``, ``queue``, ``sync``...)."""
    _started: list[Component] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: bool = False

    def start(self, builders: list[Builder] | None = None) -> None:
        """Build and start every component in order; on failure, stop what was started."""
        log.info("hall-kiosk %s starting (profile %s)", __version__, self.settings.terminal.profile)
        self.paths.ensure()
        try:
            for builder in DEFAULT_BUILDERS if builders is None else builders:
                component = builder(self)
                if component is None:
                    continue
                component.start()
                self.components.append(component)
                with self._lock:
                    self._started.append(component)
                log.info("started %s", component.name)
        except BaseException:
            self.shutdown()
            raise

    def add(self, name: str, start: Callable[[], None], stop: Callable[[], None]) -> Component:
        return _FnComponent(name, start, stop)

    def shutdown(self) -> None:
        """Stop components in reverse order; idempotent and safe from any thread."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            started = list(reversed(self._started))
        for component in started:
            try:
                component.stop()
                log.info("stopped %s", component.name)
            except Exception:
                log.exception("stopping %s failed", component.name)
        log.info("shutdown complete")


def _event_bus(app: App) -> Component:
    return app.add("event bus", app.bus.start, app.bus.stop)


DEFAULT_BUILDERS: list[Builder] = [
    _event_bus,
    wiring_store.build,
    wiring_device_faults.build,
    wiring_devices.build,
    wiring_queue.build,
    wiring_sync.build,
    wiring_ops.build,
]
"""In start order. Each issue's service adds its builder here (store, devices, sync, queue)."""
