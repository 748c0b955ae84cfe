"""`kiosk run` under a systemd-like supervisor: READY=1 once the home screen is up, then
WATCHDOG=1 pings from the GUI loop, on the socket named by NOTIFY_SOCKET."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_kiosk_run_notifies_ready_and_pings_the_watchdog(tmp_path: Path) -> None:
    sock_path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(sock_path))
    config = tmp_path / "terminal.toml"
    config.write_text('[terminal]\nprofile = "self_service"\nid = "T-DEMO-001"\n')
    report = tmp_path / "startup.json"
    env = {
        **os.environ,
        "NOTIFY_SOCKET": str(sock_path),
        "WATCHDOG_USEC": "1500000",  # pings every 0.5 s
        "WATCHDOG_PID": str(os.getpid()),  # the supervisor is our parent, as cage is under systemd
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_STARTUP_REPORT": str(report),
        "QT_QPA_PLATFORM": "offscreen",
    }
    log = (tmp_path / "stderr").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(config), "run", "--exit-after", "5"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    got: list[tuple[float, dict[str, str]]] = []
    try:
        sock.settimeout(1.0)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                data = sock.recv(4096).decode()
            except TimeoutError:
                continue
            got.append((time.monotonic(), dict(line.split("=", 1) for line in data.splitlines())))
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()
        log.close()
    assert proc.returncode == 0, (tmp_path / "stderr").read_text()
    kinds = [next(k for k in ("READY", "WATCHDOG", "STOPPING", "STATUS") if k in m) for _, m in got]
    assert kinds[0] == "READY", got
    assert report.is_file(), "READY=1 is sent when the first frame is shown"
    assert got[0][1]["STATUS"].startswith("serving")
    pings = [t for (t, m) in got if m.get("WATCHDOG") == "1"]
    assert len(pings) >= 4, got
    assert "unhealthy" not in " ".join(m.get("STATUS", "") for _, m in got)
