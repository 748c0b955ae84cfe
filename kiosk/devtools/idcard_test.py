"""``kiosk devices test idcard``: open the configured ID-card reader, wait for one card and
print what it says, masked (a technician at the terminal checks wiring, not a person's data)."""

from __future__ import annotations

import argparse
import queue
import sys
from collections.abc import Callable

from devices.base import FAULT_STATES, READY_STATES, DeviceEvent, DeviceKind
from devices.idcard import IdentityDocument
from devices.manager import DeviceManager
from kiosk.cli.common import load, start_logging
from kiosk.privacy import mask_id_number, mask_name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", metavar="NAME", help="which reader (default: the first configured)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds to wait for a card")


def describe(identity: IdentityDocument) -> list[str]:
    """Masked lines for a technician; never the full name or number."""
    lines = [
        f"card type: {identity.card_type}",
        f"name: {mask_name(identity.name)}",
        f"id number: {mask_id_number(identity.id_number)}"
        f" (check digit {'ok' if identity.id_number_valid else 'WRONG'})",
        f"gender: {identity.gender}",
        f"valid: {identity.valid_from} to {identity.valid_to}",
        f"photo: {len(identity.photo_wlt)} bytes WLT, "
        + ("decoded" if identity.photo_bmp else "not decoded (no vendor library)"),
    ]
    return lines


def run(args: argparse.Namespace) -> int:
    return run_kind(
        args, DeviceKind.ID_CARD_READER, "card_read", "ID-card reader", "lay a card on the reader"
    )


def run_kind(
    args: argparse.Namespace,
    kind: DeviceKind,
    event: str | tuple[str, ...],
    label: str,
    prompt: str,
    describe_with: Callable[[DeviceEvent], list[str]] | None = None,
) -> int:
    wanted_events = (event,) if isinstance(event, str) else event
    show = describe_with or describe_event
    settings = load(args)
    start_logging(args, settings, to_file=False)
    events: queue.SimpleQueue[DeviceEvent] = queue.SimpleQueue()
    from devices import registry

    wanted = {n: d for n, d in settings.devices.items() if d.enabled}
    names = [n for n, d in wanted.items() if registry.get(d.driver).kind == kind and args.device in (None, n)]
    if not names:
        print(
            f"no {label} configured" + (f" named {args.device}" if args.device else "")
            + " (pass --config FILE with its [devices.NAME] table; see config/profiles/)",
            file=sys.stderr,
        )  # fmt: skip
        return 2
    manager = DeviceManager({n: wanted[n] for n in names[:1]}, events.put)
    name = names[0]
    manager.start()
    try:
        manager.wait_for(name, READY_STATES | FAULT_STATES, 10)
        health = manager.health()[name]
        if not health.connected and health.last_error is not None:
            print(f"{name}: {health.state}: {health.last_error.message} (still trying)", flush=True)
        print(f"{name}: {prompt} (waiting {args.timeout:.0f} s)", flush=True)
        try:
            while True:
                ev = events.get(timeout=args.timeout)
                if ev.type in wanted_events:
                    for line in show(ev):
                        print(line)
                    return 0
                if ev.type in ("card_error", "scan_error"):
                    print(f"{name}: {ev.data.get('message')}", flush=True)
                if ev.type == "state_changed" and ev.data.get("new") in ("offline", "error"):
                    print(f"{name}: {ev.data.get('new')}: {ev.data.get('reason')}", flush=True)
        except queue.Empty:
            print(f"{name}: nothing read within {args.timeout:.0f} s", file=sys.stderr)
            return 1
    finally:
        manager.stop()


def describe_event(ev: DeviceEvent) -> list[str]:
    if "identity" in ev.data:
        return describe(ev.data["identity"])
    from kiosk.identity.classify import describe_masked

    return describe_masked(ev)
