"""``kiosk emulate sam-idcard --card FILE [--fault …]``: an ID-card reader on a pty.

Prints the port to configure (``port = "…"`` of a ``sam-serial`` device), then takes control
lines on stdin (``card N``, ``remove``, ``fault NAME``, ``unplug``, ``plug``, ``status``) until
interrupted. With ``--link`` the port keeps one stable path across unplug/plug and restarts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drivers.sam.emulator import FAULTS, CardFileError, SamEmulator, load_cards
from kiosk.devtools.emulator_console import stop_on_signals, take_commands, wait
from kiosk.settings.load import shipped_config_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--card",
        metavar="FILE",
        default=str(shipped_config_dir() / "demo-cards.toml"),
        help="cards to play, TOML or JSON [[cards]] (default: the demo people)",
    )
    parser.add_argument(
        "--fault",
        choices=[*FAULTS, "unplug"],
        default="none",
        help="start with this fault; unplug = pull the cable every --unplug-every s for --unplug-s s",
    )
    parser.add_argument("--unplug-every", type=float, default=10.0, metavar="S", help=argparse.SUPPRESS)
    parser.add_argument("--unplug-s", type=float, default=2.0, metavar="S", help=argparse.SUPPRESS)
    parser.add_argument("--link", metavar="PATH", help="also reach the pty through this symlink")
    parser.add_argument(
        "--present", type=int, default=1, metavar="N", help="card N lies on the reader at start"
    )
    parser.add_argument("--empty", action="store_true", help="no card on the reader at start")
    parser.add_argument(
        "--slow-s", type=float, default=0.4, metavar="S", help="answer delay of the slow fault"
    )


def run(args: argparse.Namespace) -> int:
    try:
        cards = load_cards(Path(args.card))
    except CardFileError as exc:
        print(f"card file: {exc}", file=sys.stderr)
        return 2
    if not args.empty and not 1 <= args.present <= len(cards):
        print(f"--present {args.present}: the file has {len(cards)} cards", file=sys.stderr)
        return 2
    present = None if args.empty else args.present - 1
    stop = stop_on_signals()
    line_fault = "none" if args.fault == "unplug" else args.fault
    emulator = SamEmulator(cards, link=args.link, present=present, fault=line_fault, slow_s=args.slow_s)
    emulator.start()
    try:
        print(emulator.path, flush=True)
        where = "no card" if present is None else cards[present].label
        print(f"SAM reader emulator: {len(cards)} cards, on the reader: {where}", file=sys.stderr, flush=True)
        take_commands(emulator.command, stop)
        if args.fault == "unplug":
            while not stop.wait(args.unplug_every):
                emulator.unplug()
                print("unplugged", file=sys.stderr, flush=True)
                if stop.wait(args.unplug_s):
                    break
                emulator.plug()
                print(f"plugged in at {emulator.path}", file=sys.stderr, flush=True)
        wait(stop)
    finally:
        emulator.stop()
    return 0
