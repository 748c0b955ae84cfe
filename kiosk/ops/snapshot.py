"""The running app's state, written to ``<data>/health.json`` every 30 s.

The app owns the devices, so ``kiosk diagnostics`` run from a shell cannot ask them; it reads
the app's last snapshot instead (with its timestamp, so a stale one is visible as stale).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ops import vitals

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from kiosk.platform.sync import SyncEngine

log = logging.getLogger(__name__)

FILE = "health.json"


def _plain(value: Any) -> Any:
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        return as_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def take(manager: DeviceManager | None, sync: SyncEngine | None, data_dir: Path) -> dict[str, Any]:
    """Device health, sync status and vitals now (each part only if that service runs)."""
    doc: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds")}
    if manager is not None:
        doc["devices"] = {name: _plain(report) for name, report in manager.health().items()}
    if sync is not None:
        try:
            doc["sync"] = _plain(sync.status())
        except Exception as exc:  # noqa: BLE001 - a snapshot must not fail on one part
            doc["sync"] = {"error": f"{type(exc).__name__}: {exc}"}
    doc["vitals"] = vitals.collect(data_dir).as_dict()
    return doc


def write(data_dir: Path, doc: dict[str, Any]) -> None:
    target = data_dir / FILE
    tmp = target.with_name(f".{FILE}.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, default=str))
    os.replace(tmp, target)


def read(data_dir: Path) -> dict[str, Any] | None:
    try:
        doc = json.loads((data_dir / FILE).read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


class SnapshotWriter:
    def __init__(
        self,
        devices: DeviceManager | None,
        sync: SyncEngine | None,
        data_dir: Path,
        period_s: float = 30.0,
    ) -> None:
        self.devices = devices
        self.sync = sync
        self.data_dir = data_dir
        self.period_s = period_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failed = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ops-snapshot", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        (self.data_dir / FILE).unlink(missing_ok=True)  # no snapshot = app not running

    def write_now(self) -> None:
        try:
            write(self.data_dir, take(self.devices, self.sync, self.data_dir))
        except Exception as exc:  # noqa: BLE001 - diagnostics must never hurt the kiosk
            if not self._failed:
                log.warning("health snapshot not written: %s", exc)
            self._failed = True
        else:
            self._failed = False

    def _run(self) -> None:
        while True:
            self.write_now()
            if self._stop.wait(self.period_s):
                return
