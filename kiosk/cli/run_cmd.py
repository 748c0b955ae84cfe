"""``kiosk run`` (production: fullscreen, locked) and ``kiosk demo`` (everything emulated)."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from kiosk.app import App
from kiosk.cli.common import load, start_logging, with_overrides
from kiosk.settings.load import shipped_config_dir


def register(sub: Any) -> None:
    run = sub.add_parser("run", help="start the terminal (fullscreen, locked down)")
    run.add_argument("--config", dest="run_config", metavar="FILE", help="same as the global --config")
    run.add_argument("--exit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)
    demo = sub.add_parser("demo", help="start a demo kiosk: all devices emulated, local platform")
    demo.add_argument(
        "what",
        nargs="?",
        choices=["kiosk", "hall"],
        default="kiosk",
        help="hall: the kiosk is the hall's host, with a counter and a hall display on a local Mosquitto",
    )
    demo.add_argument("--windowed", action="store_true", help="a normal window (default: as configured)")
    demo.add_argument("--exit-after", type=float, metavar="SECONDS", help="quit after SECONDS")
    demo.set_defaults(func=cmd_demo)


def cmd_run(args: argparse.Namespace) -> int:
    config_file = args.run_config or args.config
    settings = load(args, config_file=config_file)
    paths = start_logging(args, settings)
    app = App(settings, paths, config_file=config_file)
    from ui.app import run_gui

    return run_gui(app, fullscreen=settings.ui.fullscreen, locked=True, exit_after=args.exit_after)


def _demo_data_dir() -> Path:
    if os.environ.get("KIOSK_DATA_DIR"):
        return Path(os.environ["KIOSK_DATA_DIR"])
    import platformdirs

    return Path(platformdirs.user_data_dir("hall-kiosk")) / "demo"


def cmd_demo(args: argparse.Namespace) -> int:
    from kiosk.demo import start_demo_environment

    config_file = args.config or str(shipped_config_dir() / "demo.toml")
    data_dir = _demo_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    # Validate the file before starting emulators, so a typo fails fast and plainly.
    load(args, config_file=config_file)
    with ExitStack() as stack:
        overrides = start_demo_environment(stack, data_dir)
        if args.what == "hall":
            from kiosk.demo import _merge
            from kiosk.hall.demo import hall_part

            _merge(overrides, hall_part(args.windowed, args.exit_after)(stack, data_dir))
        overrides.setdefault("paths", {}).setdefault("data_dir", str(data_dir))
        settings = with_overrides(config_file, overrides, os.environ)
        paths = start_logging(args, settings)
        app = App(settings, paths, demo=True)
        from ui.app import run_gui

        fullscreen = settings.ui.fullscreen and not args.windowed
        code = run_gui(app, fullscreen=fullscreen, locked=False, exit_after=args.exit_after)
    sys.stderr.flush()
    return code
