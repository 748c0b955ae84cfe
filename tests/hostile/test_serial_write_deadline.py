"""A serial device that holds the line cannot hold the worker writing to it (issue 15: every
blocking device call has an overall deadline).

Each transport gets a real pty whose device end never reads, with the kernel's buffer toward
the device already full: the next write cannot go out, exactly as with a device holding
CTS/DSR low. The call must fail with the transport's own error within its write deadline (made
short here so the suite stays fast), and the thread that made it must be free again.
"""

from __future__ import annotations

import os
import threading
import time
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from drivers.escpos import transport as escpos_transport
from drivers.rs485 import bus as rs485_bus
from drivers.rs485.presets import PRESETS
from drivers.sam import transport as sam_transport
from drivers.sam.codec import Command
from drivers.voice import syn6288
from drivers.voice.engine import EngineError

DEADLINE_S = 0.5


@contextmanager
def held_line() -> Iterator[str]:
    """The path of a pty's terminal end whose other end (the "device") never reads, with the
    buffer toward it full: a write to the path blocks until its deadline."""
    device, terminal = os.openpty()
    tty.setraw(terminal)
    path = os.ttyname(terminal)
    filler = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        filled = 0
        # The kernel moves bytes on to the device end's line discipline in the background, so
        # a buffer found full may take a few more bytes a moment later: fill until it stays full.
        for _ in range(200):
            try:
                while True:
                    filled += os.write(filler, b"\x00" * 4096)
            except BlockingIOError:
                pass
            time.sleep(0.02)
            try:
                filled += os.write(filler, b"\x00")
            except BlockingIOError:
                break
        else:
            pytest.fail("the pty never stayed full")
        assert filled > 0
        yield path
    finally:
        for fd in (filler, terminal, device):
            os.close(fd)


def run_bounded(call: Callable[[], Any], limit: float) -> tuple[BaseException | None, float]:
    """Run ``call`` on its own thread (as a device worker would); fail the test if the thread is
    still blocked after ``limit`` seconds. Returns the exception it ended with and its time."""
    outcome: dict[str, Any] = {"error": None}

    def work() -> None:
        started = time.monotonic()
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc
        outcome["took"] = time.monotonic() - started

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(limit)
    assert not worker.is_alive(), f"the write is still blocked after {limit} s"
    return outcome["error"], float(outcome["took"])


def test_the_sam_reader_transport_gives_up_a_write_the_reader_never_takes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert 0 < sam_transport.WRITE_TIMEOUT_S <= 10
    monkeypatch.setattr(sam_transport, "WRITE_TIMEOUT_S", DEADLINE_S)
    with held_line() as path:
        link = sam_transport.SamTransport(path)
        link.open()
        try:
            error, took = run_bounded(lambda: link.transact(Command.SAM_STATUS, timeout=0.2), 5)
        finally:
            link.close()
    assert isinstance(error, sam_transport.LinkError) and error.code == "io"
    assert DEADLINE_S * 0.8 <= took < DEADLINE_S + 1.0


def test_the_rs485_bus_gives_up_a_write_the_adapter_never_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert 0 < rs485_bus.WRITE_TIMEOUT_S <= 10
    monkeypatch.setattr(rs485_bus, "WRITE_TIMEOUT_S", DEADLINE_S)
    with held_line() as path:
        bus = rs485_bus.Rs485Bus(path)
        fmt = PRESETS["hk-crc16"]
        try:
            error, took = run_bounded(
                lambda: bus.transact(fmt, b"\xaa\x01\x10\x00", address=1, command=0x10, timeout=0.2), 5
            )
        finally:
            bus._close()
        assert isinstance(error, rs485_bus.BusError) and "timeout" in str(error).lower()
        assert DEADLINE_S * 0.8 <= took < DEADLINE_S + 1.0
        assert not bus.is_open  # the failed port is closed: the next call reopens it
        assert bus.lock.acquire(timeout=0.1)  # and the bus is free for the other devices on it
        bus.lock.release()


def test_the_serial_printer_gives_up_a_write_the_printer_never_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert 0 < escpos_transport.SERIAL_WRITE_TIMEOUT_S <= 60
    monkeypatch.setattr(escpos_transport, "SERIAL_WRITE_TIMEOUT_S", DEADLINE_S)
    with held_line() as path:
        link = escpos_transport.PrinterLink(f"serial://{path}?baudrate=115200", timeout=0.2)
        link.open()
        try:
            error, took = run_bounded(lambda: link.write(b"\x1b@" + b"A" * 64), 5)
        finally:
            link.close()
    assert isinstance(error, escpos_transport.LinkError) and error.code == "offline"
    assert DEADLINE_S * 0.8 <= took < DEADLINE_S + 1.0
    assert not link.is_open


def test_the_syn6288_module_gives_up_a_frame_the_module_never_takes() -> None:
    assert 0 < syn6288.WRITE_TIMEOUT_S <= 10
    with held_line() as path:
        engine = syn6288.Syn6288Engine(path, ack_timeout_s=0.2, write_timeout_s=DEADLINE_S)
        try:
            error, took = run_bounded(lambda: engine.render("请A零二三号到三号窗口", "zh"), 5)
        finally:
            engine.close()
    assert isinstance(error, EngineError) and error.code == "timeout"
    assert DEADLINE_S * 0.8 <= took < DEADLINE_S + 1.0
