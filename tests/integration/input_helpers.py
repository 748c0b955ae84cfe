"""Helpers shared by the input-device integration tests: an App with the device manager and
an event recorder on its bus (the "core" side of a device)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.base import DeviceEvent
from kiosk.app import App
from kiosk.paths import Paths
from kiosk.settings import load_settings
from kiosk.wiring import devices as devices_wiring


class Recorder:
    """Subscriber on the core's bus: every DeviceEvent with its arrival time."""

    def __init__(self) -> None:
        self.events: list[tuple[float, DeviceEvent]] = []
        self._cond = threading.Condition()

    def __call__(self, event: Any) -> None:
        if isinstance(event, DeviceEvent):
            with self._cond:
                self.events.append((time.monotonic(), event))
                self._cond.notify_all()

    def wait(
        self, pred: Callable[[DeviceEvent], bool], timeout: float, after: float = 0.0
    ) -> tuple[float, DeviceEvent] | None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for at, ev in self.events:
                    if at >= after and pred(ev):
                        return at, ev
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)

    def types(self, device: str | None = None) -> list[str]:
        with self._cond:
            return [e.type for _, e in self.events if device in (None, e.device)]


def start_app(tmp_path: Path, config: str) -> tuple[App, Recorder]:
    cfg = tmp_path / "terminal.toml"
    cfg.write_text(config, encoding="utf-8")
    settings = load_settings(cfg, environ={"KIOSK_DATA_DIR": str(tmp_path / "data")})
    app = App(settings, Paths.from_settings(settings.paths))
    recorder = Recorder()
    app.bus.subscribe(recorder)

    def bus(a: App) -> Any:
        return a.add("event bus", a.bus.start, a.bus.stop)

    app.start([bus, devices_wiring.build])
    return app, recorder
