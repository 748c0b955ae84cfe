"""What technician mode does on the running kiosk: device list and tests, serial port probe and
save, the sync overview, the configuration (secrets hidden), the log tail and the diagnostics
bundle. Plain Python on a worker thread; the technician screen only shows what comes back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from devices.announcer import Announcement
from devices.base import DeviceKind
from kiosk import device_jobs
from kiosk.ops.config_edit import set_values
from kiosk.ops.diagnostics import redact_config, settings_dict
from kiosk.printer_test_ticket import printer_test_ticket
from kiosk.privacy import redact
from kiosk.services import Services
from kiosk.settings import load_settings
from kiosk.settings.errors import ConfigInvalid
from kiosk.settings.load import terminal_file
from kiosk.settings.schema import Settings
from offline_cache import outbox, quarantine
from offline_cache.applications import Rejected

PRINT_TIMEOUT_S = 20.0


class InputTestPending(Exception):
    """An input device is tested by using it: the next card or code it reports passes."""


@dataclass(frozen=True)
class DeviceRow:
    name: str
    kind: str
    driver: str
    state: str
    last_error: str
    detail: str
    error_code: str = ""
    """The last error's code (``paper_out``...): the screen says it in its own language."""
    error_at: str = ""


@dataclass(frozen=True)
class SerialDevice:
    name: str
    port: str
    baud: int


@dataclass(frozen=True)
class SyncOverview:
    online: bool
    last_push: str
    last_error: str
    outbox_depth: int
    quarantined: int
    outbox: tuple[outbox.Waiting, ...]
    quarantine: tuple[quarantine.Entry, ...]
    applications_waiting: int = 0
    """Applications sealed in the spool, not yet with the platform."""
    applications_rejected: tuple[Rejected, ...] = ()
    """Refused by the platform, kept sealed for the technician (newest first)."""


def log_tail(log_dir: Path | None, lines: int = 200) -> list[str]:
    if log_dir is None or not log_dir.is_dir():
        return []
    files = sorted(log_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)
    if not files:
        return []
    text = files[-1].read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return [redact(x) for x in text]


