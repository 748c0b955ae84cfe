"""Technician commands against the emulated reader: probe, test idcard, emulate errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.sam.emulator import SamEmulator, load_cards
from kiosk.settings.load import shipped_config_dir

CARDS = load_cards(shipped_config_dir() / "demo-cards.toml")


@pytest.fixture
def emulator() -> Iterator[SamEmulator]:
    emu = SamEmulator(CARDS, present=0).start()
    yield emu
    emu.stop()


def kiosk(*args: str, config: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    pre = ["--config", str(config)] if config else []
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *pre, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_config(tmp_path: Path, port: str) -> Path:
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[devices.idreader]\ndriver = "sam-serial"\nport = "{port}"\npoll_interval_s = 0.1\n')
    return cfg


@pytest.mark.slow
def test_probe_and_test_idcard(tmp_path: Path, emulator: SamEmulator) -> None:
    cfg = write_config(tmp_path, emulator.path)
    probe = kiosk("devices", "probe", "--json", config=cfg)
    assert probe.returncode == 0, probe.stderr
    health = json.loads(probe.stdout)["idreader"]
    assert health["connected"] is True and health["kind"] == "id_card_reader"
    assert health["hardware_id"] == "05.01-20201105-0000012345-2147614512"
    assert health["detail"]["card_present"] is True  # the emulator's card 1 lies on the reader
    text = kiosk("devices", "probe", config=cfg)
    assert text.returncode == 0 and text.stdout.startswith("idreader: ")
    assert "card present" in text.stdout and "李明华" not in text.stdout + probe.stdout

    tested = kiosk("devices", "test", "idcard", "--timeout", "10", config=cfg)
    assert tested.returncode == 0, tested.stderr
    assert "李*华" in tested.stdout and "110105**********14" in tested.stdout
    assert "110105198503072014" not in tested.stdout + tested.stderr
    assert "李明华" not in tested.stdout + tested.stderr


def test_probe_reports_an_absent_reader(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, str(tmp_path / "gone"))
    probe = kiosk("devices", "probe", "--timeout", "2", config=cfg)
    assert probe.returncode == 1
    assert "idreader: offline" in probe.stdout and "not_found" in probe.stdout
    assert "Traceback" not in probe.stderr


def test_emulator_rejects_a_bad_card_file(tmp_path: Path) -> None:
    bad = tmp_path / "cards.toml"
    bad.write_text('[[cards]]\nname = "x"\ncolour = "red"\n')
    out = kiosk("emulate", "sam-idcard", "--card", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip() == "card file: card 1: unknown keys colour"
