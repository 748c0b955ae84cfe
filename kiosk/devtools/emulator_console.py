"""The console of the ``kiosk emulate …`` commands that a script or a technician drives: they
run until SIGTERM, Ctrl-C or a ``quit`` line, and every other stdin line is a command to the
emulated device whose reply goes to stderr (stdout carries only what a script reads, e.g. the
port to configure)."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable

from kiosk.stop_request import StopRequest


def stop_on_signals() -> StopRequest:
    """Set by SIGTERM or SIGINT (or ``quit`` on stdin), so the caller's ``finally`` unplugs
    the device."""
    return StopRequest().on_signals(signal.SIGTERM, signal.SIGINT)


def take_commands(command: Callable[[str], str], stop: StopRequest) -> threading.Thread:
    """Feed stdin lines to ``command`` on a daemon thread; ``quit`` or ``exit`` sets ``stop``."""

    def control() -> None:
        for line in sys.stdin:
            if line.strip() in ("quit", "exit"):
                stop.set()
                return
            reply = command(line)
            if reply:
                print(reply, file=sys.stderr, flush=True)

    thread = threading.Thread(target=control, name="emulator-console", daemon=True)
    thread.start()
    return thread


def wait(stop: StopRequest) -> None:
    """Until ``stop``."""
    stop.wait()
