"""A frame template codec for the RS-485 devices of a service hall (window LED screens, caller
keypads, evaluation pads). No public standard exists: each vendor frames its own, but they
are all ``header | fields in some order | payload | checksum | trailer``. A ``FrameFormat``
says which, so one codec serves every vendor; ``presets`` names the published ones.

Pure: bytes <-> ``Frame``; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from drivers.rs485 import checksum as ck

Field = Literal["address", "command", "length"]
AddressFormat = Literal["byte", "ascii3"]
LengthFormat = Literal["u8", "u16le", "u16be"]
LengthCounts = Literal["payload", "length_to_checksum"]
ChecksumCovers = Literal["after_header", "payload", "all"]


@dataclass(frozen=True)
class FrameFormat:
    name: str
    header: bytes
    fields: tuple[Field, ...]
    """Order of the fields between header and payload, e.g. ("address", "command", "length")."""
    address: AddressFormat = "byte"
    length: LengthFormat = "u8"
    length_counts: LengthCounts = "payload"
    """``payload``: the length is the payload's; ``length_to_checksum``: from the length field
    itself through the checksum (the AA/EE module convention)."""
    separator: bytes = b""
    """Between the fields and the payload (``,`` in ``$001,text#``)."""
    checksum: ck.ChecksumKind = "none"
    checksum_covers: ChecksumCovers = "after_header"
    trailer: bytes = b""
    encoding: str = "gbk"
    reply_header: bytes | None = None
    """Header of frames the device sends back (None = same as ``header``)."""
    replies: bool = False
    """The device answers every frame addressed to it (so a dead device can be told)."""
    reply_command_or: int = 0
    """Replies carry ``command | reply_command_or`` (0 = the same command)."""
    cmd_text: int = 0x01
    cmd_clear: int = 0x02
    cmd_poll: int = 0x10
    cmd_invite: int = 0x11
    max_payload: int = 240

    def __post_init__(self) -> None:
        if "length" not in self.fields and not self.trailer:
            raise ValueError(f"frame format {self.name}: needs a length field or a trailer to end a frame")
        if not self.header:
            raise ValueError(f"frame format {self.name}: header must not be empty")

    @property
    def has_command(self) -> bool:
        return "command" in self.fields


@dataclass(frozen=True)
class Frame:
    address: int
    command: int | None
    payload: bytes = b""


class FrameError(ValueError):
    pass


def _length_bytes(fmt: FrameFormat, payload_len: int) -> bytes:
    n = payload_len
    if fmt.length_counts == "length_to_checksum":
        width = 1 if fmt.length == "u8" else 2
        others = sum(1 for f in fmt.fields[fmt.fields.index("length") + 1 :] if f != "length")
        n = width + others + len(fmt.separator) + payload_len + ck.size(fmt.checksum)
    if fmt.length == "u8":
        if n > 0xFF:
            raise FrameError("payload too long for a one-byte length")
        return bytes([n])
    return n.to_bytes(2, "little" if fmt.length == "u16le" else "big")


def _address_bytes(fmt: FrameFormat, address: int) -> bytes:
    if not 0 <= address <= (999 if fmt.address == "ascii3" else 255):
        raise FrameError(f"address {address} out of range")
    return f"{address:03d}".encode("ascii") if fmt.address == "ascii3" else bytes([address])


def encode(fmt: FrameFormat, frame: Frame, *, reply: bool = False) -> bytes:
    if len(frame.payload) > fmt.max_payload:
        raise FrameError(f"payload of {len(frame.payload)} bytes exceeds {fmt.max_payload}")
    header = (fmt.reply_header or fmt.header) if reply else fmt.header
    parts: list[bytes] = []
    for f in fmt.fields:
        if f == "address":
            parts.append(_address_bytes(fmt, frame.address))
        elif f == "command":
            parts.append(bytes([(frame.command or 0) & 0xFF]))
        else:
            parts.append(_length_bytes(fmt, len(frame.payload)))
    body = b"".join(parts) + fmt.separator + frame.payload
    covered = {"after_header": body, "payload": frame.payload, "all": header + body}[fmt.checksum_covers]
    return header + body + ck.compute(fmt.checksum, covered) + fmt.trailer


def encode_text(fmt: FrameFormat, address: int, text: str) -> bytes:
    """A show-text frame; characters the screen's code page lacks become ``?``."""
    return encode(fmt, Frame(address, fmt.cmd_text, text.encode(fmt.encoding, "replace")))


class FrameReader:
    """Finds frames in a byte stream (noise, half frames, bad checksums are skipped and
    counted). ``replies``: read frames sent by devices (``reply_header``) instead of the host's."""

    def __init__(self, fmt: FrameFormat, *, replies: bool = False) -> None:
        self.fmt = fmt
        self.header = (fmt.reply_header or fmt.header) if replies else fmt.header
        self.buf = bytearray()
        self.errors = 0

    def feed(self, data: bytes) -> list[Frame]:
        self.buf.extend(data)
        out: list[Frame] = []
        while True:
            start = self.buf.find(self.header)
            if start < 0:
                keep = len(self.header) - 1
                if len(self.buf) > keep:
                    del self.buf[: len(self.buf) - keep]
                return out
            if start:
                del self.buf[:start]
            result = self._parse()
            if result is None:
                return out
            frame, used = result
            if frame is None:
                self.errors += 1
                del self.buf[:1]
                continue
            out.append(frame)
            del self.buf[:used]

    def _parse(self) -> tuple[Frame | None, int] | None:
        """(frame, bytes used), (None, 0) for a bad frame, or None when more bytes are needed."""
        fmt = self.fmt
        buf = bytes(self.buf)
        pos = len(self.header)
        address = 0
        command: int | None = None
        length: int | None = None
        for f in fmt.fields:
            if f == "address":
                width = 3 if fmt.address == "ascii3" else 1
                if len(buf) < pos + width:
                    return None
                raw = buf[pos : pos + width]
                if fmt.address == "ascii3":
                    if not raw.isdigit():
                        return None, 0
                    address = int(raw)
                else:
                    address = raw[0]
                pos += width
            elif f == "command":
                if len(buf) < pos + 1:
                    return None
                command = buf[pos]
                pos += 1
            else:
                width = 1 if fmt.length == "u8" else 2
                if len(buf) < pos + width:
                    return None
                raw = buf[pos : pos + width]
                length = (
                    raw[0]
                    if width == 1
                    else int.from_bytes(raw, "little" if fmt.length == "u16le" else "big")
                )
                pos += width
        if buf[pos : pos + len(fmt.separator)] != fmt.separator[: len(buf) - pos]:
            return None, 0
        if len(buf) < pos + len(fmt.separator):
            return None
        pos += len(fmt.separator)
        csize = ck.size(fmt.checksum)
        if length is not None:
            if fmt.length_counts == "length_to_checksum":
                idx = fmt.fields.index("length")
                width = 1 if fmt.length == "u8" else 2
                others = len(fmt.fields) - idx - 1
                length -= width + others + len(fmt.separator) + csize
            if length < 0 or length > fmt.max_payload:
                return None, 0
            end = pos + length
            if len(buf) < end + csize + len(fmt.trailer):
                return None
        else:
            end = buf.find(fmt.trailer, pos)
            restart = buf.find(self.header, pos)
            if restart >= 0 and (end < 0 or restart < end):
                return None, 0  # a new frame starts before this one ended: it was cut short
            if end < 0:
                if len(buf) - pos > fmt.max_payload + csize + len(fmt.trailer):
                    return None, 0
                return None
            end -= csize
            if end < pos or end - pos > fmt.max_payload:
                # too long whether the trailer is already here or not: the same verdict fed
                # whole or byte by byte (which gives up above before the trailer arrives)
                return None, 0
        payload = buf[pos:end]
        got = buf[end : end + csize]
        tail = buf[end + csize : end + csize + len(fmt.trailer)]
        if tail != fmt.trailer:
            return None, 0
        body = buf[len(self.header) : end]
        covered = {"after_header": body, "payload": payload, "all": buf[:end]}[fmt.checksum_covers]
        if got != ck.compute(fmt.checksum, covered):
            return None, 0
        return Frame(address, command, payload), end + csize + len(fmt.trailer)
