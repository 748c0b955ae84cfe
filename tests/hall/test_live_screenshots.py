"""``kiosk screenshots DIR --hall-bus MEMBER.toml``: the hall display and the counter rendered from
the host's live state over a real Mosquitto, not from the sample data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hall.harness import start_host
from tests.hall.mosquitto import Mosquitto
from tests.hall.procs import write_config

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def shoot(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    env.pop("KIOSK_CONFIG", None)
    argv = [sys.executable, "-m", "kiosk", "screenshots", str(out), "--lang", "zh", "--mode", "normal"]
    argv += ["--orientation", "landscape", *extra]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=150, check=False)


def test_screenshots_from_the_live_hall(mosquitto: Mosquitto, tmp_path: Path) -> None:
    host = start_host(mosquitto, tmp_path)
    try:
        for _ in range(3):
            host.service.issue_unprinted("A")
        host.service.call_next(1)
        cfg = write_config(tmp_path, mosquitto, "T-C1", profile="counter", role="member", counter=1)
        live = shoot(tmp_path / "live", "--hall-bus", str(cfg))
        assert live.returncode == 0, live.stderr[-3000:]
        assert "live hall" in live.stdout
        assert "calling A001; waiting A=2 B=0" in live.stdout, live.stdout
    finally:
        host.stop()
    sample = shoot(tmp_path / "sample", "--screen", "hall_display", "--screen", "counter")
    assert sample.returncode == 0, sample.stderr[-3000:]
    for name in ("hall_display", "counter"):
        png = f"{name}-zh-normal-landscape.png"
        assert (tmp_path / "live" / png).stat().st_size > 1000
        assert (tmp_path / "live" / png).read_bytes() != (tmp_path / "sample" / png).read_bytes()
