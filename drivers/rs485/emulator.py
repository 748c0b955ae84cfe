"""A whole RS-485 bus on a pty: N window screens, caller keypads and evaluation pads, each at
its own address, speaking a ``FrameFormat``. Tests and the demo drive the real bus driver
through it.

Screens store what they were told to show (``screens[addr].text``, decoded with the frame's
encoding) and answer when the format has answers. Keypads and pads answer polls with the next
queued key or rating (``press``, ``rate``), or an empty answer. Addresses in ``dead`` never
answer (a screen with a broken cable). Every frame received is logged with its arrival time.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from drivers.pty_link import PtyLink
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
        self._port: PtyLink | None = None
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

    def _serve(self, port: PtyLink, reader: FrameReader, data: bytes) -> None:
        now = time.monotonic()
        for frame in reader.feed(data):
            with self._cond:
                self.log.append((now, frame))
                reply = self._answer(frame)
                self._cond.notify_all()
            if reply:
                port.write(reply)

    def start(self, link: Path | None = None) -> str:
        port = PtyLink("rs485-emu", link=link)
        reader = FrameReader(self.fmt)
        self.path = port.open(lambda data: self._serve(port, reader, data))
        self._port = port
        return self.path

    def stop(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            port.close()

    def __enter__(self) -> BusEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
