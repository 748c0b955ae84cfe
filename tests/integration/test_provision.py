"""``kiosk provision`` against the reference platform over loopback: a signed hall-profile
request proves the identity before anything is written; secrets never reach the output."""

from __future__ import annotations

import logging
import socket
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.settings import load_settings

T, H = seed.TERMINAL_ID, seed.HALL_ID


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    server = ServerThread(prepare(tmp_path / "platform")).start()
    yield server.url, tmp_path / "platform" / SECRET_NAME
    server.stop()


def provision(config: Path, url: str, secret: Path, *extra: str, terminal: str = T, hall: str = H) -> int:
    return main(
        [
            "provision",
            "--terminal-id",
            terminal,
            "--hall-id",
            hall,
            "--platform-url",
            url,
            "--secret-file",
            str(secret),
            "--out",
            str(config),
            *extra,
        ]
    )


def no_secret_anywhere(secret: Path, *texts: str) -> None:
    value = secret.read_text().strip()
    for text in texts:
        assert value not in text
        assert value[:16] not in text


def test_provision_checks_then_writes_private_files(
    tmp_path: Path,
    platform: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url, secret = platform
    config = tmp_path / "etc" / "terminal.toml"
    config.parent.mkdir()
    config.write_text(
        '# hand-written\n[terminal]\nprofile = "ticket"\nlanguage = "en"\n\n'
        '[devices.printer]\ndriver = "escpos"\nconnection = "file:///dev/kiosk-printer"\n'
    )
    assert provision(config, url, secret) == 0
    out = capsys.readouterr()
    assert f"platform ok: {url} knows terminal {T} in hall {H}" in out.out
    assert "示范县政务服务中心" in out.out
    stored = config.parent / "secret"
    for f in (config, stored):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stored.read_text().strip() == secret.read_text().strip()
    doc = tomllib.loads(config.read_text())
    assert doc["terminal"] == {"profile": "ticket", "language": "en", "id": T}, "existing keys kept"
    assert doc["devices"]["printer"]["connection"] == "file:///dev/kiosk-printer"
    assert doc["platform"] == {"url": url, "terminal_id": T, "hall_id": H, "secret_file": str(stored)}
    assert (config.parent / "terminal.toml.bak").read_text().startswith("# hand-written")
    settings = load_settings(config, environ={})
    assert (settings.platform.hall_id, settings.terminal.profile) == (H, "ticket")
    no_secret_anywhere(secret, out.out, out.err, caplog.text, config.read_text())


def test_a_wrong_secret_is_refused_and_nothing_is_written(
    tmp_path: Path, platform: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = platform
    wrong = tmp_path / "wrong.secret"
    wrong.write_text("ab" * 32 + "\n")
    config = tmp_path / "terminal.toml"
    assert provision(config, url, wrong) == 3
    err = capsys.readouterr().err
    assert "the platform refused this terminal" in err and "secret" in err
    assert "ab" * 32 not in err
    assert not config.exists() and not (tmp_path / "secret").exists()


def test_an_unknown_hall_is_named(
    tmp_path: Path, platform: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, secret = platform
    assert provision(tmp_path / "t.toml", url, secret, hall="H-NOPE") == 3
    err = capsys.readouterr().err
    assert "rejected" in err or "refused" in err, err
    assert not (tmp_path / "t.toml").exists()


def test_unreachable_platform_says_so_and_no_check_provisions_offline(
    tmp_path: Path, platform: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, secret = platform
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    config = tmp_path / "terminal.toml"
    assert provision(config, dead, secret) == 3
    err = capsys.readouterr().err
    assert "cannot check against the platform" in err and "--no-check" in err
    assert not config.exists()
    assert provision(config, dead, secret, "--no-check", "--profile", "ticket") == 0
    assert "platform not contacted" in capsys.readouterr().out
    doc = tomllib.loads(config.read_text())
    assert doc["platform"]["url"] == dead and doc["terminal"]["profile"] == "ticket"


@pytest.mark.parametrize(
    ("args", "secret_text", "message"),
    [
        (["--terminal-id", "T 1"], "ab" * 32, "--terminal-id must be"),
        (["--hall-id", "H-1\n"], "ab" * 32, "--hall-id must be"),
        (["--platform-url", "http://p.example/\n"], "ab" * 32, "--platform-url must be an http"),
        (["--platform-url", "ftp://x"], "ab" * 32, "--platform-url must be an http"),
        ([], "abcd", "is 2 bytes; the contract needs 32 or more"),
        ([], "not hex at all", "must hold the secret as hex"),
    ],
)
def test_bad_input_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], secret_text: str, message: str
) -> None:
    secret = tmp_path / "s"
    secret.write_text(secret_text)
    base = {
        "--terminal-id": T,
        "--hall-id": H,
        "--platform-url": "http://127.0.0.1:9",
        "--secret-file": str(secret),
    }
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["provision", "--out", str(tmp_path / "t.toml"), "--no-check"]
    for flag, value in base.items():
        argv += [flag, value]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "t.toml").exists()


def test_a_corrupt_existing_config_is_left_alone(
    tmp_path: Path, platform: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, secret = platform
    config = tmp_path / "terminal.toml"
    config.write_text("[terminal\nprofile = ")
    assert provision(config, url, secret) == 2
    assert "is not a valid config" in capsys.readouterr().err
    assert config.read_text() == "[terminal\nprofile = "
