"""``kiosk screenshots DIR``: every screen as PNG, named <screen>-<lang>-<mode>-<orientation>.png."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from kiosk.cli.common import load
from kiosk.settings.load import shipped_config_dir


def register(sub: Any) -> None:
    p = sub.add_parser("screenshots", help="render every screen to PNG files in DIR")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--screen", action="append", help="only this screen (repeatable)")
    p.add_argument("--lang", action="append", choices=["zh", "en"])
    p.add_argument("--mode", action="append", choices=["normal", "elderly"])
    p.add_argument("--orientation", action="append", choices=["portrait", "landscape"])
    p.set_defaults(func=cmd_screenshots)


def cmd_screenshots(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    settings = load(args, config_file=args.config or str(shipped_config_dir() / "demo.toml"))
    from ui.screenshots import LANGS, MODES, ORIENTATIONS, render_all

    written = render_all(
        settings,
        Path(args.dir),
        screens=args.screen,
        langs=args.lang or LANGS,
        modes=args.mode or MODES,
        orientations=args.orientation or ORIENTATIONS,
    )
    print(f"{len(written)} screenshot(s) written to {args.dir}")
    return 0
