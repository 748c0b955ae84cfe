"""``kiosk provision --hall-role member --broker-url … --broker-password-file …`` writes the
member's broker credentials (0600, user = its terminal id) and a config that reaches the broker."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.hall.mqtt import Broker
from kiosk.settings import load_settings
from tests.integration.test_provision import provision


def test_provision_writes_the_members_broker_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "in.secret"
    secret.write_text("ab" * 32 + "\n", encoding="ascii")
    pw = tmp_path / "pw"
    pw.write_text("hunter2-from-the-host\n", encoding="utf-8")
    cfg = tmp_path / "etc" / "terminal.toml"
    rc = provision(
        cfg,
        "https://platform.example",
        secret,
        "--no-check",
        "--profile",
        "ticket",
        "--hall-role",
        "member",
        "--broker-url",
        "mqtt://10.0.0.2:1883",
        "--broker-password-file",
        str(pw),
        terminal="T-0003",
        hall="H-DEMO-001",
    )
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert "hunter2" not in out.out + out.err
    cred = cfg.parent / "broker.toml"
    assert stat.S_IMODE(cred.stat().st_mode) == 0o600
    settings = load_settings(str(cfg))
    assert (settings.hall.role, settings.hall.broker_url) == ("member", "mqtt://10.0.0.2:1883")
    b = Broker.from_settings(settings.hall.broker_url, settings.hall.credentials_file)
    assert (b.host, b.port, b.username, b.password) == ("10.0.0.2", 1883, "T-0003", "hunter2-from-the-host")


def test_a_password_that_cannot_be_written_safely_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "in.secret"
    secret.write_text("ab" * 32 + "\n", encoding="ascii")
    pw = tmp_path / "pw"
    pw.write_text('bad"quote\n', encoding="utf-8")
    cfg = tmp_path / "t.toml"
    rc = provision(
        cfg,
        "https://platform.example",
        secret,
        "--no-check",
        "--hall-role",
        "member",
        "--broker-url",
        "mqtt://h",
        "--broker-password-file",
        str(pw),
        terminal="T-0003",
        hall="H-DEMO-001",
    )
    assert rc == 2 and "broker password" in capsys.readouterr().err
    assert not (tmp_path / "broker.toml").exists()
