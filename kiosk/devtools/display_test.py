"""``kiosk devices test display``: show a test call on the window LED screens and say which
screens took it and which did not answer."""

from __future__ import annotations

import argparse
from typing import Any

from devices.base import DeviceError, DeviceKind
from devices.display import CallDisplay, ShowResult
from kiosk.devtools.output_common import configured, fail, no_device, run_on_device


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", metavar="NAME", help="which display (default: the first configured)")
    parser.add_argument("--counter", type=int, default=0, help="window number (0 = every screen)")
    parser.add_argument("--number", default="A001", help="ticket number to show")
    parser.add_argument("--text", default="", help="free text instead of the call template")
    parser.add_argument("--clear", action="store_true", help="blank the screens instead")


def run(args: argparse.Namespace) -> int:
    found = configured(args, DeviceKind.CALL_DISPLAY)
    if found is None:
        return no_device("display")
    _, name, conf = found

    def job(dev: Any) -> ShowResult:
        display: CallDisplay = dev
        if args.clear:
            return display.clear(args.counter)
        if args.counter == 0:
            return display.show_text(0, args.text or f"{args.number} TEST")
        return display.show_call(args.counter, args.number, args.text)

    try:
        result = run_on_device(name, conf, job, timeout=30)
    except DeviceError as err:
        return fail(f"{name}: not shown ({err.code}): {err.message}")
    print(f"{name}: updated {len(result.updated)} screen(s): {', '.join(result.updated) or '-'}")
    if result.offline:
        print(f"{name}: NOT answering: {', '.join(result.offline)}")
    return 0 if not result.offline else 1
