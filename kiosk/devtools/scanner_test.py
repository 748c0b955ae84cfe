"""``kiosk devices test scanner``: wait for one scan on the configured code scanner and print
what kind of code it was, with the payload masked."""

from __future__ import annotations

import argparse

from devices.base import DeviceKind
from kiosk.devtools.idcard_test import add_arguments as _add
from kiosk.devtools.idcard_test import run_kind


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _add(parser)


def run(args: argparse.Namespace) -> int:
    return run_kind(args, DeviceKind.CODE_SCANNER, "code_scanned", "code scanner", "scan a code")
