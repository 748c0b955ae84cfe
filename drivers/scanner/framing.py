"""Serial (USB-CDC / RS-232) scanner output: one code per terminator-ended line (pure).

Scanners are configured, with programming barcodes, to end each code with CR, CRLF, LF or TAB
and sometimes to add a prefix/suffix (e.g. an AIM identifier). Those bytes are framing, not
part of the code, so they are stripped here. Honeywell's serial trigger commands turn a
scanner on and off from the host.
"""

from __future__ import annotations

from drivers.errors import DriverError

TERMINATORS = {"CR": b"\r", "CRLF": b"\r\n", "LF": b"\n", "TAB": b"\t", "ETX": b"\x03"}
HONEYWELL_TRIGGER_ON = b"\x16T\r"  # SYN T CR
HONEYWELL_TRIGGER_OFF = b"\x16U\r"  # SYN U CR
MAX_CODE_BYTES = 4096
"""A QR code holds at most 2953 bytes; a longer line is noise or a stuck terminator."""


class FramingError(DriverError):
    """A line from the scanner that cannot be a code (``too_long``: noise or a stuck terminator)."""


def terminator_bytes(name: str) -> bytes:
    """A name from TERMINATORS, or hex like ``"0d0a"``."""
    if name.upper() in TERMINATORS:
        return TERMINATORS[name.upper()]
    try:
        value = bytes.fromhex(name)
    except ValueError:
        raise ValueError(f"terminator {name!r}: use {', '.join(TERMINATORS)} or hex bytes") from None
    if not value:
        raise ValueError("terminator must not be empty")
    return value


class LineDecoder:
    def __init__(
        self,
        terminator: bytes = b"\r",
        prefix: bytes = b"",
        suffix: bytes = b"",
        max_len: int = MAX_CODE_BYTES,
    ) -> None:
        self.terminator = terminator
        self.prefix = prefix
        self.suffix = suffix
        self.max_len = max_len
        self._buf = bytearray()
        self._discarding = False

    def feed(self, data: bytes) -> list[bytes | FramingError]:
        self._buf += data
        out: list[bytes | FramingError] = []
        while True:
            end = self._buf.find(self.terminator)
            if end < 0:
                if len(self._buf) > self.max_len and not self._discarding:
                    out.append(FramingError("too_long", f"line longer than {self.max_len} bytes"))
                    self._discarding = True
                if self._discarding:
                    self._buf.clear()
                return out
            line = bytes(self._buf[:end])
            del self._buf[: end + len(self.terminator)]
            if self._discarding:
                self._discarding = False
                continue
            line = line.lstrip(b"\r\n")  # CRLF scanner on a CR terminator, or a stray LF
            if self.prefix and line.startswith(self.prefix):
                line = line[len(self.prefix) :]
            if self.suffix and line.endswith(self.suffix):
                line = line[: -len(self.suffix)]
            if not line:
                continue
            if len(line) > self.max_len:
                out.append(FramingError("too_long", f"line longer than {self.max_len} bytes"))
                continue
            out.append(line)


def decode_payload(raw: bytes) -> str:
    """Scanners send UTF-8 or, on Chinese-configured units, GBK; anything else keeps its
    bytes visible as replacement characters rather than failing."""
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")
