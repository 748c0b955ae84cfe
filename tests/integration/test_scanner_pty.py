"""Serial scanner driver through a pty against the scanner emulator, inside the App."""

from __future__ import annotations

import time
from pathlib import Path

from devices.base import DeviceState
from devices.scanner import ScannedCode, SerialScanner
from drivers.scanner.emulator import ScannerEmulator
from drivers.scanner.framing import HONEYWELL_TRIGGER_OFF, HONEYWELL_TRIGGER_ON
from kiosk.identity.classify import KeyRing, Kind, classify
from tests.integration.input_helpers import start_app


def config(port: str, **extra: str | float) -> str:
    text = f'[devices.scanner]\ndriver = "serial-scanner"\nport = "{port}"\n'
    for key, value in extra.items():
        text += f'{key} = "{value}"\n' if isinstance(value, str) else f"{key} = {value}\n"
    return text


def test_scans_reach_the_core_deduped_and_unframed(tmp_path: Path) -> None:
    with ScannerEmulator(terminator=b"\r\n", prefix=b"]Q1") as emu:
        app, rec = start_app(tmp_path, config(emu.path, terminator="CRLF", prefix="]Q1", dedupe_s=30.0))
        try:
            mgr = app.services.devices
            assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
            emu.scan("HK1.abc.def")
            got = rec.wait(lambda e: e.type == "code_scanned", timeout=5)
            assert got is not None
            code = got[1].data["code"]
            assert isinstance(code, ScannedCode) and code.text == "HK1.abc.def" and code.source == "serial"
            assert "abc" not in repr(code)
            emu.scan("HK1.abc.def")  # the same code within the dedupe window
            emu.send_raw(b"\x01\x02garbage\xff" * 3 + b"\r\n")
            number = "11110000000000000X" + "3" * 13 + "20261123" + "0042"
            emu.scan(number)
            second = rec.wait(lambda e: e.type == "code_scanned" and e.data["code"].text == number, timeout=5)
            assert second is not None
            assert classify(second[1].data["code"].text, KeyRing()).kind is Kind.CASE_NUMBER
            texts = [e.data["code"].text for _, e in rec.events if e.type == "code_scanned"]
            assert texts.count("HK1.abc.def") == 1
            garbage = [t for t in texts if "garbage" in t]
            assert len(garbage) == 1  # noise is delivered as a code and classified "not recognised"
            assert classify(garbage[0], KeyRing()).kind is Kind.NOT_RECOGNISED
        finally:
            app.shutdown()


def test_overlong_line_is_a_scan_error(tmp_path: Path) -> None:
    with ScannerEmulator() as emu:
        app, rec = start_app(tmp_path, config(emu.path))
        try:
            assert app.services.devices.wait_for("scanner", [DeviceState.IDLE], 5)
            emu.send_raw(b"x" * 5000 + b"\r")
            emu.scan("after")
            assert rec.wait(lambda e: e.type == "scan_error", timeout=5)
            got = rec.wait(lambda e: e.type == "code_scanned", timeout=5)
            assert got is not None and got[1].data["code"].text == "after"
        finally:
            app.shutdown()


def test_unplug_and_replug_recovers(tmp_path: Path) -> None:
    link = tmp_path / "kiosk-scanner"
    emu = ScannerEmulator(link=str(link)).start()
    app, rec = start_app(tmp_path, config(str(link)))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
        emu.unplug()
        assert rec.wait(lambda e: e.type == "disconnected", timeout=5)
        assert mgr.wait_for("scanner", [DeviceState.OFFLINE], 5)
        emu.plug()
        plugged = time.monotonic()
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
        assert time.monotonic() - plugged < 5
        emu.scan("back")
        assert rec.wait(lambda e: e.type == "code_scanned" and e.data["code"].text == "back", timeout=5)
    finally:
        app.shutdown()
        emu.stop()


def test_honeywell_trigger_commands(tmp_path: Path) -> None:
    with ScannerEmulator(trigger_mode=True) as emu:
        app, rec = start_app(tmp_path, config(emu.path, trigger="honeywell"))
        try:
            mgr = app.services.devices
            assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
            emu.scan("queued")
            assert rec.wait(lambda e: e.type == "code_scanned", timeout=0.5) is None  # not triggered yet

            def enable(dev: object) -> None:
                assert isinstance(dev, SerialScanner)
                dev.set_enabled(True)

            mgr.submit("scanner", enable).result(5)
            assert rec.wait(lambda e: e.type == "code_scanned", timeout=5)
            mgr.submit("scanner", lambda d: d.set_enabled(False)).result(5)  # type: ignore[attr-defined]
            deadline = time.monotonic() + 5
            while len(emu.trigger_commands) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert emu.trigger_commands == [HONEYWELL_TRIGGER_ON, HONEYWELL_TRIGGER_OFF]
        finally:
            app.shutdown()
