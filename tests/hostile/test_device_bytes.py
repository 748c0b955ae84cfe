"""Smaller findings of issue 15 (11), each pinned by a direct case (the fuzz tests found more of
the same kind): the ESC/POS decoder gives one result however its bytes arrive, the renderer
draws whatever the decoder can produce, a bad printer URL or PC/SC profile file fails with its
module's own error; and an RS-485 frame too long for its format is refused fed whole or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.escpos.decoder import Decoder, Line, Raster, Run, decode
from drivers.escpos.render import render
from drivers.escpos.transport import LinkError, parse_url
from drivers.pcsc.profiles import ProfileFileError, load_profiles
from drivers.rs485.frame import FrameReader
from drivers.rs485.presets import PRESETS


def _bytewise(data: bytes) -> tuple[list[object], list[str]]:
    d = Decoder()
    ops = [op for i in range(len(data)) for op in d.feed(data[i : i + 1])]
    ops.extend(d.flush())
    return ops, d.warnings


@pytest.mark.parametrize(
    "data",
    [
        b"abc\x1b$\x01\x02def\n",  # ESC $ nL nH: its parameters were read as text when split
        b"x\x10\x14\x01\x02\x03y\n",  # DLE DC4 with three parameter bytes
        b"\x1d\x4c\x00\x00z\n",  # GS L nL nH
        b"tail\x1bp\x00",  # ESC p cut short at the end
    ],
)
def test_the_escpos_decoder_gives_one_result_whole_or_byte_by_byte(data: bytes) -> None:
    assert _bytewise(data) == decode(data)


@pytest.mark.parametrize("ch", ["\r", "\x85", "\x1c", "\u2028", "\ufeff", "\U000e0001"])
def test_the_renderer_draws_control_characters_as_blanks(ch: str) -> None:
    image = render([Line((Run(f"A{ch}B", 1, 1, False, False),))])
    assert image.width > 0


@pytest.mark.parametrize(
    "raster",
    [
        Raster(8, 2, b"\x01"),  # a row short
        Raster(16, 1, b""),
        Raster(65535 * 8, 65535, b"\xff" * 64),  # a header claiming 4 G dots
    ],
)
def test_the_renderer_draws_the_raster_rows_that_exist(raster: Raster) -> None:
    image = render([raster])
    assert image.height < 5000


@pytest.mark.parametrize(
    "url",
    [
        "tcp://[::1",
        "tcp://host:99999",
        "tcp://host:\u0663",
        "usb://zz:1",
        "usb://0416:5011?in_ep=x",
        "serial:///dev/ttyS0?baudrate=\u00b2",
        9100,
        None,
        "x" * 5000,
    ],
)
def test_a_bad_printer_url_is_a_link_error(url: object) -> None:
    with pytest.raises(LinkError) as info:
        parse_url(url)  # type: ignore[arg-type]
    assert info.value.code == "bad_url"


@pytest.mark.parametrize(
    "text",
    [
        "profiles = 3\n",
        "profiles = ['x']\n",
        "[[profiles]]\nname = 'a'\nsteps = [1]\n",
        "[[profiles]]\nname = 'a'\n[[profiles.steps]]\napdu = 5\n",
        "[[profiles]]\nname = 'a'\n[[profiles.steps]]\napdu = '00A4'\ntag = 'x'\n",
        "[[profiles]]\nname = 'a'\n[[profiles.steps]]\napdu = '00A40000'\nexpect = '9000'\n",
        "[[profiles]]\nname = 'a'\n[[profiles.steps]]\napdu = '00A40000'\nexpect = [9000]\n",
        "x = " + "[" * 3000 + "]" * 3000 + "\n",
    ],
)
def test_a_bad_pcsc_profile_file_is_a_profile_file_error(tmp_path: Path, text: str) -> None:
    f = tmp_path / "profiles.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileFileError):
        load_profiles(f)


def test_an_overlong_rs485_frame_is_refused_whole_or_byte_by_byte() -> None:
    fmt = PRESETS["armfly-ascii"]
    data = b"$003," + b"A" * (fmt.max_payload + 10) + b"#"
    whole = FrameReader(fmt).feed(data)
    reader = FrameReader(fmt)
    bytewise = [f for i in range(len(data)) for f in reader.feed(data[i : i + 1])]
    assert whole == bytewise == []
