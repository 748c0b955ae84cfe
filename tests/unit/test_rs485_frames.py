"""RS-485 frame templates: byte-exact presets, checksums against their published check values,
and a reader that resyncs after noise and never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from drivers.rs485 import checksum as ck
from drivers.rs485.frame import Frame, FrameFormat, FrameReader, encode, encode_text
from drivers.rs485.presets import PRESETS


def test_checksum_check_values() -> None:
    assert ck.crc16_ccitt(b"123456789") == 0x29B1
    assert ck.crc16_modbus(b"123456789") == 0x4B37
    assert ck.compute("crc16-modbus", b"123456789") == b"\x37\x4b"
    assert ck.sum8(b"\xff\x02") == 0x01 and ck.xor8(b"\x0f\xf0") == 0xFF


def test_armfly_ascii_frame() -> None:
    assert encode_text(PRESETS["armfly-ascii"], 1, "A023") == b"$001,A023#"


def test_aa_ee_frame_bytes() -> None:
    fmt = PRESETS["aa-ee-xor"]
    data = encode_text(fmt, 7, "A1")
    # AA | len (len..xor = 1+1+1+2+1 = 6) | addr | cmd | 'A1' | xor(len..data)
    body = bytes([6, 7, 1]) + b"A1"
    assert data == b"\xaa" + body + bytes([ck.xor8(body)])
    reply = encode(fmt, Frame(7, 1), reply=True)
    assert reply[0] == 0xEE
    assert FrameReader(fmt, replies=True).feed(reply) == [Frame(7, 1, b"")]


def test_hk_crc16_frame_with_gbk_text() -> None:
    fmt = PRESETS["hk-crc16"]
    data = encode_text(fmt, 3, "请A023号到3号窗口")
    gbk = "请A023号到3号窗口".encode("gbk")
    assert data[:4] == bytes([0x02, 3, 1, len(gbk)]) and data[4 : 4 + len(gbk)] == gbk
    assert data[-3:-1] == ck.compute("crc16-modbus", data[1 : 4 + len(gbk)]) and data[-1] == 0x03


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_reader_resyncs_after_noise_and_bad_checksums(name: str) -> None:
    fmt = PRESETS[name]
    good = encode_text(fmt, 12, "B007")
    corrupt = bytearray(good)
    corrupt[-2 if fmt.trailer else -1] ^= 0x55
    if fmt.checksum == "none":  # nothing to catch a flipped bit with: drop the half frame only
        corrupt = corrupt[:-1]
    reader = FrameReader(fmt)
    frames = reader.feed(b"\x00\x13garbage" + bytes(corrupt) + good[:3])
    frames += reader.feed(good[3:])
    assert frames == [Frame(12, fmt.cmd_text if fmt.has_command else None, b"B007")]


def test_custom_template_round_trip() -> None:
    fmt = FrameFormat(
        name="x",
        header=b"\x55\xaa",
        fields=("command", "address", "length"),
        length="u16be",
        checksum="crc16-ccitt",
        checksum_covers="all",
        trailer=b"\x0d\x0a",
    )
    frame = Frame(200, 0x31, "窗口".encode("gbk"))
    assert FrameReader(fmt).feed(encode(fmt, frame)) == [frame]


@given(hs.binary(max_size=200))
@settings(deadline=None, max_examples=150)
def test_reader_never_raises(data: bytes) -> None:
    for fmt in PRESETS.values():
        FrameReader(fmt).feed(data)
        FrameReader(fmt, replies=True).feed(data)


def test_bad_frame_config_is_a_clear_device_error() -> None:
    from devices.base import DeviceError
    from devices.rs485_devices import LED_DRIVER, FrameTemplateOptions, LedOptions

    with pytest.raises(DeviceError) as exc:
        LED_DRIVER.factory("leds", LedOptions(port="/dev/null", preset="nope"))
    assert exc.value.code == "bad_config" and "nope" in exc.value.message
    bad = FrameTemplateOptions(header="AA", fields=["address"], trailer="")  # no way to end a frame
    with pytest.raises(DeviceError):
        LED_DRIVER.factory("leds", LedOptions(port="/dev/null", frame=bad))
