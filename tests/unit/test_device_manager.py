"""DeviceManager: worker-thread ownership, futures, backoff reconnect, events, clean stop.

The device here is a small test device over an in-memory "link" (the cable): tests unplug and
replug the link, the way a technician would, and watch the manager recover.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from devices import registry
from devices.base import Device, DeviceError, DeviceEvent, DeviceKind, DeviceState
from devices.manager import Backoff, DeviceManager, UnavailableDevice


class Link:
    """The cable: plugged or not; counts opens and closes."""

    def __init__(self) -> None:
        self.plugged = True
        self.opens = 0
        self.closes = 0
        self.fail_poll = False


LINKS: dict[str, Link] = {}


@dataclass(frozen=True)
class LinkOptions:
    link: str = "a"
    poll_interval: float = 0.02


class LinkDevice(Device):
    kind = DeviceKind.CODE_SCANNER
    driver_name = "test-link"

    def __init__(self, name: str, options: LinkOptions) -> None:
        super().__init__(name)
        self.link = LINKS[options.link]
        self.poll_interval = options.poll_interval
        self.threads: set[str] = set()
        self.is_open = False

    def open(self) -> None:
        self.threads.add(threading.current_thread().name)
        if not self.link.plugged:
            raise DeviceError("not_found", "cable unplugged")
        self.link.opens += 1
        self.is_open = True

    def close(self) -> None:
        if self.is_open:
            self.link.closes += 1
        self.is_open = False

    def poll(self) -> None:
        self.threads.add(threading.current_thread().name)
        if not self.link.plugged or self.link.fail_poll:
            raise DeviceError("io", "no answer")
        self.counters.reads += 1


registry.register(
    registry.DriverInfo("test-link", DeviceKind.CODE_SCANNER, LinkOptions, LinkDevice, "test device")
)


@dataclass(frozen=True)
class Conf:
    driver: str
    enabled: bool = True
    options: object = None


FAST = Backoff(initial=0.02, factor=2.0, maximum=0.1, jitter=0.25)


class Events:
    def __init__(self) -> None:
        self.items: list[DeviceEvent] = []
        self.cond = threading.Condition()

    def __call__(self, ev: DeviceEvent) -> None:
        with self.cond:
            self.items.append(ev)
            self.cond.notify_all()

    def wait(self, pred: Callable[[DeviceEvent], bool], timeout: float = 5.0) -> DeviceEvent:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for ev in self.items:
                    if pred(ev):
                        return ev
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no matching event; got {[e.type for e in self.items]}")
                self.cond.wait(remaining)

    def types(self) -> list[str]:
        with self.cond:
            return [e.type for e in self.items]


@pytest.fixture
def link() -> Link:
    LINKS["a"] = Link()
    return LINKS["a"]


def make(events: Events, **devices: Conf) -> DeviceManager:
    return DeviceManager(devices, events, backoff=FAST)


def test_opens_polls_and_runs_jobs_on_its_own_thread(link: Link) -> None:
    events = Events()
    mgr = make(events, scanner=Conf("test-link", options=LinkOptions()))
    mgr.start()
    try:
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
        fut = mgr.submit("scanner", lambda d: (threading.current_thread().name, d.name))
        thread_name, dev_name = fut.result(5)
        assert thread_name == "device-scanner" and dev_name == "scanner"
        assert mgr.names() == ["scanner"]
        assert mgr.by_kind(DeviceKind.CODE_SCANNER) == ["scanner"]
        assert mgr.by_kind(DeviceKind.TICKET_PRINTER) == []
        health = mgr.health()["scanner"]
        assert health.connected and health.state == "idle" and health.driver == "test-link"
    finally:
        mgr.stop()
    assert link.opens == link.closes == 1
    assert mgr.state("scanner") == DeviceState.CLOSED
    assert "state_changed" in events.types()


def test_job_errors_come_back_on_the_future(link: Link) -> None:
    mgr = make(Events(), scanner=Conf("test-link", options=LinkOptions()))
    mgr.start()
    try:
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)

        def bad(d: Device) -> None:
            raise DeviceError("paper_out", "out of paper")

        with pytest.raises(DeviceError) as info:
            mgr.submit("scanner", bad).result(5)
        assert info.value.code == "paper_out"
        # a job error that leaves the device healthy does not reconnect it
        assert mgr.state("scanner") == DeviceState.IDLE
        assert mgr.health()["scanner"].last_error is not None
        assert mgr.submit("scanner", lambda d: 42).result(5) == 42
    finally:
        mgr.stop()
    assert link.opens == 1


def test_unplug_backoff_and_recover(link: Link) -> None:
    events = Events()
    mgr = make(events, scanner=Conf("test-link", options=LinkOptions()))
    mgr.start()
    try:
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
        link.plugged = False
        ev = events.wait(lambda e: e.type == "disconnected")
        assert ev.data["code"] == "io"
        assert mgr.wait_for("scanner", [DeviceState.OFFLINE], 5)
        with pytest.raises(DeviceError) as info:
            mgr.submit("scanner", lambda d: 1).result(5)
        assert info.value.code == "not_ready"
        link.plugged = True
        events.wait(lambda e: e.type == "recovered")
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
        health = mgr.health()["scanner"]
        assert health.counters.reconnects == 1
        assert health.counters.failures >= 1
    finally:
        mgr.stop()
    assert events.types().count("disconnected") == 1
    assert link.opens == link.closes


def test_absent_at_start_keeps_retrying_without_a_disconnect_event(link: Link) -> None:
    link.plugged = False
    events = Events()
    mgr = make(events, scanner=Conf("test-link", options=LinkOptions()))
    mgr.start()
    try:
        assert mgr.wait_for("scanner", [DeviceState.OFFLINE], 5)
        assert mgr.health()["scanner"].last_error is not None
        link.plugged = True
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
    finally:
        mgr.stop()
    assert "disconnected" not in events.types()


def test_backoff_grows_is_capped_and_jittered() -> None:
    b = Backoff(initial=0.25, factor=2.0, maximum=4.0, jitter=0.25)
    rng = random.Random(1)
    delays = [b.delay(n, rng) for n in range(10)]
    assert all(0 < d <= 4.0 for d in delays)
    assert delays[0] <= 0.25 and delays[5] > 3.0 - 1e-9
    assert len({round(b.delay(9, rng), 6) for _ in range(20)}) > 1


def test_stop_finishes_queued_jobs_and_joins_threads(link: Link) -> None:
    LINKS["b"] = Link()
    mgr = make(
        Events(),
        one=Conf("test-link", options=LinkOptions("a")),
        two=Conf("test-link", options=LinkOptions("b")),
        off=Conf("test-link", enabled=False, options=LinkOptions("a")),
    )
    assert sorted(mgr.names()) == ["one", "two"]
    mgr.start()
    assert mgr.wait_for("one", [DeviceState.IDLE], 5)
    started = threading.Event()
    release = threading.Event()

    def slow(d: Device) -> str:
        started.set()
        release.wait(5)
        return "printed"

    first = mgr.submit("one", slow)
    second = mgr.submit("one", lambda d: "second")
    assert started.wait(5)
    stopper = threading.Thread(target=mgr.stop)
    stopper.start()
    release.set()
    stopper.join(10)
    assert not stopper.is_alive()
    assert first.result(0) == "printed"
    assert second.result(0) == "second"
    assert not any(t.name.startswith("device-") for t in threading.enumerate())
    late = mgr.submit("one", lambda d: 1)
    with pytest.raises(DeviceError):
        late.result(1)


def test_broken_sink_and_driver_bug_do_not_kill_the_worker(link: Link) -> None:
    def sink(ev: DeviceEvent) -> None:
        raise RuntimeError("subscriber bug")

    mgr = DeviceManager({"scanner": Conf("test-link", options=LinkOptions())}, sink, backoff=FAST)
    mgr.start()
    try:
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)

        def bug(d: Device) -> None:
            raise ZeroDivisionError

        with pytest.raises(ZeroDivisionError):
            mgr.submit("scanner", bug).result(5)
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
        assert mgr.submit("scanner", lambda d: "alive").result(5) == "alive"
    finally:
        mgr.stop()


def test_unbuildable_driver_is_reported_not_raised() -> None:
    @dataclass(frozen=True)
    class NoOpts:
        pass

    def factory(name: str, options: object) -> Device:
        raise DeviceError("missing_dependency", "python-evdev is not installed")

    registry.register(registry.DriverInfo("test-broken", DeviceKind.CODE_SCANNER, NoOpts, factory))
    mgr = make(Events(), hid=Conf("test-broken", options=NoOpts()))
    mgr.start()
    try:
        assert mgr.wait_for("hid", [DeviceState.ERROR], 5)
        health = mgr.health()["hid"]
        assert health.last_error is not None
        assert health.last_error.code == "driver_unavailable"
        assert "evdev" in health.last_error.message
        assert not health.connected
    finally:
        mgr.stop()
    assert isinstance(UnavailableDevice("x", DeviceKind.CARD_READER, "d", "r").kind, DeviceKind)


def test_unknown_device_name() -> None:
    mgr = make(Events())
    with pytest.raises(DeviceError):
        mgr.submit("nope", lambda d: 1)


def test_health_read_on_an_event_already_counts_it(link: Link) -> None:
    """A card_read-style event is followed by health that counts it, not by the snapshot of the
    last state change (the counter moved between two state changes)."""
    seen: list[tuple[str, int]] = []
    holder: list[DeviceManager] = []

    def sink(ev: DeviceEvent) -> None:
        if ev.type == "code_scanned" and holder:
            seen.append((ev.type, holder[0].health()["scanner"].counters.reads))

    mgr = DeviceManager(
        {"scanner": Conf("test-link", options=LinkOptions(poll_interval=5))}, sink, backoff=FAST
    )
    holder.append(mgr)
    mgr.start()
    try:
        assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)

        def read_once(d: Device) -> None:
            d.counters.reads = 41
            d.emit("code_scanned")

        mgr.submit("scanner", read_once).result(5)
        assert seen == [("code_scanned", 41)]
    finally:
        mgr.stop()
