"""Device faults and recoveries into the outbox: the ``FaultTracker``'s reports, written as
``device.fault`` / ``device.recovered`` events, so an offline terminal reports them once it
reconnects. The write is handed to the store's writer and never waited on: the bus thread that
delivers device events must not stall on the disk."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from devices.base import DeviceEvent
from kiosk.device_faults import FaultTracker, Report
from offline_cache import outbox

if TYPE_CHECKING:
    import sqlite3

    from offline_cache.store import Store

log = logging.getLogger(__name__)


class FaultReporter:
    def __init__(
        self, tracker: FaultTracker, store: Store, *, terminal_id: str, hall_id: Callable[[], str]
    ) -> None:
        self.tracker = tracker
        self.store = store
        self.terminal_id = terminal_id
        self.hall_id = hall_id
        """Read at each report: the hall may only be known once the queue has its profile."""

    def on_event(self, event: object) -> None:
        if not isinstance(event, DeviceEvent):
            return
        for report in self.tracker.feed(event):
            try:
                self.record(report)
            except Exception:  # a closed store at shutdown: the report is lost with the process
                log.exception("could not record %s for device %s", report.type, report.data["device"])

    def record(self, report: Report) -> None:
        terminal, hall = self.terminal_id, self.hall_id()

        def write(conn: sqlite3.Connection) -> str:
            return outbox.enqueue(
                conn, report.type, report.data, terminal_id=terminal, hall_id=hall, at=report.at
            )

        future: Future[str] = self.store.submit(write)
        future.add_done_callback(lambda f: _log_result(f, report))


def _log_result(future: Future[str], report: Report) -> None:
    exc = future.exception()
    if exc is not None:
        log.error("could not record %s for device %s: %s", report.type, report.data["device"], exc)
    else:
        log.info("%s %s: %s", report.type, report.data["device"], report.data["code"])
