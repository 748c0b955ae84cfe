"""``layout(doc, job_title) -> PDF bytes``: A4, 20 mm margins, CJK fonts, labelled lines in two
columns, laid out by Qt's own PDF writer and font engine, so it lives with the rest of Qt GUI in
``ui/``; the front end hands ``layout`` to the core (``App.a4_layout``) and the CUPS printer
(``devices.a4_cups``) sends the bytes.

Needs a ``QGuiApplication`` (fonts); ``ensure_app()`` makes an offscreen one for a process that
has none (CLI, tests). Safe from a worker thread: ``QPainter`` on a ``QPdfWriter`` is one of the
paint devices Qt allows outside the GUI thread.
"""

from __future__ import annotations

import os
import threading
from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from devices.a4printer import A4Document

CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Droid Sans Fallback",
)
DPI = 300
MM = DPI / 25.4
_lock = threading.Lock()


def ensure_app() -> None:
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication([])


@cache
def cjk_family() -> str:
    """The first CJK-capable family installed (Debian: fonts-wqy-microhei); looked up once."""
    ensure_app()
    have = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in have:
            return fam
    for fam in sorted(have):
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(fam):
            return fam
    raise RuntimeError("no Chinese font installed (Debian: fonts-wqy-microhei)")


LATIN_FAMILIES = ("DejaVu Sans", "Liberation Sans")


@cache
def _latin_families() -> tuple[str, ...]:
    """The installed ones of ``LATIN_FAMILIES``, looked up once (not for every font of a page)."""
    have = set(QFontDatabase.families())
    return tuple(x for x in LATIN_FAMILIES if x in have)


def _font(family: str, pt: float, bold: bool = False) -> QFont:
    f = QFont(family)
    # Latin letters and digits from a Latin font, Chinese from the CJK one: the text survives
    # a PostScript round trip (CUPS filters) and reads back with pdftotext.
    f.setFamilies([*_latin_families(), family])
    f.setPointSizeF(pt)
    f.setBold(bold)
    return f


def layout(doc: A4Document, job_title: str) -> tuple[bytes, int]:
    """``devices.a4printer.A4Layout``: the document as PDF bytes and its page count."""
    ensure_app()
    family = cjk_family()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    with _lock:
        writer = QPdfWriter(buf)
        writer.setResolution(DPI)
        writer.setTitle(job_title)
        writer.setCreator("hall-kiosk")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(20, 20, 20, 20),
                QPageLayout.Unit.Millimeter,
            )
        )
        painter = QPainter(writer)
        try:
            pages = _paint(painter, writer, doc, family)
        finally:
            painter.end()
    buf.close()
    return bytes(data.data()), pages


def _paint(p: QPainter, writer: QPdfWriter, doc: A4Document, family: str) -> int:
    width = writer.width()
    height = writer.height()
    y = 0.0
    pages = 1
    small = _font(family, 9)
    body = _font(family, 12)
    label_font = _font(family, 12, bold=True)
    grey = QColor(90, 90, 90)

    def text(rect: QRectF, font: QFont, s: str, flags: int, color: QColor | None = None) -> float:
        p.setFont(font)
        p.setPen(QPen(color or QColor(0, 0, 0)))
        bound = p.boundingRect(rect, flags | Qt.TextFlag.TextWordWrap, s)
        p.drawText(
            QRectF(rect.x(), rect.y(), rect.width(), bound.height()), flags | Qt.TextFlag.TextWordWrap, s
        )
        return bound.height()

    def header() -> None:
        nonlocal y
        y = 0.0
        h = text(QRectF(0, y, width, 20 * MM), small, doc.header, Qt.AlignmentFlag.AlignLeft, grey)
        y += h + 2 * MM
        p.setPen(QPen(grey, 0.3 * MM))
        p.drawLine(0, int(y), width, int(y))
        y += 6 * MM

    def need(h: float) -> None:
        nonlocal pages
        if y + h > height - 15 * MM:
            writer.newPage()
            pages += 1
            header()

    header()
    y += text(QRectF(0, y, width, 40 * MM), _font(family, 22, True), doc.title, Qt.AlignmentFlag.AlignHCenter)
    if doc.subtitle:
        y += 2 * MM + text(
            QRectF(0, y + 2 * MM, width, 20 * MM), body, doc.subtitle, Qt.AlignmentFlag.AlignHCenter, grey
        )
    y += 10 * MM
    label_w = 50 * MM
    metrics = QFontMetricsF(body, writer)
    for line in doc.lines:
        est = max(metrics.height() * 1.6, metrics.height() * (1 + len(line.value) // 40))
        need(est)
        h1 = text(QRectF(0, y, label_w - 4 * MM, 60 * MM), label_font, line.label, Qt.AlignmentFlag.AlignLeft)
        h2 = text(QRectF(label_w, y, width - label_w, 200 * MM), body, line.value, Qt.AlignmentFlag.AlignLeft)
        y += max(h1, h2) + 4 * MM
        p.setPen(QPen(QColor(210, 210, 210), 0.2 * MM))
        p.drawLine(0, int(y - 2 * MM), width, int(y - 2 * MM))
    for note in doc.notes:
        need(metrics.height() * 3)
        y += text(QRectF(0, y + 2 * MM, width, 60 * MM), body, note, Qt.AlignmentFlag.AlignLeft) + 3 * MM
    if doc.seal or doc.verify_code:
        need(30 * MM)
        y += 8 * MM
        if doc.seal:
            y += text(
                QRectF(0, y, width, 20 * MM),
                _font(family, 13, True),
                doc.seal,
                Qt.AlignmentFlag.AlignRight,
                QColor(180, 20, 20),
            )
        if doc.verify_code:
            y += 2 * MM + text(
                QRectF(0, y + 2 * MM, width, 20 * MM),
                small,
                doc.verify_code,
                Qt.AlignmentFlag.AlignRight,
                grey,
            )
    stamp = doc.printed_at.strftime("%Y-%m-%d %H:%M")
    foot = f"{doc.footer}  {stamp}".strip()
    text(QRectF(0, height - 10 * MM, width, 10 * MM), small, foot, Qt.AlignmentFlag.AlignLeft, grey)
    return pages
