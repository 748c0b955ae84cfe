"""Diagnostics bundle (redacted logs and config, device health live or from the snapshot),
vitals for the heartbeat, and the TOML writer provisioning relies on."""

from __future__ import annotations

import json
import stat
import tomllib
import zipfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.app import App
from kiosk.cli import main
from kiosk.ops import snapshot, tomlwrite, vitals
from kiosk.ops.diagnostics import REDACTED, write_bundle
from kiosk.paths import Paths
from kiosk.settings import load_settings

ID = "110105198503072014"
PHONE = "13812345678"
SECRET_HEX = "5e" * 32


def make_config(tmp_path: Path) -> Path:
    secret = tmp_path / "secret"
    secret.write_text(SECRET_HEX + "\n")
    config = tmp_path / "terminal.toml"
    config.write_text(
        f'[terminal]\nid = "T-DEMO-001"\nprofile = "self_service"\n'
        f'[paths]\ndata_dir = "{tmp_path / "data"}"\n'
        f'[platform]\nurl = "http://127.0.0.1:9"\nterminal_id = "T-DEMO-001"\nhall_id = "H-DEMO-001"\n'
        f'secret_file = "{secret}"\n'
        f'[ui]\ntechnician_pin_hash = "pbkdf2$abc$def"\nnotice = "call {PHONE}"\n'
    )
    return config


def read_zip(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode() for n in zf.namelist()}


def test_bundle_from_settings_is_redacted_and_private(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    settings = load_settings(config, environ={})
    logs = Paths.from_settings(settings.paths).logs
    logs.mkdir(parents=True)
    (logs / "kiosk.log").write_text(f"old line with {ID} and {PHONE}\nfine line\n")
    (logs / "kiosk.log.1").write_bytes(b"\xff\xfe broken bytes " + ID.encode() + b"\n")
    out = write_bundle(settings, tmp_path / "out" / "bundle.zip")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    files = read_zip(out)
    assert {
        "manifest.json",
        "versions.json",
        "system.json",
        "config.json",
        "devices.json",
        "README.txt",
    } <= set(files)
    assert "logs/kiosk.log" in files and "logs/kiosk.log.1" in files
    everything = "\n".join(files.values())
    for leaked in (ID, PHONE, SECRET_HEX, "pbkdf2$abc$def"):
        assert leaked not in everything, leaked
    assert "[ID-REDACTED]" in files["logs/kiosk.log"] and "fine line" in files["logs/kiosk.log"]
    cfg = json.loads(files["config.json"])
    assert cfg["ui"]["technician_pin_hash"] == REDACTED
    assert cfg["platform"]["secret_file"].endswith("secret"), "where the secret lives is kept"
    assert cfg["platform"]["hall_id"] == "H-DEMO-001"
    manifest = json.loads(files["manifest.json"])
    assert manifest["source"] == "command line" and manifest["terminal_id"] == "T-DEMO-001"
    devices = json.loads(files["devices.json"])
    assert devices["source"].startswith("none")
    system = json.loads(files["system.json"])
    assert system["disk_total_mb"] > 0 and system["mem_total_mb"] > 0


def test_bundle_from_a_running_app_has_live_health_and_the_cli_reads_its_snapshot(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    settings = load_settings(config, environ={})
    app = App(settings, Paths.from_settings(settings.paths))
    app.start()
    try:
        files = read_zip(write_bundle(app, tmp_path / "live.zip"))
        assert json.loads(files["manifest.json"])["source"] == "running kiosk"
        devices = json.loads(files["devices.json"])
        assert devices["source"] == "live"
        sync = json.loads(files["sync.json"])
        assert "outbox_depth" in sync
        # The app's snapshot is what `kiosk diagnostics` sees from a shell.
        assert snapshot.read(app.paths.data) is not None
        assert main(["--config", str(config), "diagnostics", "--out", str(tmp_path / "cli.zip")]) == 0
        from_cli = read_zip(tmp_path / "cli.zip")
        assert json.loads(from_cli["devices.json"])["source"] == "snapshot"
        assert json.loads(from_cli["sync.json"])["outbox_depth"] == sync["outbox_depth"]
    finally:
        app.shutdown()
    assert snapshot.read(app.paths.data) is None, "no snapshot once the app has stopped"


def test_diagnostics_cli_reports_an_unwritable_target(tmp_path: Path, capsys: object) -> None:
    config = make_config(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--config", str(config), "diagnostics", "--out", str(blocker / "sub" / "b.zip")]) == 1


def test_vitals_for_the_heartbeat(tmp_path: Path) -> None:
    v = vitals.collect(tmp_path / "not-yet-created")
    fields = v.heartbeat_fields()
    assert fields["uptime_s"] >= 0
    assert fields["disk"]["free_mb"] is not None and fields["disk"]["total_mb"] >= fields["disk"]["free_mb"]
    assert fields["memory"]["rss_mb"] > 0
    assert fields["build"] == "source"
    assert vitals.installed_build("/opt/hall-kiosk/0.2.0-abc/venv") == "0.2.0-abc"
    json.dumps(fields)


def test_heartbeat_carries_the_vitals(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    settings = load_settings(config, environ={})
    app = App(settings, Paths.from_settings(settings.paths))
    app.start()
    try:
        payload = app.services.sync.heartbeat_payload()
    finally:
        app.shutdown()
    assert payload["version"]
    assert {"build", "uptime_s", "disk", "memory"} <= set(payload)


_scalar = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
_key = st.text(min_size=1, max_size=12)
_table = st.recursive(
    st.dictionaries(
        _key, st.one_of(_scalar, st.lists(_scalar.filter(lambda x: isinstance(x, str)), max_size=3))
    ),
    lambda inner: st.dictionaries(_key, inner, max_size=3),
    max_leaves=12,
)


@settings(deadline=None, max_examples=150)
@given(st.dictionaries(_key, _table, max_size=4))
@example({"0\n": {"k\n": "v"}, "0": {}})  # a key ending in a newline is not a bare key
def test_toml_writer_round_trips(doc: dict[str, object]) -> None:
    assert tomllib.loads(tomlwrite.dumps(doc, header="a header\nover two lines")) == doc
