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
    p.add_argument(
        "--hall-bus",
        metavar="CONFIG",
        help="render the hall display and counter from the live hall: CONFIG is a member terminal's file",
    )
    p.set_defaults(func=cmd_screenshots)


def cmd_screenshots(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    settings = load(args, config_file=args.config or str(shipped_config_dir() / "demo.toml"))
    from ui.screenshots import LANGS, MODES, ORIENTATIONS, render_all

    if args.hall_bus:
        return _live(args, settings)
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


def _live(args: argparse.Namespace, settings: Any) -> int:
    """Join the hall as the member of ``--hall-bus`` (its own data dir and broker user), wait
    for the host's state, render the hall display and the counter from it."""
    import sys
    import time

    from kiosk.app import App, _event_bus
    from kiosk.facade import Kiosk
    from kiosk.paths import Paths
    from kiosk.wiring import queue as wiring_queue
    from kiosk.wiring import store as wiring_store
    from ui.screenshots import LANGS, MODES, ORIENTATIONS, live_prepares, render_all

    member = load(args, config_file=args.hall_bus)
    if member.hall.role != "member":
        print(f'{args.hall_bus}: [hall] role must be "member" to join the hall bus', file=sys.stderr)
        return 2
    app = App(member, Paths.from_settings(member.paths), config_file=args.hall_bus)
    app.start([_event_bus, wiring_store.build, wiring_queue.build])
    try:
        deadline = time.monotonic() + 20
        remote = app.services.remote_queue
        while time.monotonic() < deadline and (
            app.services.hall_queue is None or remote is None or remote.last_state() is None
        ):
            time.sleep(0.1)
            remote = app.services.remote_queue
        if app.services.hall_queue is None or remote is None or remote.last_state() is None:
            print("no state from the hall's host within 20 s", file=sys.stderr)
            return 1
        counter = member.terminal.counter or 1
        model = app.services.hall_queue.display_model()
        current = model.current.number if model.current else "-"
        waiting = " ".join(f"{c.code}={c.waiting}" for c in model.categories)
        written = render_all(
            settings,
            Path(args.dir),
            screens=args.screen or ["hall_display", "counter"],
            langs=args.lang or LANGS,
            modes=args.mode or MODES,
            orientations=args.orientation or ORIENTATIONS,
            prepare=live_prepares(Kiosk.of(app), counter),
        )
    finally:
        app.shutdown()
    print(f"{len(written)} screenshot(s) of the live hall (state seq {remote.state_seq()}) in {args.dir}")
    print(f"  shown: calling {current}; waiting {waiting}")
    return 0
