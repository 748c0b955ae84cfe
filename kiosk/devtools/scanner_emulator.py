"""``kiosk emulate scanner``: a serial QR/barcode scanner on a pty. Prints the port, then each
stdin line ``scan TEXT`` sends TEXT as a scanned code (``noise``, ``unplug``, ``plug`` too)."""

from __future__ import annotations

import argparse
import sys

from drivers.scanner.emulator import ScannerEmulator
from drivers.scanner.framing import terminator_bytes
from kiosk.devtools.emulator_console import stop_on_signals, take_commands, wait


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--terminator", default="CR", help="CR, CRLF, LF, TAB, ETX or hex (default CR)")
    parser.add_argument("--prefix", default="", help="text the scanner puts before each code")
    parser.add_argument("--suffix", default="", help="text the scanner puts after each code")
    parser.add_argument("--link", metavar="PATH", help="also reach the pty through this symlink")
    parser.add_argument("--trigger-mode", action="store_true", help="send only while triggered by the host")
    parser.add_argument("--scan", action="append", default=[], metavar="TEXT", help="scan TEXT once at start")


def run(args: argparse.Namespace) -> int:
    try:
        terminator = terminator_bytes(args.terminator)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    stop = stop_on_signals()
    emulator = ScannerEmulator(
        terminator=terminator,
        prefix=args.prefix.encode(),
        suffix=args.suffix.encode(),
        link=args.link,
        trigger_mode=args.trigger_mode,
    )
    emulator.start()
    try:
        print(emulator.path, flush=True)
        for text in args.scan:
            emulator.scan(text)
        take_commands(emulator.command, stop)
        wait(stop)
    finally:
        emulator.stop()
    return 0
