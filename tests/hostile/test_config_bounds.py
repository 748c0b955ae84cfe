"""Config and environment at the trust boundary (issue 15, finding 8): ``nan`` fails every
number check, a deeply nested value or variable is one error line and exit 2, never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.settings import load_settings
from kiosk.settings.errors import ConfigInvalid
from kiosk.settings.load import check_file, env_layer


@pytest.mark.parametrize("value", ["nan", "+nan", "inf", "-inf"])
def test_a_non_finite_number_is_refused(tmp_path: Path, value: str) -> None:
    f = tmp_path / "t.toml"
    f.write_text(f"[platform]\ntimeout_s = {value}\n", encoding="utf-8")
    settings, errors = check_file(f)
    assert settings is None
    assert [str(e) for e in errors] == [
        f"{f}: platform.timeout_s: must be a finite number, got {float(value)!r}"
    ]


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "text",
    [
        "[terminal]\nid = " + "[" * 5000 + "]" * 5000 + "\n",
        "[terminal]\nid = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
        "[terminal]\nid = " + "[" * 40 + "]" * 40 + "\n",
    ],
)
def test_config_check_of_a_deeply_nested_file_is_one_line_and_exit_2(tmp_path: Path, text: str) -> None:
    f = tmp_path / "deep.toml"
    f.write_text(text, encoding="utf-8")
    out = _run(["config", "check", str(f)])
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout.strip() == f"{f}: <syntax>: nested deeper than 8 levels"


@pytest.mark.parametrize(
    "env",
    [
        {"KIOSK_TERMINAL__IDLE_TIMEOUT_S": "[" * 5000 + "]" * 5000},
        {"KIOSK_QUEUE__COUNTER_WEIGHTS": "{a = " * 50 + "1" + "}" * 50},
        {"KIOSK_TERMINAL__LANGUAGE": "en", "KIOSK_TERMINAL__LANGUAGE__X": "1"},
        {"KIOSK_A__B__C__D__E__F__G__H__I__J": "1"},
    ],
)
def test_a_hostile_environment_variable_is_a_config_error_not_a_traceback(env: dict[str, str]) -> None:
    with pytest.raises(ConfigInvalid) as info:
        load_settings(None, environ=env)
    assert len(info.value.errors) == 1
    out = _run(["config", "show"], env)
    assert out.returncode == 2, (out.returncode, out.stderr[-400:])
    assert "Traceback" not in out.stderr


def test_env_layer_keeps_ordinary_variables() -> None:
    layer = env_layer({"KIOSK_TERMINAL__LANGUAGE": "en", "KIOSK_PLATFORM__TIMEOUT_S": "5"})
    assert layer.data == {"terminal": {"language": "en"}, "platform": {"timeout_s": 5}}
    assert not layer.errors
