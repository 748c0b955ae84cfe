"""A hall of separate processes: reference platform, Mosquitto, ``kiosk hall host`` and members."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.hall.broker import write_credentials
from tests.hall.mosquitto import Mosquitto

REPO = Path(__file__).resolve().parents[2]


def env() -> dict[str, str]:
    e = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    e.pop("KIOSK_DATA_DIR", None)
    e.pop("KIOSK_CONFIG", None)
    return e


def write_config(
    tmp: Path,
    m: Mosquitto,
    terminal: str,
    *,
    profile: str,
    role: str,
    platform: str = "",
    secret: Path | None = None,
    lease_size: int = 0,
    counter: int = 0,
    extra: str = "",
) -> Path:
    d = tmp / terminal
    d.mkdir(parents=True, exist_ok=True)
    cred = d / "broker.toml"
    t = m.terminals[terminal]
    write_credentials(cred, t.id, t.password)
    plat = ""
    if platform:
        plat = "\n".join(
            [
                f'url = "{platform}"',
                f'terminal_id = "{terminal}"',
                f'secret_file = "{secret}"',
                "sync_interval_s = 2",
            ]
        )
    cfg = d / "kiosk.toml"
    cfg.write_text(
        f"""
[terminal]
id = "{terminal}"
profile = "{profile}"
counter = {counter}
[paths]
data_dir = "{d / "data"}"
log_dir = "{d / "logs"}"
[platform]
hall_id = "H-DEMO-001"
{plat}
[queue]
enforce_hours = false
[hall]
role = "{role}"
broker_url = "{m.url}"
credentials_file = "{cred}"
hall_id = "H-DEMO-001"
request_timeout_s = 1.0
give_up_s = 3.0
lease_size = {lease_size}
display_stale_s = 5
{extra}
""",
        encoding="utf-8",
    )
    return cfg


def start_host(cfg: Path, log: Path) -> subprocess.Popen[bytes]:
    argv = [
        sys.executable,
        "-m",
        "kiosk",
        "--config",
        str(cfg),
        "--log-level",
        "INFO",
        "hall",
        "host",
        "--demo",
    ]
    with open(log, "ab") as err:
        p = subprocess.Popen(argv, env=env(), stdout=subprocess.PIPE, stderr=err)
    assert p.stdout is not None
    line = p.stdout.readline().decode()
    assert "hall host serving" in line, (line, log.read_text(errors="replace")[-3000:])
    return p


def kill9(p: subprocess.Popen[bytes]) -> None:
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
        p.wait(10)
    if p.stdout is not None:
        p.stdout.close()


@dataclass
class Child:
    proc: subprocess.Popen[str]
    name: str

    def ask(self, line: str, timeout: float = 30.0) -> dict[str, Any]:
        self.send(line)
        return self.recv()

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def recv(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        out = self.proc.stdout.readline()
        if not out:
            raise AssertionError(f"{self.name} died")
        return dict(json.loads(out))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(15)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(5)
        for f in (self.proc.stdin, self.proc.stdout):
            if f is not None:
                f.close()


def start_member(cfg: Path, name: str, log: Path) -> Child:
    with open(log, "ab") as err:
        p = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "hall" / "member_child.py"), str(cfg)],
            env=env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    child = Child(p, name)
    assert p.stdout is not None
    first = p.stdout.readline()
    assert first and json.loads(first)["ready"], (name, first, log.read_text(errors="replace")[-3000:])
    return child
