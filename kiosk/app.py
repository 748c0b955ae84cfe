"""The composition root: configuration -> store -> devices -> services -> (UI attaches last).

``App`` itself lives in ``kiosk.runtime``; this module only lists the builders in start order,
so the wiring modules never import the module that imports them.
"""

from __future__ import annotations

from kiosk.runtime import App as _RuntimeApp
from kiosk.runtime import Builder, Component
from kiosk.wiring import device_faults as wiring_device_faults
from kiosk.wiring import devices as wiring_devices
from kiosk.wiring import ops as wiring_ops
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store
from kiosk.wiring import sync as wiring_sync


def _event_bus(app: _RuntimeApp) -> Component:
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


class App(_RuntimeApp):
    """``kiosk.runtime.App`` started with ``DEFAULT_BUILDERS`` unless given its own list."""

    def start(self, builders: list[Builder] | None = None) -> None:
        super().start(DEFAULT_BUILDERS if builders is None else builders)


__all__ = ["DEFAULT_BUILDERS", "App", "Builder", "Component"]
