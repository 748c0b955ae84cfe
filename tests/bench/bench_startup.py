"""Cold start of `kiosk demo` to the home screen shown, and its memory.

Run: .venv/bin/python tests/bench/bench_startup.py [--runs N]
Prints one line per run and a summary (median/max seconds, resident MiB at first frame).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "startup.json"
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            KIOSK_DATA_DIR=tmp,
            KIOSK_STARTUP_REPORT=str(report),
        )
        t_spawn = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "demo", "--exit-after", "30"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while not report.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("demo did not reach its home screen")
                time.sleep(0.02)
            time.sleep(0.05)
            data = json.loads(report.read_text())
        finally:
            proc.terminate()
            proc.wait(30)
        return {
            "cold_start_s": data["shown_at"] - t_spawn,
            "rss_mib": data["rss_mib"],
            "peak_rss_mib": data["peak_rss_mib"],
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    runs = [one_run() for _ in range(args.runs)]
    for i, r in enumerate(runs, 1):
        print(f"run {i}: cold start {r['cold_start_s']:.2f} s, resident {r['rss_mib']:.0f} MiB")
    starts = [r["cold_start_s"] for r in runs]
    print(
        f"cold start to home screen: median {statistics.median(starts):.2f} s, max {max(starts):.2f} s; "
        f"resident at first frame: median {statistics.median(r['rss_mib'] for r in runs):.0f} MiB, "
        f"peak {max(r['peak_rss_mib'] for r in runs):.0f} MiB"
    )


if __name__ == "__main__":
    main()
