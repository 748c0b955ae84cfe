"""What is said, and the SYN6288 frame layout, as pure data."""

from __future__ import annotations

from datetime import time

import pytest

from devices.voice_announcer import in_quiet, parse_quiet
from drivers.voice import syn6288
from drivers.voice.text import call_text, cardinal_zh, spell_number_zh


@pytest.mark.parametrize(
    "n,text",
    [(0, "零"), (3, "三"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"), (110, "一百一十")],
)
def test_window_numbers_read_as_cardinals(n: int, text: str) -> None:
    assert cardinal_zh(n) == text


def test_call_sentence() -> None:
    assert spell_number_zh("a023") == "A零二三"
    assert call_text("A023", 3, "zh") == "请A零二三号到三号窗口办理"
    assert call_text("A023", 3, "en") == "Number A 0 2 3, please go to counter 3."


def test_syn6288_frame_layout() -> None:
    data = syn6288.speak_frame("请A023", encoding="gbk")
    text = "请A023".encode("gbk")
    assert data[:3] == bytes([0xFD, 0x00, len(text) + 3])
    assert data[3:5] == bytes([0x01, 0x01])  # synthesise, GBK
    assert data[5:-1] == text
    assert data[-1] == syn6288.xor(data[:-1])
    assert bytes([0xFD, 0x00, 0x02, 0x21, 0xFD ^ 0x02 ^ 0x21]) == syn6288.STATUS_FRAME
    buf = bytearray(b"\x00junk" + data + syn6288.STATUS_FRAME)
    msgs = syn6288.parse(buf)
    assert [m.command for m in msgs] == [0x01, 0x21] and msgs[0].text() == "请A023"
    with_volume = syn6288.parse(bytearray(syn6288.speak_frame("好", volume=50)))[0].text()
    assert with_volume == "[v8]好"


def test_quiet_hours_across_midnight() -> None:
    night = parse_quiet("22:00-07:00")
    assert in_quiet(time(23, 0), night) and in_quiet(time(6, 59), night)
    assert not in_quiet(time(7, 0), night) and not in_quiet(time(12, 0), night)
    lunch = parse_quiet("12:00-13:30")
    assert in_quiet(time(12, 30), lunch) and not in_quiet(time(13, 30), lunch)
    assert parse_quiet("") is None
