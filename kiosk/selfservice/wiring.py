"""Builds the self-service core on the sync engine: the spool under ``<data>/applications``
sealed with the store's data key, delivery as one more pusher, forms as one more pull."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from devices.a4_cups import CupsA4Printer
from devices.doccam import DocumentCamera
from kiosk.platform.client import PlatformClient
from kiosk.platform.sync import SyncEngine
from kiosk.selfservice.delivery import ApplicationDelivery
from kiosk.selfservice.service import SelfService
from offline_cache import hall, retention
from offline_cache.applications import SPOOL_DIR, ApplicationSpool
from offline_cache.store import Store

if TYPE_CHECKING:
    from kiosk.runtime import App

log = logging.getLogger(__name__)


def _camera(source: str, dpi: int) -> DocumentCamera | None:
    if not source:
        return None
    return DocumentCamera(int(source) if source.isdigit() else source, dpi=dpi)


def build(app: App, store: Store, client: PlatformClient | None, engine: SyncEngine) -> SelfService | None:
    if store.cipher is None:
        log.warning("no data key: self-service applications disabled (they must be sealed at rest)")
        return None
    spool = ApplicationSpool(app.paths.data / SPOOL_DIR, store.cipher)
    delivery = ApplicationDelivery(spool, client, store)
    retention.register("applications_rejected", lambda _conn, cutoff: spool.purge_rejected_before(cutoff))
    hall_id = app.settings.platform.hall_id

    def hall_profile() -> dict[str, object] | None:
        with store.read() as conn:
            return hall.load(conn, hall_id or None)

    ss = app.settings.selfservice
    printer = None
    if ss.a4_queue and app.a4_layout is None:
        log.warning("selfservice.a4_queue is set but this front end lays out no A4 pages (headless)")
    elif ss.a4_queue and app.a4_layout is not None:
        printer = CupsA4Printer(ss.a4_queue, ss.cups_server, layout=app.a4_layout)
    service = SelfService(
        store=store,
        spool=spool,
        client=client,
        delivery=delivery,
        hall_profile=hall_profile,
        printer=printer,
        print_timeout_s=ss.print_timeout_s,
        camera=_camera(ss.camera, ss.camera_dpi),
    )
    engine.add_pusher(delivery.deliver)
    engine.add_heartbeat_provider(lambda: {"applications_waiting": spool.depth()})
    engine.add_pull("forms", service.pull_forms)
    return service
