"""The queue builder: no hall profile → not started (and says why) unless demo; the first
sync that stores a profile starts it; keypad events reach the use cases."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from devices.base import DeviceEvent
from kiosk.app import App, _event_bus
from kiosk.paths import Paths
from kiosk.platform.status import SyncStatus
from kiosk.queue.hall import DEMO_HALL
from kiosk.settings import load_settings
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store
from offline_cache import hall
from tests.polling import wait_until


def test_waits_for_the_hall_profile_then_starts(data_dir: Path) -> None:
    settings = load_settings(None)
    app = App(settings, Paths.from_settings(settings.paths), demo=False)
    app.start([_event_bus, wiring_store.build, wiring_queue.build])
    try:
        assert app.services.queue is None
        assert app.services.queue_status == "hall_profile_missing"
        app.services.store.write(lambda c: hall.save(c, DEMO_HALL))
        app.bus.publish(SyncStatus("idle", True, None, 0))
        assert wait_until(lambda: app.services.queue is not None)
        assert app.services.queue_status == "ready"
        assert app.services.queue.profile.counter(8).categories == ("E", "A")
    finally:
        app.shutdown()


def test_demo_falls_back_to_the_demo_hall_and_keys_call(data_dir: Path) -> None:
    settings = load_settings(None)
    settings = dataclasses.replace(settings, queue=dataclasses.replace(settings.queue, enforce_hours=False))
    app = App(settings, Paths.from_settings(settings.paths), demo=True)
    app.start([_event_bus, wiring_store.build, wiring_queue.build])
    try:
        queue = app.services.queue
        assert queue.profile.hall_id == "H-DEMO-001"
        t = queue.issue_unprinted("A")
        app.bus.publish(DeviceEvent("keypads", "key", {"counter": 1, "action": "next", "keypad": 31}))
        assert wait_until(lambda: queue.engine.current(1) is not None)
        assert queue.engine.current(1).number == t.number
        app.bus.publish(DeviceEvent("keypads", "key", {"counter": "1; DROP", "action": "next"}))
        app.bus.publish(DeviceEvent("keypads", "key", {"counter": 1, "action": "explode"}))
        app.bus.publish(DeviceEvent("pads", "rating", {"counter": 1, "level": 5}))
        assert wait_until(lambda: t.ticket_id in queue.engine.evaluated)
    finally:
        app.shutdown()


def test_the_queues_box_pulls_online_tickets_a_member_does_not(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Online tickets go into the hall's one queue: the standalone box (or host) registers the
    remote-tickets pull with its sync engine; a member, whose queue is the host's, does not."""
    from kiosk.platform.client import ClientConfig, PlatformClient
    from kiosk.wiring import sync as wiring_sync

    # a configured platform (nothing listens there: the pulls are only registered)
    monkeypatch.setattr(
        wiring_sync,
        "client_from_settings",
        lambda s: (PlatformClient(ClientConfig("http://127.0.0.1:9", "T-1", "H-1", b"k" * 32)), ""),
    )
    settings = load_settings(None)
    app = App(settings, Paths.from_settings(settings.paths), demo=True)
    app.start([_event_bus, wiring_store.build, wiring_queue.build, wiring_sync.build])
    try:
        assert [name for name, _ in app.services.sync.extra_pulls].count("remote_tickets") == 1
    finally:
        app.shutdown()
    member = dataclasses.replace(settings, hall=dataclasses.replace(settings.hall, role="member"))
    app = App(member, Paths.from_settings(member.paths), demo=True)
    app.start([_event_bus, wiring_store.build, wiring_sync.build])
    try:
        assert "remote_tickets" not in [name for name, _ in app.services.sync.extra_pulls]
    finally:
        app.shutdown()
