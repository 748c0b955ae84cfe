"""``[hall]``: standalone unless said otherwise; a broker URL that is not mqtt(s):// is named."""

from __future__ import annotations

from pathlib import Path

from kiosk.hall.mqtt import Broker, BrokerConfigError, read_credentials
from kiosk.settings import load_settings
from kiosk.settings.load import check_file


def test_standalone_is_the_default() -> None:
    hs = load_settings(None).hall
    assert (hs.role, hs.broker_url, hs.credentials_file) == ("standalone", "", "")


def test_role_and_broker_url_are_checked(tmp_path: Path) -> None:
    p = tmp_path / "t.toml"
    p.write_text('[hall]\nrole = "master"\nbroker_url = "http://10.0.0.2"\n', encoding="utf-8")
    _, errors = check_file(p)
    keys = {e.key: e.reason for e in errors}
    assert "one of" in keys["hall.role"]
    assert "mqtt://" in keys["hall.broker_url"]
    p.write_text('[hall]\nrole = "member"\nbroker_url = "mqtts://hall-host:8883"\n', encoding="utf-8")
    assert check_file(p)[1] == []


def test_broker_from_settings_reads_the_credentials_file(tmp_path: Path) -> None:
    cred = tmp_path / "broker.toml"
    cred.write_text('user = "T-0003"\npassword = "s3cret"\n', encoding="utf-8")
    b = Broker.from_settings("mqtts://hall-host", str(cred), "/etc/ca.pem")
    assert (b.host, b.port, b.tls, b.username, b.password) == ("hall-host", 8883, True, "T-0003", "s3cret")
    assert Broker.from_settings("mqtt://10.0.0.2:1884").port == 1884
    cred.write_text("user = 3\n", encoding="utf-8")
    try:
        read_credentials(cred)
    except BrokerConfigError as exc:
        assert str(cred) in str(exc) and "password" in str(exc)
    else:
        raise AssertionError("bad credentials accepted")
