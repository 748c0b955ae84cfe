"""Which device events the platform hears about: ``device.fault`` / ``device.recovered``.

Hall IT learns that a kiosk ran out of paper or lost its LED screen from the platform, often
before a citizen complains, so these go through the outbox like tickets do (an offline
terminal reports them when it reconnects). Each fault is reported once while it lasts and its
recovery once when it ends; a device that flaps does not flood the outbox with repeats of a
fault already open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from devices.base import DeviceEvent

FAULT = "device.fault"
RECOVERED = "device.recovered"

# event type -> the code reported when the event itself carries none
_FAULTS: dict[str, str] = {
    "disconnected": "disconnected",
    "paper_out": "paper_out",
    "paper_low": "paper_near_end",
    "cover_open": "cover_open",
    "engine_fault": "engine_fault",
    "screen_offline": "screen_offline",
    "keypad_offline": "keypad_offline",
    "pad_offline": "pad_offline",
}
# event type -> the open faults it ends
_RECOVERIES: dict[str, tuple[str, ...]] = {
    "recovered": ("disconnected",),
    "paper_ok": ("paper_out", "paper_near_end", "cover_open"),
    "screen_online": ("screen_offline",),
    "keypad_online": ("keypad_offline",),
    "pad_online": ("pad_offline",),
    "engine_ok": ("engine_fault",),
}


@dataclass(frozen=True)
class Report:
    type: str
    data: dict[str, str]
    at: str


class FaultTracker:
    """Turns the device event stream into fault/recovery reports (pure: no store, no I/O)."""

    def __init__(self, kind_of: Callable[[str], str]) -> None:
        self.kind_of = kind_of
        self._open: dict[tuple[str, str], str] = {}  # (device, fault key) -> reported code

    def feed(self, event: DeviceEvent) -> list[Report]:
        if event.type in _FAULTS:
            return self._fault(event)
        if event.type in _RECOVERIES:
            return self._recover(event, _RECOVERIES[event.type])
        return []

    def _fault(self, event: DeviceEvent) -> list[Report]:
        data = event.data
        code = str(data.get("code") or _FAULTS[event.type])
        unit = _unit(data)
        key = "paper_near_end" if event.type == "paper_low" else event.type
        if unit:
            key += f":{unit}"
        if (event.device, key) in self._open:
            return []
        self._open[(event.device, key)] = code
        return [Report(FAULT, self._data(event.device, code, _detail(event)), event.at)]

    def _recover(self, event: DeviceEvent, ends: tuple[str, ...]) -> list[Report]:
        unit = _unit(event.data)
        out: list[Report] = []
        for (device, key), code in list(self._open.items()):
            if device != event.device:
                continue
            base, _, key_unit = key.partition(":")
            if base not in ends:
                continue
            if unit and key_unit and key_unit != str(unit):
                continue
            del self._open[(device, key)]
            out.append(Report(RECOVERED, self._data(device, code, _detail(event)), event.at))
        return out

    def _data(self, device: str, code: str, detail: str) -> dict[str, str]:
        try:
            kind = str(self.kind_of(device))
        except KeyError:  # a device the manager no longer knows: still worth reporting
            kind = "unknown"
        return {"device": device, "kind": kind, "code": code, "detail": detail}

    def open_faults(self) -> list[tuple[str, str]]:
        return sorted(self._open)


def _unit(data: Mapping[str, Any]) -> Any:
    """A sub-unit (LED screen 3 on the bus) or a voice engine faults and recovers on its own."""
    return data.get("screen") or data.get("keypad") or data.get("pad") or data.get("engine")


def _detail(event: DeviceEvent) -> str:
    """A short plain description; never a card's content (those events are not faults)."""
    data: dict[str, Any] = dict(event.data)
    if "message" in data:
        return str(data["message"])[:200]
    if "detail" in data:
        return str(data["detail"])[:200]
    parts = [f"{k}={v}" for k, v in sorted(data.items()) if k != "code"]
    return (event.type + (" " + " ".join(parts) if parts else ""))[:200]
