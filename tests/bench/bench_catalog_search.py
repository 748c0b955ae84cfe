"""Catalog search latency per keystroke over 50,000 items (both SQLite builds).

Run: .venv/bin/python tests/bench/bench_catalog_search.py [--items 50000]
Types each query one character at a time (as the on-screen keyboard does) and searches after
every keystroke; prints p50/p95/max in milliseconds per SQLite build.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.devtools.refplatform.catalog_gen import generate  # noqa: E402
from offline_cache import catalog, sqlite  # noqa: E402
from offline_cache.store import Store  # noqa: E402

QUERIES = ["不动产登记", "bdcdj", "budongchan", "居民身份证换领", "sfzhl", "营业执照", "税务", "结婚登记",
           "yyzz", "个体工商户", "社保", "qiye sheli", "医保异地", "xx 不存在的事项"]  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=50_000)
    args = ap.parse_args()
    items = generate(args.items)
    for label, module in (("pysqlite3 (bundled)", sqlite.driver), ("stdlib sqlite3", sqlite.STDLIB)):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "kiosk.db", module=module)
            t0 = time.perf_counter()
            for i in range(0, len(items), 2000):
                store.write(lambda c, i=i: catalog.upsert(c, items[i : i + 2000]))
            load_s = time.perf_counter() - t0
            times: list[float] = []
            hits = 0
            with store.read() as conn:
                for q in QUERIES:
                    for n in range(1, len(q) + 1):
                        t = time.perf_counter()
                        found = catalog.search(conn, q[:n], limit=20)
                        times.append((time.perf_counter() - t) * 1000)
                        hits += bool(found)
            store.close()
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(
                f"{label} {module.sqlite_version}: {args.items} items loaded in {load_s:.1f} s; "
                f"{len(times)} keystrokes: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
                f"max {times[-1]:.1f} ms ({hits} with results)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
