"""Announcements rendered to WAV by the real engines (espeak-ng, clips generated from it),
checked for duration and sound with the stdlib ``wave``; the SYN6288 module on a pty; queueing,
repeats, quiet hours, volume and fallback through the announcer device."""

from __future__ import annotations

import math
import shutil
import threading
import wave
from array import array
from datetime import datetime
from pathlib import Path

import pytest

from devices.announcer import Announcement
from devices.base import DeviceEvent, DeviceState
from devices.manager import Backoff, DeviceManager
from devices.voice_announcer import VoiceAnnouncer, VoiceOptions
from drivers.voice.clips import ClipEngine, generate_clip_set
from drivers.voice.engine import EngineError
from drivers.voice.espeak import EspeakEngine
from drivers.voice.syn6288 import Syn6288Emulator, Syn6288Engine

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


def wav_stats(path: Path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    samples = array("h")
    samples.frombytes(frames)
    rms = math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))
    return len(samples) / rate, rms


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clips")
    generate_clip_set(folder)
    return folder


def test_espeak_mandarin_to_wav(tmp_path: Path) -> None:
    pcm = EspeakEngine().render("请A零二三号到三号窗口办理", "zh")
    duration, rms = wav_stats(pcm.save(tmp_path / "say.wav"))
    assert 2.0 < duration < 10.0 and rms > 300


def test_clip_set_is_generated_and_joined(clip_dir: Path, tmp_path: Path) -> None:
    assert (clip_dir / "窗口.wav").exists() and (clip_dir / "A.wav").exists()
    engine = ClipEngine(clip_dir)
    assert engine.tokens("请A零二三号到十二号窗口办理", {p.stem for p in clip_dir.glob("*.wav")})[:3] == [
        "请",
        "A",
        "零",
    ]
    duration, rms = wav_stats(engine.render("请A零二三号到十二号窗口办理", "zh").save(tmp_path / "c.wav"))
    assert 2.0 < duration < 12.0 and rms > 300
    with pytest.raises(EngineError) as exc:
        engine.render("Number A", "en")
    assert exc.value.code == "missing_clip"


def _announcer(tmp_path: Path, clip_dir: Path, **kw: object) -> VoiceAnnouncer:
    opts = VoiceOptions(clip_dir=str(clip_dir), output=f"file://{tmp_path / 'out'}", **kw)  # type: ignore[arg-type]
    return VoiceAnnouncer("voice", opts, clock=lambda: datetime(2026, 11, 23, 10, 0))


def test_announcer_repeats_and_volume(tmp_path: Path, clip_dir: Path) -> None:
    once = _announcer(tmp_path / "a", clip_dir, repeat=1, volume=100)
    twice = _announcer(tmp_path / "b", clip_dir, repeat=2, gap_ms=500, volume=40)
    for dev in (once, twice):
        dev.open()
        assert dev.speak(Announcement("A023", 3)) == "clips"
    d1, r1 = wav_stats(tmp_path / "a" / "out" / "last.wav")
    d2, r2 = wav_stats(tmp_path / "b" / "out" / "last.wav")
    assert d2 == pytest.approx(2 * d1 + 0.5, abs=0.05)
    assert r2 < r1 * 0.6


def test_quiet_hours_skip(tmp_path: Path, clip_dir: Path) -> None:
    dev = _announcer(tmp_path, clip_dir, quiet_hours="09:00-11:00")
    events: list[DeviceEvent] = []
    dev.attach(events.append)
    dev.open()
    assert dev.speak(Announcement("A023", 3)) is None
    assert events[-1].type == "announcement_skipped" and events[-1].data["reason"] == "quiet_hours"
    assert not (tmp_path / "out").exists()


def test_fallback_to_espeak_with_a_fault(tmp_path: Path) -> None:
    empty = tmp_path / "no-clips"
    empty.mkdir()
    dev = _announcer(tmp_path, empty, engines=["clips", "espeak"])
    events: list[DeviceEvent] = []
    dev.attach(events.append)
    dev.open()
    assert dev.speak(Announcement("B007", 12)) == "espeak"
    assert dev.speak(Announcement("B008", 12, language="en")) == "espeak"
    faults = [e for e in events if e.type == "engine_fault"]
    assert len(faults) == 1 and faults[0].data["engine"] == "clips"  # reported once, not per call
    assert wav_stats(tmp_path / "out" / "last.wav")[1] > 300


