"""Builder for device fault reporting: device events -> ``device.fault`` / ``device.recovered``
in the outbox (see ``kiosk.device_faults``). Built before the devices so the first fault of a
device that starts broken is not missed; needs the store (without one there is nowhere to
keep the report, and the heartbeat's device list still tells the platform)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from devices.base import DeviceError, DeviceEvent
from kiosk.device_faults import FaultTracker, Report
from offline_cache import outbox

if TYPE_CHECKING:
    from kiosk.runtime import App, Component

log = logging.getLogger(__name__)


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

    tracker = FaultTracker(kind_of)
    unsubscribe: list[Any] = []

    def hall_id() -> str:
        queue = app.services.queue
        return app.settings.platform.hall_id or (queue.hall_id if queue is not None else "") or "unknown"

    def record(report: Report) -> None:
        terminal = app.settings.terminal_id
        hall = hall_id()

        def write(conn: Any) -> str:
            return outbox.enqueue(
                conn, report.type, report.data, terminal_id=terminal, hall_id=hall, at=report.at
            )

        future = store.submit(write)
        future.add_done_callback(lambda f: _log_result(f, report))

    def on_event(event: Any) -> None:
        if not isinstance(event, DeviceEvent):
            return
        for report in tracker.feed(event):
            try:
                record(report)
            except Exception:  # a closed store at shutdown: the report is lost with the process
                log.exception("could not record %s for device %s", report.type, report.data["device"])

    def start() -> None:
        unsubscribe.append(app.bus.subscribe(on_event))

    def stop() -> None:
        for fn in unsubscribe:
            fn()

    app.services.device_faults = tracker
    return app.add("device_faults", start, stop)


def _log_result(future: Any, report: Report) -> None:
    exc = future.exception()
    if exc is not None:
        log.error("could not record %s for device %s: %s", report.type, report.data["device"], exc)
    else:
        log.info("%s %s: %s", report.type, report.data["device"], report.data["code"])
