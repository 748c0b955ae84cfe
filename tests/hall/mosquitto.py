"""A real Mosquitto for the tests: free loopback port, generated config (password file, ACL,
persistence in the test's tmp dir), killed and restarted at will."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.hall.broker import Terminal, new_password, write_config
from kiosk.hall.mqtt import Broker

HALL = "H-DEMO-001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"mosquitto did not listen on {port}")


@dataclass
class Mosquitto:
    directory: Path
    terminals: dict[str, Terminal]
    hall: str = HALL
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.conf = write_config(
            self.directory,
            hall=self.hall,
            terminals=list(self.terminals.values()),
            port=self.port,
            user="root" if os.geteuid() == 0 else None,
        )

    def start(self) -> None:
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(exe).exists():
            raise RuntimeError(
                "mosquitto is not installed (./dev.sh test installs it: installer/debian-packages.txt)"
            )
        self.proc = subprocess.Popen(
            [exe, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def broker(self, terminal: str) -> Broker:
        t = self.terminals[terminal]
        return Broker("127.0.0.1", self.port, False, t.id, t.password)

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def log(self) -> str:
        p = self.directory / "mosquitto.log"
        return p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""


def hall_terminals(
    tickets: int = 2, counters: int = 2, displays: int = 1, host: str = "HOST"
) -> dict[str, Terminal]:
    out = {host: Terminal(host, "host", new_password())}
    for i in range(1, tickets + 1):
        out[f"T-TM{i}"] = Terminal(f"T-TM{i}", "ticket", new_password())
    for i in range(1, counters + 1):
        out[f"T-C{i}"] = Terminal(f"T-C{i}", "counter", new_password())
    for i in range(1, displays + 1):
        out[f"T-D{i}"] = Terminal(f"T-D{i}", "display", new_password())
    return out
