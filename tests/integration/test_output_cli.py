"""``kiosk devices test display|voice|pad|keypad`` against the emulators, as a technician runs them."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest

from drivers.rs485.emulator import BusEmulator
from drivers.rs485.presets import PRESETS
from kiosk.cli import main


def _cfg(tmp_path: Path, body: str) -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[terminal]\nid = "T-DEMO-001"\n' + body, encoding="utf-8")
    return cfg


def test_display_test_reports_dead_screens(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with BusEmulator(PRESETS["hk-crc16"], screens=[1, 2, 3], dead={3}) as emu:
        port = emu.start()
        cfg = _cfg(
            tmp_path,
            f'[devices.leds]\ndriver = "rs485_led"\nport = "{port}"\ntimeout_ms = 50\n'
            "screens = [{address = 1, counter = 1}, {address = 2, counter = 1},\n"
            "  {address = 3, counter = 1}]\n",
        )
        assert (
            main(["--config", str(cfg), "devices", "test", "display", "--counter", "1", "--number", "A007"])
            == 1
        )
        out = capsys.readouterr().out
        assert "updated 2 screen(s)" in out and "NOT answering: screen-3" in out
        assert emu.texts()[1] == "A007号 请到1号窗口"


def test_pad_and_keypad_tests_print_what_is_pressed(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with BusEmulator(PRESETS["aa-ee-xor"], keypads=[31], pads=[41]) as emu:
        port = emu.start()
        cfg = _cfg(
            tmp_path,
            f'[devices.pads]\ndriver = "rs485_evalpad"\nport = "{port}"\npreset = "aa-ee-xor"\n'
            "pads = [{address = 41, counter = 2}]\n"
            f'[devices.keys]\ndriver = "rs485_keypad"\nport = "{port}"\npreset = "aa-ee-xor"\n'
            "keypads = [{address = 31, counter = 2}]\n",
        )
        emu.rate(41, 4)
        emu.press(31, 6)
        assert (
            main(
                [
                    "--config",
                    str(cfg),
                    "devices",
                    "test",
                    "pad",
                    "--counter",
                    "2",
                    "--count",
                    "1",
                    "--seconds",
                    "5",
                ]
            )
            == 0
        )
        assert (
            main(["--config", str(cfg), "devices", "test", "keypad", "--count", "1", "--seconds", "5"]) == 0
        )
        out = capsys.readouterr().out
        assert "rating invited at window 2" in out and "window 2: rating 4 满意" in out
        assert "window 2: finish" in out
        assert emu.pads[41].invited == 1


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_voice_test_records_a_wav(tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _cfg(tmp_path, '[devices.voice]\ndriver = "voice"\nengines = ["espeak"]\nrepeat = 1\n')
    out_wav = tmp_path / "say.wav"
    assert (
        main(
            [
                "--config",
                str(cfg),
                "devices",
                "test",
                "voice",
                "--number",
                "B012",
                "--counter",
                "4",
                "--out",
                str(out_wav),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "saying: 请B零一二号到四号窗口办理" in out and "said by espeak" in out
    with wave.open(str(out_wav)) as w:
        assert w.getnframes() / w.getframerate() > 1.5


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_the_readmes_device_test_examples_work_as_written_without_a_config(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import re
    import shlex

    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"kiosk devices test (?:voice|printer)[^`#\n]*", readme)
    assert len(examples) >= 2, examples
    for example in examples:
        args = [a.replace("/tmp/", f"{tmp_path}/") for a in shlex.split(example)[1:]]
        assert main(args) == 0, example
    out = capsys.readouterr().out
    assert "written:" in out and "printed test ticket A001" in out
    with wave.open(str(tmp_path / "call.wav")) as w:
        assert w.getnframes() > 0
    assert (tmp_path / "t.bin").stat().st_size > 100
    # nothing configured and nothing to print to: one line saying what to pass
    assert main(["devices", "test", "printer"]) == 2
    assert "--connection" in capsys.readouterr().err
