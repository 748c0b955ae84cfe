"""Builder for the queue: ``app.services.queue`` (QueueService), ``.usecases`` and
``.hall_queue`` (the ``HallQueue`` every front end uses).

Needs the store (the ledger lives there) and the hall profile (from the store, synced from the
platform; the built-in demo hall only in demo mode). Without a profile the queue is not built
yet: ``app.services.queue_status`` says ``hall_profile_missing`` and the builder retries
each time the sync engine reports, so a fresh terminal starts queueing after its first sync.

Keypad ``key`` and pad ``rating`` events from the bus go through the same queue interface as
the counter screen (``kiosk.counter_devices``). On start, tickets a crash left ``printing`` are
settled once the printer is up (``kiosk.usecases.recovery``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.base import DeviceEvent
from kiosk import counter_devices
from kiosk.hall_queue import LocalHallQueue
from kiosk.platform.status import SyncStatus
from kiosk.queue import hall
from kiosk.queue.config import policy_from
from kiosk.queue.service import QueueService
from kiosk.usecases import CheckInConfig, UseCases
from kiosk.usecases.recovery import PRINTER_WAIT_S, recover_in_background

if TYPE_CHECKING:
    from kiosk.runtime import App, Component
    from offline_cache.store import Store

log = logging.getLogger(__name__)


def make(app: App, store: Store) -> tuple[QueueService, UseCases] | None:
    """Queue service and use cases over ``store``, or None when no hall profile is known."""
    with store.read() as conn:
        profile = hall.resolve(conn, app.settings.platform.hall_id, demo=app.demo)
    if profile is None:
        return None
    qs = app.settings.queue
    terminal = app.settings.terminal_id
    service = QueueService(
        store,
        profile,
        policy_from(qs),
        terminal_id=terminal,
        publish=app.bus.publish,
        outputs=None,
        notice=app.settings.ui.notice,
    )
    devices = app.services.devices
    if devices is not None:
        from kiosk.queue.outputs import CallOutputs

        service.outputs = CallOutputs(devices, language=app.settings.terminal.language)
    usecases = UseCases(
        service,
        store=store,
        devices=devices,
        config=CheckInConfig(
            before_min=qs.checkin_before_min,
            after_min=qs.checkin_after_min,
            interrupted_print=qs.interrupted_print,
            reprint_within_s=qs.reprint_within_s,
        ),
        hall_name=profile.name or app.settings.terminal.hall_name,
        publish=app.bus.publish,
    )
    return service, usecases


def build(app: App) -> Component | None:
    store = app.services.store
    if store is None:
        log.warning("no local store; the queue is not started")
        app.services.queue_status = "store_unavailable"
        return None
    unsubscribes: list[Callable[[], None]] = []
    recovery: list[threading.Thread] = []
    lock = threading.Lock()

    def on_event(event: object) -> None:
        queue = app.services.hall_queue
        if queue is not None and isinstance(event, DeviceEvent):
            counter_devices.on_device_event(queue, event, app.bus.publish)

    def try_start() -> bool:
        with lock:
            if app.services.queue is not None:
                return True
            built = make(app, store)
            if built is None:
                app.services.queue_status = "hall_profile_missing"
                return False
            service, usecases = built
            service.start()
            app.services.queue = service
            app.services.usecases = usecases
            app.services.hall_queue = LocalHallQueue(usecases)
            app.services.queue_status = "ready"
            log.info(
                "queue started for hall %s (%d counters)", service.hall_id, len(service.profile.counters)
            )
            recovery.append(recover_in_background(usecases, PRINTER_WAIT_S))
            return True

    def on_sync(event: object) -> None:
        if isinstance(event, SyncStatus) and app.services.queue is None:
            try:
                try_start()
            except Exception:
                log.exception("starting the queue after sync failed")

    def start() -> None:
        unsubscribes.extend([app.bus.subscribe(on_event), app.bus.subscribe(on_sync)])
        if not try_start():
            log.warning("hall profile not synced yet; the queue starts after the first sync")

    def stop() -> None:
        for unsubscribe in unsubscribes:
            unsubscribe()
        for thread in recovery:
            thread.join(PRINTER_WAIT_S + 25.0)

    return app.add("queue", start, stop)
