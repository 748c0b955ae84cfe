"""``kiosk emulate led-bus``: a whole RS-485 bus on a pty — window screens, caller keypads and
evaluation pads at the given addresses. Prints every screen update; type ``key ADDR CODE
[TARGET]``, ``rate ADDR LEVEL``, ``dead ADDR`` or ``alive ADDR`` + Enter to act as the hardware."""

from __future__ import annotations

import argparse
import select
import sys
import threading
from pathlib import Path

from drivers.rs485 import presets
from drivers.rs485.emulator import BusEmulator


def _addresses(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = part.split("-", 1)
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(part))
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=sorted(presets.PRESETS), default="hk-crc16")
    parser.add_argument("--screens", default="1-8", help="screen addresses, e.g. 1-20 or 1,2,5")
    parser.add_argument("--keypads", default="", help="keypad addresses")
    parser.add_argument("--pads", default="", help="evaluation pad addresses")
    parser.add_argument("--dead", default="", help="addresses that never answer")
    parser.add_argument("--link", metavar="PATH", help="keep a symlink to the pty here")


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    try:
        emu = BusEmulator(
            presets.get(args.preset),
            screens=_addresses(args.screens),
            keypads=_addresses(args.keypads),
            pads=_addresses(args.pads),
            dead=set(_addresses(args.dead)),
        )
    except ValueError as exc:
        print(f"bad address list: {exc}", file=sys.stderr)
        return 2
    path = emu.start(Path(args.link) if args.link else None)
    print(f'rs485 bus emulator ({args.preset}) on pty: port = "{path}"', flush=True)
    stop = stop or threading.Event()
    shown = emu.texts()
    try:
        while not stop.is_set():
            if sys.stdin.isatty() and select.select([sys.stdin], [], [], 0.2)[0]:
                words = sys.stdin.readline().split()
                try:
                    if words[:1] == ["key"] and len(words) >= 3:
                        emu.press(int(words[1]), *(int(w) for w in words[2:]))
                    elif words[:1] == ["rate"] and len(words) == 3:
                        emu.rate(int(words[1]), int(words[2]))
                    elif words[:1] == ["dead"] and len(words) == 2:
                        emu.dead.add(int(words[1]))
                    elif words[:1] == ["alive"] and len(words) == 2:
                        emu.dead.discard(int(words[1]))
                    else:
                        print("commands: key ADDR CODE [TARGET] | rate ADDR LEVEL | dead ADDR | alive ADDR")
                except (ValueError, KeyError):
                    print("no such address on this bus")
            else:
                stop.wait(0.2)
            now = emu.texts()
            for addr, text in sorted(now.items()):
                if shown.get(addr) != text:
                    print(f"screen {addr}: {text}", flush=True)
            shown = now
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0
