"""Builder for the device manager: one worker per configured device, events onto the bus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from devices.manager import DeviceManager

if TYPE_CHECKING:
    from kiosk.runtime import App, Component


def build(app: App) -> Component:
    """Always builds a manager (possibly with no devices), so front ends can rely on
    ``app.services.devices`` existing on every profile."""
    manager = DeviceManager(app.settings.devices, app.bus.publish)
    app.services.devices = manager
    return app.add("devices", manager.start, manager.stop)
