"""Camera QR decoders on a generated degraded set: success rate and ms per frame.

Run: .venv/bin/python tests/bench/bench_decoders.py [--per-kind N] [--seed S]

Each kind of degradation (rotation, perspective, blur, noise, low contrast, small modules)
gets N 640x480 frames of a different HK1-length payload; each decoder sees the same frames.
A decode counts only when the exact payload comes back. The ``no code`` row is frames without
any code (an empty counter, noise, printed text, a busy scene): what the camera sees most.

Beside the project's decoders (as configured by default: QR only) run, on the same frames, the
bare floor -- one ``zxingcpp.read_barcodes(gray, formats=QRCode)`` call, nothing else -- and
zxing-cpp asked for every format (what the kiosk did before); the last lines give the ratios.
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


def no_code_frames(n: int, seed: int) -> list[np.ndarray]:
    """Frames with no code: plain, noisy, text, blocky scene (round-robin)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        k = i % 4
        if k == 0:
            frame = np.full((H, W), int(rng.integers(150, 240)), np.uint8)
        elif k == 1:
            frame = np.clip(200 + rng.normal(0, float(rng.uniform(10, 40)), (H, W)), 0, 255).astype(np.uint8)
        elif k == 2:
            frame = np.full((H, W), 235, np.uint8)
            for j in range(12):
                cv2.putText(frame, f"HALL KIOSK {i:03d} {j} ABCDEF", (10, 30 + j * 38), 0, 1.0, 20, 2)
        else:
            frame = (rng.random((H // 16, W // 16)) * 255).astype(np.uint8)
            frame = cv2.GaussianBlur(cv2.resize(frame, (W, H), interpolation=cv2.INTER_NEAREST), (5, 5), 0)
        out.append(frame)
    return out


def contenders() -> dict[str, Callable[[np.ndarray], list[str]]]:
    import zxingcpp

    out: dict[str, Callable[[np.ndarray], list[str]]] = {}
    for name in DECODERS:
        decode = get_decoder(name)
        out[name] = lambda f, d=decode: [c.text for c in d(f)]
    qr = zxingcpp.BarcodeFormat.QRCode
    out["floor: bare QR"] = lambda f: [r.text for r in zxingcpp.read_barcodes(f, formats=qr)]
    out["zxing all formats"] = lambda f: [r.text for r in zxingcpp.read_barcodes(f)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=25)
    parser.add_argument("--seed", type=int, default=467)
    args = parser.parse_args()
    frames = dataset(args.per_kind, args.seed)
    empty = no_code_frames(args.per_kind * 2, args.seed)
    results: dict[str, dict[str, tuple[int, float]]] = {}
    decoders = contenders()
    for name, decode in decoders.items():
        decode(frames[0][2])  # warm-up (library load)
        per: dict[str, tuple[int, float]] = {}
        for kind, payload, frame in frames:
            start = time.perf_counter()
            found = decode(frame)
            ms = (time.perf_counter() - start) * 1000
            hits, total_ms = per.get(kind, (0, 0.0))
            per[kind] = (hits + (payload in found), total_ms + ms)
        false = 0
        start = time.perf_counter()
        for frame in empty:
            false += bool(decode(frame))
        per["no code"] = (false, (time.perf_counter() - start) * 1000)
        results[name] = per
    n = args.per_kind
    names = list(decoders)
    print(f"{len(frames)} frames {W}x{H}, {n} per kind; success rate / mean ms per frame")
    print(f"{'kind':<15}" + "".join(f"{name:>20}" for name in names))
    print("-" * (15 + 20 * len(names)))
    for kind in KINDS:
        row = f"{kind:<15}"
        for name in names:
            hits, ms = results[name][kind]
            row += f"{hits / n:>11.0%} {ms / n:>6.2f} ms"
        print(row)
    row = f"{'all':<15}"
    total: dict[str, tuple[float, float]] = {}
    for name in names:
        hits = sum(h for k, (h, _) in results[name].items() if k != "no code")
        ms = sum(m for k, (_, m) in results[name].items() if k != "no code")
        total[name] = (hits / len(frames), ms / len(frames))
        row += f"{hits / len(frames):>11.1%} {ms / len(frames):>6.2f} ms"
    print(row)
    row = f"{'no code':<15}"
    for name in names:
        false, ms = results[name]["no code"]
        row += f"{f'{false} read':>11} {ms / len(empty):>6.2f} ms"
    print(row + f"   ({len(empty)} frames without a code; 'read' = codes invented)")
    floor_rate, floor_ms = total["floor: bare QR"]
    floor_empty = results["floor: bare QR"]["no code"][1] / len(empty)
    for name in [*DECODERS, "zxing all formats"]:
        rate, ms = total[name]
        empty_ms = results[name]["no code"][1] / len(empty)
        print(
            f"{name} vs floor: {ms:.2f} / {floor_ms:.2f} ms per frame = {ms / floor_ms:.1f}x at "
            f"{rate:.1%} / {floor_rate:.1%}; no code {empty_ms:.2f} / {floor_empty:.2f} ms = "
            f"{empty_ms / floor_empty:.1f}x"
        )


if __name__ == "__main__":
    main()
