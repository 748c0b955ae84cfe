"""Calling policies compared on the same simulated days (issue 13): for each window count and
seed, the weighted round robin (the earlier policy, the baseline) and service level run the
same arrivals; printed per lane: p95 wait and share called within the lane's target, and the
ordinary tickets' average wait (the price of priority), as the mean over the seeds (worst seed
in brackets), plus the estimate error and, with --day-full, the tickets refused as day full.

Run: .venv/bin/python tests/bench/bench_queue_policies.py [--tickets 2000] [--seeds 1-5]
     [--counters 20,30,40] [--day-full] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.queue.model import QueuePolicy
from kiosk.queue.simulate import SimConfig, run, summary

POLICIES = ("weighted", "service_level")
TARGET_LANES = ("appointment", "elderly", "disability", "military", "vip")


def one(tickets: int, counters: int, seed: int, policy: QueuePolicy) -> dict[str, Any]:
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        cfg = SimConfig(tickets=tickets, counters=counters, seed=seed)
        return summary(run(cfg, Path(tmp) / "s.db", policy))


def cell(values: list[float], worst: float) -> str:
    return f"{statistics.mean(values):.1f} ({worst:.1f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=2000)
    ap.add_argument("--seeds", default="1-5", help="a-b or a comma list")
    ap.add_argument("--counters", default="20,30,40")
    ap.add_argument("--day-full", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if "-" in args.seeds:
        lo, hi = (int(x) for x in args.seeds.split("-"))
        seeds = list(range(lo, hi + 1))
    else:
        seeds = [int(x) for x in args.seeds.split(",")]
    windows = [int(x) for x in args.counters.split(",")]
    results: dict[str, Any] = {}
    for n in windows:
        for name in POLICIES:
            policy = replace(QueuePolicy(), calling=name, day_full=args.day_full)
            results[f"{n}/{name}"] = [one(args.tickets, n, s, policy) for s in seeds]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    print(f"{args.tickets} tickets, seeds {seeds}; mean over seeds (worst seed)")
    for n in windows:
        print(f"\n{n} windows")
        print(f"  {'':<34}" + "".join(f"{p:>22}" for p in POLICIES))
        rows: list[tuple[str, list[str]]] = []
        for lane in TARGET_LANES:
            p95, share = [], []
            for name in POLICIES:
                outs = results[f"{n}/{name}"]
                v = [o["lanes"][lane]["p95_wait_min"] for o in outs if lane in o["lanes"]]
                w = [o["lanes"][lane]["within_target_pct"] for o in outs if lane in o["lanes"]]
                p95.append(cell(v, max(v)) if v else "-")
                share.append(cell(w, min(w)) if w else "-")
            rows.append((f"{lane} p95 wait min", p95))
            rows.append((f"{lane} on target %", share))
        for label, key, agg in (
            ("normal avg wait min", "avg_wait_min", max),
            ("normal p95 wait min", "p95_wait_min", max),
            ("normal max wait min", "max_wait_min", max),
        ):
            vals = []
            for name in POLICIES:
                v = [o["lanes"]["normal"][key] for o in results[f"{n}/{name}"]]
                vals.append(cell(v, agg(v)))
            rows.append((label, vals))
        for label, key in (
            ("longest wait any lane min", "max_wait_min"),
            ("refused day full", "refused_day_full"),
        ):
            vals = []
            for name in POLICIES:
                v = [float(o[key]) for o in results[f"{n}/{name}"]]
                vals.append(cell(v, max(v)))
            rows.append((label, vals))
        for label, key, agg in (
            ("estimate error median min", "median_abs_min", max),
            ("estimate error p90 min", "p90_abs_min", max),
            ("estimates within 20% or 3 min %", "within_20pct_or_3min_pct", min),
        ):
            vals = []
            for name in POLICIES:
                v = [o["estimate_error"][key] for o in results[f"{n}/{name}"]]
                vals.append(cell(v, agg(v)))
            rows.append((label, vals))
        for label, vals in rows:
            print(f"  {label:<34}" + "".join(f"{x:>22}" for x in vals))


if __name__ == "__main__":
    main()
