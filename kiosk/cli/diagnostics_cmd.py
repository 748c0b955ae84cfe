"""``kiosk diagnostics [--out FILE]``: the same redacted bundle technician mode writes."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.cli.common import load
from kiosk.ops.diagnostics import write_bundle


def register(sub: Any) -> None:
    p = sub.add_parser("diagnostics", help="write a redacted diagnostics bundle (zip) for support")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="where to write it (default: ./hall-kiosk-diagnostics-<terminal>-<time>.zip)",
    )
    p.set_defaults(func=cmd_diagnostics)


def cmd_diagnostics(args: argparse.Namespace) -> int:
    settings = load(args)
    terminal = settings.terminal_id
    out = Path(args.out or f"hall-kiosk-diagnostics-{terminal}-{datetime.now():%Y%m%d-%H%M%S}.zip")
    try:
        path = write_bundle(settings, out)
    except OSError as exc:
        print(f"kiosk diagnostics: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {path} ({path.stat().st_size // 1024 + 1} KiB; secrets and personal data removed)")
    return 0
