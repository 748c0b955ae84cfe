"""The running kiosk: settings, paths, the event bus, the typed services and the components,
started in order and stopped in reverse, so a SIGTERM finishes the print in progress (the device
manager drains its work), flushes the store and closes devices, in that order, whichever front
end (GUI, CLI) is running.

Apart from ``kiosk.app`` (the composition root, which lists the builders): the wiring modules
import this one and ``kiosk.app`` imports them, so nothing imports in a circle.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from devices.a4printer import A4Layout
from kiosk import __version__
from kiosk.events import EventBus
from kiosk.paths import Paths
from kiosk.services import Services
from kiosk.settings.schema import Settings

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
    services: Services = field(default_factory=Services)
    """The running services, typed (what the wiring built; None where it did not start)."""
    a4_layout: A4Layout | None = None
    """How A4 documents are laid out as PDF (Qt's writer, given by the front end that starts the
    app: ``ui.a4pdf.layout``); without one the self-service station has no A4 printing."""
    _started: list[Component] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: bool = False

    def start(self, builders: list[Builder]) -> None:
        """Build and start every component in order; on failure, stop what was started."""
        log.info("hall-kiosk %s starting (profile %s)", __version__, self.settings.terminal.profile)
        self.paths.ensure()
        try:
            for builder in builders:
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
