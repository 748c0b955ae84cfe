"""16-bit mono PCM in memory: read/write WAV (stdlib ``wave``), join with gaps, scale volume,
resample (linear) so clips recorded at different rates can be joined. No audioop (removed in
Python 3.13)."""

from __future__ import annotations

import io
import math
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Pcm:
    rate: int
    samples: array[int]  # array('h')

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate if self.rate else 0.0

    def rms(self) -> float:
        if not self.samples:
            return 0.0
        return math.sqrt(sum(s * s for s in self.samples) / len(self.samples))

    def to_wav(self) -> bytes:
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.rate)
            data = array("h", self.samples)
            if sys.byteorder == "big":
                data.byteswap()
            w.writeframes(data.tobytes())
        return buf.getvalue()

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(self.to_wav())
        tmp.replace(path)
        return path


class WavError(ValueError):
    pass


def read_wav(data: bytes) -> Pcm:
    """Any 8/16-bit PCM WAV, mono or stereo -> 16-bit mono."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise WavError(f"not a PCM WAV file: {exc}") from None
    if width == 2:
        samples = array("h")
        samples.frombytes(raw[: len(raw) - len(raw) % 2])
        if sys.byteorder == "big":
            samples.byteswap()
    elif width == 1:
        samples = array("h", ((b - 128) << 8 for b in raw))
    else:
        raise WavError(f"{width * 8}-bit WAV not supported; use 16-bit PCM")
    if channels > 1:
        samples = array(
            "h", (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels))
        )
    return Pcm(rate, samples)


def load(path: Path) -> Pcm:
    return read_wav(path.read_bytes())


def resample(pcm: Pcm, rate: int) -> Pcm:
    if pcm.rate == rate or not pcm.samples:
        return Pcm(rate, array("h", pcm.samples))
    n = int(len(pcm.samples) * rate / pcm.rate)
    src = pcm.samples
    last = len(src) - 1
    out = array("h", bytes(2 * n))
    step = pcm.rate / rate
    for i in range(n):
        x = i * step
        j = int(x)
        k = min(j + 1, last)
        out[i] = int(src[j] + (src[k] - src[j]) * (x - j))
    return Pcm(rate, out)


def silence(rate: int, ms: int) -> Pcm:
    return Pcm(rate, array("h", bytes(2 * int(rate * ms / 1000))))


def join(parts: list[Pcm], gap_ms: int = 0, rate: int | None = None) -> Pcm:
    if not parts:
        raise WavError("nothing to join")
    rate = rate or parts[0].rate
    out = array("h")
    gap = silence(rate, gap_ms).samples
    for i, part in enumerate(parts):
        if i and gap:
            out.extend(gap)
        out.extend(resample(part, rate).samples)
    return Pcm(rate, out)


def scale(pcm: Pcm, volume: int) -> Pcm:
    """Volume 0-100 (100 = as recorded)."""
    factor = max(0, min(100, volume)) / 100
    if factor == 1:
        return pcm
    return Pcm(pcm.rate, array("h", (int(s * factor) for s in pcm.samples)))


def trim(pcm: Pcm, threshold: int = 300) -> Pcm:
    """Cut leading/trailing near-silence so joined clips do not stutter."""
    s = pcm.samples
    start = next((i for i, v in enumerate(s) if abs(v) > threshold), 0)
    end = next((i for i in range(len(s) - 1, -1, -1) if abs(s[i]) > threshold), len(s) - 1)
    return Pcm(pcm.rate, s[start : end + 1]) if end > start else pcm
