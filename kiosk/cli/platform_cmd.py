"""``kiosk platform serve``: the reference platform (needs the ``platform`` extra: Flask)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from kiosk.stop_request import StopRequest


def register(sub: Any) -> None:
    p = sub.add_parser("platform", help="run the local reference platform (demo, tests, integration)")
    psub = p.add_subparsers(dest="platform_command", metavar="ACTION", required=True)
    s = psub.add_parser("serve", help="serve the v1 terminal contract with the demo hall")
    s.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    s.add_argument("--port", type=int, default=8700, help="0 = any free port (printed)")
    s.add_argument("--data", default="./platform-data", help="directory for the platform's database")
    s.add_argument(
        "--secret-file", help="demo terminal secret, hex (default: DATA/T-DEMO-001.secret, created)"
    )
    s.add_argument("--no-admin", action="store_true", help="do not serve /admin (fault switches, stats)")
    s.add_argument("--items", type=int, default=0, help="add N generated items to the catalog (benchmarks)")
    s.add_argument("--error-rate", type=float, default=0.0, help="fraction of requests answered 503")
    s.add_argument("--latency-ms", type=int, default=0, help="delay every answer")
    s.add_argument("--drop-rate", type=float, default=0.0, help="fraction of requests dropped after commit")
    s.add_argument("--clock-skew", type=float, default=0.0, help="seconds added to the server clock")
    s.add_argument("--nonsense-rate", type=float, default=0.0, help="fraction of 200s with a garbage body")
    s.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
        from kiosk.devtools.refplatform.server import Faults
    except ImportError as exc:
        print(
            f"the reference platform needs Flask: pip install 'hall-kiosk[platform]' ({exc})", file=sys.stderr
        )
        return 1
    faults = Faults(
        error_rate=args.error_rate,
        latency_ms=args.latency_ms,
        drop_rate=args.drop_rate,
        clock_skew_s=args.clock_skew,
        nonsense_rate=args.nonsense_rate,
    )
    data = Path(args.data)
    platform = prepare(data, Path(args.secret_file) if args.secret_file else None, faults)
    if args.items:
        from kiosk.devtools.refplatform.catalog_gen import generate

        with platform.db.tx() as c:
            platform.db.put_items(c, generate(args.items))
    done = StopRequest().on_signals(signal.SIGTERM)  # before listening: a client may stop it at once
    try:
        server = ServerThread(platform, args.host, args.port, quiet=False)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    server.start()
    secret = Path(args.secret_file) if args.secret_file else data / SECRET_NAME
    print(f"reference platform on {server.url} (OpenAPI: {server.url}/openapi.json)", flush=True)
    print(f"terminal T-DEMO-001, hall H-DEMO-001, secret file {secret}", flush=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
