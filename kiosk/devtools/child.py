"""Children a demo starts (its platform, the hall's broker): a free loopback port to give one,
the wait for it to listen, the key a demo part uses to hand back that wait, and ``preexec_fn``
that ends one with the demo even when the demo is killed with -9."""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Callable

READY = "_ready"
"""Key of a demo part's answer: waits (callables) that ``kiosk.demo`` runs once every part has
started, so a child boots while the others start."""


def die_with_parent() -> None:
    """``preexec_fn``: the child gets SIGTERM when the thread that started it ends (Linux
    ``PR_SET_PDEATHSIG``; start it from the main thread). Elsewhere nothing happens."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 10.0, alive: Callable[[], bool] = lambda: True) -> bool:
    """True once something listens on the loopback ``port``; False after ``timeout`` or as soon
    as ``alive`` says the child meant to listen there is gone."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.02)
    return False
