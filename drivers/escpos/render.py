"""Decoded ESC/POS ops -> a PNG of the paper, as a thermal printer would print it: Font A
cells of 12x24 dots (24x24 for Chinese), ``GS !`` multipliers, QR codes at the module size the
host asked for, raster images dot for dot. Used by the emulator and by the printer's optional
preview (the demo shows the last ticket on screen)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from drivers.escpos.decoder import Cut, FeedDots, Line, Op, QrCode, Raster
from drivers.escpos.layout import char_width

FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
CELL_W, CELL_H, LINE_GAP, MARGIN = 12, 24, 6, 8
MAX_DOTS = 4096
"""Widest or tallest piece drawn: a raster header may claim 65535 x 65535 dots (4 G pixels)."""
MAX_QR_MODULE = 16


def _drawable(ch: str) -> str:
    """A blank for what a printer would not draw (control, format, separator characters):
    the text shaper raises on some of them (``raqm_layout() failed``)."""
    cat = unicodedata.category(ch)
    return " " if cat[0] == "C" or cat in ("Zl", "Zp") else ch


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _x_for(align: str, width: int, paper: int) -> int:
    if align == "center":
        return max(0, (paper - width) // 2)
    if align == "right":
        return max(0, paper - width)
    return 0


def _line_image(line: Line) -> Image.Image:
    height = CELL_H * line.height
    width = sum(CELL_W * r.width * char_width(c) for r in line.runs for c in r.text)
    img = Image.new("L", (max(1, width), height), 255)
    x = 0
    for run in line.runs:
        font = _font(22 * run.height)
        for ch in run.text:
            cell_w = CELL_W * run.width * char_width(ch)
            if cell_w == 0:
                continue
            natural = CELL_W * run.height * char_width(ch)
            glyph = Image.new("L", (natural, CELL_H * run.height), 255)
            draw = ImageDraw.Draw(glyph)
            shown = _drawable(ch)
            draw.text((natural / 2, CELL_H * run.height / 2), shown, font=font, fill=0, anchor="mm")
            if run.bold:
                draw.text((natural / 2 + 1, CELL_H * run.height / 2), shown, font=font, fill=0, anchor="mm")
            if natural != cell_w:
                glyph = glyph.resize((cell_w, CELL_H * run.height))
            img.paste(glyph, (x, height - CELL_H * run.height))
            x += cell_w
    return img


def _qr_image(op: QrCode) -> Image.Image:
    ec = {
        "L": qrcode.constants.ERROR_CORRECT_L,
        "M": qrcode.constants.ERROR_CORRECT_M,
        "Q": qrcode.constants.ERROR_CORRECT_Q,
        "H": qrcode.constants.ERROR_CORRECT_H,
    }[op.ec]
    code = qrcode.QRCode(error_correction=ec, box_size=min(MAX_QR_MODULE, max(1, op.module)), border=2)
    code.add_data(op.payload.encode("utf-8", "replace"))
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError):
        # more data than a QR code holds: a printer prints nothing here; show a grey box
        return Image.new("L", (64, 64), 128)
    img: Image.Image = code.make_image().get_image()  # qrcode is untyped: its PIL image
    return img.convert("L")


def _raster_image(op: Raster) -> Image.Image:
    """The dots there are data for: a header that claims more rows than its body holds (or
    more than ``MAX_DOTS``) draws the rows that exist, as a printer would."""
    wbytes = (op.width + 7) // 8
    rows = min(op.height, len(op.data) // wbytes if wbytes else 0, MAX_DOTS)
    width = min(op.width, MAX_DOTS)
    if rows <= 0 or width <= 0:
        return Image.new("L", (1, 1), 255)
    img = Image.frombytes("1", (op.width, rows), bytes(op.data[: wbytes * rows]))
    if width < op.width:
        img = img.crop((0, 0, width, rows))
    return Image.eval(img.convert("L"), lambda v: 255 - v)


def render(ops: list[Op], paper_dots: int = 576) -> Image.Image:
    """One strip of paper with everything in ``ops`` (usually one ticket, up to its cut)."""
    pieces: list[tuple[Image.Image, int]] = []
    for op in ops:
        if isinstance(op, Line):
            img = _line_image(op) if op.runs else Image.new("L", (1, CELL_H), 255)
            pieces.append((img, _x_for(op.align, img.width, paper_dots)))
        elif isinstance(op, QrCode):
            img = _qr_image(op)
            pieces.append((img, _x_for(op.align, img.width, paper_dots)))
        elif isinstance(op, Raster):
            img = _raster_image(op)
            pieces.append((img, _x_for(op.align, img.width, paper_dots)))
        elif isinstance(op, FeedDots):
            pieces.append((Image.new("L", (1, min(MAX_DOTS, max(1, op.dots))), 255), 0))
    total = sum(img.height + LINE_GAP for img, _ in pieces) + 2 * MARGIN
    paper = Image.new("L", (paper_dots + 2 * MARGIN, max(total, 2 * MARGIN + 1)), 255)
    y = MARGIN
    for img, x in pieces:
        paper.paste(img, (MARGIN + x, y))
        y += img.height + LINE_GAP
    if any(isinstance(op, Cut) for op in ops):
        draw = ImageDraw.Draw(paper)
        for x in range(0, paper.width, 12):
            draw.line([(x, paper.height - 2), (x + 6, paper.height - 2)], fill=0)
    return paper


def render_png(ops: list[Op], path: Path, paper_dots: int = 576) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.png")
    render(ops, paper_dots).save(tmp, "PNG")
    tmp.replace(path)
    return path
