"""Builder for operations: vitals in every heartbeat, and the health snapshot that
``kiosk diagnostics`` reads. Runs after sync (it registers a heartbeat provider there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ops import vitals
from kiosk.ops.snapshot import SnapshotWriter

if TYPE_CHECKING:
    from kiosk.runtime import App, Component


def build(app: App) -> Component:
    sync = app.services.sync
    if sync is not None:
        sync.add_heartbeat_provider(vitals.heartbeat_provider(app.paths.data))
    writer = SnapshotWriter(app.services.devices, sync, app.paths.data)
    app.services.ops = writer
    return app.add("ops", writer.start, writer.stop)
