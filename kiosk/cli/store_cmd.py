"""``kiosk store backup|restore|check|quarantine``: the technician's tools for the local database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import load, open_local_store, start_logging
from kiosk.wiring.store import backup_dir, db_path, open_store
from offline_cache import backup, outbox, quarantine
from offline_cache.errors import StoreError, StoreUnavailable


def register(sub: Any) -> None:
    p = sub.add_parser("store", help="back up, restore and check the local database")
    ssub = p.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    b = ssub.add_parser("backup", help="write a consistent backup now (safe while the kiosk runs)")
    b.add_argument("--dir", help="backup directory (default: [store] backup_dir)")
    b.set_defaults(func=cmd_backup)
    r = ssub.add_parser("restore", help="replace the database with a backup (kiosk must be stopped)")
    r.add_argument("file", nargs="?", help="backup file (default: the newest automatic backup)")
    r.set_defaults(func=cmd_restore)
    c = ssub.add_parser("check", help="integrity, schema version, outbox depth, quarantine")
    c.set_defaults(func=cmd_check)
    q = ssub.add_parser("quarantine", help="list events the platform rejected; --release ID re-queues one")
    q.add_argument("--release", metavar="ID")
    q.set_defaults(func=cmd_quarantine)


def _fail(exc: BaseException) -> int:
    print(getattr(exc, "message", None) or str(exc), file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    opened = open_local_store(args)
    if opened is None:
        return 1
    settings, paths, store = opened
    target = Path(args.dir) if args.dir else backup_dir(paths, settings.store)
    try:
        made = backup.make_backup(store, target, keep=settings.store.backups_kept)
    except (OSError, StoreError) as exc:
        return _fail(exc)
    finally:
        store.close()
    print(made)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    settings = load(args)
    paths = start_logging(args, settings, to_file=False)
    if args.file:
        source = Path(args.file)
    else:
        found = backup.list_backups(backup_dir(paths, settings.store))
        if not found:
            print(f"no backups in {backup_dir(paths, settings.store)}", file=sys.stderr)
            return 1
        source = found[-1]
    try:
        moved = backup.restore(db_path(paths), source)
    except (OSError, StoreError) as exc:
        return _fail(exc)
    print(f"restored {source}" + (f"; the replaced database was kept as {moved}" if moved else ""))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    settings = load(args)
    paths = start_logging(args, settings, to_file=False)
    path = db_path(paths)
    if not path.exists():
        print(f"{path}: no database yet (created on first start)")
        return 0
    try:
        version = backup.verify(path)
        store = open_store(paths, settings.store)
    except (StoreError, StoreUnavailable) as exc:
        return _fail(exc)
    try:
        with store.read() as conn:
            depth, held = outbox.depth(conn), quarantine.count(conn)
    finally:
        store.close()
    print(f"{path}: ok, schema {version}, outbox {depth}, quarantine {held}")
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    opened = open_local_store(args)
    if opened is None:
        return 1
    _, _, store = opened
    try:
        if args.release:
            ok = store.write(lambda c: quarantine.release(c, args.release))
            print("re-queued" if ok else "no such quarantined event")
            return 0 if ok else 1
        with store.read() as conn:
            for e in quarantine.entries(conn, limit=1000):
                print(f"{e.quarantined_at}  {e.id}  {e.type}  {e.reason}")
    finally:
        store.close()
    return 0
