"""``kiosk catalog search TEXT``: the service guide's search, from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.catalog import CatalogService
from kiosk.cli.common import open_local_store


def register(sub: Any) -> None:
    p = sub.add_parser("catalog", help="search the local service catalog")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    s = csub.add_parser("search", help="Chinese substring or pinyin (full or initials, e.g. bdcdj)")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)
    show = csub.add_parser("show", help="one item's details")
    show.add_argument("code")
    show.set_defaults(func=cmd_show)


def cmd_search(args: argparse.Namespace) -> int:
    opened = open_local_store(args)
    if opened is None:
        return 1
    settings, _, store = opened
    try:
        svc = CatalogService(store, settings.platform.hall_id)
        found = svc.search(args.text, limit=max(1, args.limit))
        total = svc.count()
    finally:
        store.close()
    if args.json:
        print(json.dumps([vars(i) for i in found], ensure_ascii=False))
        return 0
    if total == 0:
        print("the catalog is empty: run `kiosk sync once` with a platform configured", file=sys.stderr)
        return 1
    for i in found:
        days = "即办" if i.kind == "immediate" else f"承诺{i.promised_days}个工作日"
        print(f"{i.code}  [{i.category}] {i.name}  — {i.department}，{days}")
    if not found:
        print("no match", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    opened = open_local_store(args)
    if opened is None:
        return 1
    _, _, store = opened
    try:
        item = CatalogService(store).item(args.code)
    finally:
        store.close()
    if item is None:
        print(f"no item {args.code}", file=sys.stderr)
        return 1
    print(json.dumps(item, ensure_ascii=False, indent=2))
    return 0
