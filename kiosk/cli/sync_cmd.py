"""``kiosk sync once [--json]`` and ``kiosk sync status``: the technician's view of the platform link."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.cli.common import load, open_local_store, start_logging
from kiosk.platform.access import client_from_settings
from kiosk.platform.sync import SyncEngine, load_refused
from kiosk.wiring.store import open_store
from offline_cache import cursors, outbox, quarantine
from offline_cache.applications import SPOOL_DIR, ApplicationSpool
from offline_cache.errors import StoreError


def register(sub: Any) -> None:
    p = sub.add_parser("sync", help="synchronise with the platform now, or show the sync status")
    ssub = p.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    once = ssub.add_parser("once", help="push the whole outbox and pull everything; exit 0 only if all done")
    once.add_argument("--json", action="store_true", help="print the result as JSON")
    once.set_defaults(func=cmd_once)
    st = ssub.add_parser("status", help="outbox depth, quarantine, last sync, cursors (no network)")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)


def cmd_once(args: argparse.Namespace) -> int:
    settings = load(args)
    paths = start_logging(args, settings, to_file=False)
    client, problem = client_from_settings(settings)
    if client is None:
        reason = problem or "no platform configured ([platform] url is empty): offline mode"
        _emit(args, {"ok": False, "reason": reason})
        return 1
    try:
        store = open_store(paths, settings.store)
    except StoreError as exc:
        _emit(args, {"ok": False, "reason": getattr(exc, "message", str(exc))})
        return 1
    try:
        engine = SyncEngine(
            store,
            client,
            terminal_id=settings.terminal_id,
            hall_id=settings.platform.hall_id,
            batch_size=settings.platform.batch_size,
            profile=settings.terminal.profile,
        )
        result = engine.run_once(force=True)
    finally:
        client.close()
        store.close()
    _emit(args, result.as_dict())
    return 0 if result.ok else 1


def _emit(args: argparse.Namespace, data: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return
    if data.get("ok"):
        print(
            f"sync ok: {data.get('accepted', 0)} accepted, {data.get('duplicates', 0)} duplicates, "
            f"{data.get('quarantined', 0)} quarantined; outbox empty"
        )
    else:
        print(f"sync incomplete: {data.get('reason', '')}", file=sys.stderr)
    for name, outcome in (data.get("pulls") or {}).items():
        print(f"  {name}: {outcome}")
    for line in data.get("refused") or []:
        print(f"  refused: {line}")


def cmd_status(args: argparse.Namespace) -> int:
    opened = open_local_store(args)
    if opened is None:
        return 1
    settings, paths, store = opened
    try:
        spool_dir = paths.data / SPOOL_DIR
        spool = ApplicationSpool(spool_dir, store.cipher) if spool_dir.is_dir() and store.cipher else None
        with store.read() as conn:
            rows = conn.execute("SELECT name, cursor, updated_at FROM sync_cursors ORDER BY name").fetchall()
            oldest = conn.execute(
                "SELECT at, attempts, last_error FROM outbox ORDER BY seq LIMIT 1"
            ).fetchone()
            data: dict[str, Any] = {
                "platform": settings.platform.url or None,
                "mode": "online" if settings.platform.url else "offline_mode",
                "outbox_depth": outbox.depth(conn),
                "oldest_event_at": oldest[0] if oldest else None,
                "oldest_attempts": oldest[1] if oldest else 0,
                "last_error": oldest[2] if oldest else None,
                "quarantined": quarantine.count(conn),
                "last_sync_at": cursors.get_meta(conn, "last_sync_at"),
                "refused": _refused(conn),
                "cursors": {r[0]: {"cursor": r[1], "updated_at": r[2]} for r in rows},
                "applications_waiting": spool.depth() if spool else 0,
                "applications_refused": [
                    {"id": r.application_id, "at": r.rejected_at, "reason": r.reason}
                    for r in (spool.rejected_entries() if spool else [])
                ],
            }
    finally:
        store.close()
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"platform:      {data['platform'] or '(none: offline mode)'}")
    print(
        f"outbox:        {data['outbox_depth']} events"
        + (f", oldest {data['oldest_event_at']}" if oldest else "")
    )
    if data["last_error"]:
        print(f"last error:    {data['last_error']} (after {data['oldest_attempts']} attempts)")
    print(f"quarantine:    {data['quarantined']}")
    print(f"last sync:     {data['last_sync_at'] or 'never'}")
    for name, c in data["cursors"].items():
        print(f"cursor {name}: {c['cursor']} ({c['updated_at']})")
    for line in data["refused"]:
        print(f"refused:       {line}")
    refused_apps = data["applications_refused"]
    print(f"applications:  {data['applications_waiting']} waiting, {len(refused_apps)} refused (kept sealed)")
    for r in refused_apps:
        print(f"refused application: {r['id']} at {r['at']}: {r['reason']}")
    return 0


def _refused(conn: Any) -> list[str]:
    """The platform data the sync engine refused (kept in the store so this command, run
    beside the kiosk, can show it)."""
    try:
        return [f"{k}: {v}" for k, v in load_refused(conn).items()]
    except ValueError:
        return ["(the record of refused data is unreadable)"]
