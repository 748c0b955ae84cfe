"""SYN6288-family serial TTS modules (宇音天下 SYN6288 and compatibles): the module speaks
GB2312/GBK text itself. Frame: ``FD | length (2 bytes, big endian) | command | parameter |
data | XOR`` where length counts command, parameter, data and the XOR byte, and the XOR is
over every byte before it. Command 0x01 = synthesise (parameter low 3 bits: 0 GB2312, 1 GBK,
2 BIG5, 3 Unicode); 0x21 = status query. The module answers 0x41 when it accepted a frame,
0x45 when not, and to a status query 0x4E (busy speaking) or 0x4F (idle). Volume is text
markup ``[v0]``..``[v16]``.

Codec + a driver over pyserial + an emulator on a pty.
"""

from __future__ import annotations

import termios
import time
from dataclasses import dataclass, field

import serial

from drivers.pty_link import PtyLink
from drivers.serial_port import close_quietly
from drivers.voice.engine import Engine, EngineError
from drivers.voice.wav import Pcm

HEAD = 0xFD
CMD_SPEAK = 0x01
CMD_STATUS = 0x21
CMD_STOP = 0x02
ACK_OK = 0x41
ACK_ERR = 0x45
BUSY = 0x4E
IDLE = 0x4F
ENCODINGS = {"gb2312": 0, "gbk": 1, "big5": 2, "unicode": 3}
WRITE_TIMEOUT_S = 2.0
"""A frame is at most ~210 bytes (0.22 s at 9600 baud): a module holding the line (flow
control, a wedged adapter) fails the announcement instead of holding the voice worker."""


def xor(data: bytes) -> int:
    out = 0
    for b in data:
        out ^= b
    return out


def frame(command: int, parameter: int | None = None, data: bytes = b"") -> bytes:
    body = bytes([command]) + (bytes([parameter]) if parameter is not None else b"") + data
    head = bytes([HEAD]) + (len(body) + 1).to_bytes(2, "big") + body
    return head + bytes([xor(head)])


def speak_frame(text: str, *, encoding: str = "gbk", volume: int | None = None) -> bytes:
    markup = f"[v{round(max(0, min(100, volume)) * 16 / 100)}]" if volume is not None else ""
    codec = "utf-16-be" if encoding == "unicode" else encoding
    data = (markup + text).encode(codec, "replace")
    if len(data) > 200:
        raise EngineError("failed", "text too long for one SYN6288 frame (200 bytes)")
    return frame(CMD_SPEAK, ENCODINGS[encoding], data)


STATUS_FRAME = frame(CMD_STATUS)


@dataclass(frozen=True)
class Decoded:
    command: int
    parameter: int | None
    data: bytes

    def text(self) -> str:
        enc = {v: k for k, v in ENCODINGS.items()}.get((self.parameter or 0) & 0x07, "gbk")
        return self.data.decode("utf-16-be" if enc == "unicode" else enc, "replace")


def parse(buf: bytearray) -> list[Decoded]:
    """Take complete frames off the front of ``buf``; skip bytes that do not start a valid one."""
    out: list[Decoded] = []
    while buf:
        if buf[0] != HEAD:
            del buf[0]
            continue
        if len(buf) < 3:
            break
        n = int.from_bytes(buf[1:3], "big")
        if n < 2 or n > 260:
            del buf[0]
            continue
        if len(buf) < 3 + n:
            break
        raw = bytes(buf[: 3 + n])
        if xor(raw[:-1]) != raw[-1]:
            del buf[0]
            continue
        body = raw[3:-1]
        command = body[0]
        parameter = body[1] if command == CMD_SPEAK and len(body) > 1 else None
        data = body[2:] if command == CMD_SPEAK else body[1:]
        out.append(Decoded(command, parameter, data))
        del buf[: 3 + n]
    return out


