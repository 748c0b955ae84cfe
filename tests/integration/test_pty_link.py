"""The pty plumbing every device emulator stands on, seen from the driver's side: raw bytes
both ways, a stable symlink that follows a replug, and a pulled cable that the driver notices."""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import serial

from drivers.pty_link import PluggableEmulator, PtyLink


def _read(fd: int, n: int, timeout: float = 2.0) -> bytes:
    got = b""
    while len(got) < n and select.select([fd], [], [], timeout)[0]:
        got += os.read(fd, n - len(got))
    return got


def test_bytes_pass_raw_both_ways_and_quiet_spells_are_reported(tmp_path: Path) -> None:
    link = tmp_path / "ttyDEV"
    port = PtyLink("test-pty", link=link, poll_s=0.02)
    seen: list[bytes] = []
    quiet = threading.Event()

    def echo_upper(data: bytes) -> None:
        seen.append(data)
        port.write(data.upper())

    assert port.open(echo_upper, quiet.set) == str(link)
    assert os.readlink(link) == port.slave_name
    fd = os.open(link, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, b"ab\r\n\x00\xff")  # raw mode: no CR/LF translation, no echo, no eating of NUL
        assert _read(fd, 6) == b"AB\r\n\x00\xff"
        assert b"".join(seen) == b"ab\r\n\x00\xff"
        assert quiet.wait(2), "on_quiet runs when the driver sends nothing"
    finally:
        os.close(fd)
        port.close()
    assert not link.exists() and not link.is_symlink(), "the pulled cable takes its udev-style link along"
    assert port.closing
    with pytest.raises(OSError):
        port.write(b"x")


def test_a_handler_error_on_the_line_ends_the_thread_quietly() -> None:
    port = PtyLink("test-pty", poll_s=0.02)
    calls: list[bytes] = []

    def broken(data: bytes) -> None:
        calls.append(data)
        raise OSError("line gone")

    path = port.open(broken)
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, b"x")
        thread = port._thread
        assert thread is not None
        thread.join(2)
        assert not thread.is_alive() and calls == [b"x"]
    finally:
        os.close(fd)
        port.close()


class _Echo(PluggableEmulator):
    def __init__(self, link: str) -> None:
        super().__init__("test-echo", link=link)

    def _handler(self, port: PtyLink) -> Callable[[bytes], None]:
        return port.write


def test_a_replugged_emulator_is_found_again_under_its_link(tmp_path: Path) -> None:
    link = str(tmp_path / "ttyECHO")
    with _Echo(link) as emu:
        assert os.readlink(link) == emu._slave_name
        with serial.serial_for_url(link, timeout=2) as ser:
            ser.write(b"one")
            assert ser.read(3) == b"one"
        assert emu.cable_command("unplug") == "unplugged" and not emu.plugged
        assert not os.path.lexists(link)
        assert emu.cable_command("plug") == f"plugged in at {link}" and emu.plugged
        assert emu.cable_command("status") is None
        with serial.serial_for_url(link, timeout=2) as ser:
            ser.write(b"two")
            assert ser.read(3) == b"two"
        assert emu.path == link
    assert not os.path.lexists(link)
