"""Shared by the output-device testers: pick the configured device of a kind and run one job
on it through the DeviceManager (the same path the kiosk uses)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from devices.base import FAULT_STATES, READY_STATES, Device, DeviceError, DeviceEvent, DeviceKind
from devices.manager import DeviceManager
from kiosk.cli.common import load, start_logging
from kiosk.settings.schema import DeviceSettings, Settings

T = TypeVar("T")


def pick(settings: Settings, kind: DeviceKind, name: str | None) -> tuple[str, DeviceSettings] | None:
    from devices import registry

    for dev_name, conf in sorted(settings.devices.items()):
        if name is not None and dev_name != name:
            continue
        if not conf.enabled:
            continue
        try:
            if registry.get(conf.driver).kind == kind:
                return dev_name, conf
        except registry.UnknownDriver:
            continue
    return None


def configured(args: argparse.Namespace, kind: DeviceKind) -> tuple[Settings, str, DeviceSettings] | None:
    """A tester's settings (logging to the console) and the device of ``kind`` it drives:
    ``--device`` or the first configured one; None when there is none."""
    settings = load(args)
    start_logging(args, settings, to_file=False)
    found = pick(settings, kind, args.device)
    return None if found is None else (settings, *found)


def run_on_device(
    name: str,
    conf: DeviceSettings,
    job: Callable[[Device], T],
    *,
    timeout: float = 10.0,
    events: list[DeviceEvent] | None = None,
) -> T:
    """Open the device on its own worker, run ``job`` once, stop. DeviceError when not ready."""
    sink: list[DeviceEvent] = events if events is not None else []
    manager = DeviceManager({name: conf}, sink.append)
    manager.start()
    try:
        manager.wait_for(name, READY_STATES | FAULT_STATES, timeout)
        health = manager.health()[name]
        if not health.connected:
            err = health.last_error
            raise DeviceError(err.code if err else "offline", err.message if err else "device did not open")
        return manager.submit(name, job).result(timeout)
    finally:
        manager.stop()


def fail(message: str, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code


def elapsed_ms(started: float) -> float:
    return (time.monotonic() - started) * 1000


def no_device(kind: str) -> int:
    return fail(f"no {kind} configured (add a [devices.NAME] table with its driver; see config/profiles/)", 2)
