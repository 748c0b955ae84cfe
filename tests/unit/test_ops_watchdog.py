"""sd_notify over a real unix datagram socket, and the watchdog's health rule over a real
DeviceManager: an unplugged device is healthy, a stuck or dead worker is not."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.base import Device, DeviceError, DeviceEvent, DeviceKind
from devices.manager import Backoff, DeviceManager
from kiosk.ops.sdnotify import Notifier, watchdog_interval
from kiosk.ops.watchdog import DeviceWorkersCheck, Watchdog, device_summary


class NotifySocket:
    """What systemd listens on: one datagram per notification."""

    def __init__(self, path: str) -> None:
        self.address = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path if path[0] != "@" else "\0" + path[1:])
        self.sock.settimeout(5)

    def messages(self) -> list[dict[str, str]]:
        """Every datagram waiting now."""
        out = []
        self.sock.setblocking(False)
        try:
            while True:
                data = self.sock.recv(4096).decode()
                out.append(dict(line.split("=", 1) for line in data.splitlines()))
        except BlockingIOError:
            pass
        finally:
            self.sock.settimeout(5)
        return out

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[NotifySocket]:
    s = NotifySocket(str(tmp_path / "notify"))
    yield s
    s.close()


class Cable(Device):
    """A small test device: plugged or not; ``hold`` makes the next job block (a driver call
    that never returns, e.g. a write to a wedged USB adapter)."""

    kind = DeviceKind.TICKET_PRINTER
    driver_name = "test-cable"

    def __init__(self, name: str, plugged: bool = True) -> None:
        super().__init__(name)
        self.plugged = plugged
        self.poll_interval = 0.02

    def open(self) -> None:
        if not self.plugged:
            raise DeviceError("not_found", "unplugged")

    def close(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def events(_e: DeviceEvent) -> None:
    pass


def wait_until(cond: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_notify_sends_one_datagram_of_key_value_lines(notify_socket: NotifySocket) -> None:
    n = Notifier(notify_socket.address)
    assert n.notify(READY=1, STATUS="serving\nfine")
    assert notify_socket.messages() == [{"READY": "1", "STATUS": "serving fine"}]


def test_abstract_socket_addresses_work(tmp_path: Path) -> None:
    name = f"@hall-kiosk-test-{os.getpid()}"
    s = NotifySocket(name)
    try:
        assert Notifier(name).notify(WATCHDOG=1)
        assert s.messages() == [{"WATCHDOG": "1"}]
    finally:
        s.close()


def test_no_socket_or_a_vanished_one_is_harmless(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert not Notifier(None).notify(READY=1)
    assert not Notifier("vsock:2:123").enabled
    gone = Notifier(str(tmp_path / "nobody-listens"))
    assert not gone.notify(READY=1)
    assert not gone.notify(READY=1)
    assert len([r for r in caplog.records if "notification failed" in r.message]) == 1


def test_from_environ_unsets_the_variable_for_child_processes() -> None:
    env = {"NOTIFY_SOCKET": "/run/systemd/notify"}
    assert Notifier.from_environ(env).address == "/run/systemd/notify"
    assert "NOTIFY_SOCKET" not in env


def test_watchdog_interval_accepts_our_pid_or_our_parent_cage() -> None:
    assert watchdog_interval({}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 30.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getppid())}) == 30.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}) == 30.0
    # someone else's pid (not "1": a test run whose parent has exited has init as its parent)
    other = subprocess.Popen([sys.executable, "-c", "pass"])
    other.wait()
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(other.pid)}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "soon"}) is None


@pytest.fixture
def manager() -> Iterator[DeviceManager]:
    mgr = DeviceManager.from_devices(
        [Cable("printer"), Cable("scanner", plugged=False)],
        events,
        backoff=Backoff(initial=0.05, maximum=0.1),
    )
    mgr.start()
    yield mgr
    mgr.stop(timeout=5)


def pings(sock: NotifySocket) -> list[str]:
    return [m.get("WATCHDOG", "-") + " " + m.get("STATUS", "") for m in sock.messages()]


def test_ready_then_pings_while_workers_answer_even_with_a_device_unplugged(
    notify_socket: NotifySocket, manager: DeviceManager
) -> None:
    clock = Clock()
    check = DeviceWorkersCheck(manager, stall_s=30, clock=clock)
    wd = Watchdog(
        Notifier(notify_socket.address), 30.0, [check], status=lambda: device_summary(manager), clock=clock
    )
    wd.tick()
    assert notify_socket.messages() == [], "nothing before the home screen is up"
    wd.ready()
    first = notify_socket.messages()
    assert first[0]["READY"] == "1" and first[0]["STATUS"].startswith("serving")
    assert first[1]["WATCHDOG"] == "1"
    wd.tick()
    assert notify_socket.messages() == [], "not due yet: one ping per interval/3"
    for _ in range(3):
        clock.now += 10
        wait_until(lambda: all(f.done() for f, _ in check._probes.values()))
        wd.tick()
        got = notify_socket.messages()
        assert [m["WATCHDOG"] for m in got] == ["1"]
        assert "1 ready" in got[0]["STATUS"] and "1 offline" in got[0]["STATUS"]


def test_a_stuck_worker_stops_the_pings_and_they_resume_when_it_recovers(
    notify_socket: NotifySocket, manager: DeviceManager, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    wd = Watchdog(
        Notifier(notify_socket.address),
        30.0,
        [DeviceWorkersCheck(manager, stall_s=30, clock=clock)],
        clock=clock,
    )
    wd.ready()
    assert [m.get("WATCHDOG") for m in notify_socket.messages()] == [None, "1"]
    release = threading.Event()
    entered = threading.Event()

    def wedge(_dev: Device) -> None:
        entered.set()
        release.wait(30)

    job = manager.submit("printer", wedge)
    try:
        assert entered.wait(10)
        stuck_for_a_while(wd, notify_socket, clock, caplog)
    finally:
        release.set()
    job.result(timeout=10)
    wait_until(lambda: all(f.done() for f, _ in wd.checks[0]._probes.values()))  # type: ignore[attr-defined]
    clock.now += 10
    wd.tick()
    assert [m["WATCHDOG"] for m in notify_socket.messages()] == ["1"]


def stuck_for_a_while(
    wd: Watchdog, notify_socket: NotifySocket, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.now += 10
    wd.tick()  # a probe queued behind the wedged call: too young to judge
    assert [m["WATCHDOG"] for m in notify_socket.messages()] == ["1"]
    # the fake clock jumps; the unplugged scanner's worker answers its probe in real time
    # (after the open attempt it is busy with), so wait for that before jumping 31 s
    wait_until(lambda: wd.checks[0]._probes["scanner"][0].done())  # type: ignore[attr-defined]
    clock.now += 31
    wd.tick()
    got = notify_socket.messages()
    assert got == [{"STATUS": "unhealthy: device printer: worker stuck (no answer for over 30 s)"}]
    clock.now += 10
    wd.tick()
    assert notify_socket.messages() == [], "no ping, and the status is not repeated"
    assert len([r for r in caplog.records if "unhealthy" in r.message]) == 1


def test_a_stopped_manager_is_unhealthy(manager: DeviceManager) -> None:
    clock = Clock()
    check = DeviceWorkersCheck(manager, clock=clock)
    assert check() is None
    manager.stop(timeout=5)
    wait_until(lambda: all(f.done() for f, _ in check._probes.values()))
    check()  # the probes submitted now fail at once
    assert check() == "device printer: worker not running; device scanner: worker not running"


def test_without_a_watchdog_only_readiness_is_sent(notify_socket: NotifySocket) -> None:
    wd = Watchdog(Notifier(notify_socket.address), None, [lambda: "never asked"])
    wd.ready()
    wd.tick()
    assert notify_socket.messages() == [{"READY": "1", "STATUS": "serving"}]


def test_the_kiosks_watchdog_takes_only_the_device_manager(
    notify_socket: NotifySocket, manager: DeviceManager
) -> None:
    """What the app starts: systemd's settings from the environment, one worker check on the
    kiosk's device manager and its summary as the status; no devices, no device check."""
    env = {"NOTIFY_SOCKET": notify_socket.address, "WATCHDOG_USEC": "30000000"}
    wd = Watchdog.for_devices(manager, env)
    assert wd.watching and wd.interval_s == 30.0
    assert [type(c) for c in wd.checks] == [DeviceWorkersCheck]
    wd.ready()
    first = notify_socket.messages()[0]
    assert first["READY"] == "1" and first["STATUS"].startswith("serving; devices: ")
    bare = Watchdog.for_devices(None, {"NOTIFY_SOCKET": notify_socket.address, "WATCHDOG_USEC": "30000000"})
    assert bare.watching and bare.checks == []
    bare.ready()
    assert notify_socket.messages()[0]["STATUS"] == "serving"
    assert not Watchdog.for_devices(manager, {}).watching, "no systemd watchdog: nothing to ping"
