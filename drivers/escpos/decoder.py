"""An independent ESC/POS reader: bytes back into printed lines, QR codes, raster images,
cuts and status queries. It shares no code with python-escpos (or with ``builder``), so a test
that builds with one and reads with the other checks the bytes, not our own assumptions.

Streaming: ``Decoder.feed(chunk)`` returns what completed; an incomplete command waits for the
next chunk (a serial line delivers a raster image in many reads). Unknown commands are skipped
by their documented length where known and listed in ``warnings``; garbage never raises.

Command lengths and meanings follow the ESC/POS command reference (Epson TM series) plus the
Chinese-character commands of GB18030 printers (``FS &``, ``FS .``, ``FS !``, ``FS W``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]

# ESC t n -> Python codec; the usual ESC/POS code page numbers.
CODE_PAGES: dict[int, str] = {
    0: "cp437",
    1: "shift_jis",
    2: "cp850",
    3: "cp860",
    4: "cp863",
    5: "cp865",
    16: "cp1252",
    17: "cp866",
    18: "cp852",
    19: "cp858",
    255: "cp437",
}


@dataclass(frozen=True)
class Run:
    text: str
    width: int = 1
    height: int = 1
    bold: bool = False
    chinese: bool = False
    """Written in Chinese character mode (or as GB18030 on a Chinese-mode printer)."""


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    align: Align = "left"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def height(self) -> int:
        return max((r.height for r in self.runs), default=1)


@dataclass(frozen=True)
class QrCode:
    payload: str
    module: int = 3
    ec: str = "L"
    align: Align = "left"


@dataclass(frozen=True)
class Raster:
    width: int
    height: int
    data: bytes
    """Row-major, 1 bit per dot, MSB first, ``ceil(width/8)`` bytes per row; 1 = black."""
    align: Align = "left"


@dataclass(frozen=True)
class Barcode:
    kind: int
    data: str


@dataclass(frozen=True)
class Cut:
    partial: bool


@dataclass(frozen=True)
class StatusQuery:
    n: int
    """``DLE EOT n``: the printer must answer one byte now."""


@dataclass(frozen=True)
class FeedDots:
    dots: int


Op = Line | QrCode | Raster | Barcode | Cut | StatusQuery | FeedDots


class _Incomplete(Exception):
    pass


@dataclass
class _Mode:
    chinese: bool = False
    codepage: int = 0
    width: int = 1
    height: int = 1
    bold: bool = False
    align: Align = "left"


_ALIGN: dict[int, Align] = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


@dataclass
class Decoder:
    chinese_at_start: bool = False
    """A printer that powers up in Chinese mode (many Chinese-market models do)."""
    warnings: list[str] = field(default_factory=list)
    _buf: bytearray = field(default_factory=bytearray)
    _mode: _Mode = field(default_factory=_Mode)
    _runs: list[Run] = field(default_factory=list)
    _run_text: list[str] = field(default_factory=list)
    _run_key: tuple[int, int, bool, bool] | None = None
    _line_align: Align | None = None
    _qr_data: bytes = b""
    _qr_module: int = 3
    _qr_ec: str = "L"
    _graphics: Raster | None = None

    def __post_init__(self) -> None:
        self._mode.chinese = self.chinese_at_start

    # --- public ------------------------------------------------------------------------
    def feed(self, data: bytes) -> list[Op]:
        self._buf.extend(data)
        out: list[Op] = []
        pos = 0
        while pos < len(self._buf):
            try:
                end = self._step(pos, out)
            except _Incomplete:
                break
            if end > len(self._buf):
                # A command whose parameters have not all arrived (fixed-length ones are
                # skipped without reading them): wait for them, or fed byte by byte the
                # parameters would be read as text and commands of their own.
                break
            pos = end
        del self._buf[:pos]
        return out

    def flush(self) -> list[Op]:
        """End of input: emit a half-written line; report a truncated command."""
        out: list[Op] = []
        if self._buf:
            self.warnings.append(f"truncated command at end of data ({len(self._buf)} bytes)")
            self._buf.clear()
        self._end_line(out, force=False)
        return out

    # --- text --------------------------------------------------------------------------
    def _char(self, ch: str) -> None:
        m = self._mode
        key = (m.width, m.height, m.bold, m.chinese)
        if key != self._run_key:
            self._close_run()
            self._run_key = key
        if self._line_align is None:
            self._line_align = m.align
        self._run_text.append(ch)

    def _close_run(self) -> None:
        if self._run_text and self._run_key is not None:
            w, h, bold, chinese = self._run_key
            self._runs.append(Run("".join(self._run_text), w, h, bold, chinese))
        self._run_text = []

    def _end_line(self, out: list[Op], *, force: bool = True) -> None:
        self._close_run()
        if self._runs or force:
            out.append(Line(tuple(self._runs), self._line_align or self._mode.align))
        self._runs = []
        self._run_key = None
        self._line_align = None

    # --- the parser ---------------------------------------------------------------------
    def _need(self, pos: int, n: int) -> bytes:
        if pos + n > len(self._buf):
            raise _Incomplete
        return bytes(self._buf[pos : pos + n])

    def _step(self, pos: int, out: list[Op]) -> int:
        b = self._buf[pos]
        if b == 0x0A or b == 0x0C:
            self._end_line(out)
            return pos + 1
        if b == 0x0D or b == 0x00:
            return pos + 1
        if b == 0x09:
            self._char(" " * (8 - len("".join(self._run_text)) % 8))
            return pos + 1
        if b == 0x10:
            return self._dle(pos, out)
        if b == 0x1B:
            return self._esc(pos, out)
        if b == 0x1C:
            return self._fs(pos, out)
        if b == 0x1D:
            return self._gs(pos, out)
        if b < 0x20:
            self.warnings.append(f"control byte {b:02x} ignored")
            return pos + 1
        if b < 0x80:
            self._char(chr(b))
            return pos + 1
        if self._mode.chinese and b >= 0x81:
            second = self._need(pos, 2)[1]
            size = 4 if 0x30 <= second <= 0x39 else 2
            raw = self._need(pos, size)
            self._char(raw.decode("gb18030", "replace"))
            return pos + size
        codec = CODE_PAGES.get(self._mode.codepage)
        self._char(bytes([b]).decode(codec, "replace") if codec else "?")
        return pos + 1

    def _dle(self, pos: int, out: list[Op]) -> int:
        cmd = self._need(pos, 2)[1]
        if cmd == 0x04:
            out.append(StatusQuery(self._need(pos, 3)[2]))
            return pos + 3
        if cmd == 0x05:
            return pos + 3
        if cmd == 0x14:
            return pos + 5
        self.warnings.append(f"unknown command 10 {cmd:02x}")
        return pos + 2

    def _esc(self, pos: int, out: list[Op]) -> int:
        cmd = self._need(pos, 2)[1]
        m = self._mode
        # ESC commands with one parameter byte: ! E G - a d J e t M 3 R { V SP r = U % T
        one = {0x21, 0x45, 0x47, 0x2D, 0x61, 0x64, 0x4A, 0x65, 0x74, 0x4D, 0x33, 0x52, 0x7B, 0x56, 0x20}
        one |= {0x72, 0x3D, 0x55, 0x25, 0x54}
        if cmd == 0x40:  # ESC @
            self._end_line(out, force=False)
            self._mode = _Mode(chinese=self.chinese_at_start)
            return pos + 2
        if cmd in (0x32, 0x3C, 0x53, 0x4C, 0x0C):  # ESC 2, ESC <, ESC S, ESC L, ESC FF
            return pos + 2
        if cmd in one:
            n = self._need(pos, 3)[2]
            if cmd == 0x21:
                m.bold = bool(n & 0x08)
                m.height = 2 if n & 0x10 else 1
                m.width = 2 if n & 0x20 else 1
            elif cmd == 0x45:
                m.bold = bool(n & 1)
            elif cmd == 0x61:
                m.align = _ALIGN.get(n, "left")
                if not self._runs and not self._run_text:
                    self._line_align = None
            elif cmd == 0x64:
                self._end_line(out, force=False)
                for _ in range(n):
                    out.append(Line(()))
            elif cmd == 0x4A:
                self._end_line(out, force=False)
                out.append(FeedDots(n))
            elif cmd == 0x74:
                m.codepage = n
                if n not in CODE_PAGES:
                    self.warnings.append(f"code page {n} not known to the decoder")
            return pos + 3
        if cmd in (0x24, 0x5C):  # ESC $ / ESC \ nL nH
            return pos + 4
        if cmd == 0x70:  # ESC p m t1 t2
            return pos + 5
        if cmd == 0x63:  # ESC c x n
            return pos + 4
        if cmd == 0x44:  # ESC D n1..nk NUL
            end = self._buf.find(b"\x00", pos + 2)
            if end < 0:
                raise _Incomplete
            return end + 1
        if cmd in (0x69, 0x6D):  # ESC i / ESC m: legacy full / partial cut
            self._end_line(out, force=False)
            out.append(Cut(partial=cmd == 0x6D))
            return pos + 2
        if cmd == 0x2A:  # ESC * m nL nH d...: bit image (column format)
            head = self._need(pos, 5)
            count = head[3] + head[4] * 256
            per = 3 if head[2] in (32, 33) else 1
            data = self._need(pos, 5 + count * per)[5:]
            self._end_line(out, force=False)
            out.append(_columns_to_raster(data, count, per, m.align))
            return pos + 5 + count * per
        self.warnings.append(f"unknown command 1b {cmd:02x}")
        return pos + 2

    def _fs(self, pos: int, out: list[Op]) -> int:
        cmd = self._need(pos, 2)[1]
        m = self._mode
        if cmd == 0x26:  # FS &: Chinese character mode on
            m.chinese = True
            return pos + 2
        if cmd == 0x2E:  # FS .: Chinese character mode off
            m.chinese = False
            return pos + 2
        if cmd == 0x21:  # FS ! n: Chinese print mode
            n = self._need(pos, 3)[2]
            m.width = 2 if n & 0x04 else 1
            m.height = 2 if n & 0x08 else 1
            return pos + 3
        if cmd == 0x57:  # FS W n: quadruple size
            n = self._need(pos, 3)[2]
            m.width = m.height = 2 if n & 1 else 1
            return pos + 3
        if cmd in (0x2D, 0x43):  # FS - n, FS C n
            return pos + 3
        if cmd == 0x53:  # FS S n1 n2
            return pos + 4
        if cmd == 0x70:  # FS p n m: print NV bit image
            return pos + 4
        self.warnings.append(f"unknown command 1c {cmd:02x}")
        return pos + 2

    def _gs(self, pos: int, out: list[Op]) -> int:
        cmd = self._need(pos, 2)[1]
        m = self._mode
        if cmd == 0x21:  # GS ! n
            n = self._need(pos, 3)[2]
            m.width = (n >> 4) + 1
            m.height = (n & 0x0F) + 1
            return pos + 3
        if cmd == 0x56:  # GS V m [n]
            mode = self._need(pos, 3)[2]
            self._end_line(out, force=False)
            if mode in (0, 1, 48, 49):
                out.append(Cut(partial=mode in (1, 49)))
                return pos + 3
            self._need(pos, 4)
            out.append(Cut(partial=mode in (66, 98, 104)))
            return pos + 4
        if cmd == 0x76:  # GS v 0 m xL xH yL yH d...
            head = self._need(pos, 8)
            wbytes = head[4] + head[5] * 256
            rows = head[6] + head[7] * 256
            data = self._need(pos, 8 + wbytes * rows)[8:]
            self._end_line(out, force=False)
            out.append(Raster(wbytes * 8, rows, data, m.align))
            return pos + 8 + wbytes * rows
        if cmd == 0x28:  # GS ( X pL pH ...
            head = self._need(pos, 5)
            length = head[3] + head[4] * 256
            body = self._need(pos, 5 + length)[5:]
            if head[2] == 0x6B:
                self._qr(body, out)
            elif head[2] == 0x4C:
                self._graphics_cmd(body, out)
            return pos + 5 + length
        if cmd == 0x38 and self._need(pos, 3)[2] == 0x4C:  # GS 8 L p1..p4 (long graphics)
            head = self._need(pos, 7)
            length = int.from_bytes(head[3:7], "little")
            body = self._need(pos, 7 + length)[7:]
            self._graphics_cmd(body, out)
            return pos + 7 + length
        if cmd == 0x6B:  # GS k m ...: barcode
            kind = self._need(pos, 3)[2]
            if kind <= 6:
                end = self._buf.find(b"\x00", pos + 3)
                if end < 0:
                    raise _Incomplete
                data = bytes(self._buf[pos + 3 : end])
                out.append(Barcode(kind, data.decode("ascii", "replace")))
                return end + 1
            n = self._need(pos, 4)[3]
            data = self._need(pos, 4 + n)[4:]
            self._end_line(out, force=False)
            out.append(Barcode(kind, data.decode("ascii", "replace")))
            return pos + 4 + n
        if cmd in (0x4C, 0x57, 0x50, 0x24, 0x5C):  # GS L / GS W / GS P / GS $ / GS \
            return pos + 4
        if cmd in (0x42, 0x48, 0x68, 0x77, 0x66, 0x61, 0x62, 0x72, 0x49, 0x2F, 0x45, 0x7C):
            return pos + 3
        if cmd == 0x2A:  # GS * x y d...
            head = self._need(pos, 4)
            size = head[2] * head[3] * 8
            return pos + 4 + len(self._need(pos + 4, size))
        self.warnings.append(f"unknown command 1d {cmd:02x}")
        return pos + 2

    def _qr(self, body: bytes, out: list[Op]) -> None:
        if len(body) < 2 or body[0] != 0x31:  # cn 49 = QR; others (PDF417…) not decoded
            return
        fn = body[1]
        if fn == 0x43 and len(body) >= 3:
            self._qr_module = body[2]
        elif fn == 0x45 and len(body) >= 3:
            self._qr_ec = {48: "L", 49: "M", 50: "Q", 51: "H"}.get(body[2], "L")
        elif fn == 0x50:
            self._qr_data = body[3:]
        elif fn == 0x51:
            self._end_line(out, force=False)
            payload = self._qr_data.decode("utf-8", "replace")
            out.append(QrCode(payload, self._qr_module, self._qr_ec, self._mode.align))

    def _graphics_cmd(self, body: bytes, out: list[Op]) -> None:
        if len(body) < 2 or body[0] != 0x30:
            return
        fn = body[1]
        if fn == 0x70 and len(body) >= 10:  # store raster graphics
            width = body[6] + body[7] * 256
            height = body[8] + body[9] * 256
            self._graphics = Raster(width, height, body[10:], self._mode.align)
        elif fn in (0x02, 0x32) and self._graphics is not None:  # print stored graphics
            self._end_line(out, force=False)
            out.append(self._graphics)
            self._graphics = None


def _columns_to_raster(data: bytes, count: int, per: int, align: Align) -> Raster:
    """ESC * column format (8 or 24 dots per column) -> row-major bits."""
    height = 8 * per
    wbytes = (count + 7) // 8
    rows = bytearray(wbytes * height)
    for x in range(count):
        for k in range(per):
            byte = data[x * per + k]
            for bit in range(8):
                if byte & (0x80 >> bit):
                    y = k * 8 + bit
                    rows[y * wbytes + x // 8] |= 0x80 >> (x % 8)
    return Raster(count, height, bytes(rows), align)


def decode(data: bytes, *, chinese_at_start: bool = False) -> tuple[list[Op], list[str]]:
    """Decode a whole capture; returns (ops, warnings)."""
    d = Decoder(chinese_at_start=chinese_at_start)
    ops = d.feed(data)
    ops.extend(d.flush())
    return ops, d.warnings


def plain_text(ops: list[Op]) -> str:
    return "\n".join(op.text for op in ops if isinstance(op, Line))
