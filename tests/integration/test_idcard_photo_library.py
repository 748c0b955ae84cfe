"""The vendor photo library path: loaded by path through ctypes, called per read.

The real WLT decoder is proprietary, so this test compiles a stand-in with the same C
signature (``int unpack(char *wlt, char *bmp, int save)``) that writes a BMP header whose
size field carries the WLT block's first byte; it proves the loading, the calling convention
and that the decoded bytes reach the IdentityDocument — not any image decoding.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from devices.base import DeviceError, DeviceState
from devices.idcard import WltDecoder
from drivers.sam.emulator import SamEmulator, card_from_mapping
from tests.integration.input_helpers import start_app

SOURCE = r"""
#include <string.h>
int unpack(char *wlt, char *bmp, int save) {
    (void)save;
    if ((unsigned char)wlt[0] != 0x57) return -1;       /* not our test block */
    memset(bmp, 0, 38862);
    bmp[0] = 'B'; bmp[1] = 'M';
    bmp[2] = (char)0xCE; bmp[3] = (char)0x97;            /* 38862 little-endian */
    bmp[54] = wlt[1];
    return 1;
}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to build the stand-in photo library (gcc is in the dev packages)")
    tmp = tmp_path_factory.mktemp("wlt")
    (tmp / "wlt.c").write_text(SOURCE)
    out = tmp / "libwlt_test.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(out), str(tmp / "wlt.c")], check=True, timeout=60)
    return out


def test_decoder_loads_and_calls_the_library(library: Path) -> None:
    decoder = WltDecoder(str(library))
    bmp = decoder.decode(b"W\x2a" + b"\x00" * 1022)
    assert bmp is not None and bmp[:2] == b"BM" and len(bmp) == 38862 and bmp[54] == 0x2A
    assert decoder.decode(b"\x00" * 1024) is None  # the library refused: no photo


def test_missing_library_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceError) as info:
        WltDecoder(str(tmp_path / "libnope.so"))
    assert info.value.code == "wlt_library" and not info.value.transient


def test_read_through_the_app_carries_the_decoded_photo(tmp_path: Path, library: Path) -> None:
    photo = tmp_path / "photo.wlt"
    photo.write_bytes(b"W\x07" + b"\x00" * 1022)
    card = card_from_mapping({"name": "李明华", "id_number": "110105198503072014", "photo_file": str(photo)})
    with SamEmulator([card], present=None) as emu:
        cfg = (
            f'[devices.idreader]\ndriver = "sam-serial"\nport = "{emu.path}"\n'
            f'poll_interval_s = 0.1\nwlt_library = "{library}"\n'
        )
        app, rec = start_app(tmp_path, cfg)
        try:
            mgr = app.services.devices
            assert mgr.wait_for("idreader", [DeviceState.IDLE], 5)
            assert mgr.health()["idreader"].detail["photo_decoder"] is True
            emu.place(0)
            got = rec.wait(lambda e: e.type == "card_read", timeout=5)
            assert got is not None
            identity = got[1].data["identity"]
            assert identity.photo_wlt[:2] == b"W\x07"
            assert identity.photo_bmp is not None and identity.photo_bmp[54] == 7
        finally:
            app.shutdown()


def test_unusable_library_leaves_the_reader_in_error_with_a_message(tmp_path: Path) -> None:
    with SamEmulator([], present=None) as emu:
        cfg = f'[devices.idreader]\ndriver = "sam-serial"\nport = "{emu.path}"\n'
        cfg += 'wlt_library = "/nonexistent/libwlt.so"\n'
        app, _rec = start_app(tmp_path, cfg)
        try:
            mgr = app.services.devices
            assert mgr.wait_for("idreader", [DeviceState.ERROR], 5)
            err = mgr.health()["idreader"].last_error
            assert err is not None and err.code == "wlt_library" and "/nonexistent/libwlt.so" in err.message
        finally:
            app.shutdown()
