"""``kiosk devices test pad`` / ``keypad``: invite a rating (pads) and print every rating or key
received for a while, so a technician can press each key and see it arrive."""

from __future__ import annotations

import argparse
import threading
import time

from devices.base import FAULT_STATES, READY_STATES, DeviceError, DeviceEvent, DeviceKind
from devices.evalpad import LEVEL_LABELS
from devices.manager import DeviceManager
from kiosk.devtools.output_common import configured, fail, no_device


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", metavar="NAME", help="which device (default: the first configured)")
    parser.add_argument("--counter", type=int, default=1, help="window whose pad is invited to rate")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to listen")
    parser.add_argument(
        "--count", type=int, default=0, help="stop after this many events (0 = listen the whole time)"
    )


def _run(args: argparse.Namespace, kind: DeviceKind, event: str) -> int:
    found = configured(args, kind)
    if found is None:
        return no_device(kind.value.replace("_", " "))
    _, name, conf = found
    got: list[DeviceEvent] = []
    cond = threading.Condition()

    def sink(ev: DeviceEvent) -> None:
        if ev.type != event:
            return
        with cond:
            got.append(ev)
            cond.notify_all()
        if event == "rating":
            level = int(ev.data["level"])
            print(f"window {ev.data['counter']}: rating {level} {LEVEL_LABELS.get(level, '')}", flush=True)
        else:
            target = f" -> window {ev.data['target']}" if ev.data.get("target") else ""
            print(f"window {ev.data['counter']}: {ev.data['action']}{target}", flush=True)

    manager = DeviceManager({name: conf}, sink)
    manager.start()
    try:
        manager.wait_for(name, READY_STATES | FAULT_STATES, 10)
        health = manager.health()[name]
        if not health.connected:
            err = health.last_error
            return fail(f"{name}: not ready ({err.code if err else 'offline'}): {err.message if err else ''}")
        if kind == DeviceKind.EVALUATION_PAD:
            invited = manager.submit(name, lambda d: d.invite(args.counter)).result(10)  # type: ignore[attr-defined]
            print(
                f"{name}: rating invited at window {args.counter}"
                if invited
                else f"{name}: pad did not answer"
            )
        print(f"listening {args.seconds:.0f} s: press the keys", flush=True)
        deadline = time.monotonic() + args.seconds
        with cond:
            while time.monotonic() < deadline and not (args.count and len(got) >= args.count):
                cond.wait(max(0.0, deadline - time.monotonic()))
    except DeviceError as err:
        return fail(f"{name}: {err.code}: {err.message}")
    finally:
        manager.stop()
    print(f"{name}: {len(got)} {event} event(s)")
    return 0 if got else 1


def run(args: argparse.Namespace) -> int:
    return _run(args, DeviceKind.EVALUATION_PAD, "rating")


def run_keypad(args: argparse.Namespace) -> int:
    return _run(args, DeviceKind.CALLER_KEYPAD, "key")
