"""The document camera (高拍仪) as the core sees it: ``photograph()`` gives one page, found,
straightened and JPEG-encoded, with whether it is legible at print size.

The core only ever holds the JPEG bytes (sealed in the application spool); the raw frame stays
here. A photo whose page was not found or is not legible is still returned (``legible`` False)
so the screen can ask the citizen to lay the page flat and try again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from devices.base import DeviceError

if TYPE_CHECKING:
    from drivers.doccam.capture import UvcCamera


@dataclass(frozen=True)
class PagePhoto:
    jpeg: bytes
    found: bool
    legible: bool
    dpi: int
    sharpness: float
    width: int
    height: int

    def __repr__(self) -> str:
        return (
            f"PagePhoto({len(self.jpeg)} bytes, found={self.found}, legible={self.legible}, dpi={self.dpi})"
        )


class DocumentCamera:
    def __init__(self, source: int | str, *, dpi: int = 200, frames: int = 5, quality: int = 85) -> None:
        self.source = source
        self.camera: UvcCamera | None = None
        """Made at the first photograph: OpenCV (some 40 MiB and 50 ms) is loaded then, not
        when the kiosk starts (tests/bench/bench_startup.py)."""
        self.dpi, self.frames, self.quality = dpi, frames, quality

    def photograph(self) -> PagePhoto:
        from drivers.doccam import page
        from drivers.doccam.capture import CameraError, UvcCamera

        if self.camera is None:
            self.camera = UvcCamera(self.source)
        try:
            frame = self.camera.grab(self.frames)
        except CameraError as exc:
            raise DeviceError(exc.code, "the document camera sent no picture") from None
        flat = page.straighten(frame, self.dpi)
        img = flat.image
        return PagePhoto(
            page.encode_jpeg(img, self.quality),
            flat.found,
            page.legible(flat),
            flat.dpi,
            flat.sharpness,
            int(img.shape[1]),
            int(img.shape[0]),
        )

    def close(self) -> None:
        if self.camera is not None:
            self.camera.close()
