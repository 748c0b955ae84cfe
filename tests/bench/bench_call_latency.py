"""Time from a call (``show_call``) to its LED frame on the wire, through the real RS-485 bus
driver and the bus emulator on a pty: one window screen, and 20 screens (first and last
frame), with and without one dead screen.

The last line goes through the DeviceManager (``submit`` from another thread, as the queue
engine does) so it includes the hop onto the display's worker thread.

Run: .venv/bin/python tests/bench/bench_call_latency.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from devices.base import DeviceState
from devices.rs485_devices import LedOptions, Rs485CallDisplay, ScreenEntry
from drivers.rs485.emulator import BusEmulator
from drivers.rs485.presets import PRESETS


def run(preset: str, screens: int, dead: set[int], runs: int) -> tuple[list[float], list[float], list[float]]:
    addresses = list(range(1, screens + 1))
    first, last, total = [], [], []
    with BusEmulator(PRESETS[preset], screens=addresses, dead=dead) as emu:
        port = emu.start()
        led = Rs485CallDisplay(
            "bench",
            LedOptions(
                port=port,
                baudrate=115200,
                preset=preset,
                timeout_ms=100,
                retries=1,
                screens=[ScreenEntry(a, 0) for a in addresses],
            ),
        )
        led.open()
        try:
            for i in range(runs):
                n = len(emu.log)
                t0 = time.monotonic()
                led.show_call(1, f"A{i:03d}")
                t1 = time.monotonic()
                emu.wait_until(lambda n=n: len(emu.log) >= n + screens - len(dead), 2)
                arrivals = [t for t, _f in emu.log[n:]]
                first.append((arrivals[0] - t0) * 1000)
                last.append((max(arrivals) - t0) * 1000)
                total.append((t1 - t0) * 1000)
        finally:
            led.close()
    return first, last, total


def via_manager(runs: int) -> list[float]:
    from devices.manager import DeviceManager

    out = []
    with BusEmulator(PRESETS["hk-crc16"], screens=[3]) as emu:
        port = emu.start()
        led = Rs485CallDisplay("leds", LedOptions(port=port, baudrate=115200, screens=[ScreenEntry(3, 3)]))
        mgr = DeviceManager.from_devices([led], lambda _e: None)
        mgr.start()
        try:
            mgr.wait_for("leds", {DeviceState.IDLE}, 5)
            for i in range(runs):
                n = len(emu.log)
                t0 = time.monotonic()
                mgr.submit("leds", lambda d, i=i: d.show_call(3, f"A{i:03d}"))  # type: ignore[attr-defined]
                emu.wait_until(lambda n=n: len(emu.log) > n, 2)
                out.append((emu.log[n][0] - t0) * 1000)
        finally:
            mgr.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    for preset, screens, dead in (
        ("hk-crc16", 1, set()),
        ("hk-crc16", 20, set()),
        ("aa-ee-xor", 20, set()),
        ("hk-crc16", 20, {7}),
        ("armfly-ascii", 20, set()),
    ):
        first, last, total = run(preset, screens, dead, args.runs)
        med = statistics.median
        label = f"{preset:12s} {screens:2d} screens{' (1 dead)' if dead else '         '}"
        print(
            f"{label}: call->first frame {med(first):6.2f} ms, ->last frame {med(last):7.2f} ms, "
            f"call returns {med(total):7.2f} ms (max {max(total):7.2f})"
        )
    lat = via_manager(args.runs)
    print(
        f"DeviceManager.submit(show_call) -> frame on the wire: median {statistics.median(lat):.2f} ms, "
        f"max {max(lat):.2f} ms"
    )


if __name__ == "__main__":
    main()
