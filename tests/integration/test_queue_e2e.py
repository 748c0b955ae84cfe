"""The queue end to end on the emulators, through the real App wiring (store, device manager,
queue builder): an ID card on the emulated SAM reader → a real-name ticket printed by the
ESC/POS emulator → "next" pressed on an emulated caller keypad → the LED frame on the emulated
RS-485 bus and the announcement rendered to WAV; a pad rating lands as one evaluation; a
printer without paper refuses the ticket without consuming a number."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from devices.base import DeviceEvent, DeviceState
from drivers.escpos.emulator import EscposEmulator
from drivers.rs485.emulator import BusEmulator
from drivers.sam.emulator import SamEmulator, load_cards
from kiosk.app import App, _event_bus
from kiosk.cli.common import with_overrides
from kiosk.devtools import output_demo
from kiosk.identity.person import Identity
from kiosk.paths import Paths
from kiosk.settings.load import shipped_config_dir
from kiosk.wiring import device_faults as wiring_device_faults
from kiosk.wiring import devices as wiring_devices
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(120),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]

COUNTERS = range(1, 9)


class Hall:
    def __init__(self, app: App, printer: EscposEmulator, bus: BusEmulator, sam: SamEmulator) -> None:
        self.app = app
        self.printer = printer
        self.bus = bus
        self.sam = sam
        self.events: list[Any] = []
        self.cond = threading.Condition()
        app.bus.subscribe(self._collect)

    def _collect(self, ev: Any) -> None:
        with self.cond:
            self.events.append(ev)
            self.cond.notify_all()

    def wait_event(self, pred: Any, timeout: float = 20.0) -> Any:
        with self.cond:
            ok = self.cond.wait_for(lambda: any(pred(e) for e in self.events), timeout)
            assert ok, "event did not arrive"
            return next(e for e in self.events if pred(e))


@pytest.fixture
def hall(tmp_path: Path, data_dir: Path, repo: Path) -> Iterator[Hall]:
    with ExitStack() as stack:
        printer = EscposEmulator(render_dir=tmp_path / "printer", paper_dots=576)
        host, port = printer.start_tcp()
        stack.callback(printer.stop)
        bus = output_demo.hall_bus(COUNTERS)
        bus_port = bus.start(tmp_path / "rs485-bus")
        stack.callback(bus.stop)
        sam = SamEmulator(load_cards(shipped_config_dir() / "demo-cards.toml"), present=None).start()
        stack.callback(sam.stop)
        overrides: dict[str, Any] = {
            "devices": {
                "printer": {"driver": "escpos", "connection": f"tcp://{host}:{port}"},
                "idreader": {"driver": "sam-serial", "port": sam.path, "poll_interval_s": 0.1},
                **output_demo.hall_bus_devices(bus_port, COUNTERS),
            }
        }
        for key, value in output_demo.voice_part(stack, tmp_path)["devices"].items():
            overrides["devices"][key] = value
        settings = with_overrides(str(repo / "config" / "demo.toml"), overrides, dict(os.environ))
        wanted = {"printer", "idreader", "window_screens", "keypads", "evaluation_pads", "voice"}
        settings = dataclasses.replace(
            settings,
            devices={k: v for k, v in settings.devices.items() if k in wanted},
            queue=dataclasses.replace(settings.queue, enforce_hours=False),
        )
        app = App(settings, Paths.from_settings(settings.paths), demo=True)
        h = Hall(app, printer, bus, sam)
        app.start(
            [
                _event_bus,
                wiring_store.build,
                wiring_device_faults.build,
                wiring_devices.build,
                wiring_queue.build,
            ]
        )
        stack.callback(app.shutdown)
        mgr = app.services.devices
        for name in wanted:
            assert mgr.wait_for(name, {DeviceState.IDLE}, 15), name
        yield h


def test_card_ticket_keypad_call_led_and_voice(hall: Hall, tmp_path: Path) -> None:
    app = hall.app
    usecases = app.services.usecases
    queue = app.services.queue

    hall.sam.command("card 2")  # 王秀英, born 1948: elderly priority
    read = hall.wait_event(lambda e: isinstance(e, DeviceEvent) and e.type == "card_read")
    identity = Identity.from_card(read.data["identity"])

    result = usecases.take_ticket("A", identity=identity)
    assert result.ok, result.text("en")
    assert result.message == "ticket_taken_priority"
    assert result.ticket.number == "A001" and result.ticket.priority == "elderly"
    printed = hall.printer.wait_for_tickets(1, timeout=10)
    assert "A001" in printed[0].text
    assert "32050219480916402X" not in printed[0].text  # the ID number never reaches paper
    assert (tmp_path / "printer" / "last.png").exists()

    t0 = time.monotonic()
    hall.bus.press(31, 1)  # window 1's keypad, key 1 = next
    assert hall.bus.wait_until(lambda: "A001" in hall.bus.screens[1].text, timeout=15)
    latency_ms = (time.monotonic() - t0) * 1000
    announced = hall.wait_event(
        lambda e: isinstance(e, DeviceEvent) and e.type == "announced" and e.data.get("number") == "A001"
    )
    assert announced.data["counter"] == 1
    assert list((tmp_path / "voice").glob("*.wav"))
    assert queue.engine.current(1).number == "A001"
    print(f"keypad press to LED frame: {latency_ms:.0f} ms")

    # finish on the keypad (key 6), then the citizen rates on the pad: one evaluation
    hall.bus.press(31, 6)
    hall.wait_event(lambda e: type(e).__name__ == "CounterChanged" and e.current_number is None)
    hall.bus.rate(41, 5)
    hall.bus.rate(41, 1)  # a second press is not a second rating
    store = app.services.store

    def ratings() -> list[Any]:
        with store.read() as conn:
            return conn.execute("SELECT level, ticket_id FROM q_evaluations").fetchall()

    deadline = time.monotonic() + 10
    while not ratings() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    rows = ratings()
    assert [r[0] for r in rows] == [5]
    assert rows[0][1] == result.ticket.ticket_id

    with store.read() as conn:
        types = [r[0] for r in conn.execute("SELECT type FROM outbox ORDER BY seq")]
        payloads = [json.loads(r[0]) for r in conn.execute("SELECT payload FROM outbox ORDER BY seq")]
    assert types == ["ticket.issued", "ticket.called", "ticket.served", "evaluation.submitted"]
    issued = payloads[0]["data"]
    assert issued["priority"] == "elderly" and issued["holder_id_hash"]


def test_paper_out_refuses_without_consuming_a_number(hall: Hall) -> None:
    usecases = hall.app.services.usecases
    hall.printer.set_paper("out")
    refused = usecases.take_ticket("B")
    assert not refused.ok and refused.message == "paper_out"
    assert "help desk" in refused.text("en")
    hall.printer.set_paper("ok")
    ok = usecases.take_ticket("B")
    assert ok.ok and ok.ticket.number == "B001"  # B001 was not consumed by the refusal

    def reports() -> list[tuple[str, str, str, str]]:
        with hall.app.services.store.read() as conn:
            rows = conn.execute(
                "SELECT payload FROM outbox WHERE type LIKE 'device.%' ORDER BY seq"
            ).fetchall()
        events = [json.loads(r[0]) for r in rows]
        return [(e["type"], e["data"]["device"], e["data"]["kind"], e["data"]["code"]) for e in events]

    deadline = time.monotonic() + 10
    while len(reports()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    # the platform hears of the empty printer once and of its refill once, through the outbox
    assert reports() == [
        ("device.fault", "printer", "ticket_printer", "paper_out"),
        ("device.recovered", "printer", "ticket_printer", "paper_out"),
    ]
