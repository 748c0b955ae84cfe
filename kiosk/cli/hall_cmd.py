"""``kiosk hall host|status|schema|broker-config``: the hall bus (docs/hall-bus.md).

``kiosk hall host`` runs the hall's queue headless (store, queue, platform sync, the bus) until
SIGTERM; ``broker-config`` writes Mosquitto's config, password file and ACL from a terminal
list (the installer runs it on the host box).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tomllib
from pathlib import Path
from typing import Any

from kiosk.cli.common import load, start_logging
from kiosk.stop_request import StopRequest


def register(sub: Any) -> None:
    p = sub.add_parser("hall", help="the hall bus: run the host headless, broker config, contract")
    hsub = p.add_subparsers(dest="hall_command", metavar="ACTION", required=True)
    host = hsub.add_parser("host", help="serve the hall's queue on the bus, headless, until SIGTERM")
    host.add_argument("--demo", action="store_true", help="use the built-in demo hall if none is synced")
    host.add_argument("--exit-after", type=float, metavar="SECONDS", help="stop after SECONDS")
    host.set_defaults(func=cmd_host)
    schema = hsub.add_parser("schema", help="print the bus contract as JSON Schema")
    schema.set_defaults(func=cmd_schema)
    bc = hsub.add_parser("broker-config", help="write mosquitto.conf, passwd and acl from a terminal list")
    bc.add_argument("terminals", help='TOML: hall = "H-..."; [[terminal]] id, role, password')
    bc.add_argument("--out", required=True, help="directory for mosquitto.conf, passwd, acl, data/")
    bc.add_argument("--port", type=int, default=1883)
    bc.add_argument("--bind", default="0.0.0.0", help="listen address (default all)")
    bc.add_argument("--tls", nargs=3, metavar=("CERT", "KEY", "CA"), help="mqtts listener")
    bc.add_argument("--data-dir", help="persistence directory (default: OUT/data)")
    bc.add_argument(
        "--journal", action="store_true", help="log to stderr (journald) instead of OUT/mosquitto.log"
    )
    bc.set_defaults(func=cmd_broker_config)


def cmd_host(args: argparse.Namespace) -> int:
    from kiosk.app import App

    settings = load(args)
    if settings.hall.role != "host":
        print(f'[hall] role is {settings.hall.role!r}; set role = "host" to serve the hall', file=sys.stderr)
        return 2
    if not settings.hall.broker_url:
        print("[hall] broker_url is empty; set it to the hall broker (mqtt://HOST:PORT)", file=sys.stderr)
        return 2
    paths = start_logging(args, settings)
    app = App(settings, paths, demo=bool(args.demo), config_file=args.config)
    done = StopRequest().on_signals(signal.SIGTERM, signal.SIGINT)
    app.start()
    try:
        host = app.services.hall_host
        if host is None:
            why = app.services.hall_status or app.services.queue_status
            print(f"hall bus not started: {why}", file=sys.stderr)
            return 1
        print(f"hall host serving {host.hall} on {settings.hall.broker_url}", flush=True)
        done.wait(args.exit_after)
    finally:
        app.shutdown()
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from kiosk.hall.contract import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_broker_config(args: argparse.Namespace) -> int:
    from kiosk.hall.broker import ROLES, Terminal, write_config

    path = Path(args.terminals)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    hall = data.get("hall")
    rows = data.get("terminal")
    if not isinstance(hall, str) or not isinstance(rows, list) or not rows:
        print(f'{path}: needs hall = "H-..." and at least one [[terminal]]', file=sys.stderr)
        return 2
    terminals = []
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or not all(isinstance(r.get(k), str) for k in ("id", "role", "password")):
            print(f"{path}: terminal[{i}]: needs id, role and password (strings)", file=sys.stderr)
            return 2
        if r["role"] not in ROLES:
            print(f"{path}: terminal[{i}].role: one of {', '.join(ROLES)}", file=sys.stderr)
            return 2
        terminals.append(Terminal(r["id"], r["role"], r["password"]))
    conf = write_config(
        Path(args.out),
        hall=hall,
        terminals=terminals,
        port=args.port,
        bind=args.bind,
        tls=(args.tls[0], args.tls[1], args.tls[2]) if args.tls else None,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        log_file=not args.journal,
    )
    print(f"wrote {conf} ({len(terminals)} terminal(s))")
    return 0