class Syn6288Engine(Engine):
    """Speaks through the module; ``render`` returns None once the module is idle again."""

    name = "syn6288"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        encoding: str = "gbk",
        volume: int | None = None,
        ack_timeout_s: float = 0.5,
        max_speech_s: float = 30.0,
        write_timeout_s: float | None = None,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.encoding = encoding
        self.volume = volume
        self.ack_timeout_s = ack_timeout_s
        self.max_speech_s = max_speech_s
        self.write_timeout_s = WRITE_TIMEOUT_S if write_timeout_s is None else write_timeout_s
        self._ser: serial.SerialBase | None = None

    def _serial(self) -> serial.SerialBase:
        if self._ser is None:
            try:
                self._ser = serial.serial_for_url(
                    self.port,
                    baudrate=self.baudrate,
                    timeout=self.ack_timeout_s,
                    write_timeout=self.write_timeout_s,
                )
            except (serial.SerialException, OSError, ValueError) as exc:
                raise EngineError("unavailable", f"cannot open {self.port}: {exc}") from None
        return self._ser

    def close(self) -> None:
        ser, self._ser = self._ser, None
        close_quietly(ser)

    def _ask(self, data: bytes, timeout: float) -> int | None:
        ser = self._serial()
        try:
            ser.reset_input_buffer()
            ser.write(data)
            ser.timeout = timeout
            got = ser.read(1)
        except serial.SerialTimeoutException:
            self.close()
            raise EngineError(
                "timeout", f"{self.port}: the TTS module took no frame within {self.write_timeout_s:.1f} s"
            ) from None
        except (serial.SerialException, OSError, termios.error) as exc:
            self.close()
            raise EngineError("unavailable", f"{self.port}: {exc}") from None
        return got[0] if got else None

    def render(self, text: str, language: str) -> Pcm | None:
        if language != "zh":
            raise EngineError("unavailable", "the SYN6288 speaks Chinese text only")
        answer = self._ask(speak_frame(text, encoding=self.encoding, volume=self.volume), self.ack_timeout_s)
        if answer is None:
            raise EngineError("timeout", "the TTS module did not acknowledge")
        if answer != ACK_OK:
            raise EngineError("failed", f"the TTS module refused the text (0x{answer:02X})")
        deadline = time.monotonic() + self.max_speech_s
        while time.monotonic() < deadline:
            status = self._ask(STATUS_FRAME, self.ack_timeout_s)
            if status == IDLE:
                return None
            if status is None:
                raise EngineError("timeout", "the TTS module stopped answering")
            time.sleep(0.05)
        raise EngineError("timeout", "the TTS module is still speaking")


@dataclass
class Syn6288Emulator:
    """A module on a pty: acknowledges frames, is busy for ``seconds_per_char`` per character,
    answers status queries; ``mute`` = unplugged module (never answers)."""

    seconds_per_char: float = 0.01
    mute: bool = False
    spoken: list[str] = field(default_factory=list)
    volumes: list[int] = field(default_factory=list)
    busy_until: float = 0.0
    overlaps: int = 0
    path: str = ""
    _port: PtyLink | None = None

    def start(self) -> str:
        port = PtyLink("syn6288-emu", read_size=1024)
        buf = bytearray()
        self.path = port.open(lambda data: self._serve(port, buf, data))
        self._port = port
        return self.path

    def _serve(self, port: PtyLink, buf: bytearray, data: bytes) -> None:
        buf.extend(data)
        for msg in parse(buf):
            if self.mute:
                continue
            now = time.monotonic()
            if msg.command == CMD_STATUS:
                port.write(bytes([BUSY if now < self.busy_until else IDLE]))
            elif msg.command == CMD_SPEAK:
                if now < self.busy_until:
                    self.overlaps += 1
                text = msg.text()
                if text.startswith("[v") and "]" in text:
                    self.volumes.append(int(text[2 : text.index("]")]))
                    text = text[text.index("]") + 1 :]
                self.spoken.append(text)
                self.busy_until = now + self.seconds_per_char * len(text)
                port.write(bytes([ACK_OK]))
            else:
                port.write(bytes([ACK_OK]))

    def stop(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            port.close()
