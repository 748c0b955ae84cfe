"""The hall bus in the app: ``[hall] role`` picks the queue behind ``HallQueue``.

- ``standalone``: nothing here runs; the queue is this box's own (``wiring.queue``).
- ``host``: the local queue as a standalone box has it, plus ``HallHost`` serving it on the bus
  (``attach_host``, called by ``wiring.queue`` once the queue exists).
- ``member``: no local queue at all; ``RemoteQueue`` talks to the host, and the same use cases
  run over it (``build_member``). The hall profile comes from the store (synced) or, on a first
  start, from the host (then kept in the store for the next start without a host).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from devices.base import DeviceEvent
from kiosk import counter_devices
from kiosk.hall import contract as c
from kiosk.hall.codec import presence_payload
from kiosk.hall.host import HallHost
from kiosk.hall.member import BusHallQueue, RemoteQueue, member_usecases
from kiosk.hall.mqtt import Broker, BrokerConfigError, Connection
from kiosk.hall.picture import profile_from_state
from kiosk.queue import hall
from kiosk.queue.config import policy_from
from kiosk.queue.errors import QueueRefused
from kiosk.queue.model import HallProfile, HallProfileInvalid
from kiosk.queue.outputs import CallOutputs
from kiosk.queue.service import QueueService
from kiosk.settings.schema import HallSettings
from kiosk.usecases import CheckInConfig
from kiosk.usecases.recovery import PRINTER_WAIT_S, recover_in_background
from offline_cache import hall as hall_rows

if TYPE_CHECKING:
    from kiosk.runtime import App, Component
    from offline_cache.store import Connection as DbConnection

log = logging.getLogger(__name__)


def hall_id(app: App) -> str:
    return app.settings.hall.hall_id or app.settings.platform.hall_id or "H-DEMO-001"


def connection(app: App, *, will: tuple[str, bytes] | None, session_expiry_s: int = 0) -> Connection:
    hs: HallSettings = app.settings.hall
    if not hs.broker_url:
        raise BrokerConfigError(f"hall.role = {hs.role!r} needs hall.broker_url (mqtt://HOST:PORT)")
    broker = Broker.from_settings(hs.broker_url, hs.credentials_file, hs.ca_bundle)
    return Connection(broker, app.settings.terminal_id, will=will, session_expiry_s=session_expiry_s)


# -- host -----------------------------------------------------------------------------------------
def attach_host(app: App, service: QueueService) -> HallHost | None:
    """Serve ``service`` on the bus; its call events and state follow every change."""
    if app.settings.hall.role != "host":
        return None
    host = HallHost(service, None, hall_id=hall_id(app), terminal_id=app.settings.terminal_id)
    try:
        host.conn = connection(app, will=host.presence_will(), session_expiry_s=3600)
    except BrokerConfigError as exc:
        log.error("%s; the hall bus is not started", exc)
        app.services.hall_status = str(exc)
        return None
    local_publish = service.publish

    def publish(event: object) -> None:
        local_publish(event)
        host.on_queue_event(event)

    service.publish = publish
    host.start()
    app.services.hall_host = host
    return host


def stop_host(app: App) -> None:
    host, app.services.hall_host = app.services.hall_host, None
    if host is not None:
        host.stop()


# -- member ---------------------------------------------------------------------------------------
def build_member(app: App) -> Component | None:
    store = app.services.store
    if store is None:
        log.warning("no local store; the hall member is not started")
        app.services.queue_status = "store_unavailable"
        return None
    hs = app.settings.hall
    hid = hall_id(app)
    presence = c.presence_topic(hid, app.settings.terminal_id)
    try:
        conn = connection(app, will=(presence, _presence(False)))
    except BrokerConfigError as exc:
        log.error("%s; the queue is not started", exc)
        app.services.queue_status = "hall_bus_misconfigured"
        return None
    stop = threading.Event()

    def profile() -> HallProfile | None:
        with store.read() as db:
            return hall.resolve(db, app.settings.platform.hall_id or hs.hall_id, demo=False)

    devices = app.services.devices
    known = profile()
    remote = RemoteQueue(
        conn,
        store=store,
        profile=known or hall.demo_profile(),  # replaced by the host's before any use
        policy=policy_from(app.settings.queue),
        hall_id=hid,
        terminal_id=app.settings.terminal_id,
        publish=app.bus.publish,
        outputs=CallOutputs(devices, language=app.settings.terminal.language) if devices else None,
        timeout_s=hs.request_timeout_s,
        give_up_s=hs.give_up_s,
        lease_size=hs.lease_size if app.settings.terminal.profile in ("ticket", "self_service") else 0,
        stale_s=hs.display_stale_s,
        notice=app.settings.ui.notice,
    )
    remote.attach()
    remote.load()

    def ready(p: HallProfile) -> None:
        remote.profile = p
        usecases = member_usecases(
            remote,
            store=store,
            devices=devices,
            config=CheckInConfig.of(app.settings.queue),
            hall_name=p.name or app.settings.terminal.hall_name,
        )
        remote.start()
        if devices is not None and app.settings.terminal.profile in ("ticket", "self_service"):
            # tickets a crash left printing (from the host, or from this machine's lease)
            recovery.append(recover_in_background(usecases, PRINTER_WAIT_S))
        app.services.remote_queue = remote
        app.services.usecases = usecases
        app.services.hall_queue = BusHallQueue(usecases)
        app.services.queue_status = "ready"
        log.info("queue of hall %s reached over the hall bus", hid)

    def keep(data: dict[str, object]) -> None:
        def write(db: DbConnection) -> None:
            hall_rows.save(db, data)

        store.write(write)

    def fetch_profile() -> None:
        """First start without a synced profile: ask the host (once reachable), keep it."""
        while not stop.is_set():
            if not conn.wait_connected(1.0):
                continue
            st = remote.last_state()
            if app.settings.terminal.profile == "hall_display" and st is not None:
                ready(profile_from_state(st))
                return
            if app.settings.terminal.profile == "hall_display":
                stop.wait(0.2)
                continue
            try:
                data = remote.request("profile", {})["profile"]
                p = HallProfile.from_dict(data)
            except (QueueRefused, HallProfileInvalid, KeyError) as exc:
                log.warning("hall profile from the host not available yet: %s", exc)
                stop.wait(3.0)
                continue
            keep(data)
            ready(p)
            return

    def on_event(event: object) -> None:
        queue = app.services.hall_queue
        if queue is not None and isinstance(event, DeviceEvent):
            counter_devices.on_device_event(queue, event, app.bus.publish)

    unsubscribes: list[Callable[[], None]] = []
    recovery: list[threading.Thread] = []

    def start() -> None:
        unsubscribes.append(app.bus.subscribe(on_event))

        def online() -> None:
            conn.publish(presence, _presence(True), retain=True)

        conn.on_up(online)
        if known is not None:
            ready(known)
        conn.start()
        if known is None:
            app.services.queue_status = "hall_profile_missing"
            threading.Thread(target=fetch_profile, name="hall-profile", daemon=True).start()

    def stop_() -> None:
        for unsubscribe in unsubscribes:
            unsubscribe()
        for thread in recovery:
            thread.join(PRINTER_WAIT_S + 25.0)
        stop.set()
        remote.stop()
        conn.publish(presence, _presence(False), retain=True)
        conn.stop()

    return app.add("hall member", start, stop_)


def _presence(online: bool) -> bytes:
    return presence_payload(online, "member", datetime.now(UTC))
