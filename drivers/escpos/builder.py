"""Receipt blocks -> ESC/POS bytes, built on python-escpos's command layer (a ``Dummy``
printer collects the bytes) with Chinese text written through its raw API.

Why not ``Escpos.text`` for Chinese: python-escpos 3.1 writes CJK as bare GB18030 and never
switches the printer into its Chinese (Kanji) mode, so the text only prints on printers that
power up in that mode, and full-width punctuation comes out as ``?`` on others. Here a line with
Chinese is sent as ``FS &`` + GB18030 + ``FS .`` (enter / leave Chinese character mode,
ESC/POS ``1C 26`` / ``1C 2E``), or as bare GB18030 for printers configured ``chinese = "raw"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from drivers.escpos.layout import justify, text_width, wrap
from drivers.escpos.receipt import Block, Columns, Feed, Qr, Rule, Text

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"
LF = b"\n"

ChineseMode = Literal["fs", "raw", "off"]
QrMode = Literal["auto", "native", "raster"]
CutMode = Literal["partial", "full", "none"]

_DOTS_BY_PAPER = {58: 384, 80: 576}


def get_profile(name: str) -> Any:
    """python-escpos's capability database costs ~0.1 s and 9 MiB to load: only on first use
    (a receipt or a printer opened), never at start-up."""
    from escpos.capabilities import get_profile as load

    return load(name)


@dataclass(frozen=True)
class PrinterModel:
    """What the builder needs to know about a printer; comes from the printer's options."""

    profile: str = "default"
    """A python-escpos capabilities profile (``TM-T88V``, ``POS-5890``, ``default``…)."""
    paper_mm: int = 80
    chinese: ChineseMode = "fs"
    encoding: str = "gb18030"
    qr: QrMode = "auto"
    cut: CutMode = "partial"
    columns: int = 0
    """Font A columns; 0 = from the profile, else from the paper width."""

    def dots(self) -> int:
        media = get_profile(self.profile).profile_data.get("media", {})
        pixels = media.get("width", {}).get("pixels")
        paper = _DOTS_BY_PAPER.get(self.paper_mm, 576)
        if isinstance(pixels, int) and pixels >= 200:
            return min(pixels, paper)
        return paper

    def cols(self) -> int:
        if self.columns:
            return self.columns
        return max(16, self.dots() // 12)

    def native_qr(self) -> bool:
        if self.qr == "native":
            return True
        if self.qr == "raster":
            return False
        return bool(get_profile(self.profile).supports("qrCode"))


class ReceiptBuilder:
    """Collects one receipt's bytes. Not thread-safe; build one per document."""

    def __init__(self, model: PrinterModel) -> None:
        self.model = model
        from escpos.printer import Dummy

        self._p = Dummy(profile=model.profile)
        self._p.hw("INIT")

    # --- text ----------------------------------------------------------------------
    def _line(self, text: str) -> None:
        if text.isascii():
            self._p._raw(text.encode("ascii") + LF)
        elif self.model.chinese == "fs":
            self._p._raw(FS_CHINESE_ON + text.encode(self.model.encoding, "replace") + FS_CHINESE_OFF + LF)
        elif self.model.chinese == "raw":
            self._p._raw(text.encode(self.model.encoding, "replace") + LF)
        else:
            self._p.text(text + "\n")

    def _style(self, align: str, width: int, height: int, bold: bool) -> None:
        self._p.set(align=align, bold=bold, custom_size=True, width=width, height=height)

    def text(self, block: Text) -> None:
        width = max(1, min(8, block.width))
        height = max(1, min(8, block.height))
        self._style(block.align, width, height, block.bold)
        for line in wrap(block.text, max(2, self.model.cols() // width)):
            self._line(line)
        if (width, height, block.bold) != (1, 1, False):
            self._style("left", 1, 1, False)

    def columns(self, block: Columns) -> None:
        self._style("left", 1, 1, block.bold)
        for line in justify(block.left, block.right, self.model.cols()):
            self._line(line)
        if block.bold:
            self._p.set(bold=False)

    def rule(self, block: Rule) -> None:
        self._style("left", 1, 1, False)
        char = block.char if block.char and text_width(block.char) == 1 else "-"
        self._line(char * self.model.cols())

    def qr(self, block: Qr) -> None:
        if not block.payload:
            return
        from escpos.constants import QR_ECLEVEL_M

        size = max(1, min(16, block.size))
        self._p.set(align="center")
        if self.model.native_qr():
            self._p.qr(block.payload, ec=QR_ECLEVEL_M, size=size, native=True)
            self._p._raw(LF)
        else:
            self._p.qr(
                block.payload,
                ec=QR_ECLEVEL_M,
                size=max(2, min(size, self.model.dots() // 45)),
                native=False,
                image_arguments={"impl": "bitImageRaster", "center": False},
            )
        self._p.set(align="left")

    def feed(self, block: Feed) -> None:
        self._p._raw(LF * max(0, min(block.lines, 20)))

    def add(self, block: Block) -> None:
        if isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Columns):
            self.columns(block)
        elif isinstance(block, Rule):
            self.rule(block)
        elif isinstance(block, Qr):
            self.qr(block)
        else:
            self.feed(block)

    def finish(self) -> bytes:
        if self.model.cut == "partial":
            self._p.cut(mode="PART")
        elif self.model.cut == "full":
            self._p.cut(mode="FULL")
        else:
            self._p._raw(LF * 4)
        return bytes(self._p.output)


def build(blocks: Iterable[Block], model: PrinterModel) -> bytes:
    b = ReceiptBuilder(model)
    for block in blocks:
        b.add(block)
    return b.finish()
