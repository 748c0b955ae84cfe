"""``kiosk devices test scanner`` against the scanner emulator: one scan, printed masked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drivers.scanner.emulator import ScannerEmulator


@pytest.mark.slow
def test_scanner_tester_prints_the_kind_not_the_content(tmp_path: Path) -> None:
    with ScannerEmulator() as emu:
        cfg = tmp_path / "t.toml"
        cfg.write_text(f'[devices.scanner]\ndriver = "serial-scanner"\nport = "{emu.path}"\n')
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "--config",
                str(cfg),
                "devices",
                "test",
                "scanner",
                "--timeout",
                "20",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert first.startswith("scanner: scan a code")
            secret = "11110000000000000X" + "3" * 13 + "20261123" + "0042"
            emu.scan(secret)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert "kind: case_number" in out and "source: serial" in out
    assert secret not in out + err
