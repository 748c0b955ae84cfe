"""QR/barcode decoders for camera frames, selectable by name.

Measured on a generated degraded set (tests/bench/bench_decoders.py, 150 frames): zxing-cpp
and pyzbar both decode about 97% at similar speed (zxing-cpp better on heavy noise, pyzbar on
rotation and low contrast); OpenCV's detector decodes about half and none with small modules.
zxing-cpp stays the default; the others are selectable per site.

Each decoder looks only for the formats configured (QR by default; a hall adds the 1D codes it
uses): asking zxing-cpp for every format made a frame cost 7.5 ms instead of 0.5-1 ms, and a
frame with no code in it 28 ms (tests/bench/bench_decoders.py prints both beside the library's
bare QR-only call). Light-on-dark codes are looked for only when asked (``invert``): it doubles
the time of every frame that holds no code.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

FORMATS: dict[str, str] = {
    # our name (zxing-cpp's) -> zbar's symbol name; "" = zbar cannot read it
    "QRCode": "QRCODE",
    "MicroQRCode": "",
    "DataMatrix": "",
    "PDF417": "PDF417",
    "Aztec": "",
    "Code128": "CODE128",
    "Code39": "CODE39",
    "Code93": "CODE93",
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
    "ITF": "I25",
    "Codabar": "CODABAR",
}
"""Formats a site may configure: QR and the 1D codes a hall meets (case files, receipts, goods)."""

DEFAULT_FORMATS = ("QRCode",)


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(
            f"unknown barcode format {', '.join(unknown) or '(none given)'} (known: {', '.join(FORMATS)})"
        )
    return tuple(dict.fromkeys(formats))


@dataclass(frozen=True)
class Decoded:
    text: str
    raw: bytes
    symbology: str


Decoder = Callable[[Any], list[Decoded]]
"""decoder(gray numpy image) -> codes found"""


def zxing_decoder(formats: Sequence[str] = DEFAULT_FORMATS, invert: bool = False) -> Decoder:
    import zxingcpp

    chosen = [getattr(zxingcpp.BarcodeFormat, f) for f in check_formats(formats)]
    try:
        wanted = zxingcpp.BarcodeFormats(chosen)  # zxing-cpp 3
    except TypeError:
        wanted = functools.reduce(operator.or_, chosen)  # zxing-cpp 2

    def decode(gray: Any) -> list[Decoded]:
        out = []
        for r in zxingcpp.read_barcodes(gray, formats=wanted, try_invert=invert):
            if r.valid:
                out.append(Decoded(r.text, bytes(r.bytes), str(r.format).split(".")[-1]))
        return out

    return decode


def pyzbar_decoder(formats: Sequence[str] = DEFAULT_FORMATS, invert: bool = False) -> Decoder:
    from pyzbar import pyzbar

    names = [FORMATS[f] for f in check_formats(formats)]
    if not all(names):
        raise ValueError(f"pyzbar cannot read {', '.join(f for f in formats if not FORMATS[f])}")
    symbols = [getattr(pyzbar.ZBarSymbol, n) for n in names]

    def decode(gray: Any) -> list[Decoded]:
        out = []
        found = pyzbar.decode(gray, symbols=symbols)
        if not found and invert:
            found = pyzbar.decode(255 - gray, symbols=symbols)
        for r in found:
            raw = bytes(r.data)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("gbk", errors="replace")
            out.append(Decoded(text, raw, str(r.type)))
        return out

    return decode


def opencv_decoder(formats: Sequence[str] = DEFAULT_FORMATS, invert: bool = False) -> Decoder:
    import cv2

    if tuple(check_formats(formats)) != ("QRCode",):
        raise ValueError("the opencv decoder reads QR codes only")

    detector = cv2.QRCodeDetector()

    def decode(gray: Any) -> list[Decoded]:
        ok, texts, _points, _ = detector.detectAndDecodeMulti(gray)
        if not ok and invert:
            ok, texts, _points, _ = detector.detectAndDecodeMulti(255 - gray)
        if not ok:
            return []
        return [Decoded(t, t.encode("utf-8"), "QRCode") for t in texts if t]

    return decode


DECODERS: dict[str, Callable[..., Decoder]] = {
    "zxing": zxing_decoder,
    "pyzbar": pyzbar_decoder,
    "opencv": opencv_decoder,
}


def get_decoder(name: str, formats: Sequence[str] = DEFAULT_FORMATS, invert: bool = False) -> Decoder:
    """``ValueError`` for an unknown decoder or format, or a format the decoder cannot read."""
    try:
        make = DECODERS[name]
    except KeyError:
        raise ValueError(f"unknown decoder {name!r} (known: {', '.join(DECODERS)})") from None
    return make(formats, invert)
