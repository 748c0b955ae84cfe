"""PC/SC through real pcscd + vpcd, with our card emulator as the card."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from devices.base import DeviceState
from devices.idcard import IdentityDocument
from drivers.pcsc.vicc import ResidentIdContactless, SocialSecurityCard, VpcdCard
from tests.integration.input_helpers import start_app
from tests.integration.pcsc_helpers import pcscd_session, wait_until_no_card
from tests.integration.test_idcard_cli import kiosk as kiosk_cli

pytestmark = pytest.mark.pcsc


@pytest.fixture(scope="module")
def pcscd() -> Iterator[str]:
    yield from pcscd_session()


def config(reader: str = "Virtual PCD 00 00") -> str:
    return f'[devices.cardreader]\ndriver = "pcsc"\nreader = "{reader}"\npoll_interval_s = 0.1\n'


def demo_card() -> SocialSecurityCard:
    return SocialSecurityCard("SC1234567", "李明华", "110105198503072014")


def test_social_security_card_read_and_removed(tmp_path: Path, pcscd: str) -> None:
    app, rec = start_app(tmp_path, config())
    try:
        mgr = app.services.devices
        assert mgr.wait_for("cardreader", [DeviceState.IDLE], 10), mgr.health()["cardreader"]
        with VpcdCard(demo_card()) as card:
            got = rec.wait(lambda e: e.type == "card_read", timeout=10)
            assert got is not None, rec.types()
            identity = got[1].data["identity"]
            assert isinstance(identity, IdentityDocument)
            assert identity.card_type == "social_security" and identity.source == "pcsc"
            assert identity.name == "李明华" and identity.id_number == "110105198503072014"
            assert (
                identity.id_number_valid and identity.gender == "male" and identity.birth_date == "1985-03-07"
            )
            assert identity.extra["card_number"] == "SC1234567"
            assert card.apdus >= 5
            inserted = rec.wait(lambda e: e.type == "card_inserted", timeout=1)
            assert inserted is not None and inserted[1].data["atr"].startswith("3B")
        assert rec.wait(lambda e: e.type == "card_removed", timeout=10)
        health = mgr.health()["cardreader"]
        assert health.connected and health.model == "Virtual PCD 00 00" and health.counters.reads == 1
        assert "Virtual PCD 00 01" in health.detail["readers"]
    finally:
        app.shutdown()


def test_resident_id_card_gives_its_physical_id_only(tmp_path: Path, pcscd: str) -> None:
    app, rec = start_app(tmp_path, config())
    try:
        assert app.services.devices.wait_for("cardreader", [DeviceState.IDLE], 10)
        with VpcdCard(ResidentIdContactless(bytes.fromhex("0102030405060708"))):
            got = rec.wait(lambda e: e.type == "card_detected", timeout=10)
            assert got is not None, rec.types()
            assert got[1].data["profile"] == "resident_id"
            assert got[1].data["physical_id"] == "0102030405060708"
        assert rec.wait(lambda e: e.type == "card_removed", timeout=10)
        assert "card_read" not in rec.types()
    finally:
        app.shutdown()


def test_no_matching_reader_is_offline_with_a_plain_message(tmp_path: Path, pcscd: str) -> None:
    app, _rec = start_app(tmp_path, config("Cherry SmartTerminal"))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("cardreader", [DeviceState.OFFLINE], 10)
        err = mgr.health()["cardreader"].last_error
        assert err is not None and err.code == "no_reader"
        assert err.message.startswith(
            "no card reader named like 'Cherry SmartTerminal' (found: Virtual PCD 00 00"
        )
    finally:
        app.shutdown()


def test_no_pcscd_is_offline_not_a_crash(tmp_path: Path) -> None:
    """A client pointed at a socket nobody serves sees exactly what a kiosk without pcscd sees."""
    cfg = tmp_path / "t.toml"
    cfg.write_text(config())
    env = {**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(cfg), "devices", "probe", "--timeout", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert out.returncode == 1
    assert "cardreader: offline" in out.stdout
    assert "no_pcscd: the PC/SC service (pcscd) is not running" in out.stdout
    assert "Traceback" not in out.stderr


def test_emulate_pcsc_card_cli_and_demo_part(tmp_path: Path, pcscd: str) -> None:
    from contextlib import ExitStack

    from kiosk.devtools.input_demo import cardreader_part

    app, rec = start_app(tmp_path, config())
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "emulate", "pcsc-card"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.services.devices.wait_for("cardreader", [DeviceState.IDLE], 10)
        assert proc.stdout is not None and "inserted" in proc.stdout.readline()
        got = rec.wait(lambda e: e.type == "card_read", timeout=10)
        assert got is not None and got[1].data["identity"].extra["card_number"] == "SC1234567"
        proc.communicate("quit\n", timeout=20)
        assert proc.returncode == 0
        assert rec.wait(lambda e: e.type == "card_removed", timeout=10)
        with ExitStack() as stack:
            overrides = cardreader_part(stack, tmp_path)
            assert overrides["devices"]["cardreader"]["reader"] == "Virtual PCD 00 00"
            fd = os.open(tmp_path / "cardreader.ctl", os.O_WRONLY)
            os.write(fd, b"insert\n")
            os.close(fd)
            assert rec.wait(lambda e: e.type == "card_read", timeout=10, after=got[0] + 0.001)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        app.shutdown()


def test_probe_sees_the_card_and_test_cardreader_prints_it_masked(tmp_path: Path, pcscd: str) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text(config())

    kiosk = partial(kiosk_cli, config=cfg)

    wait_until_no_card(pcscd)  # the card of the test before, as pcscd sees it
    empty = kiosk("devices", "probe", "--json")
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout)["cardreader"]["detail"]["card_present"] is False
    with VpcdCard(demo_card()):
        wait_until_no_card(pcscd, present=True)
        probe = kiosk("devices", "probe", "--json")
        assert probe.returncode == 0, probe.stderr
        assert json.loads(probe.stdout)["cardreader"]["detail"]["card_present"] is True
        assert "card present" in kiosk("devices", "probe").stdout
        tested = kiosk("devices", "test", "cardreader", "--timeout", "10")
    assert tested.returncode == 0, tested.stderr
    assert "card type: social_security" in tested.stdout
    assert "李*华" in tested.stdout and "110105**********14" in tested.stdout
    assert "card number: S*******7" in tested.stdout
    everything = tested.stdout + tested.stderr + probe.stdout + probe.stderr
    assert "李明华" not in everything and "110105198503072014" not in everything
