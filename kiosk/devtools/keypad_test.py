"""``kiosk devices test keypad``: print every caller-keypad key received for a while."""

from __future__ import annotations

import argparse

from kiosk.devtools.pad_test import add_arguments, run_keypad

__all__ = ["add_arguments", "run"]


def run(args: argparse.Namespace) -> int:
    return run_keypad(args)
