"""The simulated hall day on disk (``kiosk queue simulate``), beside the bare floor of the same work.

Run: .venv/bin/python tests/bench/bench_queue_day.py [--tickets 1000,5000,10000,20000] [--counters 100]
     [--per-op] [--dir DIR]

For each size, in the same run and on the same seed:
- ``floor``: the same day through the same QueueService with the store writes left out (the
  engine alone: what the day costs before anything is recorded);
- ``grouped``: the simulation as shipped, its writes grouped per transaction (fsync'd, on disk);
- ``per-op`` (with ``--per-op``): one transaction, one fsync, per queue operation -- what a
  caller with a person in front of it gets, and what the simulation did before.
Each line prints wall seconds (the fastest of ``--repeat`` alternating runs: the machine is
shared), the ratio to the floor, and the day's figures, which must be the same for every mode
(same tickets, same waits). The store is on ``--dir`` (default: the system
temporary directory, a real disk here; /dev/shm would be tmpfs).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.queue.service import QueueService
from kiosk.queue.simulate import SimConfig, SimResult, run


@contextlib.contextmanager
def mode(name: str) -> Iterator[None]:
    saved = QueueService._write, QueueService.batched
    try:
        if name == "floor":
            QueueService._write = lambda self, *args: None  # type: ignore[method-assign]
        elif name == "per-op":

            @contextlib.contextmanager
            def unbatched(self: Any, size: int = 0) -> Iterator[None]:
                yield

            QueueService.batched = unbatched  # type: ignore[method-assign]
        yield
    finally:
        QueueService._write, QueueService.batched = saved  # type: ignore[method-assign]


def one(name: str, tickets: int, counters: int, directory: str | None) -> SimResult:
    with mode(name), tempfile.TemporaryDirectory(dir=directory) as tmp:
        return run(SimConfig(tickets=tickets, counters=counters, seed=1), Path(tmp) / "day.db")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", default="10000", help="day sizes, e.g. 1000,5000,10000,20000")
    ap.add_argument("--counters", type=int, default=100)
    ap.add_argument("--per-op", action="store_true", help="also one transaction per operation (slow)")
    ap.add_argument("--dir", default=None, help="where the store goes (default: system temp dir)")
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs of each mode, alternating; the fastest counts"
    )
    args = ap.parse_args()
    modes = ["floor", "grouped", *(["per-op"] if args.per_op else [])]
    where = args.dir or tempfile.gettempdir()
    print(f"store in {where}; {args.counters} counters")
    print(f"{'tickets':>8} {'mode':<8}{'wall s':>8}{'x floor':>9}{'ops':>8}{'ops/s':>9}  day", end="")
    print(" (issued/served/avg/p95 wait min; the floor records nothing)")
    growth: list[tuple[int, float]] = []
    one("grouped", 200, 10, args.dir)  # warm-up: imports, first store
    for n in (int(x) for x in args.tickets.split(",")):
        best: dict[str, SimResult] = {}
        for _ in range(max(1, args.repeat)):  # alternating, so a busy spell hits every mode
            for m in modes:
                r = one(m, n, args.counters, args.dir)
                if m not in best or r.wall_s < best[m].wall_s:
                    best[m] = r
        base = 0.0
        for m in modes:
            r = best[m]
            base = base or r.wall_s
            s = r.stats
            print(
                f"{n:>8} {m:<8}{r.wall_s:>8.2f}{r.wall_s / base:>9.1f}{r.operations:>8}"
                f"{r.operations / r.wall_s:>9,.0f}  {s['issued']}/{s['served']}/{s['avg_wait_min']}/"
                f"{s['p95_wait_min']}"
            )
            if m == "grouped":
                growth.append((n, r.wall_s))
    if len(growth) > 1:
        (n0, t0), (n1, t1) = growth[0], growth[-1]
        print(f"growth (grouped, on disk): {n1 / n0:.0f}x tickets -> {t1 / t0:.1f}x wall time")


if __name__ == "__main__":
    main()
