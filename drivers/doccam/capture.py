"""Frames from a UVC document camera (``/dev/videoN``) or a recorded stream (a video file), read
with OpenCV; the sharpest of a few frames is taken, as the camera settles after a page moves."""

from __future__ import annotations

import cv2
import numpy as np

from drivers.doccam.page import Image, sharpness


class CameraError(Exception):
    """``code``: ``offline`` (cannot open) or ``no_frame`` (opened but nothing came)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code


class UvcCamera:
    def __init__(self, source: int | str, width: int = 3264, height: int = 2448) -> None:
        self.source = source
        self.width, self.height = width, height
        self._cap: cv2.VideoCapture | None = None

    def open(self) -> None:
        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            raise CameraError("offline", f"cannot open camera {self.source!r}")
        if isinstance(self.source, int):
            cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        self._cap = cap

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def grab(self, frames: int = 5) -> Image:
        """The sharpest of the next ``frames`` frames."""
        if self._cap is None:
            self.open()
        assert self._cap is not None
        best: Image | None = None
        best_s = -1.0
        for _ in range(frames):
            ok, frame = self._cap.read()
            if not ok or frame is None:
                break
            s = sharpness(frame)
            if s > best_s:
                best, best_s = frame.astype(np.uint8, copy=False), s
        if best is None:
            raise CameraError("no_frame", f"camera {self.source!r} sent no frame")
        return best
