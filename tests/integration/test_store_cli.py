"""The command-line tools that open the terminal's database (``kiosk catalog``, ``kiosk sync
status``, ``kiosk store backup|quarantine``) on a real store file: what they print, and one
line on stderr with exit 1 when the database cannot be opened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.paths import Paths
from kiosk.settings import load_settings
from kiosk.wiring.store import db_path
from tests.unit.test_ops_diagnostics import make_config


def run(config: Path, *argv: str) -> int:
    return main(["--config", str(config), *argv])


def test_the_store_commands_on_a_fresh_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path)
    assert run(config, "sync", "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["outbox_depth"] == 0 and status["quarantined"] == 0 and status["mode"] == "online"

    assert run(config, "catalog", "search", "不动产") == 1
    assert "the catalog is empty" in capsys.readouterr().err
    assert run(config, "catalog", "search", "不动产", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(config, "catalog", "show", "NOPE") == 1
    assert capsys.readouterr().err.strip() == "no item NOPE"

    backups = tmp_path / "backups"
    assert run(config, "store", "backup", "--dir", str(backups)) == 0
    assert [p.suffix for p in backups.iterdir()] == [".db"]
    assert run(config, "store", "quarantine") == 0
    assert run(config, "store", "quarantine", "--release", "E-NONE") == 1


def test_a_database_that_cannot_be_opened_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(tmp_path)
    path = db_path(Paths.from_settings(load_settings(config, environ={}).paths))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, it is a text file" * 100)
    for argv in (["catalog", "search", "x"], ["catalog", "show", "X"], ["sync", "status"],
                 ["store", "backup", "--dir", str(tmp_path / "b")], ["store", "quarantine"]):  # fmt: skip
        assert run(config, *argv) == 1, argv
        err = capsys.readouterr().err.strip()
        assert err and "\n" not in err and "Traceback" not in err, (argv, err)


def test_sync_status_counts_applications_and_lists_the_refused_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli.common import open_store
    from offline_cache.applications import SPOOL_DIR, ApplicationSpool

    config = make_config(tmp_path)
    settings = load_settings(config, environ={})
    paths = Paths.from_settings(settings.paths)
    store = open_store(paths, settings.store)
    try:
        assert store.cipher is not None
        spool = ApplicationSpool(paths.data / SPOOL_DIR, store.cipher)
        for n in (1, 2):
            spool.accept({"application_id": f"0e3b4c5d-0000-4000-8000-00000000000{n}", "data": {}}, [])
        spool.reject("0e3b4c5d-0000-4000-8000-000000000002", "HTTP 422 required data.phone")
    finally:
        store.close()
    assert run(config, "sync", "status") == 0
    out = capsys.readouterr().out
    assert "applications:  1 waiting, 1 refused (kept sealed)" in out
    assert "refused application: 0e3b4c5d-0000-4000-8000-000000000002 at " in out
    assert out.rstrip().endswith(": HTTP 422 required data.phone")
    assert run(config, "sync", "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["applications_waiting"] == 1
    assert [r["reason"] for r in status["applications_refused"]] == ["HTTP 422 required data.phone"]
