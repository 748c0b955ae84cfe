"""The demo environment: emulated devices and the local reference platform, started for
``kiosk demo`` and torn down after it.

Each part is a function ``(stack, workdir) -> overrides``: it starts its emulator or server,
registers the cleanup on ``stack``, and returns config tables to layer over ``config/demo.toml``
(e.g. a device's pty path, the platform URL). The real drivers then run unchanged against them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from kiosk.devtools.child import READY

log = logging.getLogger(__name__)

DemoPart = Callable[[ExitStack, Path], dict[str, Any]]


def _platform_parts() -> list[DemoPart]:
    from kiosk.devtools.refplatform import demo_part

    return [demo_part.platform_part]


def _output_parts() -> list[DemoPart]:
    from kiosk.devtools import output_demo

    return [output_demo.printer_part, output_demo.led_bus_part, output_demo.voice_part]


def _input_parts() -> list[DemoPart]:
    from kiosk.devtools import input_demo

    return [input_demo.idreader_part, input_demo.scanner_part, input_demo.cardreader_part]


def _selfservice_parts() -> list[DemoPart]:
    from kiosk.devtools import doccam_demo

    return [doccam_demo.camera_part]


DEMO_PARTS: list[DemoPart] = [*_platform_parts(), *_output_parts(), *_input_parts(), *_selfservice_parts()]
"""In start order: the platform first, then device emulators."""


def _merge(dst: dict[str, Any], src: dict[str, Any]) -> None:
    for key, value in src.items():
        if isinstance(value, dict) and isinstance(dst.get(key), dict):
            _merge(dst[key], value)
        else:
            dst[key] = value


def start_demo_environment(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    """A part that boots in the background (the platform's own process) returns waits under
    ``READY``: they run once every part has started, so the boots overlap."""
    overrides: dict[str, Any] = {}
    ready: list[Callable[[], None]] = []
    for part in DEMO_PARTS:
        got = part(stack, workdir)
        ready.extend(got.pop(READY, ()))
        _merge(overrides, got)
    for wait in ready:
        wait()
    return overrides
