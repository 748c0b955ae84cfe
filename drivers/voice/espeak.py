"""espeak-ng, run directly (no speech-dispatcher). Mandarin uses the voice named
``cmn-latn-pinyin``: ``zh``/``cmn`` read Latin letters (the A in A023) as English."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from drivers.voice.engine import Engine, EngineError
from drivers.voice.wav import Pcm, WavError, load

DEFAULT_VOICES = {"zh": "cmn-latn-pinyin", "en": "en"}


class EspeakEngine(Engine):
    name = "espeak"

    def __init__(
        self,
        voices: dict[str, str] | None = None,
        *,
        rate: int = 150,
        binary: str = "espeak-ng",
        timeout_s: float = 15.0,
    ) -> None:
        self.voices = {**DEFAULT_VOICES, **(voices or {})}
        self.rate = rate
        self.binary = binary
        self.timeout_s = timeout_s

    def render(self, text: str, language: str) -> Pcm:
        exe = shutil.which(self.binary)
        if exe is None:
            raise EngineError("unavailable", f"{self.binary} is not installed")
        voice = self.voices.get(language, self.voices["zh"])
        with tempfile.TemporaryDirectory(prefix="kiosk-tts-") as tmp:
            out = Path(tmp) / "say.wav"
            try:
                proc = subprocess.run(
                    [exe, "-v", voice, "-s", str(self.rate), "-w", str(out), "--", text],
                    capture_output=True,
                    timeout=self.timeout_s,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise EngineError(
                    "timeout", f"{self.binary} took longer than {self.timeout_s:.0f} s"
                ) from None
            if proc.returncode != 0 or not out.exists():
                detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
                raise EngineError("failed", f"{self.binary} failed: {detail[0]}")
            try:
                return load(out)
            except WavError as exc:
                raise EngineError("failed", str(exc)) from None