def _writable(path: Path) -> bool:
    """Whether this process may replace ``path`` (write the file and create one beside it)."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


class Technician:
    def __init__(
        self,
        services: Services,
        settings: Settings,
        *,
        data_dir: Path,
        log_dir: Path | None,
        config_file: Callable[[], str | None],
        demo: Callable[[], bool],
        write_bundle: Callable[[Path], Path],
        hall_name: Callable[[], str],
    ) -> None:
        self._services = services
        self._settings = settings
        self._data_dir = data_dir
        self._log_dir = log_dir
        self._config_file = config_file
        """The terminal's file as given on the command line, read when needed (the running app's)."""
        self._demo = demo
        self._write_bundle = write_bundle
        self._hall_name = hall_name

    # -- devices ---------------------------------------------------------------------------------
    def device_rows(self) -> list[DeviceRow]:
        devices = self._services.devices
        if devices is None:
            return []
        rows = []
        for name, h in sorted(devices.health().items()):
            err = h.last_error
            detail = ", ".join(
                f"{k}: {v}" for k, v in dict(h.detail).items() if not isinstance(v, dict | list)
            )
            rows.append(
                DeviceRow(
                    name=name,
                    kind=str(h.kind),
                    driver=h.driver,
                    state=str(h.state),
                    last_error=f"{err.at} {err.code}: {err.message}" if err else "",
                    detail=redact(detail)[:200],
                    error_code=err.code if err else "",
                    error_at=err.at if err else "",
                )
            )
        return rows

    def device_test(self, name: str) -> str:
        """A harmless real operation per kind; returns what happened in one line. An input
        device raises ``InputTestPending``: it is tested by using it."""
        devices = self._services.devices
        if devices is None:
            raise LookupError("no devices on this terminal")
        kind = devices.kind(name)
        if kind is DeviceKind.TICKET_PRINTER:
            q = self._services.queue
            doc = printer_test_ticket(
                self._hall_name(),
                self._settings.terminal.id,
                origin="技术维护测试 / technician printer test",
                tz=q.profile.tz if q is not None else None,
            )
            receipt = device_jobs.print_document(devices, name, doc).result(timeout=PRINT_TIMEOUT_S)
            return f"printed {receipt.bytes_sent} bytes"
        if kind is DeviceKind.CALL_DISPLAY:
            device_jobs.show_text(devices, name, 0, "测试 TEST").result(timeout=10)
            return "text sent"
        if kind is DeviceKind.ANNOUNCER:
            device_jobs.announce(devices, name, Announcement("", 0, text="语音测试。Voice test.")).result(10)
            return "announcement queued"
        raise InputTestPending(name)

    # -- serial ports ----------------------------------------------------------------------------
    def serial_devices(self) -> list[SerialDevice]:
        out = []
        for name, d in self._settings.devices.items():
            port = getattr(d.options, "port", None)
            if port:
                baud = getattr(d.options, "baudrate", 0) or getattr(d.options, "baud", 0) or 9600
                out.append(SerialDevice(name, str(port), int(baud)))
        return out

    def ports(self) -> list[str]:
        from serial.tools import list_ports

        return sorted(str(p.device) for p in list_ports.comports())

    def test_port(self, port: str, baud: int) -> str:
        """Opens the port at that speed and closes it again: proves the port exists, is free and
        accepts the settings (the device's own test then proves the protocol)."""
        import serial

        with serial.serial_for_url(port, baudrate=baud, timeout=0.5):
            pass
        return f"{port} @ {baud}: ok"

    def port_file(self) -> Path | None:
        """The terminal's file the tested port goes into, or None when there is none this
        process may write (demo, defaults only, the installed read-only /etc/hall-kiosk: there
        the technician copies the tested values in by hand)."""
        path = terminal_file(self._config_file())
        if not path or self._demo() or not _writable(Path(path)):
            return None
        return Path(path)

    def save_port(self, path: Path, name: str, port: str, baud: int) -> None:
        """Write the tested port into the terminal's file (in place, schema-checked)."""
        set_values(path, f"devices.{name}", {"port": port, "baudrate": baud})

    # -- sync, config, logs, bundle --------------------------------------------------------------
    def sync_overview(self, limit: int = 20) -> SyncOverview:
        sync = self._services.sync
        store = self._services.store
        st = sync.status() if sync is not None else None
        waiting: list[outbox.Waiting] = []
        held: list[quarantine.Entry] = []
        depth = count = 0
        if store is not None:
            with store.read() as conn:
                depth = outbox.depth(conn)
                count = quarantine.count(conn)
                waiting = outbox.waiting(conn, limit)
                held = quarantine.entries(conn, limit)
        selfservice = self._services.selfservice
        apps_waiting, apps_rejected = 0, []
        if selfservice is not None:
            apps_waiting = selfservice.spool.depth()
            apps_rejected = selfservice.spool.rejected_entries(limit)
        return SyncOverview(
            online=bool(st is not None and st.online),
            last_push=(st.last_sync_at or "") if st is not None else "",
            last_error=st.detail if st is not None else "",
            outbox_depth=depth,
            quarantined=count,
            outbox=tuple(waiting),
            quarantine=tuple(held),
            applications_waiting=apps_waiting,
            applications_rejected=tuple(apps_rejected),
        )

    def config(self) -> tuple[str, list[str]]:
        """The running configuration as text (secrets hidden) and what is wrong with the file on
        disk now, if anything."""
        errors: list[str] = []
        try:
            load_settings(self._config_file())
        except ConfigInvalid as exc:
            errors = [str(e) for e in exc.errors]
        shown = redact_config(settings_dict(self._settings))  # the same as the diagnostics bundle's
        return json.dumps(shown, ensure_ascii=False, indent=1, default=str), errors

    def log_tail(self, lines: int = 200) -> list[str]:
        return log_tail(self._log_dir, lines)

    def bundle(self) -> Path:
        """The operations team's diagnostics bundle (the same as ``kiosk diagnostics``)."""
        out = self._data_dir / "diagnostics"
        out.mkdir(parents=True, exist_ok=True)
        return self._write_bundle(out / f"diagnostics-{datetime.now().strftime('%Y%m%d-%H%M%S')}.zip")
