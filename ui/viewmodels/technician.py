"""Technician mode: PIN (hashed, lockout after 5 wrong tries) or an admin card; pages for
device status and tests, serial settings tested before saving, sync, config, logs,
diagnostics bundle, and the only way out to the desktop."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from kiosk.pin import LockoutFile, verify_pin
from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel

MAX_TRIES = 5
PIN_MAX_LEN = 12
PAGES = ("devices", "tests", "serial", "sync", "config", "logs", "diagnostics")


class TechnicianViewModel(StateViewModel):
    pageOpened = Signal(str)
    """The bridge loads the page's data (device health, outbox, log tail...) off the GUI thread."""
    testRequested = Signal(str, str)  # device name, test (read|scan|print|show|speak)
    portTestRequested = Signal(str, str, int)  # device name, port, baud
    portSaveRequested = Signal(str, str, int)
    detectPortsRequested = Signal()
    bundleRequested = Signal()
    exitRequested = Signal()
    leaveRequested = Signal()

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "unlocked": False,
        "pinLength": 0,
        "failures": 0,
        "lockedFor": 0,  # seconds of lockout left
        "messageKey": "",
        "pinConfigured": False,
        "page": "devices",
        "devices": [],  # [{name, kind, driver, state, lastError, detail}]
        "testResults": {},  # {name: {ok, text}}
        "ports": [],  # ["/dev/ttyUSB0", ...]
        "serialDevices": [],  # [{name, port, baud}]
        "portTest": {},  # {name, port, baud, ok, text}
        "sync": {},  # {online, lastPush, lastPull, outbox, quarantine, applications, rejected, lastError}
        "outbox": [],  # [{id, type, at, tries}]
        "quarantine": [],  # [{id, type, reason}]
        "rejectedApplications": [],  # [{id, at, reason}]: refused applications, kept sealed
        "configText": "",
        "configErrors": [],
        "logLines": [],
        "bundlePath": "",
        "busy": False,
    }
    PERSONAL = frozenset()

    def __init__(
        self,
        pin_hash: str = "",
        admin_uids: Iterable[str] = (),
        lockout_s: int = 300,
        clock: Callable[[], float] = time.time,
        lockout_file: LockoutFile | None = None,
    ) -> None:
        super().__init__()
        self._pin_hash = pin_hash
        self._admin_uids = {u.strip().upper() for u in admin_uids if u.strip()}
        self._lockout_s = lockout_s
        self._clock = clock
        self._pin = ""
        self._lockout_file = lockout_file
        failures, self._locked_until = lockout_file.load() if lockout_file else (0, 0.0)
        self.update(pinConfigured=bool(pin_hash), failures=min(failures, MAX_TRIES - 1))

    def _keep(self) -> None:
        if self._lockout_file is not None:
            self._lockout_file.save(self._state["failures"], self._locked_until)

    # --- entry ------------------------------------------------------------------------
    def _locked_left(self) -> int:
        return max(0, int(self._locked_until - self._clock() + 0.999))

    @Slot(str)
    def pressDigit(self, digit: str) -> None:
        if self._state["unlocked"] or not digit.isdigit() or len(self._pin) >= PIN_MAX_LEN:
            return
        self._pin += digit
        self.update(pinLength=len(self._pin), messageKey="")

    @Slot()
    def backspace(self) -> None:
        self._pin = self._pin[:-1]
        self.update(pinLength=len(self._pin))

    @Slot()
    def submitPin(self) -> None:
        pin, self._pin = self._pin, ""
        left = self._locked_left()
        if left:
            self.update(pinLength=0, lockedFor=left, messageKey="tech.msg.locked")
            return
        if not self._pin_hash:
            self.update(pinLength=0, messageKey="tech.msg.no_pin")
            return
        if verify_pin(pin, self._pin_hash):
            self.update(unlocked=True, pinLength=0, failures=0, messageKey="", lockedFor=0)
            self._keep()
            self.pageOpened.emit(self._state["page"])
            return
        failures = self._state["failures"] + 1
        if failures >= MAX_TRIES:
            self._locked_until = self._clock() + self._lockout_s
            self.update(pinLength=0, failures=0, lockedFor=self._lockout_s, messageKey="tech.msg.locked")
        else:
            self.update(pinLength=0, failures=failures, messageKey="tech.msg.wrong_pin")
        self._keep()

    def refresh_lockout(self) -> None:
        self.update(lockedFor=self._locked_left())

    def admin_card(self, uid: str) -> bool:
        """An admin card on the reader unlocks (even during a PIN lockout: it is a second factor
        the hall controls)."""
        if uid.strip().upper() in self._admin_uids:
            self._pin = ""
            self.update(unlocked=True, pinLength=0, failures=0, messageKey="")
            self.pageOpened.emit(self._state["page"])
            return True
        return False

    @Slot()
    def lock(self) -> None:
        self._pin = ""
        self.update(unlocked=False, pinLength=0, messageKey="", testResults={}, portTest={}, bundlePath="")

    @Slot()
    def leave(self) -> None:
        self.lock()
        self.leaveRequested.emit()

    @Slot()
    def exitToDesktop(self) -> None:
        if self._state["unlocked"]:
            self.exitRequested.emit()

    # --- pages ------------------------------------------------------------------------
    @Slot(str)
    def setPage(self, page: str) -> None:
        if page in PAGES and self._state["unlocked"]:
            self.update(page=page)
            self.pageOpened.emit(page)

    @Slot(str, str)
    def runTest(self, device: str, test: str) -> None:
        if self._state["unlocked"]:
            results = dict(self._state["testResults"])
            results[device] = {"ok": None, "text": ""}
            self.update(testResults=results)
            self.testRequested.emit(device, test)

    def test_result(self, device: str, ok: bool, text: str) -> None:
        results = dict(self._state["testResults"])
        results[device] = {"ok": ok, "text": text}
        message = "" if self._state["messageKey"] == "tech.msg.use_device" else self._state["messageKey"]
        self.update(testResults=results, messageKey=message)

    @Slot()
    def detectPorts(self) -> None:
        if self._state["unlocked"]:
            self.detectPortsRequested.emit()

    @Slot(str, str, int)
    def testPort(self, device: str, port: str, baud: int) -> None:
        if self._state["unlocked"]:
            self.update(portTest={"name": device, "port": port, "baud": baud, "ok": None, "text": ""})
            self.portTestRequested.emit(device, port, baud)

    def port_test_result(self, device: str, port: str, baud: int, ok: bool, text: str) -> None:
        self.update(portTest={"name": device, "port": port, "baud": baud, "ok": ok, "text": text})

    @Slot()
    def savePort(self) -> None:
        """Saving is allowed only for the exact settings that just passed a test."""
        t = self._state["portTest"]
        if self._state["unlocked"] and t.get("ok") is True:
            self.portSaveRequested.emit(t["name"], t["port"], int(t["baud"]))
        else:
            self.update(messageKey="tech.msg.test_first")

    @Slot()
    def exportBundle(self) -> None:
        if self._state["unlocked"]:
            self.update(bundlePath="", busy=True)
            self.bundleRequested.emit()
