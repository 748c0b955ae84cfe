"""A whole RS-485 bus on a pty: N window screens, caller keypads and evaluation pads, each at
its own address, speaking a ``FrameFormat``. Tests and the demo drive the real bus driver
through it.

Screens store what they were told to show (``screens[addr].text``, decoded with the frame's
encoding) and answer when the format has answers. Keypads and pads answer polls with the next
queued key or rating (``press``, ``rate``), or an empty answer. Addresses in ``dead`` never
answer (a screen with a broken cable). Every frame received is logged with its arrival time.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from drivers.rs485.frame import Frame, FrameFormat, FrameReader, encode


@dataclass
class ScreenState:
    address: int
    text: str = ""
    history: list[str] = field(default_factory=list)


@dataclass
class InputState:
    address: int
    pending: deque[bytes] = field(default_factory=deque)
    invited: int = 0


class BusEmulator:
    def __init__(
        self,
        fmt: FrameFormat,
        *,
        screens: list[int] | tuple[int, ...] = (),
        keypads: list[int] | tuple[int, ...] = (),
        pads: list[int] | tuple[int, ...] = (),
        dead: set[int] | None = None,
    ) -> None:
        self.fmt = fmt
        self.screens = {a: ScreenState(a) for a in screens}
        self.keypads = {a: InputState(a) for a in keypads}
        self.pads = {a: InputState(a) for a in pads}
        self.dead: set[int] = set(dead or ())
        self.log: list[tuple[float, Frame]] = []
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._fds: list[int] = []
        self.path = ""

    # --- scripting ---------------------------------------------------------------------
    def press(self, address: int, key: int, *extra: int) -> None:
        with self._cond:
            self.keypads[address].pending.append(bytes([key, *extra]))

    def rate(self, address: int, level: int) -> None:
        with self._cond:
            self.pads[address].pending.append(bytes([level]))

    def texts(self) -> dict[int, str]:
        with self._cond:
            return {a: s.text for a, s in self.screens.items()}

    def wait_until(self, predicate: object, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():  # type: ignore[operator]
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # --- the device side ---------------------------------------------------------------
    def _answer(self, frame: Frame) -> bytes | None:
        fmt = self.fmt
        addr = frame.address
        if addr in self.dead:
            return None
        reply_cmd = None if frame.command is None else (frame.command | fmt.reply_command_or) & 0xFF
        if addr in self.screens:
            screen = self.screens[addr]
            if frame.command in (fmt.cmd_text, None):
                screen.text = frame.payload.decode(fmt.encoding, "replace")
                screen.history.append(screen.text)
            elif frame.command == fmt.cmd_clear:
                screen.text = ""
                screen.history.append("")
            return encode(fmt, Frame(addr, reply_cmd), reply=True) if fmt.replies else None
        source = self.keypads.get(addr) or self.pads.get(addr)
        if source is None:
            return None
        if frame.command == fmt.cmd_invite:
            source.invited += 1
            return encode(fmt, Frame(addr, reply_cmd), reply=True) if fmt.replies else None
        payload = source.pending.popleft() if source.pending else b""
        return encode(fmt, Frame(addr, reply_cmd, payload), reply=True) if fmt.replies else None

    def _serve(self, fd: int) -> None:
        reader = FrameReader(self.fmt)
        with contextlib.suppress(OSError):
            while not self._stop.is_set():
                if not select.select([fd], [], [], 0.05)[0]:
                    continue
                data = os.read(fd, 4096)
                if not data:
                    return
                now = time.monotonic()
                for frame in reader.feed(data):
                    with self._cond:
                        self.log.append((now, frame))
                        reply = self._answer(frame)
                        self._cond.notify_all()
                    if reply:
                        os.write(fd, reply)

    def start(self, link: Path | None = None) -> str:
        master, slave = os.openpty()
        tty.setraw(slave)
        self._fds = [master, slave]
        self.path = os.ttyname(slave)
        if link is not None:
            tmp = link.with_name(link.name + ".tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self.path)
            tmp.replace(link)
            self.path = str(link)
        self._thread = threading.Thread(target=self._serve, args=(master,), name="rs485-emu", daemon=True)
        self._thread.start()
        return self.path

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = []

    def __enter__(self) -> BusEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
