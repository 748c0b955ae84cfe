"""Serial scanner line framing and HID key decoding (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.scanner.framing import FramingError, LineDecoder, decode_payload, terminator_bytes
from drivers.scanner.hidkeys import KEY_DOWN, KEY_UP, KeyDecoder


def test_terminators_and_split_reads() -> None:
    dec = LineDecoder(b"\r\n")
    out = dec.feed(b"HK1.ab") + dec.feed(b"c\r") + dec.feed(b"\nsecond\r\n")
    assert out == [b"HK1.abc", b"second"]


def test_crlf_scanner_on_a_cr_terminator_and_prefix_suffix() -> None:
    dec = LineDecoder(b"\r", prefix=b"]Q1", suffix=b"#")
    assert dec.feed(b"]Q1code-1#\r\n]Q1code-2#\r") == [b"code-1", b"code-2"]


def test_too_long_line_is_an_error_then_recovers() -> None:
    dec = LineDecoder(b"\r", max_len=10)
    out = dec.feed(b"x" * 25)
    assert isinstance(out[0], FramingError) and out[0].code == "too_long"
    assert dec.feed(b"yyy\rok\r") == [b"ok"]


def test_terminator_names() -> None:
    assert terminator_bytes("crlf") == b"\r\n" and terminator_bytes("0d") == b"\r"
    with pytest.raises(ValueError):
        terminator_bytes("newline")


def test_payload_encodings() -> None:
    assert decode_payload("李明华".encode()) == "李明华"
    assert decode_payload("李明华".encode("gbk")) == "李明华"
    assert decode_payload(b"\xff\xfe\xfd") != ""


def test_hid_keys_with_shift() -> None:
    keys = KeyDecoder()
    events = [(42, KEY_DOWN), (35, KEY_DOWN), (35, KEY_UP), (37, KEY_DOWN), (2, KEY_DOWN), (42, KEY_UP)]
    events += [(52, KEY_DOWN), (30, KEY_DOWN), (28, KEY_DOWN)]
    out = [keys.feed(c, v) for c, v in events]
    assert out[-1] == "HK!.a"


@settings(deadline=None, max_examples=200)
@given(st.binary(max_size=2000), st.integers(min_value=1, max_value=50))
def test_fuzz_lines(data: bytes, chunk: int) -> None:
    dec = LineDecoder(b"\r", max_len=100)
    for i in range(0, len(data), chunk):
        for item in dec.feed(data[i : i + chunk]):
            assert isinstance(item, (bytes, FramingError))
            if isinstance(item, bytes):
                assert b"\r" not in item and 0 < len(item) <= 100
                decode_payload(item)
