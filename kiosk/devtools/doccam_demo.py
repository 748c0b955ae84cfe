"""``kiosk demo``'s document camera: a recorded stream of photographed pages, made in the
background (``doccam_emu`` makes the pictures; this module loads neither it nor OpenCV until
the stream is made, so the demo's start does not carry them)."""

from __future__ import annotations

import logging
import threading
from contextlib import ExitStack
from pathlib import Path

log = logging.getLogger(__name__)

MAKE_AFTER_S = 3.0
"""The demo's stream is made this long after the demo starts (see ``camera_part``)."""


def camera_part(stack: ExitStack, workdir: Path) -> dict[str, object]:
    """``kiosk demo`` part: the document camera plays a recorded stream of two photographed
    pages, so "apply" can photograph materials. The stream is made once into the demo
    directory, a few seconds after the start and beside it: two 8-megapixel photos take
    2.5 s and 600 MB to make, which the home screen waited for (tests/bench/bench_startup.py:
    0.66 s -> 2.9 s to the home screen). The camera opens the file when a page is
    photographed; asked before it exists, it says it sent no picture, as a camera that is
    not plugged in does."""
    path = workdir / "doccam-demo.avi"
    if not path.exists():
        maker = threading.Timer(MAKE_AFTER_S, _make_demo_stream, (path,))
        maker.name, maker.daemon = "doccam-demo-stream", True
        maker.start()

        def stop() -> None:
            maker.cancel()
            maker.join()  # a stream being written is finished, not cut off by the exit

        stack.callback(stop)
    return {"selfservice": {"camera": str(path)}}


def _make_demo_stream(path: Path) -> None:
    from kiosk.devtools.doccam_emu import original, photograph, record_stream  # OpenCV: 40 MiB

    pages = [original(1, "SALE CONTRACT"), original(2, "TAX RECEIPT")]
    part = path.with_name(f"{path.stem}.part{path.suffix}")  # OpenCV picks the format by suffix
    try:
        shots = [photograph(p, 40 + i, (3264, 2448)) for i, p in enumerate(pages)]
        record_stream(part, shots, frames_each=3)
        part.replace(path)  # whole or not at all: the camera never opens a half-written file
    except Exception:
        log.exception("the demo document camera's stream could not be made")
