"""A real Mosquitto for the tests: free loopback port, generated config (password file, ACL,
persistence in the test's tmp dir), killed and restarted at will."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.devtools.child import free_port, wait_port
from kiosk.hall.broker import Terminal, new_password, write_config
from kiosk.hall.mqtt import Broker

HALL = "H-DEMO-001"


@dataclass
class Mosquitto:
    directory: Path
    terminals: dict[str, Terminal]
    hall: str = HALL
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    tls: tuple[Path, Path, Path] | None = None
    """(ca.pem, server.pem, server.key): the listener is mqtts and clients trust that CA."""

    def __post_init__(self) -> None:
        self.conf = write_config(
            self.directory,
            hall=self.hall,
            terminals=list(self.terminals.values()),
            port=self.port,
            tls=None if self.tls is None else (str(self.tls[1]), str(self.tls[2]), str(self.tls[0])),
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
        if not wait_port(self.port):
            raise TimeoutError(f"mosquitto did not listen on {self.port}")

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
        ca = "" if self.tls is None else str(self.tls[0])
        return Broker("127.0.0.1", self.port, self.tls is not None, t.id, t.password, ca)

    @property
    def url(self) -> str:
        return f"{'mqtt' if self.tls is None else 'mqtts'}://127.0.0.1:{self.port}"

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
