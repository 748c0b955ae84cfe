"""One RS-485 bus = one serial port shared by every screen, keypad and pad wired to it.

Half duplex: one transaction (request, then the addressed device's answer) at a time, so the
bus has a lock and every device object using the port goes through it; the display, keypad
and pad devices of a window can each run on their own worker thread and still share one
port. Buses are shared by port path through ``acquire`` / ``release`` (reference counted).
"""

from __future__ import annotations

import termios
import threading
import time
from dataclasses import dataclass

import serial

from drivers.rs485.frame import Frame, FrameFormat, FrameReader
from drivers.serial_port import close_quietly


class BusError(Exception):
    """The port itself failed (unplugged adapter): every device on the bus is offline."""


@dataclass
class BusStats:
    frames_sent: int = 0
    answers: int = 0
    timeouts: int = 0
    bad_frames: int = 0


class Rs485Bus:
    def __init__(self, port: str, baudrate: int = 9600) -> None:
        self.port = port
        self.baudrate = baudrate
        self.lock = threading.Lock()
        self.stats = BusStats()
        self._serial: serial.SerialBase | None = None
        self._refs = 0
        self.last_write_at: float = 0.0
        """monotonic time the last frame went out (benchmarks: call -> frame on the wire)."""

    # --- lifecycle (under the registry lock) ------------------------------------------------
    def _open(self) -> None:
        if self._serial is not None and self._serial.is_open:
            return
        try:
            self._serial = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=0.05)
        except (serial.SerialException, OSError, ValueError) as exc:
            self._serial = None
            raise BusError(f"cannot open {self.port}: {exc}") from None

    def _close(self) -> None:
        s, self._serial = self._serial, None
        close_quietly(s)

    def reopen(self) -> None:
        with self.lock:
            self._close()
            self._open()

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    # --- transactions ----------------------------------------------------------------------
    def transact(
        self, fmt: FrameFormat, data: bytes, *, address: int, command: int | None, timeout: float
    ) -> Frame | None:
        """Send one frame; with ``fmt.replies`` wait up to ``timeout`` for the answer from
        ``address`` (returned), else None. Raises BusError when the port fails."""
        with self.lock:
            if self._serial is None:
                self._open()
            ser = self._serial
            assert ser is not None
            try:
                ser.reset_input_buffer()
                ser.write(data)
                ser.flush()
                self.last_write_at = time.monotonic()
                self.stats.frames_sent += 1
                if not fmt.replies:
                    return None
                reader = FrameReader(fmt, replies=True)
                want = None if command is None else (command | fmt.reply_command_or) & 0xFF
                deadline = time.monotonic() + timeout
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self.stats.timeouts += 1
                        return None
                    ser.timeout = min(left, 0.05)
                    chunk = ser.read(max(1, ser.in_waiting))
                    if not chunk:
                        continue
                    for frame in reader.feed(chunk):
                        if frame.address == address and (want is None or frame.command == want):
                            self.stats.answers += 1
                            self.stats.bad_frames += reader.errors
                            return frame
            except (serial.SerialException, OSError, termios.error) as exc:
                self._close()
                raise BusError(f"{self.port}: {exc}") from None


_registry: dict[str, Rs485Bus] = {}
_registry_lock = threading.Lock()


def acquire(port: str, baudrate: int = 9600) -> Rs485Bus:
    """The shared bus for ``port`` (opened); raises BusError when the port cannot be opened."""
    with _registry_lock:
        bus = _registry.get(port)
        if bus is None:
            bus = Rs485Bus(port, baudrate)
            _registry[port] = bus
        if bus.baudrate != baudrate:
            raise BusError(f"{port} is already used at {bus.baudrate} baud, not {baudrate}")
        with bus.lock:
            bus._open()
        bus._refs += 1
        return bus


def release(bus: Rs485Bus) -> None:
    with _registry_lock:
        bus._refs -= 1
        if bus._refs <= 0:
            with bus.lock:
                bus._close()
            _registry.pop(bus.port, None)
