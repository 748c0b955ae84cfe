"""``kiosk devices test voice``: say a test call through the configured announcer (or one
engine of it) and report which engine spoke and how long it took; ``--out FILE.wav`` records
it instead of playing (the clip and espeak engines)."""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from devices.announcer import Announcement
from devices.base import DeviceError, DeviceEvent, DeviceKind
from kiosk.devtools.output_common import configured, fail, no_device, run_on_device
from kiosk.settings.schema import DeviceSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", metavar="NAME", help="which announcer (default: the first configured)")
    parser.add_argument("--engine", choices=["clips", "espeak", "qt", "syn6288"], help="try only this engine")
    parser.add_argument("--number", default="A001")
    parser.add_argument("--counter", type=int, default=1)
    parser.add_argument("--language", choices=["zh", "en"], default="zh")
    parser.add_argument("--out", metavar="FILE.wav", help="write the audio here instead of playing it")


def run(args: argparse.Namespace) -> int:
    found = configured(args, DeviceKind.ANNOUNCER)
    if found is None:
        return no_device("announcer")
    _, name, conf = found
    opts = conf.options
    tmp = tempfile.TemporaryDirectory(prefix="kiosk-voice-") if args.out else None
    changes: dict[str, Any] = {}
    if args.engine:
        changes["engines"] = [args.engine]
    if tmp is not None:
        changes["output"] = f"file://{tmp.name}"
    if changes:
        conf = DeviceSettings(conf.driver, True, dataclasses.replace(opts, **changes))
    events: list[DeviceEvent] = []
    item = Announcement(args.number, args.counter, language=args.language)

    def job(dev: Any) -> str | None:
        print(f"saying: {dev.text_for(item)}")
        return dev.speak(item)

    try:
        engine = run_on_device(name, conf, job, timeout=120, events=events)
    except DeviceError as err:
        return fail(f"{name}: not said ({err.code}): {err.message}")
    for ev in events:
        if ev.type == "engine_fault":
            print(f"engine {ev.data['engine']} failed ({ev.data['code']}): {ev.data['detail']}")
        if ev.type == "announcement_skipped":
            print(f"skipped: {ev.data['reason']}")
        if ev.type == "announced":
            print(f"{name}: said by {ev.data['engine']} in {ev.data['ms']} ms")
    if tmp is not None:
        last = Path(tmp.name) / "last.wav"
        if last.exists():
            Path(args.out).write_bytes(last.read_bytes())
            print(f"written: {args.out}")
        tmp.cleanup()
    return 0 if engine else 1
