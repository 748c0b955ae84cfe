"""Builder for the platform side: ``app.services.sync`` (SyncEngine), ``["platform"]``
(PlatformAccess: the client, case lookups) and ``["catalog"]`` (CatalogService).

Runs after the queue so the heartbeat can report its snapshot. No platform configured is
offline mode: the engine exists, reports ``offline_mode`` and never touches the network.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from kiosk import remote_commands
from kiosk.catalog import CatalogService
from kiosk.platform import heartbeat
from kiosk.platform.access import PlatformAccess, client_from_settings
from kiosk.platform.status import SyncStatus
from kiosk.platform.sync import SyncEngine
from kiosk.selfservice import wiring as selfservice_wiring

if TYPE_CHECKING:
    from kiosk.runtime import App, Component

log = logging.getLogger(__name__)


def build(app: App) -> Component | None:
    store = app.services.store
    if store is None:
        log.warning("no local store; sync and catalog disabled")
        app.bus.publish(SyncStatus("error", False, None, -1, detail="local database unavailable"))
        return None
    s = app.settings
    client, problem = client_from_settings(s)
    if problem:
        log.error("platform configured but unusable: %s; running offline", problem)
    hall_id = s.platform.hall_id
    engine = SyncEngine(
        store,
        client,
        terminal_id=s.terminal_id,
        hall_id=hall_id,
        publish=app.bus.publish,
        batch_size=s.platform.batch_size,
        sync_interval_s=s.platform.sync_interval_s,
        heartbeat_s=s.platform.heartbeat_s,
        profile=s.terminal.profile,
        problem=problem,
    )
    engine.add_heartbeat_provider(lambda: heartbeat.device_health(app.services.devices))
    engine.add_heartbeat_provider(lambda: heartbeat.queue_snapshot(app.services.hall_queue))
    if client is not None and s.hall.role != "member":
        # Online tickets go into the hall's one queue: the box that runs it pulls them (a
        # standalone box, or the host); a member's queue is the host's.
        from kiosk.queue.remote import RemoteTickets

        remote = RemoteTickets(store, lambda: app.services.queue, terminal_id=s.terminal_id, hall_id=hall_id)
        engine.add_pull("remote_tickets", partial(remote.pull, client))
    app.services.sync = engine
    remote_commands.install(
        engine,
        devices=app.services.devices,
        settings=s,
        config_file=app.config_file,
        demo=app.demo,
        publish=app.bus.publish,
        hall_tz=lambda: app.services.queue.profile.tz if app.services.queue is not None else None,
    )
    app.services.platform = PlatformAccess(client, store, s.store.case_cache_ttl_s, problem)
    app.services.catalog = CatalogService(store, hall_id)
    app.services.selfservice = selfservice_wiring.build(app, store, client, engine)

    def stop() -> None:
        engine.stop()
        if client is not None:
            client.close()

    return app.add("sync", engine.start, stop)
