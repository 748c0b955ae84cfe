"""QR/barcode decoders for camera frames, selectable by name.

Measured on a generated degraded set (tests/bench/bench_decoders.py, 150 frames): zxing-cpp
and pyzbar both decode about 97% at similar speed (zxing-cpp better on heavy noise, pyzbar on
rotation and low contrast); OpenCV's detector decodes about half and none with small modules.
zxing-cpp stays the default; the others are selectable per site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Decoded:
    text: str
    raw: bytes
    symbology: str


Decoder = Callable[[Any], list[Decoded]]
"""decoder(gray numpy image) -> codes found"""


def zxing_decoder() -> Decoder:
    import zxingcpp

    def decode(gray: Any) -> list[Decoded]:
        out = []
        for r in zxingcpp.read_barcodes(gray):
            if r.valid:
                out.append(Decoded(r.text, bytes(r.bytes), str(r.format).split(".")[-1]))
        return out

    return decode


def pyzbar_decoder() -> Decoder:
    from pyzbar import pyzbar

    def decode(gray: Any) -> list[Decoded]:
        out = []
        for r in pyzbar.decode(gray):
            raw = bytes(r.data)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("gbk", errors="replace")
            out.append(Decoded(text, raw, str(r.type)))
        return out

    return decode


def opencv_decoder() -> Decoder:
    import cv2

    detector = cv2.QRCodeDetector()

    def decode(gray: Any) -> list[Decoded]:
        ok, texts, _points, _ = detector.detectAndDecodeMulti(gray)
        if not ok:
            return []
        return [Decoded(t, t.encode("utf-8"), "QRCode") for t in texts if t]

    return decode


DECODERS: dict[str, Callable[[], Decoder]] = {
    "zxing": zxing_decoder,
    "pyzbar": pyzbar_decoder,
    "opencv": opencv_decoder,
}


def get_decoder(name: str) -> Decoder:
    try:
        return DECODERS[name]()
    except KeyError:
        raise ValueError(f"unknown decoder {name!r} (known: {', '.join(DECODERS)})") from None
