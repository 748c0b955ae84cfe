"""Outbox drain rate: N events (default 100,000) pushed to the local reference platform.

Run: .venv/bin/python tests/bench/bench_outbox_drain.py [--events N] [--batch 500]
The platform runs as a separate process (`kiosk platform serve`) on loopback, as in the demo;
prints events/s for the whole drain (signing, HTTP, platform commit, local outbox deletes).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.platform.client import ClientConfig, PlatformClient  # noqa: E402
from kiosk.platform.signing import load_secret  # noqa: E402
from kiosk.platform.sync import SyncEngine  # noqa: E402
from offline_cache import outbox  # noqa: E402
from offline_cache.store import Store  # noqa: E402

T, H = "T-DEMO-001", "H-DEMO-001"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "platform"
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--log-level", "ERROR", "platform", "serve", "--port", "0",
             "--data", str(data)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        assert proc.stdout is not None
        url = re.search(r"http://[0-9.:]+", proc.stdout.readline())
        assert url, "platform did not start"
        try:
            store = Store.open(Path(tmp) / "kiosk.db")

            def fill(conn: Any, start: int, n: int) -> None:
                for i in range(start, start + n):
                    outbox.enqueue(
                        conn,
                        "ticket.issued",
                        {
                            "ticket_id": f"20261123-A{i:06d}",
                            "number": f"A{i % 1000:03d}",
                            "category": "A",
                            "item_code": "34112206CN001",
                            "priority": "normal",
                            "appointment_id": None,
                            "holder_id_hash": "9f" * 32,
                            "issued_at": "2026-11-23T09:00:00+08:00",
                        },
                        terminal_id=T,
                        hall_id=H,
                    )

            t0 = time.perf_counter()
            for start in range(0, args.events, 5000):
                store.write(lambda c, s=start: fill(c, s, min(5000, args.events - s)))
            t_fill = time.perf_counter() - t0
            client = PlatformClient(ClientConfig(url.group(0), T, H, load_secret(data / "T-DEMO-001.secret")))
            engine = SyncEngine(store, client, terminal_id=T, hall_id=H, batch_size=args.batch)
            t0 = time.perf_counter()
            out = engine.push(force=True)
            elapsed = time.perf_counter() - t0
            with store.read() as conn:
                left = outbox.depth(conn)
            print(f"enqueue: {args.events} events in {t_fill:.1f} s ({args.events / t_fill:,.0f} events/s)")
            print(
                f"drain:   {out.accepted} accepted, {out.duplicates} duplicates, {left} left, "
                f"batch {args.batch}, {elapsed:.1f} s -> {out.accepted / elapsed:,.0f} events/s"
            )
            client.close()
            store.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
