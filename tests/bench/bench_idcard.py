"""ID-card reader figures: frames decoded per second, and one read cycle's software time
against its wire time at 115200 baud.

Run: .venv/bin/python tests/bench/bench_idcard.py [--seconds S] [--cycles N]

The wire time is what the bytes of find + select + read take on a 115200 8N1 line (10 bits a
byte); the software time is the same cycle through the real transport over a pty against the
emulator (a pty moves bytes at memory speed, so this is our overhead alone).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from drivers.sam import codec
from drivers.sam.codec import Command, FrameDecoder
from drivers.sam.emulator import SamEmulator, load_cards
from drivers.sam.text import parse_text
from drivers.sam.transport import SamTransport
from kiosk.settings.load import shipped_config_dir

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sam" / "read_resident.hex"


def frames_per_second(seconds: float) -> tuple[float, float]:
    frame = bytes.fromhex(FIXTURE.read_text().replace("\n", " "))
    decoder = FrameDecoder()
    n_frame = n_full = 0
    end = time.perf_counter() + seconds / 2
    while time.perf_counter() < end:
        for _ in range(100):
            decoder.feed(frame)
        n_frame += 100
    framing = n_frame / (seconds / 2)
    end = time.perf_counter() + seconds / 2
    while time.perf_counter() < end:
        for _ in range(100):
            (body,) = decoder.feed(frame)
            assert isinstance(body, bytes)
            blocks = codec.parse_read(codec.parse_response(body).data)
            parse_text(blocks.text)
        n_full += 100
    return framing, n_full / (seconds / 2)


def wire_ms(baud: int = 115200) -> tuple[int, float]:
    sent = 3 * len(codec.encode_command(Command.FIND_CARD))
    frame = bytes.fromhex(FIXTURE.read_text().replace("\n", " "))
    received = (
        len(codec.encode_response(0x9F, b"\0" * 4)) + len(codec.encode_response(0x90, b"\0" * 8)) + len(frame)
    )
    total = sent + received
    return total, total * 10 / baud * 1000


def cycle_ms(cycles: int) -> list[float]:
    cards = load_cards(shipped_config_dir() / "demo-cards.toml")
    times: list[float] = []
    with SamEmulator(cards, present=0) as emu:
        link = SamTransport(emu.path)
        link.open()
        try:
            for _ in range(cycles):
                start = time.perf_counter()
                assert link.transact(Command.FIND_CARD, 1.0).sw3 == 0x9F
                assert link.transact(Command.SELECT_CARD, 1.0).ok
                read = link.transact(Command.READ_TEXT_PHOTO, 1.0)
                parse_text(codec.parse_read(read.data).text)
                times.append((time.perf_counter() - start) * 1000)
        finally:
            link.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--cycles", type=int, default=200)
    args = parser.parse_args()
    framing, full = frames_per_second(args.seconds)
    total, wire = wire_ms()
    times = cycle_ms(args.cycles)
    med = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    print(f"{'measure':<52}{'value':>14}")
    print("-" * 66)
    print(f"{'read frames framed+checked per second':<52}{framing:>14,.0f}")
    print(f"{'read frames fully decoded (frame+blocks+text) /s':<52}{full:>14,.0f}")
    print(f"{'bytes on the line per read cycle':<52}{total:>14}")
    print(f"{'wire time of one cycle at 115200 8N1 (ms)':<52}{wire:>14.1f}")
    print(f"{'software time of one cycle over a pty, median (ms)':<52}{med:>14.2f}")
    print(f"{'software time of one cycle over a pty, p95 (ms)':<52}{p95:>14.2f}")
    print(f"{'software share of a real cycle (median)':<52}{med / (med + wire):>14.1%}")


if __name__ == "__main__":
    main()
