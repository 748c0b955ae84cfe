"""Drivers registered by name, so a terminal's config picks its hardware by a string.

Entries are resolved lazily (``"module:attribute"``) so that starting a ticket machine does
not import OpenCV, and a driver whose optional dependency is missing fails only when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.base import Device, DeviceKind


@dataclass(frozen=True)
class DriverInfo:
    name: str
    kind: DeviceKind
    options: type
    """A frozen dataclass of the driver's options; validated like every other config table."""
    factory: Callable[[str, Any], Device]
    """factory(device_name, options) -> Device"""
    summary: str = ""


# driver name -> "module:attribute" of its DriverInfo. Add one line per driver.
BUILTIN: dict[str, str] = {
    "sam-serial": "devices.idcard:SAM_SERIAL",
    "sdtapi": "devices.sdtapi_idcard:SDTAPI",
    "termb": "devices.termb_idcard:TERMB",
    "pcsc": "devices.cardreader:PCSC",
    "serial-scanner": "devices.scanner:SERIAL",
    "hid-scanner": "devices.scanner:HID",
    "camera-scanner": "devices.scanner:CAMERA",
    "escpos": "devices.escpos_printer:DRIVER",
    "rs485_led": "devices.rs485_devices:LED_DRIVER",
    "rs485_keypad": "devices.rs485_devices:KEYPAD_DRIVER",
    "rs485_evalpad": "devices.rs485_devices:EVALPAD_DRIVER",
    "voice": "devices.voice_announcer:DRIVER",
}

_loaded: dict[str, DriverInfo] = {}


class UnknownDriver(KeyError):
    pass


def names() -> list[str]:
    return sorted(set(BUILTIN) | set(_loaded))


def register(info: DriverInfo) -> None:
    _loaded[info.name] = info


def get(name: str) -> DriverInfo:
    if name in _loaded:
        return _loaded[name]
    target = BUILTIN.get(name)
    if target is None:
        raise UnknownDriver(name)
    module_name, _, attr = target.partition(":")
    info = getattr(importlib.import_module(module_name), attr)
    if not isinstance(info, DriverInfo):
        raise TypeError(f"{target} is not a DriverInfo")
    _loaded[name] = info
    return info
