"""``kiosk devices decode escpos FILE``: what a captured ESC/POS stream prints (text, QR
payloads, images, cuts), e.g. a ``file://`` capture or a ``spy://`` dump from a real printer."""

from __future__ import annotations

import argparse
from pathlib import Path

from drivers.escpos.decoder import Barcode, Cut, Line, QrCode, Raster, decode
from kiosk.devtools.output_common import fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="raw bytes sent to the printer")
    parser.add_argument("--chinese-at-start", action="store_true", help="the printer boots in Chinese mode")
    parser.add_argument("--png", metavar="FILE", help="also render the paper to this PNG")
    parser.add_argument("--paper-dots", type=int, default=576, help="384 for 58 mm, 576 for 80 mm")


def run(args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror}", 2)
    ops, warnings = decode(data, chinese_at_start=args.chinese_at_start)
    for op in ops:
        if isinstance(op, Line):
            big = max((r.width for r in op.runs), default=1)
            mark = f"[x{big}] " if big > 1 else ""
            print(f"{mark}{op.text}")
        elif isinstance(op, QrCode):
            print(f"[QR module={op.module} ec={op.ec}] {op.payload}")
        elif isinstance(op, Raster):
            print(f"[image {op.width}x{op.height}]")
        elif isinstance(op, Barcode):
            print(f"[barcode {op.kind}] {op.data}")
        elif isinstance(op, Cut):
            print("[partial cut]" if op.partial else "[full cut]")
    for w in warnings:
        print(f"warning: {w}")
    if args.png:
        from drivers.escpos.render import render_png

        print(f"rendered: {render_png(ops, Path(args.png), args.paper_dots)}")
    return 0
