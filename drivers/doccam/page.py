"""Finding and straightening a photographed page (pure image processing; no device I/O).

A document camera looks down on a desk: the page is the largest bright four-sided shape. Its
corners come from the page's outline (edges, closed, the biggest convex quadrilateral); the
page is then warped flat to A4 proportions at ``dpi``, so a page photographed skewed or at an
angle comes out as if scanned. ``legible`` says whether the result can be read when printed
at full size: enough pixels per inch and sharp enough (variance of the Laplacian).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[Any]
"""A BGR or grey picture as OpenCV hands it over."""
A4_MM = (210.0, 297.0)
MIN_DPI = 150
MIN_SHARPNESS = 60.0
MIN_CONTRAST = 40.0
"""Grey levels between the page and the desk around it."""


@dataclass(frozen=True)
class Straightened:
    image: Image
    corners: NDArray[np.float32] | None
    """Found corners in the photo (tl, tr, br, bl), or None when no page was found."""
    dpi: int
    sharpness: float

    @property
    def found(self) -> bool:
        return self.corners is not None


def order_corners(pts: NDArray[np.float32]) -> NDArray[np.float32]:
    """tl, tr, br, bl from four points in any order."""
    pts = pts.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32
    )


def find_page(photo: Image, min_area: float = 0.15) -> NDArray[np.float32] | None:
    """The page's four corners, or None when no page covers at least ``min_area`` of the photo."""
    gray = cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY) if photo.ndim == 3 else photo
    scale = 800.0 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    scale = min(scale, 1.0)
    blur = cv2.GaussianBlur(small, (5, 5), 0)
    # The page is brighter than the desk: Otsu separates them; edges close any gaps.
    _, mask = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    best: NDArray[np.float32] | None = None
    best_area = min_area * area
    for c in contours:
        a = cv2.contourArea(c)
        if a < best_area:
            continue
        hull = cv2.convexHull(c)
        peri = cv2.arcLength(hull, True)
        for eps in (0.02, 0.03, 0.05):
            approx = cv2.approxPolyDP(hull, eps * peri, True)
            if len(approx) == 4:
                best, best_area = approx.astype(np.float32), a
                break
    if best is None or best_area > 0.97 * area:
        return None  # nothing, or the whole frame (no desk around it: not a page on a desk)
    inside = np.zeros_like(small)
    cv2.fillConvexPoly(inside, best.astype(np.int32).reshape(-1, 2), 255)
    if float(cv2.mean(small, inside)[0]) - float(cv2.mean(small, 255 - inside)[0]) < MIN_CONTRAST:
        return None  # no paper brighter than the desk
    corners = order_corners(best) / np.float32(scale)
    return refine_corners(gray, corners)


def refine_corners(gray: Image, corners: NDArray[np.float32]) -> NDArray[np.float32]:
    """Sub-pixel corners: fit a line to each side's edge points and intersect neighbours."""
    h, w = gray.shape[:2]
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 40, 120)
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        length = float(np.hypot(*(b - a)))
        band = max(6.0, length * 0.015)
        mask = np.zeros_like(edges)
        cv2.line(mask, tuple(int(v) for v in a), tuple(int(v) for v in b), 255, int(band * 2))
        # Leave the corners themselves out (two sides meet there).
        for p in (a, b):
            cv2.circle(mask, (int(p[0]), int(p[1])), int(band * 3), 0, -1)
        ys, xs = np.nonzero(cv2.bitwise_and(edges, mask))
        if len(xs) < 20:
            return corners
        vx, vy, x0, y0 = cv2.fitLine(
            np.column_stack([xs, ys]).astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01
        )
        lines.append((float(vx[0]), float(vy[0]), float(x0[0]), float(y0[0])))
    out = []
    for i in range(4):
        (vx1, vy1, x1, y1), (vx2, vy2, x2, y2) = lines[i - 1], lines[i]
        den = vx1 * vy2 - vy1 * vx2
        if abs(den) < 1e-6:
            return corners
        t = ((x2 - x1) * vy2 - (y2 - y1) * vx2) / den
        x, y = x1 + t * vx1, y1 + t * vy1
        if not (-w * 0.05 <= x <= w * 1.05 and -h * 0.05 <= y <= h * 1.05):
            return corners
        out.append((x, y))
    return np.array(out, dtype=np.float32)


def sharpness(img: Image) -> float:
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def straighten(photo: Image, dpi: int = 200, corners: NDArray[np.float32] | None = None) -> Straightened:
    """The page warped flat to A4 at ``dpi`` (landscape when the page lies sideways)."""
    found = corners if corners is not None else find_page(photo)
    if found is None:
        return Straightened(photo, None, 0, sharpness(photo))
    tl, tr, br, bl = found
    width_px = (np.hypot(*(tr - tl)) + np.hypot(*(br - bl))) / 2
    height_px = (np.hypot(*(bl - tl)) + np.hypot(*(br - tr))) / 2
    short, long_ = (A4_MM[0] / 25.4 * dpi, A4_MM[1] / 25.4 * dpi)
    w, h = (short, long_) if height_px >= width_px else (long_, short)
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(found.astype(np.float32), dst)
    flat = cv2.warpPerspective(photo, m, (round(w), round(h)), flags=cv2.INTER_CUBIC)
    # The photo's own resolution on the page, not the output's: upsampling adds no detail.
    native_dpi = int(min(width_px, height_px) / (A4_MM[0] / 25.4))
    return Straightened(flat.astype(np.uint8, copy=False), found, min(dpi, native_dpi), sharpness(flat))


def legible(page: Straightened) -> bool:
    """Readable when printed at full size: a page was found, ≥ 150 dpi, not blurred."""
    return page.found and page.dpi >= MIN_DPI and page.sharpness >= MIN_SHARPNESS


def encode_jpeg(img: Image, quality: int = 85) -> bytes:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(buf.tobytes())
