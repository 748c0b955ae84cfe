"""ID card laid on the reader -> ``card_read`` event, including the serial line's own time, beside
the bare floor of the same exchange.

Run: .venv/bin/python tests/bench/bench_card_latency.py [--cards 40] [--poll S] [--baud 115200]

The reader emulator passes bytes no faster than a serial line at ``--baud`` (8N1), so the wire
time of find + select + read is part of every figure. Cards are laid at random moments (as
citizens do, unrelated to the poll phase) and lifted again once read.
- ``kiosk``: the real driver under the DeviceManager with the configured poll interval (default:
  the shipped default), timed from the card landing to the ``card_read`` event;
- ``floor``: the bare exchange on the same paced line -- find, select, read back to back the
  moment the card lands, no polling and no device layer: the wire plus the reader's answers.
Also printed: how busy the line is with find polls while no card lies there.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from devices.base import DeviceEvent, DeviceState
from devices.idcard import SamReaderOptions
from devices.manager import DeviceManager
from drivers.sam import codec
from drivers.sam.codec import Command
from drivers.sam.emulator import SamEmulator, load_cards
from drivers.sam.transport import SamTransport
from kiosk.cli.common import with_overrides
from kiosk.settings.load import shipped_config_dir
from tests.bench.percentiles import p95

REPO = Path(__file__).resolve().parents[2]
CARDS = load_cards(shipped_config_dir() / "demo-cards.toml")


def floor(cards: int, baud: int, rng: random.Random) -> list[float]:
    out = []
    with SamEmulator(CARDS, present=None, baud=baud) as emu:
        link = SamTransport(emu.path)
        link.open()
        try:
            for _ in range(cards):
                time.sleep(rng.uniform(0.05, 0.3))
                emu.place(0)
                t0 = time.perf_counter()
                assert link.transact(Command.FIND_CARD, 2.0).sw3 == 0x9F
                assert link.transact(Command.SELECT_CARD, 2.0).ok
                codec.parse_read(link.transact(Command.READ_TEXT_PHOTO, 3.0).data)
                out.append((time.perf_counter() - t0) * 1000)
                emu.remove()
        finally:
            link.close()
    return out


def kiosk(cards: int, baud: int, poll: float | None, rng: random.Random) -> tuple[list[float], float, float]:
    out: list[float] = []
    read = threading.Event()
    removed = threading.Event()
    read_at = [0.0]

    def sink(ev: DeviceEvent) -> None:
        if ev.type == "card_read":
            read_at[0] = time.perf_counter()
            read.set()
        elif ev.type == "card_removed":
            removed.set()

    with SamEmulator(CARDS, present=None, baud=baud) as emu:
        reader: dict[str, object] = {"driver": "sam-serial", "port": emu.path}
        if poll is not None:
            reader["poll_interval_s"] = poll
        settings = with_overrides(
            str(REPO / "config" / "default.toml"), {"devices": {"idreader": reader}}, {}
        )
        mgr = DeviceManager(settings.devices, sink)
        mgr.start()
        try:
            assert mgr.wait_for("idreader", {DeviceState.IDLE}, 10)
            idle_from, idle_requests = time.perf_counter(), emu.requests
            time.sleep(2.0)
            idle_rate = (emu.requests - idle_requests) / (time.perf_counter() - idle_from)
            for _ in range(cards):
                time.sleep(rng.uniform(0.05, 0.6))
                read.clear()
                removed.clear()
                emu.place(0)
                t0 = time.perf_counter()
                assert read.wait(5), "no card_read"
                out.append((read_at[0] - t0) * 1000)
                emu.remove()
                assert removed.wait(5), "no card_removed"
        finally:
            mgr.stop()
    find = len(codec.encode_command(Command.FIND_CARD)) + len(codec.encode_response(0x80))
    return out, idle_rate, idle_rate * find * 10 / baud


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=40)
    ap.add_argument("--poll", type=float, default=None, help="poll interval (default: the shipped default)")
    ap.add_argument("--baud", type=int, default=115200)
    args = ap.parse_args()
    rng = random.Random(16)
    base = floor(args.cards, args.baud, rng)
    ours, polls_per_s, busy = kiosk(args.cards, args.baud, args.poll, rng)
    poll = args.poll if args.poll is not None else SamReaderOptions().poll_interval_s
    print(f"{args.cards} cards laid at random moments; line {args.baud} baud 8N1 (paced emulator)")
    print(
        f"floor (find+select+read at once): median {statistics.median(base):.0f} ms, p95 {p95(base):.0f} ms"
    )
    print(
        f"kiosk (poll {poll * 1000:.0f} ms): median {statistics.median(ours):.0f} ms, "
        f"p95 {p95(ours):.0f} ms, max {max(ours):.0f} ms; p95 / floor p95 = {p95(ours) / p95(base):.2f}"
    )
    print(f"idle line: {polls_per_s:.1f} find polls/s, {busy:.1%} of the line busy")


if __name__ == "__main__":
    main()
