"""``kiosk demo`` and pcscd: the demo starts pcscd with the vpcd reader itself when it can, or
says in one line exactly what to run."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import pytest

from devices.base import DeviceState
from kiosk.devtools import pcscd
from kiosk.devtools.input_demo import cardreader_part
from tests.integration.input_helpers import start_app
from tests.integration.pcsc_helpers import VPCD_CONF


@pytest.mark.pcsc
def test_demo_starts_pcscd_for_the_card_reader_and_stops_it_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not VPCD_CONF.exists() or pcscd.readers() is not None or not pcscd._may_start_pcscd():
        pytest.skip("needs pcscd + vpcd installed, none running, and the right to start it")
    with ExitStack() as stack:
        overrides = cardreader_part(stack, tmp_path)
        assert overrides["devices"]["cardreader"]["reader"] == pcscd.READER
        assert pcscd.vpcd_reader_present()
        assert "demo: started pcscd (pid " in capsys.readouterr().err
        app, rec = start_app(
            tmp_path,
            f'[devices.cardreader]\ndriver = "pcsc"\nreader = "{pcscd.READER}"\npoll_interval_s = 0.1\n',
        )
        try:
            assert app.services.devices.wait_for("cardreader", [DeviceState.IDLE], 10)
            fd = os.open(tmp_path / "cardreader.ctl", os.O_WRONLY)
            os.write(fd, b"insert\n")
            os.close(fd)
            got = rec.wait(lambda e: e.type == "card_read", timeout=10)
            assert got is not None and got[1].data["identity"].extra["card_number"] == "SC1234567"
        finally:
            app.shutdown()
    assert pcscd.readers() is None  # the demo's pcscd went with the demo


def test_without_pcscd_the_demo_says_exactly_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pcscd, "readers", lambda: None)
    monkeypatch.setattr(pcscd, "VPCD_CONF", tmp_path / "no-vpcd")
    with ExitStack() as stack:
        assert cardreader_part(stack, tmp_path) == {}
    line = capsys.readouterr().err.strip()
    assert line == (
        "demo: no social-security card reader: pcscd or the vpcd reader is not installed: "
        "run `sudo apt-get install pcscd vsmartcard-vpcd`, then kiosk demo again"
    )
    monkeypatch.setattr(pcscd, "VPCD_CONF", tmp_path)  # installed
    monkeypatch.setattr(pcscd, "_may_start_pcscd", lambda: False)  # not root
    with ExitStack() as stack:
        assert pcscd.ensure_vpcd_reader(stack) == (
            "pcscd is not running: run `sudo systemctl start pcscd` (or `sudo pcscd`), then the demo again"
        )
