from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiosk.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_config_check_valid(capsys) -> None:  # type: ignore[no-untyped-def]
    files = [str(p) for p in sorted((REPO / "config" / "profiles").glob("*.toml"))]
    files.append(str(REPO / "config" / "demo.toml"))
    assert main(["config", "check", *files]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("ok: 5 file(s) valid")


def test_config_check_problems_exit_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text("[terminal]\nidle_timout_s = 30\norientation = 3\n", encoding="utf-8")
    assert main(["config", "check", str(bad)]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert f"{bad}: terminal.idle_timout_s: unknown key (did you mean 'idle_timeout_s'?)" in lines
    assert any(line.startswith(f"{bad}: terminal.orientation: must be one of") for line in lines)


def test_version_via_console_script() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("hall-kiosk ")


def test_invalid_config_stops_start_plainly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[ui]\nfulscreen = false\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(bad), "config", "show"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert f"{bad}: ui.fulscreen: unknown key" in proc.stderr
    assert "Traceback" not in proc.stderr
