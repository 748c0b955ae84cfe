"""What the serial drivers do with their port besides talking through it: say in a few plain
words why it failed (for the technician's screen, not a traceback), and close one that may
already be gone (an unplugged USB adapter must not turn a close into a crash)."""

from __future__ import annotations

import contextlib
import os
import termios

import serial


def reason(exc: BaseException) -> str:
    """``no such file or directory`` rather than ``[Errno 2] could not open port …: …``."""
    errno = getattr(exc, "errno", None)
    if isinstance(errno, int):
        return os.strerror(errno).lower()
    if isinstance(exc, termios.error) and exc.args and isinstance(exc.args[0], int):
        return os.strerror(exc.args[0]).lower()
    text = str(exc)
    return text.split(": ", 1)[-1] if text else type(exc).__name__


def close_quietly(port: serial.SerialBase | None) -> None:
    if port is not None:
        with contextlib.suppress(serial.SerialException, OSError):
            port.close()
