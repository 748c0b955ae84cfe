"""``kiosk emulate scanner``: a serial QR/barcode scanner on a pty. Prints the port, then each
stdin line ``scan TEXT`` sends TEXT as a scanned code (``noise``, ``unplug``, ``plug`` too)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from drivers.scanner.emulator import ScannerEmulator
from drivers.scanner.framing import terminator_bytes


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
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
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

        def control() -> None:
            for line in sys.stdin:
                if line.strip() in ("quit", "exit"):
                    stop.set()
                    return
                reply = emulator.command(line)
                if reply:
                    print(reply, file=sys.stderr, flush=True)

        threading.Thread(target=control, daemon=True).start()
        while not stop.wait(0.2):
            pass
    finally:
        emulator.stop()
    return 0
