"""``kiosk devices test cardreader``: open the configured PC/SC card reader, wait for one card
and print what it is, masked: a social-security card's holder and numbers, or another known
card's profile (a resident ID card's physical id), or its ATR when no profile knows it."""

from __future__ import annotations

import argparse

from devices.base import DeviceEvent, DeviceKind
from kiosk.devtools.idcard_test import describe, run_kind
from kiosk.privacy import mask_id_number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", metavar="NAME", help="which reader (default: the first configured)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds to wait for a card")


def describe_card(ev: DeviceEvent) -> list[str]:
    if "identity" in ev.data:
        identity = ev.data["identity"]
        extra = getattr(identity, "extra", {}) or {}
        lines = [line for line in describe(identity) if not line.startswith("photo:")]
        card_number = extra.get("card_number")
        if card_number:
            lines.append(f"card number: {mask_id_number(str(card_number))}")
        return lines
    profile = ev.data.get("profile")
    lines = [f"card: {profile or 'not recognised by the configured profiles'}", f"atr: {ev.data.get('atr')}"]
    for key, value in sorted(ev.data.items()):
        if key not in ("profile", "atr") and value is not None:
            lines.append(f"{key}: {mask_id_number(str(value))}")
    return lines


def run(args: argparse.Namespace) -> int:
    return run_kind(
        args,
        DeviceKind.CARD_READER,
        ("card_read", "card_detected"),
        "card reader",
        "insert a card",
        describe_card,
    )
