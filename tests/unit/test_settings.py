from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import ConfigInvalid, load_settings
from kiosk.settings.load import check_file, env_layer

REPO = Path(__file__).resolve().parents[2]
SHIPPED = [*sorted((REPO / "config" / "profiles").glob("*.toml")), REPO / "config" / "demo.toml"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_are_valid(path: Path) -> None:
    settings, errors = check_file(path)
    assert errors == []
    assert settings is not None


def test_all_four_profiles_are_shipped() -> None:
    names = {p.stem for p in (REPO / "config" / "profiles").glob("*.toml")}
    assert names == {"self_service", "ticket", "hall_display", "counter"}


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "terminal.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_misspelled_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    p = write(tmp_path, '[terminal]\nlanguag = "en"\n')
    _, errors = check_file(p)
    assert [str(e) for e in errors] == [f"{p}: terminal.languag: unknown key (did you mean 'language'?)"]


def test_wrong_type_is_named(tmp_path: Path) -> None:
    p = write(tmp_path, '[terminal]\nidle_timeout_s = "sixty"\n')
    _, errors = check_file(p)
    assert len(errors) == 1
    assert errors[0].source == str(p)
    assert errors[0].key == "terminal.idle_timeout_s"
    assert "must be an integer, got a string" in errors[0].reason


def test_bool_is_not_an_integer(tmp_path: Path) -> None:
    _, errors = check_file(write(tmp_path, "[terminal]\nidle_timeout_s = true\n"))
    assert errors[0].key == "terminal.idle_timeout_s"


def test_range_and_choice(tmp_path: Path) -> None:
    p = write(tmp_path, '[terminal]\nidle_timeout_s = 5\nprofile = "kiosk"\n')
    _, errors = check_file(p)
    keys = {e.key: e.reason for e in errors}
    assert "at least 10" in keys["terminal.idle_timeout_s"]
    assert "one of" in keys["terminal.profile"]


def test_unknown_section(tmp_path: Path) -> None:
    _, errors = check_file(write(tmp_path, "[termnal]\nid = 'x'\n"))
    assert errors[0].key == "termnal"
    assert "did you mean 'terminal'" in errors[0].reason


def test_corrupt_toml_names_the_file(tmp_path: Path) -> None:
    p = write(tmp_path, "[terminal\nid = ")
    _, errors = check_file(p)
    assert errors[0].source == str(p)
    assert errors[0].key == "<syntax>"
    assert "not valid TOML" in errors[0].reason


def test_binary_garbage_file(tmp_path: Path) -> None:
    p = tmp_path / "garbage.toml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    _, errors = check_file(p)
    assert errors and errors[0].source == str(p)


def test_missing_file(tmp_path: Path) -> None:
    _, errors = check_file(tmp_path / "nope.toml")
    assert errors[0].reason == "file not found"


def test_cross_check_counter_profile(tmp_path: Path) -> None:
    p = write(tmp_path, '[terminal]\nprofile = "counter"\n')
    _, errors = check_file(p)
    assert errors[0].key == "terminal.counter"


def test_platform_url_needs_credentials(tmp_path: Path) -> None:
    p = write(tmp_path, '[platform]\nurl = "http://127.0.0.1:8080"\n')
    _, errors = check_file(p)
    assert errors[0].key == "platform"


def test_unknown_device_driver(tmp_path: Path) -> None:
    p = write(tmp_path, '[devices.printer]\ndriver = "no-such-driver"\n')
    _, errors = check_file(p)
    assert errors[0].key == "devices.printer.driver"
    assert "unknown driver" in errors[0].reason


def test_layering_file_then_environment(tmp_path: Path) -> None:
    p = write(tmp_path, '[terminal]\nlanguage = "en"\nidle_timeout_s = 90\n')
    s = load_settings(p, environ={"KIOSK_TERMINAL__IDLE_TIMEOUT_S": "120", "KIOSK_TERMINAL__ID": "123"})
    assert s.terminal.language == "en"  # from the file
    assert s.terminal.idle_timeout_s == 120  # environment wins
    assert s.terminal.id == "123"  # a string field keeps digits as text
    assert s.terminal.hall_name == "政务服务中心"  # default


def test_kiosk_config_environment_variable(tmp_path: Path) -> None:
    p = write(tmp_path, '[terminal]\norientation = "landscape"\n')
    s = load_settings(environ={"KIOSK_CONFIG": str(p)})
    assert s.terminal.orientation == "landscape"


def test_kiosk_data_dir(tmp_path: Path) -> None:
    s = load_settings(environ={"KIOSK_DATA_DIR": str(tmp_path)})
    assert s.paths.data_dir == str(tmp_path)


def test_environment_errors_name_the_environment() -> None:
    with pytest.raises(ConfigInvalid) as exc:
        load_settings(environ={"KIOSK_TERMINAL__IDLE_TIMEOUT_S": "abc"})
    assert exc.value.errors[0].source == "environment"
    assert exc.value.errors[0].key == "terminal.idle_timeout_s"


def test_env_layer_ignores_reserved_and_malformed() -> None:
    layer = env_layer({"KIOSK_CONFIG": "x", "KIOSK_": "y", "KIOSK_A____B": "z", "OTHER": "1"})
    assert layer.data == {}
