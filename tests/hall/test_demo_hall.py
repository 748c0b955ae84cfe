"""``kiosk demo hall``: Mosquitto, the demo kiosk as the hall's host, a counter and a hall display
as member processes; each member reaches the host's queue, and all of it goes away afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def test_demo_hall_starts_a_whole_hall(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KIOSK_DATA_DIR": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    env.pop("KIOSK_CONFIG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "hall", "--exit-after", "15"],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "hall_host" not in proc.stderr
    for member in ("T-0002", "T-0003"):
        logs = "".join(
            p.read_text(errors="replace") for p in (tmp_path / "hall" / member / "logs").glob("*.log*")
        )
        assert "queue of hall H-DEMO-001 reached over the hall bus" in logs, member
        assert "Traceback" not in logs
    broker_log = (tmp_path / "hall" / "broker" / "mosquitto.log").read_text(errors="replace")
    for terminal in ("T-DEMO-001", "T-0002", "T-0003"):
        assert f"as {terminal}" in broker_log or f"u'{terminal}'" in broker_log, terminal
