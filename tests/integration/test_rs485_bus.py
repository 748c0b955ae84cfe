"""Window screens, keypads and pads on one emulated RS-485 bus (a pty), driven by the real
devices; the dead-screen test bounds the delay by the configured timeout and retries."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from devices.base import DeviceEvent, DeviceState
from devices.display import CallDisplay
from devices.manager import Backoff, DeviceManager
from devices.rs485_devices import (
    EvalPadOptions,
    KeypadOptions,
    LedOptions,
    Rs485CallDisplay,
    Rs485EvalPads,
    Rs485Keypads,
    ScreenEntry,
    UnitEntry,
)
from drivers.rs485.emulator import BusEmulator
from drivers.rs485.presets import PRESETS

FAST = Backoff(initial=0.05, factor=2.0, maximum=0.2, jitter=0.1)


def _collector() -> tuple[list[DeviceEvent], threading.Condition, object]:
    events: list[DeviceEvent] = []
    cond = threading.Condition()

    def sink(ev: DeviceEvent) -> None:
        with cond:
            events.append(ev)
            cond.notify_all()

    return events, cond, sink


@pytest.mark.parametrize("preset", ["hk-crc16", "aa-ee-xor"])
def test_twenty_screens_one_dead_updated_after_one_call(preset: str) -> None:
    fmt = PRESETS[preset]
    addresses = list(range(1, 21))
    with BusEmulator(fmt, screens=addresses, dead={7}) as emu:
        port = emu.start()
        opts = LedOptions(
            port=port,
            baudrate=115200,
            preset=preset,
            timeout_ms=100,
            retries=2,
            reprobe_s=60,
            screens=[ScreenEntry(address=a, counter=0) for a in addresses],
        )
        led = Rs485CallDisplay("leds", opts)
        events: list[DeviceEvent] = []
        led.attach(events.append)
        led.open()
        try:
            started = time.monotonic()
            result = led.show_call(3, "A023")
            first = time.monotonic() - started
            texts = emu.texts()
            assert all(texts[a] == "A023号 请到3号窗口" for a in addresses if a != 7)
            assert texts[7] == ""
            assert result.offline == ("screen-7",) and len(result.updated) == 19
            # bounded: the dead screen costs its timeout times (1 + retries), no more
            assert first < 0.1 * 3 + 1.0
            assert [e.data["address"] for e in events if e.type == "screen_offline"] == [7]
            # the next call skips the offline screen entirely
            started = time.monotonic()
            led.show_call(5, "C101")
            assert time.monotonic() - started < 0.1 + 1.0
            assert emu.texts()[20] == "C101号 请到5号窗口"
            assert sum(1 for _t, f in emu.log if f.address == 7) == 3
        finally:
            led.close()


def test_dead_screen_comes_back_and_is_resynced() -> None:
    fmt = PRESETS["hk-crc16"]
    with BusEmulator(fmt, screens=[1, 2], dead={2}) as emu:
        port = emu.start()
        led = Rs485CallDisplay(
            "leds",
            LedOptions(
                port=port,
                timeout_ms=50,
                retries=0,
                reprobe_s=0.1,
                screens=[ScreenEntry(address=1, counter=1), ScreenEntry(address=2, counter=1)],
            ),
        )
        events: list[DeviceEvent] = []
        led.attach(events.append)
        led.open()
        try:
            led.show_call(1, "B002", "请B002号到1号窗口")
            emu.dead.clear()
            deadline = time.monotonic() + 3
            while emu.texts()[2] != "请B002号到1号窗口" and time.monotonic() < deadline:
                led.poll()
                time.sleep(0.05)
            assert emu.texts()[2] == "请B002号到1号窗口"
            assert [e.type for e in events if e.type.startswith("screen_")] == [
                "screen_offline",
                "screen_online",
            ]
        finally:
            led.close()


def test_write_only_preset_sends_ascii_frames() -> None:
    fmt = PRESETS["armfly-ascii"]
    with BusEmulator(fmt, screens=[1]) as emu:
        port = emu.start()
        led = Rs485CallDisplay(
            "leds",
            LedOptions(
                port=port,
                preset="armfly-ascii",
                screens=[ScreenEntry(address=1, counter=2, template="{number}")],
            ),
        )
        led.open()
        try:
            assert led.show_call(2, "A023").updated == ("screen-1",)
            assert emu.wait_until(lambda: emu.texts()[1] == "A023", 2)
        finally:
            led.close()


def test_keypads_pads_and_screens_share_one_bus_through_the_manager() -> None:
    fmt = PRESETS["hk-crc16"]
    with BusEmulator(fmt, screens=[1, 2], keypads=[31, 32], pads=[41]) as emu:
        port = emu.start()
        common = {"port": port, "timeout_ms": 80, "retries": 1}
        led = Rs485CallDisplay("leds", LedOptions(**common, screens=[ScreenEntry(1, 1), ScreenEntry(2, 2)]))  # type: ignore[arg-type]
        keys = Rs485Keypads(
            "keypads", KeypadOptions(**common, keypads=[UnitEntry(31, 1), UnitEntry(32, 2)], poll_ms=30)
        )  # type: ignore[arg-type]
        pads = Rs485EvalPads("pads", EvalPadOptions(**common, pads=[UnitEntry(41, 1)], poll_ms=30))  # type: ignore[arg-type]
        events, cond, sink = _collector()
        mgr = DeviceManager.from_devices([led, keys, pads], sink, backoff=FAST)  # type: ignore[arg-type]
        mgr.start()
        try:
            for name in ("leds", "keypads", "pads"):
                assert mgr.wait_for(name, {DeviceState.IDLE}, 5)
            emu.press(31, 1)
            emu.press(32, 4, 5)  # transfer to window 5
            emu.press(31, 99)  # unknown code: ignored
            emu.rate(41, 5)
            emu.rate(41, 9)  # out of range: ignored
            with cond:
                assert cond.wait_for(lambda: sum(e.type in ("key", "rating") for e in events) >= 3, 5)
            got = [(e.type, dict(e.data)) for e in events if e.type in ("key", "rating")]
            assert ("key", {"counter": 1, "action": "next", "keypad": 31, "target": None}) in got
            assert ("key", {"counter": 2, "action": "transfer", "keypad": 32, "target": 5}) in got
            assert ("rating", {"counter": 1, "level": 5, "pad": 41}) in got
            fut = mgr.submit("leds", lambda d: d.show_call(2, "D004") if isinstance(d, CallDisplay) else None)
            assert fut.result(5).updated == ("screen-2",)
            assert emu.texts()[2] == "D004号 请到2号窗口"
            assert mgr.submit("pads", lambda d: d.invite(1)).result(5) is True  # type: ignore[attr-defined]
            assert emu.pads[41].invited == 1
        finally:
            mgr.stop()


def test_unplugged_bus_goes_offline(tmp_path: Path) -> None:
    fmt = PRESETS["hk-crc16"]
    emu = BusEmulator(fmt, screens=[1])
    port = emu.start(tmp_path / "bus")
    led = Rs485CallDisplay("leds", LedOptions(port=port, timeout_ms=50, screens=[ScreenEntry(1, 1)]))
    events, cond, sink = _collector()
    mgr = DeviceManager.from_devices([led], sink, backoff=FAST)  # type: ignore[arg-type]
    mgr.start()
    try:
        assert mgr.wait_for("leds", {DeviceState.IDLE}, 5)
        emu.stop()
        fut = mgr.submit("leds", lambda d: d.show_call(1, "A1") if isinstance(d, CallDisplay) else None)
        with pytest.raises(Exception):  # noqa: B017 - DeviceError offline
            fut.result(5)
        emu = BusEmulator(fmt, screens=[1])
        emu.start(tmp_path / "bus")
        with cond:
            assert cond.wait_for(lambda: any(e.type == "recovered" for e in events), 10)
        assert mgr.submit("leds", lambda d: d.show_call(1, "A2")).result(5).updated == ("screen-1",)  # type: ignore[attr-defined]
    finally:
        mgr.stop()
        emu.stop()
