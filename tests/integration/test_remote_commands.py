"""Heartbeat commands the kiosk runs: print_test prints a test slip on the real printer driver
(ESC/POS emulator on loopback); reload_config validates the file as at start and asks for a
restart only when it changed and is valid."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from devices.base import DeviceState
from drivers.escpos.emulator import EscposEmulator
from kiosk.app import App, _event_bus
from kiosk.paths import Paths
from kiosk.remote_commands import RestartRequested, install
from kiosk.settings import load_settings
from kiosk.wiring import devices as wiring_devices


class Kiosk:
    def __init__(self, app: App, printer: EscposEmulator, config: Path) -> None:
        self.app = app
        self.printer = printer
        self.config = config
        self.engine = SimpleNamespace(command_handlers={})
        install(
            self.engine,
            devices=app.services.devices,
            settings=app.settings,
            config_file=app.config_file,
            demo=app.demo,
            publish=app.bus.publish,
        )
        self.events: list[Any] = []
        app.bus.subscribe(self.events.append)

    def command(self, name: str, **args: Any) -> None:
        self.engine.command_handlers[name](args)

    def restarts(self) -> list[str]:
        """Restart requests delivered so far (a marker published after the command has arrived,
        so anything the command published has too: the bus keeps order)."""
        self.app.bus.publish("marker")
        deadline = threading.Event()
        for _ in range(500):
            if "marker" in self.events:
                break
            deadline.wait(0.01)
        assert "marker" in self.events
        return [e.reason for e in self.events if isinstance(e, RestartRequested)]


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    with ExitStack() as stack:
        printer = EscposEmulator()
        host, port = printer.start_tcp()
        stack.callback(printer.stop)
        config = tmp_path / "terminal.toml"
        config.write_text(
            '[terminal]\nhall_name = "示范县政务服务中心"\n'
            f'[devices.printer]\ndriver = "escpos"\nconnection = "tcp://{host}:{port}"\n',
            encoding="utf-8",
        )
        env = {"KIOSK_DATA_DIR": str(tmp_path / "data")}
        settings = load_settings(config, environ=env)
        app = App(settings, Paths.from_settings(settings.paths), config_file=str(config))
        app.start([_event_bus, wiring_devices.build])
        stack.callback(app.shutdown)
        assert app.services.devices.wait_for("printer", {DeviceState.IDLE}, 10)
        stack.enter_context(pytest.MonkeyPatch.context()).setenv("KIOSK_DATA_DIR", env["KIOSK_DATA_DIR"])
        yield Kiosk(app, printer, config)


def test_print_test_prints_a_slip_that_is_not_a_queue_number(kiosk: Kiosk) -> None:
    kiosk.command("print_test")
    [slip] = kiosk.printer.wait_for_tickets(1, timeout=10)
    assert "T000" in slip.text and "printer test" in slip.text
    assert "示范县政务服务中心" in slip.text


def test_reload_config_unchanged_does_nothing(kiosk: Kiosk, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        kiosk.command("reload_config")
    assert "configuration unchanged" in caplog.text
    assert kiosk.restarts() == []


def test_reload_config_with_an_invalid_file_keeps_running_and_says_why(
    kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk.config.write_text(kiosk.config.read_text() + "[ui]\nidle_countdown_s = 1\n", encoding="utf-8")
    kiosk.command("reload_config")
    assert f"{kiosk.config}: ui.idle_countdown_s:" in caplog.text
    assert "keeps its running config" in caplog.text
    assert kiosk.restarts() == []


def test_reload_config_with_a_valid_change_asks_for_a_restart(kiosk: Kiosk) -> None:
    kiosk.config.write_text(kiosk.config.read_text() + "[ui]\nidle_countdown_s = 20\n", encoding="utf-8")
    kiosk.command("reload_config")
    assert kiosk.restarts() == ["reload_config"]
