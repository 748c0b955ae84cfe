"""``kiosk technician set-pin``: the PIN that opens technician mode on the touch screen."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import file_to_write
from kiosk.ops.provision import DEFAULT_CONFIG
from kiosk.ops.technician_pin import PinError, check_pin, set_pin


def register(sub: Any) -> None:
    tech = sub.add_parser("technician", help="technician access to the terminal")
    tsub = tech.add_subparsers(dest="technician_command", required=True, metavar="COMMAND")
    p = tsub.add_parser("set-pin", help="set the technician PIN (stored only as a salted hash)")
    p.add_argument(
        "--stdin", action="store_true", help="read the PIN from the first line of standard input (scripts)"
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help=f"config file to change (default: --config, $KIOSK_CONFIG, or {DEFAULT_CONFIG})",
    )
    p.set_defaults(func=cmd_set_pin)


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    pin = getpass.getpass("new technician PIN (4-12 digits): ")
    check_pin(pin)
    if getpass.getpass("again: ") != pin:
        raise PinError("the two PINs differ; nothing changed")
    return pin


def cmd_set_pin(args: argparse.Namespace) -> int:
    out = Path(file_to_write(args))
    try:
        set_pin(out, _read_pin(args.stdin))
    except PinError as exc:
        print(f"kiosk technician set-pin: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except (EOFError, KeyboardInterrupt):
        print("kiosk technician set-pin: no PIN given; nothing changed", file=sys.stderr)
        return 2
    print(f"technician PIN set in {out} (takes effect when the kiosk restarts)")
    return 0
