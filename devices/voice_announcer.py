"""The voice announcer device: a queue of announcements spoken one at a time on the device's
own worker (so two calls never talk over each other), through the first engine that works.

Engines in fallback order (``engines``): ``clips`` (recorded clips joined), ``espeak``
(espeak-ng, Mandarin voice ``cmn-latn-pinyin``), ``qt`` (Qt TextToSpeech, when the app runs a
Qt event loop), ``syn6288`` (a serial TTS module). An engine that fails is reported once
(``engine_fault``) and the next one speaks; it is tried again on the next announcement.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any, Literal

from devices.announcer import Announcement, Announcer
from devices.base import DeviceError, options_doc
from devices.registry import DriverInfo
from drivers.voice.engine import Engine, EngineError
from drivers.voice.player import Player
from drivers.voice.text import TEMPLATES, call_text
from drivers.voice.wav import Pcm, join, scale

log = logging.getLogger(__name__)
OUTPUT = "output"
"""The name a sound-output fault is reported under (beside the engines' own names)."""

EngineName = Literal["clips", "espeak", "qt", "syn6288"]


@dataclass(frozen=True)
class VoiceOptions:
    engines: list[EngineName] = field(
        default_factory=lambda: ["clips", "espeak"], metadata=options_doc("in fallback order")
    )
    clip_dir: str = field(
        default="", metadata=options_doc("recorded clips; empty = a starter set generated with espeak-ng")
    )
    espeak_voice_zh: str = field(default="cmn-latn-pinyin", metadata=options_doc("espeak-ng voice, by name"))
    espeak_voice_en: str = "en"
    espeak_rate: int = field(default=150, metadata=options_doc("words per minute", min=80, max=400))
    qt_voice: str = field(default="cmn-latn-pinyin", metadata=options_doc("Qt TextToSpeech voice name"))
    syn6288_port: str = field(default="", metadata=options_doc("serial port of a SYN6288 module"))
    syn6288_baudrate: int = field(
        default=9600, metadata=options_doc("module baud rate", min=1200, max=115200)
    )
    syn6288_write_timeout_s: float = field(
        default=2.0,
        metadata=options_doc("longest a frame may wait for the module to take it", min=0.1, max=30),
    )
    output: str = field(
        default="aplay", metadata=options_doc("aplay | paplay | a command with {file} | file:///dir | none")
    )
    repeat: int = field(default=2, metadata=options_doc("times each call is said", min=1, max=5))
    gap_ms: int = field(default=700, metadata=options_doc("pause between repeats", min=0, max=5000))
    volume: int = field(default=80, metadata=options_doc("0-100", min=0, max=100))
    quiet_hours: str = field(
        default="",
        metadata=options_doc(
            "no sound in this local time range, e.g. 12:00-13:30", pattern=r"(\d{2}:\d{2}-\d{2}:\d{2})?"
        ),
    )
    max_queue: int = field(
        default=20, metadata=options_doc("announcements waiting before new ones are refused", min=1)
    )
    template_zh: str = field(default=TEMPLATES["zh"], metadata=options_doc("{number} {counter}"))
    template_en: str = field(default=TEMPLATES["en"], metadata=options_doc("{number} {counter}"))


def parse_quiet(spec: str) -> tuple[dtime, dtime] | None:
    m = re.fullmatch(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})", spec.strip())
    if not m:
        return None
    h1, m1, h2, m2 = (int(x) for x in m.groups())
    return dtime(h1 % 24, m1 % 60), dtime(h2 % 24, m2 % 60)


def in_quiet(now: dtime, window: tuple[dtime, dtime] | None) -> bool:
    if window is None:
        return False
    start, end = window
    return start <= now < end if start <= end else (now >= start or now < end)


def build_engine(name: str, opts: VoiceOptions, clip_dir: Path) -> Engine:
    if name == "clips":
        from drivers.voice.clips import ClipEngine

        return ClipEngine(clip_dir)
    if name == "espeak":
        from drivers.voice.espeak import EspeakEngine

        return EspeakEngine({"zh": opts.espeak_voice_zh, "en": opts.espeak_voice_en}, rate=opts.espeak_rate)
    if name == "qt":
        from drivers.voice.qt_tts import QtTtsEngine

        return QtTtsEngine(opts.qt_voice)
    from drivers.voice.syn6288 import Syn6288Engine

    return Syn6288Engine(
        opts.syn6288_port,
        baudrate=opts.syn6288_baudrate,
        volume=opts.volume,
        write_timeout_s=opts.syn6288_write_timeout_s,
    )


def default_clip_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("hall-kiosk")) / "voice-clips"


