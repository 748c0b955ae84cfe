"""Outbox drain rate: N events (default 100,000, a 72-hour backlog) pushed to the local reference
platform, beside the bare floor of the same HTTP work.

Run: .venv/bin/python tests/bench/bench_outbox_drain.py [--events N] [--batch 500]
The platform runs as a separate process (`kiosk platform serve`) on loopback, as in the demo.
- ``kiosk``: the sync engine draining the store's outbox (read a batch, sign, HTTP, validate the
  answer, delete the delivered events in one fsync'd transaction);
- ``floor``: a bare ``requests`` loop posting the same events in the same batches (JSON-encoded
  and signed in the loop, the same way), reading the JSON answer -- no store, no validation.
Each runs against its own fresh platform (same start state); the last line gives the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.platform import signing  # noqa: E402
from kiosk.platform.client import ClientConfig, PlatformClient  # noqa: E402
from kiosk.platform.signing import load_secret  # noqa: E402
from kiosk.platform.sync import SyncEngine  # noqa: E402
from offline_cache import outbox  # noqa: E402
from offline_cache.store import Store  # noqa: E402

T, H = "T-DEMO-001", "H-DEMO-001"


def data(i: int) -> dict[str, Any]:
    return {
        "ticket_id": f"20261123-A{i:06d}",
        "number": f"A{i % 1000:03d}",
        "category": "A",
        "item_code": "34112206CN001",
        "priority": "normal",
        "appointment_id": None,
        "holder_id_hash": "9f" * 32,
        "issued_at": "2026-11-23T09:00:00+08:00",
    }


@contextmanager
def platform(tmp: Path) -> Iterator[tuple[str, bytes]]:
    folder = tmp / f"platform-{uuid.uuid4().hex[:6]}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--log-level", "ERROR", "platform", "serve", "--port", "0",
         "--data", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert proc.stdout is not None
    url = re.search(r"http://[0-9.:]+", proc.stdout.readline())
    assert url, "platform did not start"
    try:
        yield url.group(0), load_secret(folder / f"{T}.secret")
    finally:
        proc.terminate()
        proc.wait(10)


def kiosk_drain(tmp: Path, events: int, batch: int) -> tuple[float, float, int]:
    with platform(tmp) as (url, secret):
        store = Store.open(tmp / f"kiosk-{uuid.uuid4().hex[:6]}.db")

        def fill(conn: Any, start: int, n: int) -> None:
            for i in range(start, start + n):
                outbox.enqueue(conn, "ticket.issued", data(i), terminal_id=T, hall_id=H)

        t0 = time.perf_counter()
        for start in range(0, events, 5000):
            store.write(lambda c, s=start: fill(c, s, min(5000, events - s)))
        t_fill = time.perf_counter() - t0
        client = PlatformClient(ClientConfig(url, T, H, secret))
        engine = SyncEngine(store, client, terminal_id=T, hall_id=H, batch_size=batch)
        t0 = time.perf_counter()
        out = engine.push(force=True)
        elapsed = time.perf_counter() - t0
        with store.read() as conn:
            left = outbox.depth(conn)
        client.close()
        store.close()
        assert left == 0 and out.accepted == events, (left, out.accepted)
        return t_fill, elapsed, out.accepted


def floor_drain(tmp: Path, events: int, batch: int) -> tuple[float, int]:
    """The same events, in the same batches, signed, over one requests session; nothing else."""
    batches = []
    for start in range(0, events, batch):
        evs = [
            {
                "id": str(uuid.uuid4()),
                "type": "ticket.issued",
                "at": "2026-11-23T01:00:00.000+00:00",
                "terminal_id": T,
                "hall_id": H,
                "data": data(i),
            }
            for i in range(start, min(events, start + batch))
        ]
        batches.append(evs)
    with platform(tmp) as (url, secret), requests.Session() as session:
        accepted = 0
        t0 = time.perf_counter()
        for evs in batches:
            body = json.dumps({"events": evs}, ensure_ascii=False, separators=(",", ":")).encode()
            hdrs = signing.headers(secret, T, "POST", "/v1/events", body)
            hdrs["Content-Type"] = "application/json; charset=utf-8"
            resp = session.post(url + "/v1/events", data=body, headers=hdrs, timeout=30)
            resp.raise_for_status()
            accepted += len(resp.json()["accepted"])
        elapsed = time.perf_counter() - t0
    assert accepted == events, accepted
    return elapsed, accepted


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        t_floor, n_floor = floor_drain(tmp, args.events, args.batch)
        t_fill, t_kiosk, n_kiosk = kiosk_drain(tmp, args.events, args.batch)
    print(f"enqueue: {args.events} events in {t_fill:.1f} s ({args.events / t_fill:,.0f} events/s)")
    for label, n, t in (("floor: ", n_floor, t_floor), ("drain: ", n_kiosk, t_kiosk)):
        print(f"{label}  {n} accepted, batch {args.batch}, {t:.1f} s -> {n / t:,.0f} events/s")
    print(f"drain / floor: {(n_kiosk / t_kiosk) / (n_floor / t_floor):.2f} of the bare requests loop's rate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
