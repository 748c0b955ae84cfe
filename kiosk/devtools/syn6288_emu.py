"""``kiosk emulate syn6288``: a SYN6288 TTS module on a pty; prints what it is asked to say."""

from __future__ import annotations

import argparse
import threading

from drivers.voice.syn6288 import Syn6288Emulator


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds-per-char", type=float, default=0.25, help="speaking speed")


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    emu = Syn6288Emulator(seconds_per_char=args.seconds_per_char)
    path = emu.start()
    print(f'syn6288 emulator on pty: syn6288_port = "{path}"', flush=True)
    stop = stop or threading.Event()
    seen = 0
    try:
        while not stop.wait(0.2):
            for text in emu.spoken[seen:]:
                print(f"says: {text}", flush=True)
            seen = len(emu.spoken)
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0
