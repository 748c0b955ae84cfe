"""ID-card readers through vendor SDKs (``sdtapi``, ``termb``), each in its helper process.

The SDKs are proprietary, so C doubles with their published signatures are compiled here; they
talk GA 467 to our SAM emulator on a pty, so a card laid on the emulator travels the whole
vendor path: App -> device worker -> pipe -> helper -> ctypes -> C library -> pty -> emulator.
The doubles can be told to hang or abort() inside a chosen call.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from devices.base import DeviceState
from devices.idcard import IdentityDocument
from drivers.sam.emulator import EmulatedCard, SamEmulator, card_from_mapping, load_cards
from kiosk.settings.load import shipped_config_dir
from tests.integration.input_helpers import start_app
from tests.integration.test_idcard_cli import kiosk as kiosk_cli
from tests.integration.test_idcard_photo_library import SOURCE as WLT_SOURCE
from tests.integration.vendor_helpers import Control, build

CARDS = load_cards(shipped_config_dir() / "demo-cards.toml")
POLL = 0.2
CALL_TIMEOUT = 0.8
READ_TIMEOUT = 1.5
CC = shutil.which("cc") or shutil.which("gcc") or "cc"


def card_with_photo(tmp_path: Path, head: bytes) -> EmulatedCard:
    photo = tmp_path / "photo.wlt"
    photo.write_bytes(head + b"\x00" * (1024 - len(head)))
    return card_from_mapping({"name": "李明华", "id_number": "110105198503072014", "photo_file": str(photo)})


@pytest.fixture(scope="module")
def libs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("vendor"))


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[SamEmulator]:
    emu = SamEmulator(CARDS, present=None).start()
    monkeypatch.setenv("KIOSK_EMU_SAM_TTY", emu.path)
    yield emu
    emu.stop()


@pytest.fixture
def control(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Control:
    ctl = Control(tmp_path / "vendor.ctl")
    ctl.ok()
    monkeypatch.setenv("KIOSK_EMU_CONTROL", str(ctl.path))
    return ctl


def config(api: str, lib: Path, **extra: object) -> str:
    lines = [
        f'[devices.idreader]\ndriver = "{api}"\nlibrary = "{lib}"\nport = 1001',
        f"poll_interval_s = {POLL}\ncall_timeout_s = {CALL_TIMEOUT}\nread_timeout_s = {READ_TIMEOUT}",
    ]
    lines += [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {str(v).lower()}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("api", ["sdtapi", "termb"])
def test_card_laid_read_and_removed_through_the_vendor_library(
    tmp_path: Path, libs: dict[str, Path], emulator: SamEmulator, control: Control, api: str
) -> None:
    app, rec = start_app(tmp_path, config(api, libs[api]))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 10), mgr.health()["idreader"]
        health = mgr.health()["idreader"]
        assert health.driver == api and health.hardware_id == "05.01-20201105-0000012345-2147614512"
        helper = health.detail["helper_pid"]
        assert helper and helper != os.getpid()
        emulator.place(0)
        got = rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert got is not None, rec.types()
        identity = got[1].data["identity"]
        assert isinstance(identity, IdentityDocument) and identity.source == api
        assert identity.card_type == "resident" and identity.name == "李明华"
        assert identity.id_number == "110105198503072014" and identity.id_number_valid
        assert identity.gender == "male" and identity.nation == "汉" and identity.birth_date == "1985-03-07"
        assert identity.valid_to == "2035-06-01" and identity.photo_bmp is None
        assert mgr.health()["idreader"].detail["card_present"] is True
        # left lying there: not read again; taken away: removed; the next card: read
        time.sleep(4 * POLL)
        assert rec.types("idreader").count("card_read") == 1
        removed_at = time.monotonic()
        emulator.remove()
        assert rec.wait(lambda e: e.type == "card_removed", timeout=5, after=removed_at)
        emulator.place(1)
        second = rec.wait(lambda e: e.type == "card_read" and e.data["identity"].name == "王秀英", timeout=5)
        assert second is not None and second[1].data["identity"].valid_to == "long_term"
        # a card swapped for another: sdtapi tells them apart by the serial; termb has no serial,
        # so there the swap is seen as the gap between the two (a hand takes longer than 2 polls)
        if api == "termb":
            gone = time.monotonic()
            emulator.remove()
            assert rec.wait(lambda e: e.type == "card_removed", timeout=5, after=gone)
        emulator.place(2)
        third = rec.wait(lambda e: e.type == "card_read" and e.data["identity"].nation == "壮", timeout=5)
        assert third is not None
        assert mgr.health()["idreader"].counters.reads == 3
        assert mgr.health()["idreader"].detail["library_restarts"] == 0
    finally:
        app.shutdown()


@pytest.mark.parametrize("api", ["sdtapi", "termb"])
def test_permit_card_and_failed_read_through_the_vendor_library(
    tmp_path: Path, libs: dict[str, Path], emulator: SamEmulator, control: Control, api: str
) -> None:
    permit = card_from_mapping(
        {"type": "hk_mo_tw_permit", "name": "陈大文", "id_number": "810000199001011230",
         "birth_date": "1990-01-01", "valid_from": "2020-01-01", "valid_to": "2025-01-01",
         "pass_number": "H01234567", "issue_count": "02", "address": "香港"}
    )  # fmt: skip
    emulator.cards.append(permit)
    app, rec = start_app(tmp_path, config(api, libs[api]))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 10)
        emulator.set_fault("read_failed")
        emulator.place(len(emulator.cards) - 1)
        err = rec.wait(lambda e: e.type == "card_error", timeout=5)
        assert err is not None and err[1].data["code"] == "read_failed"
        time.sleep(4 * POLL)
        assert rec.types("idreader").count("card_error") == 1  # once per laying, not per poll
        emulator.set_fault("none")
        got = rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert got is not None
        identity = got[1].data["identity"]
        assert identity.card_type == "hk_mo_tw_permit" and identity.name == "陈大文"
        assert identity.extra["pass_number"] == "H01234567" and identity.extra["issue_count"] == "02"
        assert identity.id_number_valid and identity.valid_to == "2025-01-01"
    finally:
        app.shutdown()


def test_sdtapi_photo_through_the_wlt_decoder_in_the_helper(
    tmp_path: Path, libs: dict[str, Path], emulator: SamEmulator, control: Control
) -> None:
    wlt = tmp_path / "libwlt_test.so"
    (tmp_path / "wlt.c").write_text(WLT_SOURCE)
    subprocess.run([CC, "-shared", "-fPIC", "-o", str(wlt), str(tmp_path / "wlt.c")], check=True, timeout=60)
    emulator.cards[:] = [card_with_photo(tmp_path, b"W\x07")]
    app, rec = start_app(tmp_path, config("sdtapi", libs["sdtapi"], wlt_library=str(wlt)))
    try:
        assert app.services.devices.wait_for("idreader", [DeviceState.IDLE], 10)
        emulator.place(0)
        got = rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert got is not None
        identity = got[1].data["identity"]
        assert identity.photo_wlt[:2] == b"W\x07"
        bmp = identity.photo_bmp
        assert bmp is not None and bmp[:2] == b"BM" and bmp[54] == 7
    finally:
        app.shutdown()


def test_termb_photo_from_the_library(
    tmp_path: Path, libs: dict[str, Path], emulator: SamEmulator, control: Control
) -> None:
    emulator.cards[:] = [card_with_photo(tmp_path, b"W\x2a")]
    app, rec = start_app(tmp_path, config("termb", libs["termb"]))
    try:
        assert app.services.devices.wait_for("idreader", [DeviceState.IDLE], 10)
        emulator.place(0)
        got = rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert got is not None
        assert got[1].data["identity"].photo_bmp[54] == 0x2A
    finally:
        app.shutdown()


class GapMeter:
    """Ticks on the GUI thread's Qt event loop every 10 ms; the longest gap between ticks is
    how long that thread was kept from running."""

    def __init__(self) -> None:
        self.longest = 0.0

    def run_for(self, seconds: float, until: Callable[[], bool]) -> None:
        from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

        loop = QEventLoop()
        clock = QElapsedTimer()
        clock.start()
        last = [0]

        def tick() -> None:
            now = clock.elapsed()
            self.longest = max(self.longest, (now - last[0]) / 1000)
            last[0] = now
            if now >= seconds * 1000 or until():
                loop.quit()

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()
        loop.exec()
        timer.stop()


@pytest.mark.parametrize("api", ["sdtapi", "termb"])
@pytest.mark.parametrize("fault", ["hang", "crash"])
def test_hung_or_crashing_library_is_error_then_restarted_and_the_kiosk_unaffected(
    tmp_path: Path,
    libs: dict[str, Path],
    emulator: SamEmulator,
    control: Control,
    qapp: Any,
    api: str,
    fault: str,
) -> None:
    call = {"sdtapi": "SDT_ReadBaseMsg", "termb": "CVR_Read_Content"}[api]
    app, rec = start_app(tmp_path, config(api, libs[api]))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 10)
        first_helper = mgr.health()["idreader"].detail["helper_pid"]
        control.set(f"{fault} {call}")
        laid = time.monotonic()
        emulator.place(0)
        meter = GapMeter()
        errored = threading.Event()

        def watch() -> None:
            if mgr.wait_for("idreader", [DeviceState.ERROR], 10):
                errored.set()

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        meter.run_for(10, until=errored.is_set)
        assert errored.is_set(), mgr.health()["idreader"]
        took = time.monotonic() - laid
        # the poll that finds the card, then the read call's deadline (a crash is at once)
        limit = POLL + (READ_TIMEOUT if fault == "hang" else 0) + 1.0
        assert took < limit, took
        health = mgr.health()["idreader"]
        assert health.last_error is not None
        assert health.last_error.code == ("library_hung" if fault == "hang" else "library_crashed")
        assert call in health.last_error.message
        if fault == "crash":
            assert "SIGABRT" in health.last_error.message
        # waiting on the library would stall the GUI thread for the whole deadline (1.5 s); what
        # it shows is scheduling noise of a loaded machine, the same as when idle
        idle = GapMeter()
        idle.run_for(0.5, lambda: False)
        assert meter.longest < READ_TIMEOUT / 2, (
            f"GUI thread blocked for {meter.longest * 1000:.0f} ms (idle: {idle.longest * 1000:.0f} ms)"
        )
        with pytest.raises(ProcessLookupError):
            os.kill(first_helper, 0)  # the stuck or dead helper is gone
        assert rec.types("idreader").count("card_read") == 0
        # the library behaves again: a fresh helper, the card still lying there is read
        control.ok()
        got = rec.wait(lambda e: e.type == "card_read", timeout=10)
        assert got is not None, (rec.types("idreader"), mgr.health()["idreader"])
        health = mgr.health()["idreader"]
        assert health.state in ("idle", "busy") and health.detail["library_restarts"] >= 1
        assert health.detail["helper_pid"] != first_helper
        assert rec.wait(lambda e: e.type == "recovered", timeout=1) is not None
    finally:
        app.shutdown()
    assert not any(t.name == "device-idreader" and t.is_alive() for t in threading.enumerate())


def test_missing_library_and_bad_port_are_plain_errors(tmp_path: Path, libs: dict[str, Path]) -> None:
    app, _rec = start_app(tmp_path, config("sdtapi", tmp_path / "libnope.so"))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("idreader", [DeviceState.ERROR], 10)
        err = mgr.health()["idreader"].last_error
        assert err is not None and err.code == "library_unusable" and "libnope.so" in err.message
    finally:
        app.shutdown()
    app, _rec = start_app(tmp_path, config("termb", libs["sdtapi"]))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("idreader", [DeviceState.ERROR], 10)
        err = mgr.health()["idreader"].last_error
        assert err is not None and err.code == "library_unusable" and "CVR_InitComm" in err.message
    finally:
        app.shutdown()


@pytest.mark.parametrize("api", ["sdtapi", "termb"])
def test_reader_unplugged_is_offline_with_the_library_code_in_words(
    tmp_path: Path, libs: dict[str, Path], control: Control, monkeypatch: pytest.MonkeyPatch, api: str
) -> None:
    monkeypatch.setenv("KIOSK_EMU_SAM_TTY", str(tmp_path / "no-such-tty"))
    app, _rec = start_app(tmp_path, config(api, libs[api]))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("idreader", [DeviceState.OFFLINE], 10)
        err = mgr.health()["idreader"].last_error
        assert err is not None and err.code == "port_open_failed"
        assert "port could not be opened" in err.message and "1001" in err.message
    finally:
        app.shutdown()


@pytest.mark.parametrize("api", ["sdtapi", "termb"])
def test_probe_and_test_idcard_through_the_vendor_library(
    tmp_path: Path, libs: dict[str, Path], emulator: SamEmulator, control: Control, api: str
) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text(config(api, libs[api]))
    emulator.place(0)

    kiosk = partial(kiosk_cli, config=cfg)

    probe = kiosk("devices", "probe", "--json")
    assert probe.returncode == 0, probe.stderr
    health = json.loads(probe.stdout)["idreader"]
    assert health["driver"] == api and health["connected"] is True
    assert health["detail"]["card_present"] is True
    tested = kiosk("devices", "test", "idcard", "--timeout", "10")
    assert tested.returncode == 0, tested.stderr
    assert "李*华" in tested.stdout and "110105**********14" in tested.stdout
    assert "李明华" not in tested.stdout + tested.stderr + probe.stdout


@pytest.mark.parametrize(
    ("api", "call"),
    [
        ("sdtapi", "SDT_OpenPort"),
        ("sdtapi", "SDT_StartFindIDCard"),
        ("termb", "CVR_Authenticate"),
        ("termb", "GetPeopleIDCode"),  # a field getter after the read: its own request and deadline
    ],
)
def test_a_library_that_hangs_in_any_call_is_retried_until_it_works(
    tmp_path: Path, libs: dict[str, Path], emulator: SamEmulator, control: Control, api: str, call: str
) -> None:
    control.set(f"hang {call}")
    emulator.place(0)
    started = time.monotonic()
    app, rec = start_app(tmp_path, config(api, libs[api]))
    try:
        mgr = app.services.devices
        assert mgr.wait_for("idreader", [DeviceState.ERROR], 10)
        assert time.monotonic() - started < 10
        err = mgr.health()["idreader"].last_error
        assert err is not None and err.code == "library_hung" and call in err.message
        assert f"within {CALL_TIMEOUT:.1f} s" in err.message
        control.ok()
        got = rec.wait(lambda e: e.type == "card_read", timeout=10)
        assert got is not None and got[1].data["identity"].name == "李明华"
        assert mgr.health()["idreader"].detail["library_restarts"] >= 1
    finally:
        app.shutdown()


@pytest.mark.parametrize(("api", "call"), [("sdtapi", "SDT_ClosePort"), ("termb", "CVR_CloseComm")])
def test_a_library_that_crashes_on_close_still_lets_the_kiosk_stop_cleanly(
    tmp_path: Path,
    libs: dict[str, Path],
    emulator: SamEmulator,
    control: Control,
    caplog: pytest.LogCaptureFixture,
    api: str,
    call: str,
) -> None:
    app, _rec = start_app(tmp_path, config(api, libs[api]))
    mgr = app.services.devices
    try:
        assert mgr.wait_for("idreader", [DeviceState.IDLE], 10)
        helper = mgr.health()["idreader"].detail["helper_pid"]
        control.set(f"crash {call}")
    finally:
        started = time.monotonic()
        app.shutdown()
    assert time.monotonic() - started < 5
    assert "close() raised" not in caplog.text
    assert mgr.health()["idreader"].state == "closed"
    with pytest.raises(ProcessLookupError):
        os.kill(helper, 0)