def test_an_engine_that_works_again_says_so_once(tmp_path: Path, clip_dir: Path) -> None:
    """The clip folder is restored (a technician copied it back): the open fault is closed."""
    folder = tmp_path / "clips"
    folder.mkdir()
    dev = _announcer(tmp_path, folder, engines=["clips", "espeak"])
    events: list[DeviceEvent] = []
    dev.attach(events.append)
    dev.open()
    assert dev.speak(Announcement("B007", 12)) == "espeak"
    for clip in clip_dir.glob("*.wav"):
        shutil.copy(clip, folder / clip.name)
    assert dev.speak(Announcement("B008", 12)) == "clips"
    assert dev.speak(Announcement("B009", 12)) == "clips"
    kinds = [(e.type, e.data["engine"]) for e in events if e.type in ("engine_fault", "engine_ok")]
    assert kinds == [("engine_fault", "clips"), ("engine_ok", "clips")]
    assert dev.health().detail["faulty"] == []


def test_syn6288_module_on_a_pty() -> None:
    emu = Syn6288Emulator(seconds_per_char=0.01)
    port = emu.start()
    try:
        engine = Syn6288Engine(port, volume=100)
        assert engine.render("请A零二三号到三号窗口办理", "zh") is None
        assert engine.render("请B零零一号到五号窗口办理", "zh") is None
        assert emu.spoken == ["请A零二三号到三号窗口办理", "请B零零一号到五号窗口办理"]
        assert emu.volumes == [16, 16] and emu.overlaps == 0
        engine.close()
        emu.mute = True
        with pytest.raises(EngineError) as exc:
            Syn6288Engine(port, ack_timeout_s=0.1).render("你好", "zh")
        assert exc.value.code == "timeout"
    finally:
        emu.stop()


def test_queued_announcements_never_overlap_through_the_manager(tmp_path: Path, clip_dir: Path) -> None:
    emu = Syn6288Emulator(seconds_per_char=0.005)
    port = emu.start()
    events: list[DeviceEvent] = []
    cond = threading.Condition()

    def sink(ev: DeviceEvent) -> None:
        with cond:
            events.append(ev)
            cond.notify_all()

    dev = VoiceAnnouncer(
        "voice",
        VoiceOptions(
            engines=["syn6288", "clips"], syn6288_port=port, repeat=1, clip_dir=str(clip_dir), output="none"
        ),
    )
    mgr = DeviceManager.from_devices([dev], sink, backoff=Backoff(0.05, 2, 0.2, 0.1))
    mgr.start()
    try:
        assert mgr.wait_for("voice", {DeviceState.IDLE}, 5)
        for i in range(4):
            mgr.submit("voice", lambda d, i=i: d.announce(Announcement(f"A00{i}", i + 1))).result(5)  # type: ignore[attr-defined]
        with cond:
            assert cond.wait_for(lambda: sum(e.type == "announced" for e in events) == 4, 10)
        assert [t[:5] for t in emu.spoken] == ["请A零零零", "请A零零一", "请A零零二", "请A零零三"]
        assert emu.overlaps == 0
        emu.mute = True  # module unplugged: the clips take over, with one fault
        mgr.submit("voice", lambda d: d.announce(Announcement("C100", 6))).result(5)  # type: ignore[attr-defined]
        with cond:
            assert cond.wait_for(lambda: sum(e.type == "announced" for e in events) == 5, 10)
        last = [e for e in events if e.type == "announced"][-1]
        assert last.data["engine"] == "clips"
        assert any(e.type == "engine_fault" and e.data["engine"] == "syn6288" for e in events)
    finally:
        mgr.stop()
        emu.stop()


def test_qt_text_to_speech_engine(qapp: object) -> None:
    """Qt's own ``mock`` engine stands in for speech-dispatcher (not installed in CI)."""
    from drivers.voice.qt_tts import QtTtsEngine

    assert QtTtsEngine("", engine="mock", timeout_s=5).render("Number A 0 2 3", "en") is None
    with pytest.raises(EngineError) as exc:
        QtTtsEngine("cmn-latn-pinyin", engine="mock", timeout_s=5).render("请A零二三号", "zh")
    assert exc.value.code == "unavailable"
