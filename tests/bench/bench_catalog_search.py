"""Catalog search latency per keystroke, beside the bare floor of the same lookups (both SQLite builds).

Run: .venv/bin/python tests/bench/bench_catalog_search.py [--items 5000,50000,200000] [--rounds 3]

Types each query one character at a time (as the on-screen keyboard does) and searches after
every keystroke; a keystroke's figure is the median of its ``--rounds`` typings (the machine is
shared). The floor, timed in the same loop on the same connection: one bare FTS5 trigram query
with the row limit (what was typed, three characters or more) plus one indexed prefix lookup of
the pinyin initials, no ranking at all. Also times the 1-2 character queries that start no
name, initials or pinyin (``医保``, ``xx``: the ones that used to read every row). Each catalog
is loaded once (with the bundled build) and read by both builds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kiosk.devtools.refplatform.catalog_gen import generate  # noqa: E402
from offline_cache import catalog, sqlite  # noqa: E402
from offline_cache.store import Store  # noqa: E402
from tests.bench.percentiles import p95  # noqa: E402

QUERIES = ["不动产登记", "bdcdj", "budongchan", "居民身份证换领", "sfzhl", "营业执照", "税务", "结婚登记",
           "yyzz", "个体工商户", "社保", "qiye sheli", "医保异地", "xx 不存在的事项"]  # fmt: skip
SHORT_NO_PREFIX = ["医保", "医", "换领", "xx", "gaj"]
LIMIT = 20


def floor(conn: Any, text: str) -> int:
    """The bare work: a trigram MATCH with LIMIT and an initials prefix range with LIMIT."""
    t = text.strip().lower()
    n = 0
    if len(t) >= 3:
        n += len(
            conn.execute(
                "SELECT c.code, c.name, c.department, c.category, c.kind, c.promised_days, c.online_depth "
                "FROM catalog_fts f JOIN catalog_items c ON c.rowid = f.rowid "
                "WHERE catalog_fts MATCH ? LIMIT ?",
                ('"' + t.replace('"', '""') + '"', LIMIT),
            ).fetchall()
        )
    n += len(
        conn.execute(
            "SELECT code, name, department, category, kind, promised_days, online_depth FROM catalog_items "
            "WHERE initials >= ? AND initials < ? LIMIT ?",
            (t, t + "\U0010ffff", LIMIT),
        ).fetchall()
    )
    return n


def measure(db: Path, module: Any, rounds: int) -> dict[str, list[float]]:
    """Per keystroke, the median of its ``rounds`` timings (the machine is shared: a neighbour's
    burst should not decide a p95); the floor's the same way."""
    store = Store.open(db, module=module)
    runs: dict[str, dict[str, list[float]]] = {"ours": {}, "floor": {}, "short": {}, "short_floor": {}}
    hits = 0
    try:
        with store.read() as conn:
            for q in QUERIES[:2]:  # warm the page cache for both
                catalog.search(conn, q, LIMIT)
                floor(conn, q)
            keys = [q[:n] for q in QUERIES for n in range(1, len(q) + 1)]
            for r in range(rounds):
                for kind, texts in (("", keys), ("short", SHORT_NO_PREFIX)):
                    for text in texts:
                        t = time.perf_counter()
                        found = catalog.search(conn, text, LIMIT)
                        runs[kind or "ours"].setdefault(text, []).append((time.perf_counter() - t) * 1000)
                        t = time.perf_counter()
                        floor(conn, text)
                        runs[f"{kind}_floor" if kind else "floor"].setdefault(text, []).append(
                            (time.perf_counter() - t) * 1000
                        )
                        hits += bool(found) and r == 0 and not kind
    finally:
        store.close()
    out = {k: [statistics.median(v) for v in per.values()] for k, per in runs.items()}
    out["hits"] = [float(hits)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", default="50000", help="sizes, e.g. 5000,50000,200000")
    ap.add_argument("--rounds", type=int, default=3, help="times each query is typed")
    args = ap.parse_args()
    sizes = [int(s) for s in args.items.split(",")]
    print(f"{'build':<22}{'items':>8}{'keys':>6}{'p50 ms':>8}{'p95 ms':>8}{'floor p95':>10}{'ratio':>7}"
          f"{'  short p95':>12}{'floor':>7}{'max':>7}")  # fmt: skip
    growth: dict[str, list[tuple[int, float]]] = {}
    for size in sizes:
        items = generate(size)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "kiosk.db"
            store = Store.open(db)
            t0 = time.perf_counter()
            for i in range(0, len(items), 2000):
                store.write(lambda c, part=items[i : i + 2000]: catalog.upsert(c, part))
            store.close()
            load_s = time.perf_counter() - t0
            for label, module in (("pysqlite3 (bundled)", sqlite.driver), ("stdlib sqlite3", sqlite.STDLIB)):
                r = measure(db, module, args.rounds)
                ours, base = p95(r["ours"]), p95(r["floor"])
                growth.setdefault(label, []).append((size, ours))
                print(
                    f"{label + ' ' + module.sqlite_version:<22}{size:>8}{len(r['ours']):>6}"
                    f"{statistics.median(r['ours']):>8.2f}{ours:>8.2f}{base:>10.2f}{ours / base:>7.1f}"
                    f"{p95(r['short']):>12.2f}{p95(r['short_floor']):>7.2f}{max(r['short']):>7.2f}"
                )
        print(f"  ({size} items loaded in {load_s:.1f} s)")
    for label, pts in growth.items():
        if len(pts) > 1:
            (s0, t0_), (s1, t1) = pts[0], pts[-1]
            print(f"growth {label}: {s1 / s0:.0f}x items -> p95 {t1 / t0_:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
