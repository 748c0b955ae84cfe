"""The SAM reader over a serial line (pyserial): one command, one response, with a deadline.

The reader answers every command; so a transaction clears stale input, writes the frame and
reads until one complete response frame or the deadline. Frames damaged on the line come back
as FrameError (the caller decides whether to retry); a dead line raises LinkError.
"""

from __future__ import annotations

import termios
import time

import serial

from drivers.errors import DriverError
from drivers.sam.codec import (
    Command,
    FrameDecoder,
    FrameError,
    Response,
    answers,
    encode_command,
    parse_response,
)
from drivers.serial_port import close_quietly, reason


class LinkError(DriverError):
    """The serial line itself failed (unplugged, port missing, no answer)."""


class SamTransport:
    def __init__(self, port: str, baudrate: int = 115200) -> None:
        self.port = port
        self.baudrate = baudrate
        self._serial: serial.Serial | None = None
        self._decoder = FrameDecoder()
        self.bytes_in = 0
        self.bytes_out = 0
        self.stale = 0

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        try:
            self._serial = serial.Serial(
                self.port, self.baudrate, bytesize=8, parity="N", stopbits=1, timeout=0.05, exclusive=True
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            self._serial = None
            raise LinkError("not_found", f"cannot open {self.port}: {reason(exc)}") from None

    def close(self) -> None:
        ser, self._serial = self._serial, None
        close_quietly(ser)

    def transact(self, command: Command, timeout: float, data: bytes = b"") -> Response:
        ser = self._serial
        if ser is None:
            raise LinkError("closed", "port not open")
        try:
            ser.reset_input_buffer()
            self._decoder.clear()
            frame = encode_command(command, data)
            ser.write(frame)
            self.bytes_out += len(frame)
            deadline = time.monotonic() + timeout
            while True:
                chunk = ser.read(max(1, ser.in_waiting))
                if chunk:
                    self.bytes_in += len(chunk)
                    for item in self._decoder.feed(chunk):
                        if isinstance(item, FrameError):
                            raise item
                        response = parse_response(item)
                        if answers(command, response):
                            return response
                        self.stale += 1  # a late answer to an earlier command: keep reading
                if time.monotonic() >= deadline:
                    raise LinkError("timeout", f"no answer to {command.name.lower()} within {timeout:.1f} s")
        except (serial.SerialException, OSError, termios.error) as exc:
            raise LinkError("io", f"{self.port}: {reason(exc)}") from None