class VoiceAnnouncer(Announcer):
    driver_name = "voice"
    poll_interval = 0.05

    def __init__(self, name: str, opts: VoiceOptions, *, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(name)
        self.opts = opts
        self.clock = clock or datetime.now
        self.quiet = parse_quiet(opts.quiet_hours)
        self.queue: deque[Announcement] = deque()
        self.engines: list[Engine] = []
        self.faulty: set[str] = set()
        self.player = Player(opts.output)
        self.clip_dir = Path(opts.clip_dir) if opts.clip_dir else default_clip_dir()
        self.spoken = 0
        self.last_ms: dict[str, float] = {}
        self.model = "+".join(opts.engines)

    def open(self) -> None:
        if "clips" in self.opts.engines and not self.opts.clip_dir:
            from drivers.voice.clips import generate_clip_set

            try:
                generate_clip_set(self.clip_dir)
            except (EngineError, OSError) as exc:
                log.warning("voice: starter clips not generated: %s", exc)
        self.engines = [build_engine(n, self.opts, self.clip_dir) for n in self.opts.engines]

    def close(self) -> None:
        for engine in self.engines:
            engine.close()
        self.engines = []

    def announce(self, item: Announcement) -> int:
        if len(self.queue) >= self.opts.max_queue:
            self.emit("announcement_skipped", number=item.number, counter=item.counter, reason="queue_full")
            raise DeviceError("queue_full", "too many announcements waiting")
        self.queue.append(item)
        return len(self.queue) - 1

    def pending(self) -> int:
        return len(self.queue)

    def text_for(self, item: Announcement) -> str:
        if item.text:
            return item.text
        template = self.opts.template_zh if item.language == "zh" else self.opts.template_en
        return call_text(item.number, item.counter, item.language, template)

    def poll(self) -> None:
        if not self.queue:
            return
        self.speak(self.queue.popleft())

    def _working(self, part: str) -> None:
        """A part that had faulted (an engine, or the sound output) worked again: say so once,
        so the fault reported to the platform is closed."""
        if part in self.faulty:
            self.faulty.discard(part)
            self.emit("engine_ok", engine=part)

    def speak(self, item: Announcement) -> str | None:
        """Say one announcement now (on this worker); returns the engine that spoke."""
        if in_quiet(self.clock().time(), self.quiet):
            self.emit("announcement_skipped", number=item.number, counter=item.counter, reason="quiet_hours")
            return None
        text = self.text_for(item)
        repeat = item.repeat or self.opts.repeat
        for engine in self.engines:
            started = time.monotonic()
            try:
                audio = self._render(engine, text, item.language, repeat)
            except EngineError as exc:
                if engine.name not in self.faulty:
                    self.faulty.add(engine.name)
                    self.emit("engine_fault", engine=engine.name, code=exc.code, detail=str(exc))
                log.warning("voice engine %s failed (%s); trying the next", engine.name, exc.code)
                continue
            self._working(engine.name)
            if audio is not None:
                try:
                    self.player.play(audio)
                except EngineError as exc:  # the sound output, not the engine: no fallback helps
                    if OUTPUT not in self.faulty:
                        self.faulty.add(OUTPUT)
                        self.emit("engine_fault", engine=OUTPUT, code=exc.code, detail=str(exc))
                    self.record_error(DeviceError("output_failed", str(exc)))
                    return None
                self._working(OUTPUT)
            ms = (time.monotonic() - started) * 1000
            self.last_ms[engine.name] = ms
            self.spoken += 1
            self.counters.reads += 1
            self.emit(
                "announced",
                number=item.number,
                counter=item.counter,
                language=item.language,
                engine=engine.name,
                ms=round(ms),
            )
            return engine.name
        self.emit(
            "announcement_skipped", number=item.number, counter=item.counter, reason="all_engines_failed"
        )
        self.record_error(DeviceError("all_engines_failed", "no voice engine could speak"))
        return None

    def _render(self, engine: Engine, text: str, language: str, repeat: int) -> Pcm | None:
        """The audio to play (repeats joined, volume applied), or None when the engine
        spoke by itself (a TTS module, asked again for each repeat)."""
        pcm = engine.render(text, language)
        if pcm is None:
            for _ in range(repeat - 1):
                time.sleep(self.opts.gap_ms / 1000)
                engine.render(text, language)
            return None
        if pcm.rms() < 50:
            raise EngineError("failed", "the engine produced silence")
        return scale(join([pcm] * repeat, self.opts.gap_ms), self.opts.volume)

    def health_detail(self) -> dict[str, Any]:
        return {
            "engines": [e.name for e in self.engines],
            "faulty": sorted(self.faulty),
            "queued": len(self.queue),
            "spoken": self.spoken,
            "output": self.opts.output if not self.opts.output.startswith("file://") else "file",
        }


def _factory(name: str, options: Any) -> VoiceAnnouncer:
    return VoiceAnnouncer(name, options)


DRIVER = DriverInfo(
    "voice", VoiceAnnouncer.kind, VoiceOptions, _factory, "voice announcements (clips/espeak/qt/SYN6288)"
)
