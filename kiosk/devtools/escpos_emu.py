"""``kiosk emulate escpos``: an ESC/POS printer on a pty or TCP port, rendering each ticket
to PNG. Type ``ok``, ``near_end``, ``out``, ``cover`` or ``close`` + Enter to change its paper
state while it runs (a technician rehearsing the kiosk's paper-out screen)."""

from __future__ import annotations

import argparse
import select
import sys
import threading
from pathlib import Path

from drivers.escpos.emulator import EscposEmulator


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tcp", metavar="PORT", type=int, help="listen on 127.0.0.1:PORT (0 = any free)")
    parser.add_argument("--pty-link", metavar="PATH", help="pty mode: keep a symlink to the pty here")
    parser.add_argument("--render-dir", metavar="DIR", default="", help="write ticket-NNNN.png and last.png")
    parser.add_argument("--paper-mm", type=int, choices=[58, 80], default=80)
    parser.add_argument("--paper", choices=["ok", "near_end", "out"], default="ok")
    parser.add_argument("--cover-open", action="store_true")
    parser.add_argument("--chinese-at-start", action="store_true", help="boot in Chinese mode")


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    emu = EscposEmulator(
        render_dir=Path(args.render_dir) if args.render_dir else None,
        paper_dots=384 if args.paper_mm == 58 else 576,
        chinese_at_start=args.chinese_at_start,
    )
    emu.set_paper(args.paper, cover_open=args.cover_open)
    if args.tcp is not None:
        host, port = emu.start_tcp(port=args.tcp)
        print(f'escpos emulator listening: connection = "tcp://{host}:{port}"', flush=True)
    else:
        path = emu.start_pty(Path(args.pty_link) if args.pty_link else None)
        print(f'escpos emulator on pty: connection = "serial://{path}"', flush=True)
    stop = stop or threading.Event()
    seen = 0
    cover = args.cover_open
    paper = args.paper
    try:
        while not stop.is_set():
            if sys.stdin.isatty() and select.select([sys.stdin], [], [], 0.2)[0]:
                cmd = sys.stdin.readline().strip()
                if cmd in ("ok", "near_end", "out"):
                    paper = cmd
                elif cmd in ("cover", "close"):
                    cover = cmd == "cover"
                emu.set_paper(paper, cover_open=cover)
                print(f"paper {paper}, cover {'open' if cover else 'closed'}", flush=True)
            else:
                stop.wait(0.2)
            for t in emu.tickets[seen:]:
                first = t.text.strip().splitlines()[:1]
                print(
                    f"ticket {t.index}: {first[0] if first else ''} -> {t.png or '(not rendered)'}",
                    flush=True,
                )
            seen = len(emu.tickets)
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0
