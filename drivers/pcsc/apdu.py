"""ISO 7816-4 command/response APDUs (pure): building, status words, the T=0 rules.

On T=0 a card that has response data answers ``61 xx`` ("xx bytes waiting"), fetched with GET
RESPONSE ``00 C0 00 00 xx``; ``6C xx`` means "wrong Le, repeat with Le = xx". PC/SC passes
these through to the application, so the transmit loop here handles them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drivers.errors import DriverError

GET_UID = bytes.fromhex("FFCA000000")
"""PC/SC part 3 pseudo-APDU, answered by contactless readers: the card's UID."""
RESIDENT_ID_PHYSICAL_ID = bytes.fromhex("0036000008")
"""Resident ID card over a contactless reader: its 8-byte physical card id (no personal data)."""

SW_OK = 0x9000
SW_TEXT = {
    0x9000: "success",
    0x6281: "part of returned data may be corrupted",
    0x6282: "end of file reached before reading Le bytes",
    0x6700: "wrong length",
    0x6982: "security status not satisfied",
    0x6983: "authentication method blocked",
    0x6985: "conditions of use not satisfied",
    0x6A81: "function not supported",
    0x6A82: "file or application not found",
    0x6A83: "record not found",
    0x6A86: "incorrect P1 P2",
    0x6B00: "wrong parameters P1 P2",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
}


class ApduError(DriverError):
    def __init__(self, code: str, message: str, sw: int | None = None) -> None:
        super().__init__(code, message)
        self.sw = sw


def sw_text(sw: int) -> str:
    if sw >> 8 == 0x61:
        return f"{sw & 0xFF} bytes available"
    if sw >> 8 == 0x6C:
        return f"wrong Le, card expects {sw & 0xFF}"
    return SW_TEXT.get(sw, "unknown status")


def command(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None) -> bytes:
    """Short APDU (cases 1-4)."""
    if len(data) > 255 or (le is not None and not 0 <= le <= 256):
        raise ValueError("short APDU limits exceeded")
    out = bytes([cla, ins, p1, p2])
    if data:
        out += bytes([len(data)]) + data
    if le is not None:
        out += bytes([le & 0xFF])
    return out


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK


def parse_response(raw: bytes) -> Response:
    if len(raw) < 2:
        raise ApduError("short_response", f"response of {len(raw)} bytes has no status word")
    return Response(bytes(raw[:-2]), (raw[-2] << 8) | raw[-1])


def get_response(length: int) -> bytes:
    return command(0x00, 0xC0, 0x00, 0x00, le=length)


def with_le(apdu: bytes, le: int) -> bytes:
    """The same command with Le replaced (6C xx handling)."""
    header = apdu[:4]
    if len(apdu) <= 5:  # case 1 or 2
        return header + bytes([le & 0xFF])
    lc = apdu[4]
    return header + apdu[4 : 5 + lc] + bytes([le & 0xFF])


def transmit(send: Callable[[bytes], bytes], apdu: bytes, max_chain: int = 16) -> Response:
    """Send ``apdu`` through ``send`` (raw bytes in, raw bytes out) applying the T=0 rules;
    data from successive 61 xx answers is concatenated."""
    response = parse_response(send(apdu))
    if response.sw >> 8 == 0x6C:
        response = parse_response(send(with_le(apdu, response.sw & 0xFF)))
    data = response.data
    for _ in range(max_chain):
        if response.sw >> 8 != 0x61:
            return Response(data, response.sw)
        response = parse_response(send(get_response(response.sw & 0xFF)))
        data += response.data
    raise ApduError("response_chain", "card kept answering 61 xx")


def tlv_value(data: bytes, tag: int) -> bytes:
    """Value of a one-byte tag, one-byte length record (social-security card records)."""
    if len(data) < 2 or data[0] != tag:
        raise ApduError("bad_record", f"record does not start with tag {tag:02X}")
    length = data[1]
    if len(data) < 2 + length:
        raise ApduError("bad_record", f"record tag {tag:02X} shorter than its length")
    return data[2 : 2 + length]


def decode_value(value: bytes, encoding: str) -> str:
    """Card text: fixed-width fields padded with NUL, space or FF."""
    if encoding == "hex":
        return value.hex().upper()
    if encoding == "bcd":
        return value.hex()
    text = value.rstrip(b"\x00\xff ").decode(encoding, errors="replace")
    return text.strip()
