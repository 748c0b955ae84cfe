"""Builder for the queue: ``app.services["queue"]`` (QueueService) and ``["usecases"]``.

Needs the store (the ledger lives there) and the hall profile (from the store, synced from the
platform; the built-in demo hall only in demo mode). Without a profile the queue is not built
yet: ``app.services["queue_status"]`` says ``hall_profile_missing`` and the builder retries
each time the sync engine reports, so a fresh terminal starts queueing after its first sync.

Keypad ``key`` and pad ``rating`` events from the bus go through the same use cases as the
counter screen. On start, tickets a crash left ``printing`` are settled
(``recover_interrupted_prints``) on a short-lived thread once the printer is up.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from devices.base import DeviceEvent
from kiosk.hall_queue import LocalHallQueue
from kiosk.queue import hall
from kiosk.queue.config import policy_from
from kiosk.queue.service import QueueService
from kiosk.usecases import CheckInConfig, UseCases

if TYPE_CHECKING:
    from kiosk.app import App, Component

log = logging.getLogger(__name__)

PRINTER_WAIT_S = 15.0


def make(app: App, store: Any) -> tuple[QueueService, UseCases] | None:
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
    devices = app.services.get("devices")
    if devices is not None:
        from kiosk.queue.outputs import CallOutputs

        service.outputs = CallOutputs(devices, language=app.settings.terminal.language)
    from kiosk.wiring import hall as wiring_hall

    wiring_hall.attach_host(app, service)
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
    if app.settings.hall.role == "member":
        from kiosk.wiring import hall as wiring_hall

        return wiring_hall.build_member(app)
    store = app.services.get("store")
    if store is None:
        log.warning("no local store; the queue is not started")
        app.services["queue_status"] = "store_unavailable"
        return None
    state: dict[str, Any] = {"unsubscribe": [], "recovery": None}
    lock = threading.Lock()

    def on_event(event: Any) -> None:
        usecases = app.services.get("usecases")
        if usecases is not None and isinstance(event, DeviceEvent) and event.type in ("key", "rating"):
            usecases.on_device_event(event)

    def try_start() -> bool:
        with lock:
            if app.services.get("queue") is not None:
                return True
            built = make(app, store)
            if built is None:
                app.services["queue_status"] = "hall_profile_missing"
                return False
            service, usecases = built
            service.start()
            app.services["queue"] = service
            app.services["usecases"] = usecases
            app.services["hall_queue"] = LocalHallQueue(usecases)
            app.services["queue_status"] = "ready"
            log.info(
                "queue started for hall %s (%d counters)", service.hall_id, len(service.profile.counters)
            )
            recovery = threading.Thread(
                target=_recover, args=(usecases,), name="queue-print-recovery", daemon=True
            )
            state["recovery"] = recovery
            recovery.start()
            return True

    def on_sync(event: Any) -> None:
        if type(event).__name__ == "SyncStatus" and app.services.get("queue") is None:
            try:
                try_start()
            except Exception:
                log.exception("starting the queue after sync failed")

    def start() -> None:
        state["unsubscribe"] = [app.bus.subscribe(on_event), app.bus.subscribe(on_sync)]
        if not try_start():
            log.warning("hall profile not synced yet; the queue starts after the first sync")

    def stop() -> None:
        from kiosk.wiring import hall as wiring_hall

        wiring_hall.stop_host(app)
        for unsubscribe in state["unsubscribe"]:
            unsubscribe()
        recovery = state["recovery"]
        if recovery is not None:
            recovery.join(PRINTER_WAIT_S + 25.0)

    return app.add("queue", start, stop)


def _recover(usecases: UseCases) -> None:
    try:
        done = usecases.recover_interrupted_prints(wait_for_printer_s=PRINTER_WAIT_S)
    except Exception:
        log.exception("recovering interrupted prints failed")
        return
    for number, outcome in done:
        log.warning("ticket %s interrupted by a restart: %s", number, outcome)
