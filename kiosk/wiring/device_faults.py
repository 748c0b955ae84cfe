"""Builder for device fault reporting: device events -> ``device.fault`` / ``device.recovered``
in the outbox (``kiosk.fault_reports``). Built before the devices so the first fault of a
device that starts broken is not missed; needs the store (without one there is nowhere to
keep the report, and the heartbeat's device list still tells the platform)."""

from __future__ import annotations

from collections.abc import Callable

from devices.base import DeviceError
from kiosk.device_faults import FaultTracker
from kiosk.fault_reports import FaultReporter
from kiosk.runtime import App, Component


def build(app: App) -> Component | None:
    store = app.services.store
    if store is None:
        return None

    def kind_of(name: str) -> str:
        manager = app.services.devices
        if manager is None:
            raise KeyError(name)
        try:
            return str(manager.kind(name).value)
        except DeviceError:  # not (or no longer) one of the manager's devices
            raise KeyError(name) from None

    def hall_id() -> str:
        queue = app.services.queue
        return app.settings.platform.hall_id or (queue.hall_id if queue is not None else "") or "unknown"

    tracker = FaultTracker(kind_of)
    reporter = FaultReporter(tracker, store, terminal_id=app.settings.terminal_id, hall_id=hall_id)
    unsubscribe: list[Callable[[], None]] = []

    def stop() -> None:
        for fn in unsubscribe:
            fn()

    app.services.device_faults = tracker
    return app.add("device_faults", lambda: unsubscribe.append(app.bus.subscribe(reporter.on_event)), stop)
