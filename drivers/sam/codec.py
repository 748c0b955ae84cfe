"""Frames of the GA 467 SAM serial interface (pure: bytes <-> frames, no I/O).

Host -> reader:  AA AA AA 96 69 | LEN(2, BE) | CMD PARA | DATA | CHK
Reader -> host:  AA AA AA 96 69 | LEN(2, BE) | SW1 SW2 SW3 | DATA | CHK

LEN counts every byte after itself, CHK included; CHK is the XOR of the LEN bytes and
everything up to CHK (the preamble is not included). Both directions share one framing, so
one incremental decoder serves the driver (responses) and the emulator (commands).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from drivers.errors import DriverError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
MIN_LEN = 3
"""CMD PARA CHK: the shortest legal frame body."""
MAX_LEN = 0x1000
"""Longest read (text + photo + fingerprint) is 2314 bytes; anything far above is line noise."""


class Command(IntEnum):
    """(CMD << 8) | PARA of each host command."""

    RESET_SAM = 0x10FF
    SAM_STATUS = 0x11FF
    SAM_ID = 0x12FF
    FIND_CARD = 0x2001
    SELECT_CARD = 0x2002
    READ_TEXT_PHOTO = 0x3001
    READ_TEXT_PHOTO_FINGERPRINT = 0x3010
    READ_LATEST_ADDRESS = 0x3003

    @property
    def cmd(self) -> int:
        return self.value >> 8

    @property
    def para(self) -> int:
        return self.value & 0xFF


# SW3 of every status the protocol defines: code -> (stable error code, plain description)
STATUS: dict[int, tuple[str, str]] = {
    0x90: ("ok", "success"),
    0x9F: ("card_found", "card found"),
    0x91: ("no_content", "the card holds no content for this item"),
    0x10: ("host_checksum", "reader received a frame with a bad checksum"),
    0x11: ("host_length", "reader received a frame with a bad length"),
    0x21: ("bad_command", "reader rejected the command"),
    0x23: ("unauthorised", "operation not permitted"),
    0x24: ("unknown_error", "reader reported an unrecognised error"),
    0x31: ("card_auth_reader", "card failed to authenticate the reader"),
    0x32: ("reader_auth_card", "reader failed to authenticate the card"),
    0x33: ("verify_failed", "card information failed verification"),
    0x40: ("unknown_card", "card type not recognised"),
    0x41: ("read_failed", "read failed"),
    0x47: ("random_failed", "getting a random number from the card failed"),
    0x60: ("sam_self_test", "SAM self-test failed"),
    0x66: ("sam_unauthorised", "SAM not authorised"),
    0x80: ("no_card", "no card found"),
    0x81: ("select_failed", "selecting the card failed"),
}
SUCCESS = frozenset({0x90, 0x9F})


class FrameError(DriverError):
    """A frame that cannot be used; ``code`` is stable, the message names the problem."""


def checksum(data: bytes) -> int:
    """XOR of all bytes, folded as one big integer (a 1.3 kB read frame in a few big-int
    operations instead of a Python loop over every byte)."""
    n = int.from_bytes(data, "little")
    width = len(data)
    while width > 1:
        half = (width + 1) // 2
        n = (n & ((1 << (8 * half)) - 1)) ^ (n >> (8 * half))
        width = half
    return n & 0xFF


def _frame(body: bytes) -> bytes:
    length = len(body) + 1
    head = length.to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([checksum(head)])


def encode_command(command: Command, data: bytes = b"") -> bytes:
    return _frame(bytes([command.cmd, command.para]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes([sw1, sw2, sw3]) + data)


def status_text(sw3: int) -> str:
    return STATUS.get(sw3, ("unknown_status", "unknown status"))[1]


def status_code(sw3: int) -> str:
    return STATUS.get(sw3, ("unknown_status", "unknown status"))[0]


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def ok(self) -> bool:
        return self.sw1 == 0 and self.sw2 == 0 and self.sw3 in SUCCESS

    def error(self) -> FrameError:
        return FrameError(status_code(self.sw3), f"status 0x{self.sw3:02x}: {status_text(self.sw3)}")


@dataclass(frozen=True)
class Request:
    command: Command | None
    cmd: int
    para: int
    data: bytes


def parse_response(body: bytes) -> Response:
    if len(body) < 3:
        raise FrameError("bad_length", "bad length: response shorter than its status bytes")
    return Response(body[0], body[1], body[2], bytes(body[3:]))


def parse_request(body: bytes) -> Request:
    if len(body) < 2:
        raise FrameError("bad_length", "bad length: command shorter than CMD PARA")
    value = (body[0] << 8) | body[1]
    try:
        command: Command | None = Command(value)
    except ValueError:
        command = None
    return Request(command, body[0], body[1], bytes(body[2:]))


_SHAPES: dict[Command, tuple[int, int, int]] = {
    # command: (SW3 of its success, data length min, max) on success
    Command.RESET_SAM: (0x90, 0, 0),
    Command.SAM_STATUS: (0x90, 0, 0),
    Command.SAM_ID: (0x90, 16, 16),
    Command.FIND_CARD: (0x9F, 4, 4),
    Command.SELECT_CARD: (0x90, 8, 8),
    Command.READ_TEXT_PHOTO: (0x90, 4 + 256, MAX_LEN),
    Command.READ_TEXT_PHOTO_FINGERPRINT: (0x90, 4 + 256, MAX_LEN),
    Command.READ_LATEST_ADDRESS: (0x90, 70, 70),
}


def answers(command: Command, response: Response) -> bool:
    """Whether ``response`` can be the answer to ``command``. A late answer to an earlier,
    timed-out command (a find's 9F while a select is pending) is told apart by its shape."""
    sw3, lo, hi = _SHAPES[command]
    if response.sw3 == sw3:
        return lo <= len(response.data) <= hi
    if response.sw3 in SUCCESS:
        return False
    return len(response.data) == 0


class FrameDecoder:
    """Incremental: feed whatever the line delivered, get complete frame bodies back.

    Bytes before a preamble are skipped (counted in ``skipped``); a frame split across reads
    waits for the rest; a bad length or checksum yields a FrameError in the output list and
    decoding resumes after it, so one burst of noise costs one frame, not the connection.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.skipped = 0

    def clear(self) -> None:
        self._buf.clear()

    @property
    def pending(self) -> int:
        return len(self._buf)

    def feed(self, data: bytes) -> list[bytes | FrameError]:
        self._buf += data
        out: list[bytes | FrameError] = []
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                # keep a possible partial preamble at the end
                keep = 0
                for n in range(len(PREAMBLE) - 1, 0, -1):
                    if self._buf.endswith(PREAMBLE[:n]):
                        keep = n
                        break
                self.skipped += len(self._buf) - keep
                del self._buf[: len(self._buf) - keep]
                return out
            if start:
                self.skipped += start
                del self._buf[:start]
            if len(self._buf) < HEADER_LEN:
                return out
            length = int.from_bytes(self._buf[5:7], "big")
            if length < MIN_LEN or length > MAX_LEN:
                del self._buf[:1]  # resynchronise on the next preamble
                out.append(FrameError("bad_length", f"bad length: {length}"))
                continue
            total = HEADER_LEN + length
            if len(self._buf) < total:
                return out
            frame = bytes(self._buf[:total])
            del self._buf[:total]
            if checksum(frame[5:-1]) != frame[-1]:
                out.append(FrameError("bad_checksum", "bad checksum"))
                continue
            out.append(frame[HEADER_LEN:-1])


def decode_one(data: bytes) -> bytes:
    """Exactly one frame (leading noise allowed); the body, or FrameError naming the problem."""
    start = data.find(PREAMBLE)
    if start < 0:
        raise FrameError("no_frame", "no frame found (preamble AA AA AA 96 69 missing)")
    frame = data[start:]
    if len(frame) < HEADER_LEN:
        raise FrameError("truncated", "truncated frame")
    length = int.from_bytes(frame[5:7], "big")
    if length < MIN_LEN or length > MAX_LEN:
        raise FrameError("bad_length", f"bad length: {length}")
    if len(frame) < HEADER_LEN + length:
        raise FrameError("truncated", "truncated frame")
    if len(frame) > HEADER_LEN + length:
        raise FrameError("bad_length", "bad length: bytes after the frame")
    results = FrameDecoder().feed(frame)
    first = results[0]
    if isinstance(first, FrameError):
        raise first
    return first


@dataclass(frozen=True)
class ReadBlocks:
    """The data of a successful read: 256-byte text, WLT photo, optional fingerprint."""

    text: bytes
    photo: bytes
    fingerprint: bytes | None = None


TEXT_LEN = 256
PHOTO_LEN = 1024
FINGERPRINT_LEN = 1024


def parse_read(data: bytes) -> ReadBlocks:
    """Data of a 30 01 / 30 10 response: block lengths (2 bytes BE each), then the blocks."""
    if len(data) < 4:
        raise FrameError("bad_length", "bad length: read response without block lengths")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if 4 + text_len + photo_len == len(data):
        offset, fp_len = 4, None
    elif len(data) >= 6:
        fp_len = int.from_bytes(data[4:6], "big")
        offset = 6
        if 6 + text_len + photo_len + fp_len != len(data):
            raise FrameError("bad_length", "bad length: block lengths do not match the frame")
    else:
        raise FrameError("bad_length", "bad length: block lengths do not match the frame")
    if text_len != TEXT_LEN:
        raise FrameError("bad_length", f"bad length: text block of {text_len} bytes")
    text = data[offset : offset + text_len]
    photo = data[offset + text_len : offset + text_len + photo_len]
    fingerprint = None
    if fp_len is not None:
        start = offset + text_len + photo_len
        fingerprint = data[start : start + fp_len]
    return ReadBlocks(bytes(text), bytes(photo), fingerprint)


def encode_read(blocks: ReadBlocks) -> bytes:
    head = len(blocks.text).to_bytes(2, "big") + len(blocks.photo).to_bytes(2, "big")
    if blocks.fingerprint is not None:
        head += len(blocks.fingerprint).to_bytes(2, "big")
        return head + blocks.text + blocks.photo + blocks.fingerprint
    return head + blocks.text + blocks.photo


def format_sam_id(data: bytes) -> str:
    """SAM id (12 FF) data: 2+2+4+4+4 bytes little-endian, shown as 05.01-20080418-…"""
    if len(data) < 16:
        raise FrameError("bad_length", "bad length: SAM id shorter than 16 bytes")
    a = int.from_bytes(data[0:2], "little")
    b = int.from_bytes(data[2:4], "little")
    c = int.from_bytes(data[4:8], "little")
    d = int.from_bytes(data[8:12], "little")
    e = int.from_bytes(data[12:16], "little")
    return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"


def encode_sam_id(text: str) -> bytes:
    """Inverse of format_sam_id (the emulator's SAM)."""
    head, c, d, e = text.split("-")
    a, b = head.split(".")
    return (
        int(a).to_bytes(2, "little")
        + int(b).to_bytes(2, "little")
        + int(c).to_bytes(4, "little")
        + int(d).to_bytes(4, "little")
        + int(e).to_bytes(4, "little")
    )
