"""Technician mode: devices and their tests, serial ports, sync, configuration, logs, bundle.

Every operation is the core's (``kiosk.technician``); an input device is tested by using it, so
the bridge hands this presenter the next card, code or key from a device under test first.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from devices.base import DeviceEvent
from kiosk.privacy import mask_name
from kiosk.technician import DeviceRow, InputTestPending, SyncOverview
from ui.presenters.base import Presenter
from ui.qt import QTimer

log = logging.getLogger(__name__)

INPUT_TEST_MS = 20_000
INPUT_EVENTS = frozenset({"card_read", "card_detected", "code_scanned", "key", "rating"})
REFRESH_ON = frozenset({"state_changed", "disconnected", "recovered", "paper_out", "paper_ok"})


def device_rows(rows: list[DeviceRow]) -> list[dict[str, object]]:
    return [
        {"name": r.name, "kind": r.kind, "driver": r.driver, "state": r.state, "lastError": r.last_error,
         "lastErrorCode": r.error_code, "lastErrorAt": r.error_at, "detail": r.detail}
        for r in rows
    ]  # fmt: skip


def sync_page(o: SyncOverview) -> dict[str, object]:
    return {
        "sync": {"online": o.online, "lastPush": o.last_push, "lastError": o.last_error,
                 "outbox": o.outbox_depth, "quarantine": o.quarantined,
                 "applications": o.applications_waiting, "rejected": len(o.applications_rejected)},
        "outbox": [{"id": e.id, "type": e.type, "at": e.created_at, "tries": e.attempts} for e in o.outbox],
        "quarantine": [{"id": e.id, "type": e.type, "reason": e.reason} for e in o.quarantine],
        "rejectedApplications": [{"id": r.application_id, "at": r.rejected_at, "reason": r.reason}
                                 for r in o.applications_rejected],
    }  # fmt: skip


def describe(kind: str, data: Mapping[str, object]) -> str:
    """What an input test shows: enough to see it worked, nothing personal (names masked)."""
    if kind == "card_read" and data.get("identity") is not None:
        return mask_name(str(getattr(data["identity"], "name", "")))
    if kind == "code_scanned":
        code = data.get("code")
        return f"{len(str(getattr(code, 'text', '')))} characters"
    if kind == "card_detected":
        return str(data.get("profile") or data.get("uid") or "")
    return ", ".join(f"{k}={v}" for k, v in data.items() if k in ("counter", "action", "level"))


class TechnicianPresenter(Presenter):
    screen = "technician"

    def connect(self) -> None:
        t = self.ctx.technician
        self._input_tests: set[str] = set()
        t.pageOpened.connect(self.page)
        t.testRequested.connect(self.test)
        t.detectPortsRequested.connect(self.detect_ports)
        t.portTestRequested.connect(self.test_port)
        t.portSaveRequested.connect(self.save_port)
        t.bundleRequested.connect(self.bundle)

    # -- device events ---------------------------------------------------------------------------
    def input_test(self, ev: DeviceEvent) -> bool:
        """The event completes an input device's test (and is consumed)."""
        if ev.device in self._input_tests and ev.type in INPUT_EVENTS:
            self._input_tests.discard(ev.device)
            self.ctx.technician.test_result(ev.device, True, f"{ev.type} {describe(ev.type, dict(ev.data))}")
            return True
        return False

    def admin_card(self, uid: str) -> None:
        """An admin card opens technician mode from any screen."""
        if self.ctx.technician.admin_card(uid) and self.current_screen() != "technician":
            self.ctx.ui.go("technician")

    def device_changed(self, ev: DeviceEvent) -> None:
        t = self.ctx.technician
        if ev.type in REFRESH_ON and self.current_screen() == "technician" and t.get("unlocked"):
            self.page(t.get("page"))

    # -- pages -----------------------------------------------------------------------------------
    def page(self, page: str) -> None:
        t = self.ctx.technician
        tech = self.kiosk.technician
        if page in ("devices", "tests"):
            self.run(lambda: device_rows(tech.device_rows()), lambda rows: t.update(devices=rows),
                     self.log_failure("devices"))  # fmt: skip
        elif page == "serial":
            t.update(
                serialDevices=[
                    {"name": d.name, "port": d.port, "baud": d.baud} for d in tech.serial_devices()
                ]
            )
        elif page == "sync":
            self.run(
                lambda: sync_page(tech.sync_overview()),
                lambda s: t.update(**s),
                self.log_failure("sync status"),
            )
        elif page == "config":

            def config() -> dict[str, object]:
                text, errors = tech.config()
                return {"configText": text, "configErrors": errors}

            self.run(config, lambda s: t.update(**s), self.log_failure("config"))
        elif page == "logs":
            self.run(tech.log_tail, lambda lines: t.update(logLines=lines), self.log_failure("logs"))

    def test(self, name: str, _test: str) -> None:
        t = self.ctx.technician

        def failed(exc: BaseException) -> None:
            if isinstance(exc, InputTestPending):
                # tested by use: the next card / code / key from this device passes
                self._input_tests.add(name)
                t.update(messageKey="tech.msg.use_device")
                QTimer.singleShot(INPUT_TEST_MS, lambda: self._input_test_timeout(name))
            else:
                t.test_result(name, False, getattr(exc, "message", None) or type(exc).__name__)

        self.run(
            lambda: self.kiosk.technician.device_test(name),
            lambda text: t.test_result(name, True, text),
            failed,
        )

    def _input_test_timeout(self, name: str) -> None:
        if name in self._input_tests:
            self._input_tests.discard(name)
            self.ctx.technician.test_result(name, False, f"nothing received in {INPUT_TEST_MS // 1000} s")

    def detect_ports(self) -> None:
        t = self.ctx.technician
        self.run(self.kiosk.technician.ports, lambda p: t.update(ports=p), self.log_failure("port detection"))

    def test_port(self, name: str, port: str, baud: int) -> None:
        t = self.ctx.technician
        self.run(
            lambda: self.kiosk.technician.test_port(port, baud),
            lambda text: t.port_test_result(name, port, baud, True, text),
            lambda exc: t.port_test_result(name, port, baud, False, f"{port}: {type(exc).__name__}"),
        )

    def save_port(self, name: str, port: str, baud: int) -> None:
        """Write the tested port into the terminal's file and restart to apply it once the
        technician leaves; without a file of its own (demo, defaults only, read-only install)
        say where the values go instead of pretending to save."""
        t = self.ctx.technician
        tech = self.kiosk.technician
        path = tech.port_file()
        if path is None:
            t.update(messageKey="tech.msg.save_manual")
            return

        def saved(_: object) -> None:
            log.info("technician saved device %s: port %s at %d baud in %s", name, port, baud, path)
            t.update(messageKey="tech.msg.saved")
            self.kiosk.request_restart("technician changed device settings")

        def failed(exc: BaseException) -> None:
            log.error("saving device %s settings failed: %s", name, getattr(exc, "message", exc))
            t.update(messageKey="tech.msg.save_failed")

        self.run(lambda: tech.save_port(path, name, port, baud), saved, failed)

    def bundle(self) -> None:
        t = self.ctx.technician
        self.run(
            lambda: str(self.kiosk.technician.bundle()),
            lambda p: t.update(bundlePath=p, busy=False),
            lambda e: t.update(busy=False, messageKey="tech.msg.bundle_failed"),
        )
