"""SIGTERM and SIGINT stop the long-running commands (``kiosk platform serve``, ``kiosk hall
host``, the emulators) however often and whenever they come: the handler takes no lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.stop_request import StopRequest


@pytest.fixture
def restore_handlers() -> Iterator[None]:
    old = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for s, h in old.items():
        signal.signal(s, h)


def test_a_burst_of_signals_while_waiting_stops_the_wait(restore_handlers: None) -> None:
    stop = StopRequest().on_signals()
    try:
        assert not stop.wait(0.05) and not stop.is_set()

        def burst() -> None:
            time.sleep(0.1)
            for _ in range(200):
                os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)

        t = threading.Thread(target=burst)
        t0 = time.monotonic()
        t.start()
        assert stop.wait(10)
        t.join()
        assert time.monotonic() - t0 < 5 and stop.is_set() and stop.wait(0)
    finally:
        stop.close()


def test_set_from_another_thread_ends_the_wait() -> None:
    stop = StopRequest()
    try:
        threading.Timer(0.1, stop.set).start()
        assert stop.wait(10)
    finally:
        stop.close()


@pytest.mark.slow
def test_the_reference_platform_stops_on_sigterm_sent_twice(tmp_path: Path) -> None:
    from kiosk.devtools.child import free_port, wait_port

    port = free_port()
    argv = [sys.executable, "-m", "kiosk.devtools.refplatform", "--port", str(port), "--data", str(tmp_path)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_port(port, 20)
        proc.send_signal(signal.SIGTERM)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
