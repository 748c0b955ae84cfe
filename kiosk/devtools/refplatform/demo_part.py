"""``kiosk demo`` part: the reference platform on loopback, in its own process.

Its own process, as a real platform is another machine: the kiosk's process holds only what a
kiosk in a hall holds (Flask and the platform's database are ~15 MiB that a terminal never
loads), and a platform that crashes or hangs is what the kiosk sees of a real one. It is started
first and waited for last (``READY``), so it boots while the device emulators start.

Data lives in the demo data directory (so bookings, events and the catalog persist between
demo runs); the demo terminal's secret is written there with mode 0600; the platform's own log
is ``platform/platform.log`` there. Without Flask (the ``platform`` extra) the demo runs offline.
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from kiosk.devtools.child import READY, die_with_parent, free_port, wait_port
from kiosk.devtools.refplatform import seed

log = logging.getLogger(__name__)

START_TIMEOUT_S = 20.0


class PlatformProcess:
    """``kiosk platform serve`` on a free loopback port, its output in ``log_path``."""

    def __init__(self, data: Path) -> None:
        data.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data / "platform.log"
        argv = [sys.executable, "-m", "kiosk.devtools.refplatform", "--host", "127.0.0.1"]
        argv += ["--port", str(self.port), "--data", str(data)]
        with self.log_path.open("ab") as out:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )

    def wait_serving(self, timeout: float = START_TIMEOUT_S) -> bool:
        return wait_port(self.port, timeout, alive=lambda: self.proc.poll() is None)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: the server stops cleanly
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def platform_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    if importlib.util.find_spec("flask") is None:
        log.warning("Flask is not installed: the demo runs without a platform (offline mode)")
        return {}
    data = workdir / "platform"
    child = PlatformProcess(data)
    stack.callback(child.stop)

    def ready() -> None:
        if child.wait_serving():
            print(f"demo platform on {child.url} (admin: {child.url}/admin/stats; its log: {child.log_path})")
            return
        child.stop()
        tail = child.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
        log.warning(
            "the demo platform did not start (exit %s; %s): the kiosk runs offline. Its log ends: %s",
            child.proc.returncode,
            child.log_path,
            " | ".join(tail),
        )

    return {
        READY: [ready],
        "platform": {
            "url": child.url,
            "terminal_id": seed.TERMINAL_ID,
            "hall_id": seed.HALL_ID,
            "secret_file": str(data / seed.SECRET_NAME),
        },
    }
