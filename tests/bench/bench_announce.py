"""Announcement latency per voice engine: from ``speak`` to audio ready (clips, espeak-ng) or to
the module's acknowledgement and end of speech (SYN6288 emulator), for one call sentence.

Run: .venv/bin/python tests/bench/bench_announce.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from drivers.voice import syn6288
from drivers.voice.clips import ClipEngine, generate_clip_set
from drivers.voice.espeak import EspeakEngine
from drivers.voice.text import call_text

TEXT = call_text("A023", 12, "zh")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        generate_clip_set(Path(tmp))
        print(f"clip set generation (once per install): {(time.perf_counter() - t) * 1000:.0f} ms")
        clips = ClipEngine(Path(tmp))
        espeak = EspeakEngine()
        for engine in (clips, espeak):
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                pcm = engine.render(TEXT, "zh")
                times.append((time.perf_counter() - t) * 1000)
            print(
                f"{engine.name:8s} audio ready: median {statistics.median(times):7.1f} ms, "
                f"max {max(times):7.1f} ms ({pcm.duration:.1f} s of speech)"
            )
    emu = syn6288.Syn6288Emulator(seconds_per_char=0.0)
    port = emu.start()
    try:
        engine = syn6288.Syn6288Engine(port)
        acks, totals = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            engine._ask(syn6288.speak_frame(TEXT), 1.0)
            acks.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            engine.render(TEXT, "zh")
            totals.append((time.perf_counter() - t) * 1000)
        engine.close()
        print(
            f"syn6288  frame->ack: median {statistics.median(acks):7.1f} ms; speak incl. idle poll "
            f"(emulated, no speech time): median {statistics.median(totals):7.1f} ms"
        )
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
