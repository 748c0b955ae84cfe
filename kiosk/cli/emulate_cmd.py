"""``kiosk emulate NAME …``: play a device on a pty or loopback port for tests and demos.

Each emulator is a module listed in EMULATORS with ``add_arguments(parser)`` and
``run(args) -> int``; it prints where it listens (pty path or port) and runs until stopped.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

# name -> module with add_arguments(parser) and run(args) -> int
EMULATORS: dict[str, str] = {
    "sam-idcard": "kiosk.devtools.sam_emulator",
    "pcsc-card": "kiosk.devtools.pcsc_emulator",
    "scanner": "kiosk.devtools.scanner_emulator",
    "escpos": "kiosk.devtools.escpos_emu",
    "led-bus": "kiosk.devtools.ledbus_emu",
    "syn6288": "kiosk.devtools.syn6288_emu",
}


def register(sub: Any) -> None:
    p = sub.add_parser("emulate", help="run a device emulator (pty or loopback)")
    esub = p.add_subparsers(dest="emulator", metavar="DEVICE", required=True)
    for name, module_name in sorted(EMULATORS.items()):
        parser = esub.add_parser(name, help=f"emulate {name}")
        module = importlib.import_module(module_name)
        module.add_arguments(parser)
        parser.set_defaults(func=_runner(module_name))


def _runner(module_name: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        return int(importlib.import_module(module_name).run(args))

    return run
