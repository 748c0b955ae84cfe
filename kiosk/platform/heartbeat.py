"""What the heartbeat tells the platform besides vitals: each device's health and the queue's
waiting counts (the platform's dashboard of every hall)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from kiosk.hall_queue import HallQueue

Fields = dict[str, object]


def device_health(manager: DeviceManager | None) -> Fields:
    if manager is None:
        return {}
    out = []
    for name, report in manager.health().items():
        err = report.last_error
        out.append(
            {
                "name": name,
                "kind": str(report.kind),
                "state": str(report.state),
                "detail": f"{err.code}: {err.message}" if err is not None else None,
            }
        )
    return {"devices": out}


def queue_snapshot(queue: HallQueue | None) -> Fields:
    """Waiting and estimated minutes per category."""
    if queue is None:
        return {}
    return {
        "queue": {
            c.code: {"waiting": c.waiting, "est_wait_min": int(c.est_wait_min or 0)}
            for c in queue.categories()
        }
    }
