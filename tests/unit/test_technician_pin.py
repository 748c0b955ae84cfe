"""kiosk technician set-pin: the hash lands in [ui], comments survive, bad input changes nothing."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.ops.config_edit import with_values
from kiosk.ops.technician_pin import PinError, set_pin
from kiosk.pin import verify_pin
from kiosk.settings.load import check_file


def stored_hash(path: Path) -> str:
    return str(tomllib.loads(path.read_text(encoding="utf-8"))["ui"]["technician_pin_hash"])


def test_cli_sets_a_pin_that_verifies_and_keeps_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "terminal.toml"
    cfg.write_text('# 示范县 hall, window 3\n[terminal]\nid = "T-9"  # asset tag 0042\n', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    assert main(["technician", "set-pin", "--stdin", "--out", str(cfg)]) == 0
    assert "technician PIN set in" in capsys.readouterr().out
    text = cfg.read_text(encoding="utf-8")
    assert text.startswith('# 示范县 hall, window 3\n[terminal]\nid = "T-9"  # asset tag 0042\n')
    # The salted hash may contain "2468" by chance; the PIN must not appear anywhere else.
    assert "2468" not in text.replace(stored_hash(cfg), "")
    assert verify_pin("2468", stored_hash(cfg)) and not verify_pin("2469", stored_hash(cfg))
    assert check_file(cfg)[1] == []
    assert cfg.stat().st_mode & 0o077 == 0


def test_a_second_pin_replaces_the_first(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    set_pin(cfg, "1111")
    set_pin(cfg, "22223333")
    assert cfg.read_text().count("technician_pin_hash") == 1
    assert verify_pin("22223333", stored_hash(cfg))


def test_the_key_goes_into_an_existing_ui_table_not_another_one() -> None:
    text = "[ui]\nfullscreen = false\n\n[queue]\nenforce_hours = true\n"
    new = with_values(text, "ui", {"technician_pin_hash": "h"})
    assert tomllib.loads(new) == {
        "ui": {"fullscreen": False, "technician_pin_hash": "h"},
        "queue": {"enforce_hours": True},
    }


@pytest.mark.parametrize("pin", ["", "123", "12a4", "1234567890123", "12 34", "1234\n"])
def test_a_pin_that_is_not_4_to_12_digits_is_refused(tmp_path: Path, pin: str) -> None:
    cfg = tmp_path / "t.toml"
    with pytest.raises(PinError, match="4 to 12 digits"):
        set_pin(cfg, pin)
    assert not cfg.exists()


def test_a_broken_config_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text("[terminal\nid = ", encoding="utf-8")
    with pytest.raises(PinError, match="not valid TOML"):
        set_pin(cfg, "2468")
    assert cfg.read_text(encoding="utf-8") == "[terminal\nid = "


def test_a_config_that_fails_the_schema_is_not_made_worse(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text('[terminal]\nlanguag = "zh"\n', encoding="utf-8")
    with pytest.raises(PinError, match=r"terminal\.languag: unknown key"):
        set_pin(cfg, "2468")
    assert "technician_pin_hash" not in cfg.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.check.toml"))


def test_a_device_table_with_a_dotted_name_is_edited_in_place(tmp_path: Path) -> None:
    from kiosk.ops.config_edit import set_values

    cfg = tmp_path / "t.toml"
    cfg.write_text(
        '[devices.idreader]  # the reader under the desk\ndriver = "sam-serial"\nport = "/dev/ttyUSB0"\n'
        '\n[devices.scanner]\ndriver = "serial-scanner"\n',
        encoding="utf-8",
    )
    set_values(cfg, "devices.idreader", {"port": "/dev/ttyUSB1", "baudrate": 57600})
    text = cfg.read_text(encoding="utf-8")
    assert "# the reader under the desk" in text
    doc = tomllib.loads(text)
    assert doc["devices"]["idreader"] == {"driver": "sam-serial", "port": "/dev/ttyUSB1", "baudrate": 57600}
    assert doc["devices"]["scanner"] == {"driver": "serial-scanner"}


def test_a_place_that_cannot_be_written_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "etc"
    blocker.write_text("a file where the config directory should be", encoding="utf-8")
    with pytest.raises(PinError, match="cannot write"):
        set_pin(blocker / "terminal.toml", "2468")
