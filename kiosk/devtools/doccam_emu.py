"""Photographed pages for tests, the bench and the demo: flat originals, photos of them as a
document camera takes them (skewed, in perspective, unevenly lit, a little blurred, on a desk),
and a recorded camera stream (an MJPG video file ``UvcCamera`` reads like a device).

Every photo comes with the true corners of the page in it, so straightening can be measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from drivers.doccam.page import Image

PAGE_DPI = 100
PAGE_SIZE = (827, 1169)  # A4 at 100 dpi (w, h)


def original(seed: int = 0, title: str = "SALE CONTRACT") -> Image:
    """A flat A4 page: a title, numbered text lines, a table and a signature box."""
    rng = np.random.default_rng(seed)
    w, h = PAGE_SIZE
    img = np.full((h, w, 3), 250, np.uint8)
    cv2.putText(img, title, (80, 110), cv2.FONT_HERSHEY_DUPLEX, 1.4, (15, 15, 15), 2, cv2.LINE_AA)
    y = 180
    for i in range(18):
        words = " ".join(f"{rng.integers(10, 99999)}" for _ in range(int(rng.integers(4, 8))))
        cv2.putText(
            img,
            f"{i + 1:02d}. clause {words}",
            (80, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.7,
            (30, 30, 30),
            1,
            cv2.LINE_AA,
        )
        y += 38
    for r in range(5):
        for c in range(3):
            cv2.rectangle(img, (80 + c * 220, y + r * 40), (300 + c * 220, y + 40 + r * 40), (40, 40, 40), 1)
    cv2.rectangle(img, (480, h - 220), (760, h - 100), (40, 40, 40), 2)
    cv2.putText(img, "SIGNATURE", (500, h - 120), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (60, 60, 60), 1, cv2.LINE_AA)
    return img


@dataclass(frozen=True)
class Photo:
    image: Image
    corners: np.ndarray
    """True corners of the page in the photo (tl, tr, br, bl)."""
    skew_deg: float
    tilt: float


def photograph(page: Image, seed: int = 0, size: tuple[int, int] = (2048, 1536)) -> Photo:
    """The page as a document camera above a desk sees it (landscape sensor, page portrait)."""
    rng = np.random.default_rng(seed)
    W, H = size
    noise = rng.normal(95, 12, (H, W, 3)).astype(np.float32)
    desk: np.ndarray = cv2.GaussianBlur(noise, (0, 0), 6) + np.array([10, 25, 40], np.float32)  # brown
    ph, pw = page.shape[:2]
    scale = H * rng.uniform(0.78, 0.9) / ph
    skew = float(rng.uniform(-15, 15))
    tilt = float(rng.uniform(0.0, 0.12))
    cx, cy = W / 2 + rng.uniform(-80, 80), H / 2 + rng.uniform(-40, 40)
    half = np.array([[-pw, -ph], [pw, -ph], [pw, ph], [-pw, ph]], np.float32) * scale / 2
    # Perspective: the far edge (top) looks narrower.
    half[:2, 0] *= 1 - tilt
    half[2:, 0] *= 1 + tilt / 3
    a = np.deg2rad(skew)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    corners = (half @ rot.T + np.array([cx, cy], np.float32)).astype(np.float32)
    src = np.array([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(page.astype(np.float32), m, (W, H), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (W, H))[..., None]
    img = desk * (1 - mask) + warped * mask
    # Uneven light (a lamp at one side), a little blur, sensor noise.
    xx = np.linspace(0.82, 1.08, W, dtype=np.float32)[None, :, None]
    img = cv2.GaussianBlur(img * xx, (0, 0), 0.8) + rng.normal(0, 3, img.shape)
    return Photo(np.clip(img, 0, 255).astype(np.uint8), corners, skew, tilt)


def record_stream(path: Path, photos: list[Photo], frames_each: int = 4, fps: int = 10) -> Path:
    """An MJPG video of the photos, each held for a few frames (the first of each a bit blurred,
    as while the page is being put down): what a UVC camera streams."""
    h, w = photos[0].image.shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not out.isOpened():
        raise RuntimeError("OpenCV cannot write MJPG video here")
    for p in photos:
        out.write(cv2.GaussianBlur(p.image, (0, 0), 3))
        for _ in range(frames_each - 1):
            out.write(p.image)
    out.release()
    return path
