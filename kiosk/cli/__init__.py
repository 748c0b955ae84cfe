"""``kiosk`` command line: global options, then one subcommand per module listed below."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kiosk import __version__

# Each module has register(subparsers); the handler it sets returns the exit code.
COMMAND_MODULES = [
    "kiosk.cli.config_cmd",
    "kiosk.cli.run_cmd",
    "kiosk.cli.screenshots_cmd",
    "kiosk.cli.devices_cmd",
    "kiosk.cli.emulate_cmd",
    "kiosk.cli.store_cmd",
    "kiosk.cli.sync_cmd",
    "kiosk.cli.catalog_cmd",
    "kiosk.cli.platform_cmd",
    "kiosk.cli.queue_cmd",
    "kiosk.cli.provision_cmd",
    "kiosk.cli.diagnostics_cmd",
    "kiosk.cli.technician_cmd",
    "kiosk.cli.hall_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="hall-kiosk: self-service terminals and queue machines for service halls",
    )
    parser.add_argument("--version", action="version", version=f"hall-kiosk {__version__}")
    parser.add_argument("--config", metavar="FILE", help="terminal config (default: $KIOSK_CONFIG)")
    parser.add_argument("--log-json", action="store_true", help="log JSON lines")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
