"""Document camera: how well a photographed page is straightened, against the flat original.

For N synthetic photos (8 MP sensor, skew ±15°, perspective up to 12%, lamp gradient, blur,
noise): the page's corners found vs the true ones (px in the photo and mm on the paper), the
normalised cross-correlation (NCC) of the straightened page with the flat original, and time
per page. Bare floor: the NCC of the photo itself, not straightened, resized to the page.

Run: .venv/bin/python tests/bench/bench_doccam.py [--pages N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from drivers.doccam import page
from kiosk.devtools import doccam_emu as emu


def ncc(a: np.ndarray, b: np.ndarray) -> float:
    ga = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY).astype(np.float64)
    gb = cv2.cvtColor(
        cv2.resize(b, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY
    )
    ga, gb = ga - ga.mean(), gb.astype(np.float64) - gb.mean()
    return float((ga * gb).sum() / np.sqrt((ga * ga).sum() * (gb * gb).sum()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()
    rows = []  # (skew, tilt, corner px, corner mm, NCC, floor NCC, ms, legible)
    for seed in range(args.pages):
        flat = emu.original(seed)
        shot = emu.photograph(flat, seed, (3264, 2448))
        t = time.perf_counter()
        got = page.straighten(shot.image, dpi=200)
        ms = (time.perf_counter() - t) * 1000
        floor = ncc(flat, shot.image)
        if got.corners is None:
            rows.append(
                (shot.skew_deg, shot.tilt, float("nan"), float("nan"), float("nan"), floor, ms, False)
            )
            continue
        err_px = float(np.abs(got.corners - shot.corners).max())
        mm_per_px = 297.0 / float(np.hypot(*(shot.corners[3] - shot.corners[0])))
        score = ncc(flat, got.image)
        rows.append(
            (shot.skew_deg, shot.tilt, err_px, err_px * mm_per_px, score, floor, ms, page.legible(got))
        )
    print(f"{'skew°':>6} {'tilt':>5} {'corner px':>9} {'mm':>5} {'NCC':>6} {'floor':>6} {'ms':>6} legible")
    for skew, tilt, px, mm, score, floor, ms, ok in rows:
        print(f"{skew:6.1f} {tilt:5.2f} {px:9.2f} {mm:5.2f} {score:6.3f} {floor:6.3f} {ms:6.0f} {ok}")
    found = [r for r in rows if not np.isnan(r[2])]
    print(
        f"found {len(found)}/{len(rows)}; corner error max {max(r[2] for r in found):.2f} px "
        f"({max(r[3] for r in found):.2f} mm on paper); NCC with the flat original "
        f"{statistics.mean(r[4] for r in found):.3f} vs bare floor (unstraightened) "
        f"{statistics.mean(r[5] for r in rows):.3f}; legible {sum(r[7] for r in rows)}/{len(rows)}; "
        f"{statistics.median(r[6] for r in rows):.0f} ms/page"
    )


if __name__ == "__main__":
    main()
