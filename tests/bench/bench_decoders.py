"""Camera QR decoders on a generated degraded set: success rate and ms per frame.

Run: .venv/bin/python tests/bench/bench_decoders.py [--per-kind N] [--seed S]

Each kind of degradation (rotation, perspective, blur, noise, low contrast, small modules)
gets N 640x480 frames of a different HK1-length payload; each decoder sees the same frames.
A decode counts only when the exact payload comes back.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import cv2
import numpy as np
import qrcode

from drivers.scanner.decoders import DECODERS, get_decoder

W, H = 640, 480


def qr(text: str, box: int) -> np.ndarray:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=4)
    code.add_data(text)
    return np.array(code.make_image().convert("L"))


def on_canvas(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    canvas = np.full((H, W), 235, np.uint8)
    h, w = img.shape
    scale = min(1.0, (H - 20) / h, (W - 20) / w)
    if scale < 1.0:
        img = cv2.resize(img, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
        h, w = img.shape
    y = int(rng.integers(0, H - h + 1))
    x = int(rng.integers(0, W - w + 1))
    canvas[y : y + h, x : x + w] = img
    return canvas


def rotation(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    frame = on_canvas(img, rng)
    m = cv2.getRotationMatrix2D((W / 2, H / 2), float(rng.uniform(15, 75)), 0.8)
    return cv2.warpAffine(frame, m, (W, H), borderValue=235)


def perspective(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    frame = on_canvas(img, rng)
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    d = rng.uniform(0.08, 0.2, size=(4, 2)) * [W, H]
    dst = np.float32(
        [[d[0, 0], d[0, 1]], [W - d[1, 0], d[1, 1]], [W - d[2, 0], H - d[2, 1]], [d[3, 0], H - d[3, 1]]]
    )
    return cv2.warpPerspective(frame, cv2.getPerspectiveTransform(src, dst), (W, H), borderValue=235)


def blur(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    k = int(rng.choice([5, 7, 9]))
    return cv2.GaussianBlur(on_canvas(img, rng), (k, k), 0)


def noise(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    frame = on_canvas(img, rng).astype(float) + rng.normal(0, float(rng.uniform(30, 50)), (H, W))
    return np.clip(frame, 0, 255).astype(np.uint8)


def low_contrast(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    frame = on_canvas(img, rng).astype(float) / 255
    lo = float(rng.uniform(90, 120))
    return (lo + frame * float(rng.uniform(20, 35))).astype(np.uint8)


def small_modules(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return on_canvas(img, rng)  # rendered with 2-pixel modules below


KINDS: dict[str, tuple[Callable[[np.ndarray, np.random.Generator], np.ndarray], int]] = {
    "rotation": (rotation, 5),
    "perspective": (perspective, 5),
    "blur": (blur, 5),
    "noise": (noise, 5),
    "low_contrast": (low_contrast, 5),
    "small_modules": (small_modules, 2),
}


def dataset(per_kind: int, seed: int) -> list[tuple[str, str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    out = []
    for kind, (make, box) in KINDS.items():
        for i in range(per_kind):
            payload = f"HK1.{kind}-{i:03d}-" + "".join(
                rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"), 150)
            )
            out.append((kind, payload, make(qr(payload, box), rng)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=25)
    parser.add_argument("--seed", type=int, default=467)
    args = parser.parse_args()
    frames = dataset(args.per_kind, args.seed)
    results: dict[str, dict[str, tuple[int, float]]] = {}
    for name in DECODERS:
        decode = get_decoder(name)
        decode(frames[0][2])  # warm-up (library load)
        per: dict[str, tuple[int, float]] = {}
        for kind, payload, frame in frames:
            start = time.perf_counter()
            found = decode(frame)
            ms = (time.perf_counter() - start) * 1000
            ok = any(d.text == payload for d in found)
            hits, total_ms = per.get(kind, (0, 0.0))
            per[kind] = (hits + ok, total_ms + ms)
        results[name] = per
    n = args.per_kind
    names = list(DECODERS)
    print(f"{len(frames)} frames {W}x{H}, {n} per kind; success rate / mean ms per frame")
    print(f"{'kind':<15}" + "".join(f"{name:>20}" for name in names))
    print("-" * (15 + 20 * len(names)))
    for kind in KINDS:
        row = f"{kind:<15}"
        for name in names:
            hits, ms = results[name][kind]
            row += f"{hits / n:>11.0%} {ms / n:>6.1f} ms"
        print(row)
    row = f"{'all':<15}"
    for name in names:
        hits = sum(h for h, _ in results[name].values())
        ms = sum(m for _, m in results[name].values())
        row += f"{hits / len(frames):>11.0%} {ms / len(frames):>6.1f} ms"
    print(row)


if __name__ == "__main__":
    main()
