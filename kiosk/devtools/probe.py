"""``kiosk devices probe [--json]``: open every configured device once and print its health.

Uses the same DeviceManager as the running terminal, so what a technician sees here is what
the kiosk would see (same drivers, same options, same error codes). Card readers get one poll
after opening, so ``card_present`` says whether a card lies there now, not merely that none
has been seen yet.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from devices.base import FAULT_STATES, READY_STATES, DeviceError, DeviceEvent, DeviceKind, HealthReport
from devices.manager import DeviceManager
from kiosk.cli.common import load, start_logging


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--timeout", type=float, default=5.0, metavar="S", help="seconds to wait for each device to open"
    )


def _line(h: HealthReport) -> str:
    parts = [f"{h.name}: {h.state}", f"{h.kind} via {h.driver}"]
    for label, value in (("model", h.model), ("firmware", h.firmware), ("id", h.hardware_id)):
        if value:
            parts.append(f"{label} {value}")
    if "card_present" in h.detail and h.connected:
        parts.append("card present" if h.detail["card_present"] else "no card")
    if h.last_error is not None and not h.connected:
        parts.append(f"error {h.last_error.code}: {h.last_error.message}")
    return " | ".join(parts)


_CARD_KINDS = frozenset({DeviceKind.ID_CARD_READER, DeviceKind.CARD_READER})


def _look_for_cards(manager: DeviceManager, timeout: float) -> None:
    """One poll on each open card reader, as a job on its own worker (the same poll the kiosk
    runs), so a card already lying there is found and its health says so."""
    jobs = [
        manager.submit(name, lambda dev: dev.poll())
        for name, h in manager.health().items()
        if h.connected and manager.kind(name) in _CARD_KINDS
    ]
    deadline = time.monotonic() + timeout
    for job in jobs:
        try:
            job.result(max(0.1, deadline - time.monotonic()))
        except (DeviceError, TimeoutError):
            pass  # health shows what went wrong


def run(args: argparse.Namespace) -> int:
    settings = load(args)
    start_logging(args, settings, to_file=False)
    events: list[DeviceEvent] = []
    manager = DeviceManager(settings.devices, events.append)
    if not manager.names():
        print("no devices configured" if not args.json else json.dumps({}))
        return 0
    manager.start()
    try:
        deadline = time.monotonic() + args.timeout
        for name in manager.names():
            manager.wait_for(name, READY_STATES | FAULT_STATES, max(0.0, deadline - time.monotonic()))
        _look_for_cards(manager, max(1.0, deadline - time.monotonic()))
        health = manager.health()
    finally:
        manager.stop()
    if args.json:
        doc: dict[str, Any] = {name: h.as_dict() for name, h in health.items()}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for h in health.values():
            print(_line(h))
    return 0 if all(h.connected for h in health.values()) else 1
