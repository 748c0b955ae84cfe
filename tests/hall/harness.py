"""In-process host and members over a real broker (each with its own store), for the tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.hall.host import HallHost
from kiosk.hall.member import RemoteQueue
from kiosk.hall.mqtt import Connection
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import QueuePolicy
from kiosk.queue.service import QueueService
from offline_cache.store import Store
from tests.hall.mosquitto import Mosquitto

POLICY = QueuePolicy(enforce_hours=False)


def wait_for(cond: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Host:
    store: Store
    service: QueueService
    host: HallHost
    events: list[Any] = field(default_factory=list)

    def stop(self, *, clean: bool = True) -> None:
        if clean:
            self.host.stop()
        else:
            assert self.host.conn is not None
            self.host._stop.set()
            self.host.conn.stop(clean=False)
        self.store.close()


def start_host(broker: Mosquitto, data: Path, terminal: str = "HOST", refresh_s: float = 10.0) -> Host:
    store = Store.open(data / "host.db")
    box: dict[str, HallHost] = {}
    events: list[Any] = []

    def publish(e: Any) -> None:
        events.append(e)
        if "host" in box:
            box["host"].on_queue_event(e)

    profile = demo_profile()
    service = QueueService(store, profile, POLICY, terminal_id=terminal, publish=publish)
    service.start()
    host = HallHost(service, None, hall_id=broker.hall, terminal_id=terminal, refresh_s=refresh_s)
    conn = Connection(
        broker.broker(terminal), f"{terminal}", will=host.presence_will(), session_expiry_s=3600
    )
    host.conn = conn
    box["host"] = host
    host.start()
    assert conn.wait_connected(10), broker.log()
    return Host(store, service, host, events)


@dataclass
class Member:
    store: Store
    queue: RemoteQueue
    conn: Connection
    events: list[Any]

    def stop(self) -> None:
        self.queue.stop()
        self.conn.stop()
        self.store.close()


def start_member(
    broker: Mosquitto,
    data: Path,
    terminal: str,
    *,
    lease_size: int = 0,
    give_up_s: float = 3.0,
    stale_s: float = 30,
) -> Member:
    store = Store.open(data / f"{terminal}.db")
    events: list[Any] = []
    conn = Connection(broker.broker(terminal), terminal)
    q = RemoteQueue(
        conn,
        store=store,
        profile=demo_profile(),
        policy=POLICY,
        hall_id=broker.hall,
        terminal_id=terminal,
        publish=events.append,
        timeout_s=1.0,
        give_up_s=give_up_s,
        lease_size=lease_size,
        stale_s=stale_s,
    )
    q.attach()
    q.load()
    q.start()
    conn.start()
    assert conn.wait_connected(10), broker.log()
    return Member(store, q, conn, events)
