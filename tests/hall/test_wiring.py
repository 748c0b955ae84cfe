"""``[hall] role`` picks the queue: standalone (no bus at all), host (the local queue served on the
bus, loaded before the first command), member without a broker URL (said, nothing started)."""

from __future__ import annotations

from pathlib import Path

from kiosk.app import App, _event_bus
from kiosk.hall.broker import write_credentials
from kiosk.hall_queue import LocalHallQueue
from kiosk.paths import Paths
from kiosk.settings.load import Layer, default_layers, validate_layers
from kiosk.settings.schema import Settings
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store
from tests.hall.harness import start_member, wait_for
from tests.hall.mosquitto import Mosquitto


def settings(tmp: Path, terminal: str, hall: dict[str, object]) -> Settings:
    layers, errors = default_layers()
    assert errors == []
    layers.append(
        Layer(
            "test",
            {
                "terminal": {"id": terminal},
                "paths": {"data_dir": str(tmp / terminal), "log_dir": str(tmp / terminal / "logs")},
                "queue": {"enforce_hours": False},
                "hall": hall,
            },
        )
    )
    s, errors = validate_layers(layers)
    assert s is not None, errors
    return s


def app_of(s: Settings) -> App:
    app = App(s, Paths.from_settings(s.paths), demo=True)
    app.start([_event_bus, wiring_store.build, wiring_queue.build])
    return app


def test_standalone_has_no_bus(tmp_path: Path) -> None:
    app = app_of(settings(tmp_path, "T-SOLO", {}))
    try:
        assert isinstance(app.services.hall_queue, LocalHallQueue)
        assert app.services.hall_host is None and app.services.remote_queue is None
    finally:
        app.shutdown()


def test_host_role_serves_the_local_queue(mosquitto: Mosquitto, tmp_path: Path) -> None:
    cred = tmp_path / "host-broker.toml"
    write_credentials(cred, "HOST", mosquitto.terminals["HOST"].password)
    hall = {
        "role": "host",
        "broker_url": mosquitto.url,
        "credentials_file": str(cred),
        "hall_id": mosquitto.hall,
    }
    app = app_of(settings(tmp_path, "HOST", hall))
    try:
        assert app.services.hall_host is not None and app.services.queue is not None
        member = start_member(mosquitto, tmp_path, "T-C1")
        try:
            app.services.queue.issue_unprinted("A")  # a ticket taken on the host box itself
            wait_for(lambda: member.queue.categories()[0].waiting == 1, what="the member sees it")
            t = member.queue.call_next(1)
            assert t is not None and t.number == "A001"
        finally:
            member.stop()
    finally:
        app.shutdown()
    assert app.services.hall_host is None


def test_member_without_a_broker_says_so(tmp_path: Path) -> None:
    app = app_of(settings(tmp_path, "T-C9", {"role": "member"}))
    try:
        assert app.services.hall_queue is None
        assert app.services.queue_status == "hall_bus_misconfigured"
    finally:
        app.shutdown()
