"""ID-card reader figures: frames decoded per second, and one read cycle's software time
against its wire time at 115200 baud.

Run: .venv/bin/python tests/bench/bench_idcard.py [--seconds S] [--cycles N]

The wire time is what the bytes of find + select + read take on a 115200 8N1 line (10 bits a
byte); the software time is the same cycle through the real transport over a pty against the
emulator (a pty moves bytes at memory speed, so this is our overhead alone).

The vendor-SDK paths (``sdtapi``, ``termb``) are timed the same way, as one read poll of the
real device class: worker -> pipe -> helper process -> ctypes -> the C test double of the SDK
(built here with ``cc``) -> pty -> emulator, beside the serial driver's own read poll.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from drivers.sam import codec
from drivers.sam.codec import Command, FrameDecoder
from drivers.sam.emulator import SamEmulator, load_cards
from drivers.sam.text import parse_text
from drivers.sam.transport import SamTransport
from kiosk.settings.load import shipped_config_dir

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sam" / "read_resident.hex"
VENDOR_SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "vendor"


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


def poll_ms(driver: str, cycles: int, library: Path | None = None) -> list[float]:
    """One read poll of the device class (find, select, read, decode, event), card laid anew
    before each (the removal poll in between is not timed)."""
    from devices.base import Device
    from devices.idcard import SamIdCardReader, SamReaderOptions
    from devices.sdtapi_idcard import SdtApiIdCardReader, SdtApiOptions
    from devices.termb_idcard import TermbIdCardReader, TermbOptions

    cards = load_cards(shipped_config_dir() / "demo-cards.toml")
    times: list[float] = []
    reads: list[Any] = []
    with SamEmulator(cards, present=0) as emu:
        os.environ["KIOSK_EMU_SAM_TTY"] = emu.path
        reader: Device
        if driver == "sdtapi":
            reader = SdtApiIdCardReader("bench", SdtApiOptions(library=str(library), removal_misses=1))
        elif driver == "termb":
            reader = TermbIdCardReader("bench", TermbOptions(library=str(library), removal_misses=1))
        else:
            reader = SamIdCardReader("bench", SamReaderOptions(port=emu.path, removal_misses=1))
        reader.attach(lambda ev: reads.append(ev) if ev.type == "card_read" else None)
        reader.open()
        try:
            for _ in range(cycles):
                emu.remove()
                reader.poll()
                emu.place(0)
                start = time.perf_counter()
                reader.poll()
                times.append((time.perf_counter() - start) * 1000)
        finally:
            reader.close()
    assert len(reads) == cycles, f"{driver}: {len(reads)} reads in {cycles} polls"
    return times


def vendor_libraries(out: Path) -> dict[str, Path]:
    """The SDK doubles of tests/fixtures/vendor, built with the system C compiler."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise SystemExit("no C compiler for the vendor SDK doubles (gcc is in the dev packages)")
    libs = {}
    for api in ("sdtapi", "termb"):
        libs[api] = out / f"lib{api}_emu.so"
        source = VENDOR_SOURCES / f"{api}_emu.c"
        subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(libs[api]), str(source)], check=True)
    return libs


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
    with tempfile.TemporaryDirectory(prefix="bench-vendor-") as tmp:
        libs = vendor_libraries(Path(tmp))
        print()
        print(f"{'one read poll of the device class, median / p95 (ms)':<52}{'median':>7}{'p95':>7}")
        print("-" * 66)
        for driver, label in (
            ("sam-serial", "sam-serial (in process, pyserial)"),
            ("sdtapi", "sdtapi (helper process + SDT_* library)"),
            ("termb", "termb (helper process + termb library)"),
        ):
            t = sorted(poll_ms(driver, args.cycles, libs.get(driver)))
            print(f"{label:<52}{statistics.median(t):>7.2f}{t[int(len(t) * 0.95) - 1]:>7.2f}")
        print(f"{'(wire time of the same cycle at 115200 8N1, ms)':<52}{wire:>7.1f}")


if __name__ == "__main__":
    main()
