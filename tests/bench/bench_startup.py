"""Cold start of `kiosk demo` to the home screen shown, and its memory, beside the bare floor.

Run: .venv/bin/python tests/bench/bench_startup.py [--runs N]
Prints one line per run and a summary (median/max seconds, resident and private MiB at first
frame). The
floor, run alternately with the kiosk in the same loop: the same interpreter starting a trivial
Qt Quick window (one Rectangle, same platform and software renderer) and reporting its first
frame the same way; the summary gives both and the ratios. One unmeasured run of each comes
first, so both start with their bytecode compiled, as an installed kiosk does (the children
run without PYTHONDONTWRITEBYTECODE). The demo's reference platform runs in its own process, as
a hall's platform is another machine: the kiosk's figure is the kiosk's (its start does include
waiting for the platform to serve).
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

FLOOR = r"""
import json, os, sys, time
from pathlib import Path
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickView, QQuickWindow, QSGRendererInterface
QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
app = QGuiApplication(["floor"])
view = QQuickView()
view.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
qml = Path(os.environ["KIOSK_DATA_DIR"]) / "floor.qml"
qml.write_text("import QtQuick\nRectangle { width: 1080; height: 1920; color: 'white' }\n")
view.setSource(QUrl.fromLocalFile(str(qml)))
def shown():
    status = {k: int(v.split()[0]) / 1024 for k, v in
              (l.split(":", 1) for l in Path("/proc/self/status").read_text().splitlines())
              if k in ("VmRSS", "VmHWM", "RssAnon")}
    Path(os.environ["KIOSK_STARTUP_REPORT"]).write_text(json.dumps(
        {"shown_at": time.time(), "rss_mib": status["VmRSS"], "peak_rss_mib": status["VmHWM"],
         "private_mib": status["RssAnon"]}))
view.frameSwapped.connect(shown, Qt.ConnectionType.SingleShotConnection)
view.show()
app.exec()
"""


def one_run(floor: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "startup.json"
        env = dict(
            {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            KIOSK_DATA_DIR=tmp,
            KIOSK_STARTUP_REPORT=str(report),
        )
        t_spawn = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-c", FLOOR]
            if floor
            else [sys.executable, "-m", "kiosk", "demo", "--exit-after", "30"],
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
            "private_mib": data["private_mib"],
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    runs: list[dict[str, float]] = []
    floors: list[dict[str, float]] = []
    one_run(floor=True), one_run()  # warm-up: bytecode written as an installed kiosk has it
    for _ in range(args.runs):
        floors.append(one_run(floor=True))
        runs.append(one_run())
    for i, (r, f) in enumerate(zip(runs, floors, strict=True), 1):
        print(
            f"run {i}: cold start {r['cold_start_s']:.2f} s, resident {r['rss_mib']:.0f} MiB; "
            f"floor {f['cold_start_s']:.2f} s, {f['rss_mib']:.0f} MiB"
        )
    starts = [r["cold_start_s"] for r in runs]
    rss = statistics.median(r["rss_mib"] for r in runs)
    print(
        f"cold start to home screen: median {statistics.median(starts):.2f} s, max {max(starts):.2f} s; "
        f"resident at first frame: median {rss:.0f} MiB, "
        f"peak {max(r['peak_rss_mib'] for r in runs):.0f} MiB"
    )
    f_start = statistics.median(f["cold_start_s"] for f in floors)
    f_rss = statistics.median(f["rss_mib"] for f in floors)
    print(
        f"floor (trivial Qt Quick window): median {f_start:.2f} s, {f_rss:.0f} MiB; kiosk / floor: "
        f"{statistics.median(starts) / f_start:.1f}x time, {rss / f_rss:.1f}x memory"
    )
    own = statistics.median(r["private_mib"] for r in runs)
    f_own = statistics.median(f["private_mib"] for f in floors)
    print(
        f"private memory at first frame: kiosk median {own:.0f} MiB, floor {f_own:.0f} MiB "
        f"({own / f_own:.1f}x); resident also counts the shared libraries' pages the page cache "
        "maps, some 15-20 MiB more for both just after they were installed"
    )


if __name__ == "__main__":
    main()
