"""The SAM driver through a pty against the reader emulator, inside the App."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.base import DeviceState
from devices.idcard import IdentityDocument
from devices.manager import DeviceManager
from drivers.sam.emulator import SamEmulator, load_cards
from kiosk.settings.load import shipped_config_dir
from tests.integration.input_helpers import start_app

CARDS = load_cards(shipped_config_dir() / "demo-cards.toml")
POLL = 0.5


def config(port: str, **extra: object) -> str:
    lines = [f'[devices.idreader]\ndriver = "sam-serial"\nport = "{port}"\npoll_interval_s = {POLL}']
    lines += [f"{k} = {v!r}" if not isinstance(v, str) else f'{k} = "{v}"' for k, v in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def emulator() -> Iterator[SamEmulator]:
    emu = SamEmulator(CARDS, present=None).start()
    yield emu
    emu.stop()


def manager_of(app: object) -> DeviceManager:
    return app.services.devices  # type: ignore[attr-defined,no-any-return]


def test_card_laid_reaches_the_core_within_one_poll(tmp_path: Path, emulator: SamEmulator) -> None:
    app, rec = start_app(tmp_path, config(emulator.path))
    try:
        mgr = manager_of(app)
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 5)
        assert mgr.health()["idreader"].hardware_id == "05.01-20201105-0000012345-2147614512"
        laid = time.monotonic()
        emulator.place(0)
        # the next poll comes within POLL; the read itself takes milliseconds on a pty
        got = rec.wait(lambda e: e.type == "card_read", timeout=POLL + 0.5, after=laid)
        assert got is not None, rec.types()
        identity = got[1].data["identity"]
        assert isinstance(identity, IdentityDocument)
        assert identity.name == "李明华" and identity.id_number == "110105198503072014"
        assert identity.id_number_valid and identity.valid_to == "2035-06-01"
        assert len(identity.photo_wlt) == 1024 and identity.photo_bmp is None
        # the same card left lying there is not read again; removal is noticed
        removed_at = time.monotonic()
        emulator.remove()
        assert rec.wait(lambda e: e.type == "card_removed", timeout=5, after=removed_at)
        assert rec.types("idreader").count("card_read") == 1
        emulator.place(1)
        second = rec.wait(lambda e: e.type == "card_read" and e.data["identity"].name == "王秀英", timeout=5)
        assert second is not None and second[1].data["identity"].valid_to == "long_term"
        assert mgr.health()["idreader"].counters.reads == 2
    finally:
        app.shutdown()


@pytest.mark.parametrize("fault", ["garbage", "slow", "stale"])
def test_reads_through_line_noise_and_slow_answers(tmp_path: Path, emulator: SamEmulator, fault: str) -> None:
    emulator.set_fault(fault)
    app, rec = start_app(tmp_path, config(emulator.path))
    try:
        assert manager_of(app).wait_for("idreader", [DeviceState.IDLE], 5)
        emulator.place(2)
        got = rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert got is not None and got[1].data["identity"].nation == "壮"
    finally:
        app.shutdown()


def test_damaged_answers_and_failed_reads_are_reported_not_crashed(
    tmp_path: Path, emulator: SamEmulator
) -> None:
    app, rec = start_app(tmp_path, config(emulator.path))
    try:
        mgr = manager_of(app)
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 5)
        emulator.set_fault("read_failed")
        emulator.place(0)
        err = rec.wait(lambda e: e.type == "card_error", timeout=5)
        assert err is not None and err[1].data["message"] == "status 0x41: read failed"
        emulator.set_fault("bad_checksum")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            last = mgr.health()["idreader"].last_error
            if last is not None and last.code == "bad_checksum":
                break
            time.sleep(0.05)
        assert mgr.health()["idreader"].last_error.code == "bad_checksum"  # type: ignore[union-attr]
        emulator.set_fault("none")
        assert rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert rec.types("idreader").count("card_error") == 1
        assert mgr.state("idreader") in (DeviceState.IDLE, DeviceState.BUSY)
    finally:
        app.shutdown()


def test_missing_port_is_offline_with_a_plain_message(tmp_path: Path) -> None:
    app, _rec = start_app(tmp_path, config(str(tmp_path / "no-such-tty")))
    try:
        mgr = manager_of(app)
        assert mgr.wait_for("idreader", [DeviceState.OFFLINE], 5)
        err = mgr.health()["idreader"].last_error
        assert err is not None and err.code == "not_found"
        assert "no such file or directory" in err.message
    finally:
        app.shutdown()


def _start_emulator_process(link: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "emulate", "sam-idcard", "--link", str(link), "--empty"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == str(link), line
    return proc


@pytest.mark.slow
def test_emulator_killed_and_restarted_device_back_to_idle_by_itself(tmp_path: Path) -> None:
    link = tmp_path / "kiosk-idreader"
    proc = _start_emulator_process(link)
    procs = [proc]
    app = None
    try:
        app, rec = start_app(tmp_path, config(str(link)))
        mgr = manager_of(app)
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        assert rec.wait(lambda e: e.type == "disconnected", timeout=5)
        assert mgr.wait_for("idreader", [DeviceState.OFFLINE, DeviceState.ERROR], 5)
        with pytest.raises(Exception, match="idreader is"):
            mgr.submit("idreader", lambda d: None).result(5)
        os.unlink(link)  # a killed emulator leaves its link behind, like a stale udev name
        proc = _start_emulator_process(link)
        procs.append(proc)
        restarted = time.monotonic()
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 5), mgr.health()["idreader"]
        assert time.monotonic() - restarted < 5
        assert rec.wait(lambda e: e.type == "recovered", timeout=1)
        assert proc.stdin is not None
        proc.stdin.write("card 3\n")
        proc.stdin.flush()
        got = rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert got is not None and got[1].data["identity"].name == "陈志强"
        assert mgr.health()["idreader"].counters.reconnects == 1
    finally:
        if app is not None:
            app.shutdown()
        for p in procs:
            p.kill()
            p.communicate(timeout=10)
