"""Queue engine figures: operations per second (pure engine; service with the store on tmpfs
and on disk), a 100-counter 10,000-ticket day simulated (wall time), and call-to-LED-frame
latency (QueueService.call_next -> DeviceManager -> RS-485 driver -> bus emulator on a pty).

Run: .venv/bin/python tests/bench/bench_queue.py [--tickets 10000] [--counters 100] [--disk-day]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.queue.engine import QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import Priority, QueuePolicy
from kiosk.queue.simulate import SimConfig, run, sim_profile

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def engine_ops(n: int) -> float:
    cfg = SimConfig(tickets=20000, counters=100)
    e = QueueEngine(sim_profile(cfg), QueuePolicy(enforce_hours=False))
    rng = random.Random(1)
    cats = [c.code for c in e.profile.categories]
    now = T0
    ops = 0
    t = time.perf_counter()
    for i in range(n):
        now += timedelta(seconds=1)
        r = rng.random()
        try:
            if r < 0.4:
                e.issue(now, rng.choice(cats), printing=False, priority=rng.choice(list(Priority)))
            else:
                e.call_next(rng.randint(1, 100), now)
        except QueueRefused:
            pass
        ops += 1
        if i % 5000 == 4999:
            e.roll(now)
    return ops / (time.perf_counter() - t)


def service_ops(n: int, directory: str | None) -> float:
    from kiosk.queue.service import QueueService
    from offline_cache.store import Store

    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        clock = [T0]
        svc = QueueService(
            store, demo_profile(), QueuePolicy(enforce_hours=False), terminal_id="T-B", clock=lambda: clock[0]
        )
        svc.start()
        rng = random.Random(2)
        t = time.perf_counter()
        for _ in range(n):
            clock[0] += timedelta(seconds=5)
            try:
                if rng.random() < 0.5:
                    svc.issue_unprinted(rng.choice("ABCDE"))
                else:
                    svc.call_next(rng.randint(1, 8))
            except QueueRefused:
                pass
        rate = n / (time.perf_counter() - t)
        store.close()
        return rate


def category_waits(waiting: int, counters: int) -> tuple[float, float, float]:
    """Microseconds per ``QueueService.categories()`` with ``waiting`` tickets in a hall of
    ``counters`` windows: the bare floor (ahead x mean service / windows, the old board figure),
    the forward-played wait a ticket is told (computed afresh after every change), and a
    repeated reading between two changes (cached)."""
    from kiosk.queue.service import QueueService
    from offline_cache.store import Store

    with tempfile.TemporaryDirectory(dir="/dev/shm") as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        clock = [T0]
        cfg = SimConfig(tickets=waiting, counters=counters)
        policy = QueuePolicy(enforce_hours=False)
        svc = QueueService(store, sim_profile(cfg), policy, terminal_id="T-B", clock=lambda: clock[0])
        svc.start()
        rng = random.Random(3)
        cats = [c.code for c in svc.profile.categories]
        with svc.batched():
            for _ in range(waiting):
                clock[0] += timedelta(seconds=2)
                try:
                    svc.issue_unprinted(rng.choice(cats), priority=rng.choice(list(Priority)))
                except QueueRefused:
                    pass
        runs = 50
        t = time.perf_counter()
        for _ in range(runs):
            for c in cats:
                svc.engine.estimate(c)
        floor = (time.perf_counter() - t) / runs * 1e6
        t = time.perf_counter()
        for _ in range(runs):
            svc._changes += 1  # as after a queue change
            svc.categories()
        fresh = (time.perf_counter() - t) / runs * 1e6
        t = time.perf_counter()
        for _ in range(runs):
            svc.categories()
        cached = (time.perf_counter() - t) / runs * 1e6
        store.close()
        return floor, fresh, cached


def led_latency(runs: int) -> list[float]:
    from devices.base import DeviceState
    from devices.manager import DeviceManager
    from drivers.rs485.emulator import BusEmulator
    from drivers.rs485.presets import PRESETS
    from kiosk.cli.common import with_overrides
    from kiosk.queue.outputs import CallOutputs
    from kiosk.queue.service import QueueService
    from offline_cache.store import Store

    repo = Path(__file__).resolve().parents[2]
    out: list[float] = []
    with (
        BusEmulator(PRESETS["hk-crc16"], screens=list(range(1, 9))) as emu,
        tempfile.TemporaryDirectory() as tmp,
    ):
        port = emu.start()
        settings = with_overrides(
            str(repo / "config" / "default.toml"),
            {
                "devices": {
                    "window_screens": {
                        "driver": "rs485_led",
                        "port": port,
                        "preset": "hk-crc16",
                        "timeout_ms": 100,
                        "screens": [{"address": c, "counter": c} for c in range(1, 9)],
                    }
                }
            },
            {},
        )
        mgr = DeviceManager(settings.devices, lambda ev: None)
        mgr.start()
        try:
            assert mgr.wait_for("window_screens", {DeviceState.IDLE}, 10)
            store = Store.open(Path(tmp) / "lat.db")
            svc = QueueService(
                store,
                demo_profile(),
                QueuePolicy(enforce_hours=False),
                terminal_id="T-B",
                outputs=CallOutputs(mgr),
            )
            svc.start()
            for _ in range(runs):
                t = svc.issue_unprinted("A")
                t0 = time.perf_counter()
                svc.call_next(1)
                ok = emu.wait_until(lambda n=t.number: n in emu.screens[1].text, timeout=5)
                assert ok
                out.append((time.perf_counter() - t0) * 1000)
            store.close()
        finally:
            mgr.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=10000)
    ap.add_argument("--counters", type=int, default=100)
    ap.add_argument("--disk-day", action="store_true", help="also simulate the day on disk (slow: fsync)")
    args = ap.parse_args()
    print(f"engine (in memory, 100 counters): {engine_ops(50000):,.0f} ops/s")
    print(f"service + store on tmpfs (/dev/shm): {service_ops(3000, '/dev/shm'):,.0f} ops/s")
    print(f"service + store on disk ({tempfile.gettempdir()}): {service_ops(1000, None):,.0f} ops/s")
    for waiting, counters in ((200, 8), (2000, 100)):
        floor, fresh, cached = category_waits(waiting, counters)
        print(
            f"category waits, {waiting} waiting / {counters} counters: bare floor (ahead x service) "
            f"{floor:,.0f} us, forward-played after a change {fresh:,.0f} us, "
            f"repeated reading {cached:,.1f} us"
        )
    dirs = [("tmpfs", "/dev/shm")] + ([("disk", None)] if args.disk_day else [])
    for label, d in dirs:
        with tempfile.TemporaryDirectory(dir=d) as tmp:
            res = run(SimConfig(tickets=args.tickets, counters=args.counters, seed=1), Path(tmp) / "day.db")
        s = res.stats
        print(
            f"day {args.tickets} tickets / {args.counters} counters ({label}): wall {res.wall_s:.1f} s, "
            f"{res.operations} queue ops ({res.operations / res.wall_s:,.0f}/s), "
            f"{res.extra['outbox_events']} outbox events; issued {s['issued']}, served {s['served']}, "
            f"avg wait {s['avg_wait_min']} min, p95 {s['p95_wait_min']} min"
        )
    lat = led_latency(40)
    print(
        f"call_next -> LED frame on the bus (40 calls): median {statistics.median(lat):.1f} ms, "
        f"p95 {sorted(lat)[int(0.95 * len(lat)) - 1]:.1f} ms, max {max(lat):.1f} ms"
    )


if __name__ == "__main__":
    main()
