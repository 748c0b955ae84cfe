"""``kiosk emulate pcsc-card``: put a virtual card into vsmartcard's vpcd reader (pcscd).

Prints where it connected, inserts the card, then takes ``insert`` / ``remove`` on stdin.
The default card is the demo social-security card (李明华, SC1234567).
"""

from __future__ import annotations

import argparse
import sys

from drivers.pcsc.vicc import VPCD_PORT, ResidentIdContactless, SocialSecurityCard, VirtualCard, VpcdCard
from kiosk.devtools.emulator_console import stop_on_signals, take_commands, wait

DEMO_SSC = {"card_number": "SC1234567", "name": "李明华", "ssn": "110105198503072014"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--card", choices=["social-security", "resident-id"], default="social-security")
    parser.add_argument("--name", default=DEMO_SSC["name"], help="social-security card holder")
    parser.add_argument("--ssn", default=DEMO_SSC["ssn"], help="social security number (= ID number)")
    parser.add_argument("--card-number", default=DEMO_SSC["card_number"])
    parser.add_argument("--physical-id", default="0102030405060708", help="resident ID card: 8 bytes hex")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=VPCD_PORT, help="vpcd port (35963 = reader 00 00)")


def make_card(args: argparse.Namespace) -> VirtualCard:
    if args.card == "resident-id":
        return ResidentIdContactless(bytes.fromhex(args.physical_id))
    return SocialSecurityCard(args.card_number, args.name, args.ssn)


def run(args: argparse.Namespace) -> int:
    try:
        card = VpcdCard(make_card(args), args.host, args.port)
        card.insert(timeout=3)
    except ValueError as exc:
        print(f"bad card data: {exc}", file=sys.stderr)
        return 2
    except OSError:
        print(
            f"vpcd is not listening on {args.host}:{args.port} (is pcscd running with vsmartcard-vpcd?)",
            file=sys.stderr,
        )
        return 2
    stop = stop_on_signals()
    print(f"{args.card} card inserted into vpcd at {args.host}:{args.port}", flush=True)
    take_commands(lambda line: card_command(card, line) or "commands: insert | remove | quit", stop)
    try:
        wait(stop)
    finally:
        card.remove()
    return 0


def card_command(card: VpcdCard, line: str) -> str | None:
    """``insert`` / ``remove`` (this console's and the demo's control lines); None otherwise."""
    verb = line.strip()
    try:
        if verb == "insert":
            card.insert(timeout=3)
            return "card inserted"
        if verb == "remove":
            card.remove()
            return "card removed"
    except OSError as exc:
        return f"error: {exc}"
    return None
