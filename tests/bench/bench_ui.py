"""UI figures: cold start to an interactive home screen (s) and its memory; memory across
1,000 simulated citizen flows (must stay within a bound); screen transition times.

Run: .venv/bin/python tests/bench/bench_ui.py [--flows 1000] [--skip-cold]
Offscreen, software rendering (the CI machine has no GPU); a real kiosk renders faster.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_SOFTWARE_RENDER", "1")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

COLD = r"""
import json, sys, time
from ui.app import process_start_time, _memory_mib
t0 = process_start_time()
from kiosk.settings import load_settings
from kiosk.settings.load import shipped_config_dir
from ui.screens import new_context
from ui.find import find_item
from ui.qt import QCoreApplication
ctx = new_context(load_settings(shipped_config_dir() / "demo.toml", environ={}))
window = ctx.load()
while find_item(window, "home_take_number") is None:
    QCoreApplication.processEvents()
window.grabWindow()  # one full frame rendered: the screen is on and touchable
shown = time.time()
mem = _memory_mib()
print(json.dumps({"cold_start_s": shown - t0, "rss_mib": mem["VmRSS"], "peak_rss_mib": mem["VmHWM"]}))
ctx.close()
"""


def cold_start(runs: int) -> None:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    starts = [r["cold_start_s"] for r in results]
    print(
        f"cold start to interactive home: median {statistics.median(starts):.2f} s, "
        f"max {max(starts):.2f} s over {runs} runs; resident {results[-1]['rss_mib']:.0f} MiB "
        f"(peak {results[-1]['peak_rss_mib']:.0f} MiB)"
    )


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def flows_and_transitions(n_flows: int) -> None:
    from tests.ui.rig import kiosk_rig
    from ui.find import find_item
    from ui.qt import QCoreApplication, QEvent
    from ui.sample_data import LI_MINGHUA
    from ui.screens import SCREENS

    where = {"flow": -1}

    def pump() -> None:
        """One turn of the event loop as ``exec()`` does it, deferred deletes included (plain
        ``processEvents`` leaves every unloaded screen alive and looks like a leak)."""
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def settle_until(pred: object, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not pred():  # type: ignore[operator]
            pump()
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"flow {where['flow']} did not complete: screen {ctx.ui.screen}, "
                    f"step {ctx.take_number.get('step')}"
                )
            time.sleep(0.0005)

    with tempfile.TemporaryDirectory() as tmp, kiosk_rig(Path(tmp), render_tickets=False) as rig:
        ctx = rig.ctx
        root = ctx.engine.rootObjects()[0]
        settle_until(lambda: len(ctx.take_number.get("categories")) == 5)

        # -- screen transitions: ui.go() until the screen is loaded, and until it is rendered
        names = [s.name for s in SCREENS]
        load_ms: dict[str, list[float]] = {n: [] for n in names}
        frame_ms: dict[str, list[float]] = {n: [] for n in names}
        for _ in range(5):
            for spec in SCREENS:
                ctx.ui.go("home")
                pump()
                spec.prepare(ctx)
                t = time.perf_counter()
                ctx.ui.go(spec.name)
                pump()
                load_ms[spec.name].append((time.perf_counter() - t) * 1000)
                root.grabWindow()
                frame_ms[spec.name].append((time.perf_counter() - t) * 1000)
        ctx.go_home()
        worst = max(names, key=lambda n: statistics.median(frame_ms[n]))
        all_load = [statistics.median(v) for v in load_ms.values()]
        all_frame = [statistics.median(v) for v in frame_ms.values()]
        print(
            f"screen transition (portrait, 1080x1920, software render): load median "
            f"{statistics.median(all_load):.0f} ms, "
            f"load+first frame median {statistics.median(all_frame):.0f} ms, "
            f"slowest {worst} {statistics.median(frame_ms[worst]):.0f} ms"
        )

        # -- citizen flows: identify (half of them), take a number, printed, home (wipe)
        cats = ["A", "B", "C", "D", "E"]
        samples: list[tuple[int, float]] = []
        gc.collect()
        base = rss_mib()
        t0 = time.perf_counter()
        for i in range(n_flows):
            where["flow"] = i
            if i % 2 == 0 and i < 6:  # real-name limit: 3 a day per category per person
                rig.bridge.card(LI_MINGHUA)
            else:
                ctx.ui.go("take_number")
            code = cats[i % len(cats)]
            settle_until(lambda: ctx.ui.screen == "take_number")
            ctx.take_number.choose(code)
            ctx.take_number.confirm()
            settle_until(
                lambda: (
                    ctx.ui.screen in ("ticket_printed", "error_printer")
                    or ctx.take_number.get("step") == "long_wait"
                )
            )
            if ctx.take_number.get("step") == "long_wait":  # the hall is behind: the citizen says yes
                ctx.take_number.confirm()
                settle_until(lambda: ctx.ui.screen in ("ticket_printed", "error_printer"))
            if ctx.ui.screen != "ticket_printed":
                raise SystemExit(f"flow {i} ended on {ctx.ui.screen}: {ctx.error.get('reference')}")
            assert find_item(root, "ticketNumber") is not None
            ctx.go_home()
            pump()
            if (i + 1) % 100 == 0:
                gc.collect()
                samples.append((i + 1, rss_mib()))
        elapsed = time.perf_counter() - t0
        growth = samples[-1][1] - samples[0][1]
        print(
            f"{n_flows} citizen flows (take number + print on the emulated printer + wipe) in "
            f"{elapsed:.1f} s ({elapsed / n_flows * 1000:.0f} ms each); resident before {base:.0f} MiB, "
            f"after 100 {samples[0][1]:.0f} MiB, after {n_flows} {samples[-1][1]:.0f} MiB "
            f"(growth 100->{n_flows}: {growth:+.1f} MiB)"
        )
        print("  rss by flow count: " + ", ".join(f"{n}:{m:.0f}" for n, m in samples))
        assert ctx.vm_holding_personal_data() == []
        bound = 20.0
        print(f"  bound {bound:.0f} MiB growth between flow 100 and flow {n_flows}: "
              f"{'OK' if growth <= bound else 'EXCEEDED'}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--flows", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-cold", action="store_true")
    args = ap.parse_args()
    if not args.skip_cold:
        cold_start(args.runs)
    from ui.context import ensure_qapp

    ensure_qapp()
    flows_and_transitions(args.flows)


if __name__ == "__main__":
    main()
