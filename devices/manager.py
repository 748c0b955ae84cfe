"""One worker thread per device, owning it: open, poll, run submitted jobs, reconnect, close.

Why a thread per device: serial and USB calls block for tens to hundreds of milliseconds, and a
stuck printer must never delay an ID-card read or the GUI. Everything else in the program talks
to a device only through ``submit`` (a future resolved on the device's own thread) and sees it
only through events and ``health`` snapshots, so no device object is ever touched by two threads.

Faults are expected in a service hall (cables pulled, readers power-cycled by cleaners), so a
device that fails to open or reports a fault is closed and reopened with jittered exponential
backoff, capped low enough that a replugged reader is back within seconds.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from devices import registry
from devices.base import (
    FAULT_STATES,
    READY_STATES,
    Device,
    DeviceError,
    DeviceEvent,
    DeviceKind,
    DeviceState,
    EventSink,
    HealthReport,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """Reconnect delays: ``initial * factor**n`` capped at ``maximum``, minus up to ``jitter``
    (a fraction), so a hall of terminals whose readers all failed at one power dip do not all
    retry in lockstep."""

    initial: float = 0.25
    factor: float = 2.0
    maximum: float = 4.0
    jitter: float = 0.25

    def delay(self, attempt: int, rng: random.Random) -> float:
        base = min(self.maximum, self.initial * self.factor ** max(0, attempt))
        return base * (1.0 - self.jitter * rng.random())


class UnavailableDevice(Device):
    """Stands in for a device whose driver could not be built (missing optional dependency,
    unusable options), so the terminal still starts and health says plainly why."""

    driver_name = "unavailable"

    def __init__(self, name: str, kind: DeviceKind, driver: str, reason: str) -> None:
        super().__init__(name)
        self.kind = kind  # type: ignore[misc]
        self.driver_name = driver  # type: ignore[misc]
        self.reason = reason

    def open(self) -> None:
        raise DeviceError("driver_unavailable", self.reason, transient=False)

    def close(self) -> None:
        return None


_STOP = object()
_Job = tuple["Future[Any]", Callable[[Device], Any]]


class _Worker:
    """The thread that owns one device."""

    def __init__(
        self,
        device: Device,
        sink: EventSink,
        backoff: Backoff,
        on_change: Callable[[], None],
    ) -> None:
        self.device = device
        self.sink = sink
        self.backoff = backoff
        self.on_change = on_change
        self.jobs: queue.Queue[Any] = queue.Queue()
        self.stopping = threading.Event()
        self.snapshot: HealthReport = device.health()
        self.snapshot_lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name=f"device-{device.name}", daemon=True)
        self._rng = random.Random()
        self._failures = 0
        self._was_ready = False
        self._down_announced = False

    # --- helpers -----------------------------------------------------------------------
    def _emit(self, type_: str, **data: Any) -> None:
        try:
            self.sink(DeviceEvent(self.device.name, type_, data))
        except Exception:
            log.exception("device %s: event sink failed", self.device.name)

    def device_sink(self, event: DeviceEvent) -> None:
        """The device's own events refresh the health snapshot first, so whoever reacts to an
        event sees health that agrees with it: the state after ``state_changed``, the counters
        after ``card_read`` (health() only copies fields, so this costs microseconds)."""
        self._refresh()
        self.sink(event)

    def _refresh(self) -> None:
        try:
            snap = self.device.health()
        except Exception:
            log.exception("device %s: health() failed", self.device.name)
            return
        with self.snapshot_lock:
            self.snapshot = snap
        self.on_change()

    def _close(self) -> None:
        try:
            self.device.close()
        except Exception:
            log.exception("device %s: close() raised", self.device.name)

    def _fault(self, err: DeviceError, state: DeviceState) -> None:
        """Record a fault, close the device and announce the disconnect once."""
        self.device.record_error(err)
        self._close()
        self.device.set_state(state, err.message)
        if self._was_ready:
            self._was_ready = False
            self._down_announced = True
            self._emit("disconnected", code=err.code, message=err.message)
        self._refresh()

    # --- the loop ----------------------------------------------------------------------
    def _run(self) -> None:
        dev = self.device
        try:
            while not self.stopping.is_set():
                if dev.state not in READY_STATES:
                    self._try_open()
                    if dev.state not in READY_STATES:
                        self._wait_not_ready(self.backoff.delay(self._failures - 1, self._rng))
                    continue
                if not self._serve(dev.poll_interval):
                    break
                if dev.state in READY_STATES:
                    self._step("poll", lambda d: d.poll())
        finally:
            self._drain_on_stop()
            self._close()
            if dev.state != DeviceState.CLOSED:
                dev.set_state(DeviceState.CLOSED, "stopped")
            self._refresh()

    def _try_open(self) -> None:
        dev = self.device
        if dev.state not in FAULT_STATES:
            # retries stay quietly in their fault state: one log line when a device drops,
            # one when it returns, not one per attempt
            dev.set_state(DeviceState.OPENING)
        try:
            dev.open()
        except DeviceError as err:
            self._failures += 1
            self._fault(err, DeviceState.OFFLINE if err.transient else DeviceState.ERROR)
            return
        except Exception as exc:  # a driver bug must not kill the worker
            log.exception("device %s: open() failed unexpectedly", dev.name)
            self._failures += 1
            self._fault(DeviceError("internal", f"driver error: {type(exc).__name__}"), DeviceState.ERROR)
            return
        if dev.state not in READY_STATES:
            dev.set_state(DeviceState.IDLE)
        if self._down_announced:
            self._down_announced = False
            dev.counters.reconnects += 1
            self._emit("recovered", after_failures=self._failures)
        self._failures = 0
        self._was_ready = True
        self._refresh()

    def _step(self, what: str, fn: Callable[[Device], Any]) -> tuple[bool, Any]:
        """Run ``fn(device)``; a DeviceError that leaves the device in a fault state (or comes
        from ``poll``) closes it for reconnection. Returns (ok, result-or-exception)."""
        dev = self.device
        try:
            result = fn(dev)
        except DeviceError as err:
            if what == "poll" or dev.state in FAULT_STATES:
                self._failures = max(self._failures, 1)
                self._fault(err, DeviceState.ERROR)
            else:
                dev.record_error(err)
                self._refresh()
            return False, err
        except Exception as exc:
            log.exception("device %s: %s failed unexpectedly", dev.name, what)
            bug = DeviceError("internal", f"driver error: {type(exc).__name__}")
            self._failures = max(self._failures, 1)
            self._fault(bug, DeviceState.ERROR)
            return False, exc
        if dev.state in FAULT_STATES:
            self._failures = max(self._failures, 1)
            fault = DeviceError("fault", dev.last_error.message if dev.last_error else "device fault")
            self._fault(fault, dev.state)
        else:
            self._refresh()
        return True, result

    def _run_job(self, job: _Job) -> None:
        future, fn = job
        if not future.set_running_or_notify_cancel():
            return
        if self.device.state not in READY_STATES:
            future.set_exception(self._not_ready())
            return
        ok, value = self._step("job", fn)
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def _not_ready(self) -> DeviceError:
        dev = self.device
        detail = f": {dev.last_error.message}" if dev.last_error else ""
        return DeviceError("not_ready", f"device {dev.name} is {dev.state.value}{detail}")

    def _serve(self, wait: float) -> bool:
        """Run jobs for up to ``wait`` seconds while ready; False when asked to stop."""
        deadline = time.monotonic() + wait
        while True:
            remaining = deadline - time.monotonic()
            try:
                item = self.jobs.get(timeout=max(0.0, remaining)) if remaining > 0 else self.jobs.get_nowait()
            except queue.Empty:
                return not self.stopping.is_set()
            if item is _STOP:
                return False
            self._run_job(item)
            if self.device.state not in READY_STATES:
                return not self.stopping.is_set()

    def _wait_not_ready(self, wait: float) -> None:
        """Back off; jobs arriving meanwhile fail at once instead of waiting for the device."""
        deadline = time.monotonic() + wait
        while not self.stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                item = self.jobs.get(timeout=remaining)
            except queue.Empty:
                return
            if item is _STOP:
                return
            future, _fn = item
            if future.set_running_or_notify_cancel():
                future.set_exception(self._not_ready())

    def _drain_on_stop(self) -> None:
        """Finish work already accepted (a ticket being printed) before closing."""
        while True:
            try:
                item = self.jobs.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP:
                self._run_job(item)

    def health(self) -> HealthReport:
        with self.snapshot_lock:
            return self.snapshot

    def stop(self) -> None:
        self.stopping.set()
        self.jobs.put(_STOP)


class DeviceManager:
    """Builds the configured devices and runs each on its own worker thread."""

    def __init__(
        self,
        devices: Mapping[str, Any],
        sink: EventSink,
        *,
        backoff: Backoff | None = None,
    ) -> None:
        self._sink = sink
        self._backoff = backoff or Backoff()
        self._changed = threading.Condition()
        self._workers: dict[str, _Worker] = {}
        self._started = False
        for name, conf in devices.items():
            if not getattr(conf, "enabled", True):
                continue
            self._workers[name] = _Worker(
                self._build(name, conf), self._safe_sink, self._backoff, self._notify
            )

    @staticmethod
    def _build(name: str, conf: Any) -> Device:
        try:
            info = registry.get(conf.driver)
        except registry.UnknownDriver:
            return UnavailableDevice(name, DeviceKind.CODE_SCANNER, conf.driver, "unknown driver")
        try:
            return info.factory(name, conf.options)
        except DeviceError as err:
            reason = err.message
        except Exception as exc:
            log.exception("device %s: driver %s could not be built", name, conf.driver)
            reason = f"driver could not be built ({type(exc).__name__})"
        return UnavailableDevice(name, info.kind, conf.driver, reason)

    @classmethod
    def from_devices(
        cls, devices: Iterable[Device], sink: EventSink, *, backoff: Backoff | None = None
    ) -> DeviceManager:
        """A manager over already-built devices (tools that open one device directly)."""
        mgr = cls({}, sink, backoff=backoff)
        for dev in devices:
            mgr._workers[dev.name] = _Worker(dev, mgr._safe_sink, mgr._backoff, mgr._notify)
        return mgr

    def _safe_sink(self, event: DeviceEvent) -> None:
        try:
            self._sink(event)
        except Exception:
            log.exception("device event sink failed on %s", event.type)

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            return
        self._started = True
        for worker in self._workers.values():
            worker.device.attach(worker.device_sink)
            worker.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Each worker finishes its current and queued jobs, closes its device; threads joined."""
        for worker in self._workers.values():
            worker.stop()
        deadline = time.monotonic() + timeout
        for worker in self._workers.values():
            if worker.thread.is_alive() or worker.thread.ident is not None:
                worker.thread.join(max(0.0, deadline - time.monotonic()))
                if worker.thread.is_alive():
                    log.warning("device %s: worker did not stop within %.1f s", worker.device.name, timeout)
                    continue
            while True:  # a job submitted while the worker was finishing
                try:
                    item = worker.jobs.get_nowait()
                except queue.Empty:
                    break
                if item is not _STOP and item[0].set_running_or_notify_cancel():
                    item[0].set_exception(DeviceError("not_running", f"device {worker.device.name} stopped"))

    # --- queries -----------------------------------------------------------------------
    def names(self) -> list[str]:
        return list(self._workers)

    def by_kind(self, kind: DeviceKind) -> list[str]:
        return [n for n, w in self._workers.items() if w.device.kind == kind]

    def kind(self, name: str) -> DeviceKind:
        return self._worker(name).device.kind

    def health(self) -> dict[str, HealthReport]:
        out: dict[str, HealthReport] = {}
        for name, worker in self._workers.items():
            out[name] = worker.health()
        return out

    def state(self, name: str) -> DeviceState:
        return self._worker(name).device.state

    def wait_for(self, name: str, states: Iterable[DeviceState], timeout: float) -> bool:
        """Block until ``name`` is in one of ``states`` (tools and tests; never the GUI)."""
        wanted = frozenset(states)
        worker = self._worker(name)
        deadline = time.monotonic() + timeout
        with self._changed:
            while DeviceState(worker.health().state) not in wanted:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(min(remaining, 0.1))
        return True

    def submit(self, name: str, fn: Callable[[Device], T]) -> Future[T]:
        """Run ``fn(device)`` on the device's worker between polls. The future fails with
        DeviceError when the device is not ready or the manager is stopping."""
        worker = self._worker(name)
        future: Future[T] = Future()
        if worker.stopping.is_set() or not worker.thread.is_alive():
            future.set_exception(DeviceError("not_running", f"device {name} is not running"))
            return future
        worker.jobs.put((future, fn))
        return future

    def _worker(self, name: str) -> _Worker:
        try:
            return self._workers[name]
        except KeyError:
            raise DeviceError("unknown_device", f"no device named {name!r}", transient=False) from None


__all__ = ["Backoff", "DeviceManager", "UnavailableDevice"]
