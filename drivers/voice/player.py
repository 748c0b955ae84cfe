"""Where rendered announcements go: a sound device through ``aplay``/``paplay``, WAV files in
a folder (headless demos, tests, recording what was said), or nowhere."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from drivers.voice.engine import EngineError
from drivers.voice.wav import Pcm


class Player:
    """``output``: ``aplay`` | ``paplay`` | any command with ``{file}`` | ``file:///dir`` | ``none``."""

    def __init__(self, output: str = "aplay", *, timeout_s: float = 60.0) -> None:
        self.output = output
        self.timeout_s = timeout_s
        self.count = 0
        self.last_file: Path | None = None

    def play(self, pcm: Pcm) -> None:
        self.count += 1
        if self.output == "none":
            return
        if self.output.startswith("file://"):
            folder = Path(self.output[len("file://") :])
            self.last_file = pcm.save(folder / f"announcement-{self.count:04d}.wav")
            pcm.save(folder / "last.wav")
            return
        argv = shlex.split(self.output)
        if not argv or shutil.which(argv[0]) is None:
            raise EngineError("unavailable", f"audio player {argv[0] if argv else '?'} is not installed")
        with tempfile.NamedTemporaryFile(suffix=".wav", prefix="kiosk-say-") as tmp:
            tmp.write(pcm.to_wav())
            tmp.flush()
            if "{file}" in self.output:
                argv = [a.replace("{file}", tmp.name) for a in argv]
            else:
                argv = [*argv, tmp.name]
            try:
                proc = subprocess.run(argv, capture_output=True, timeout=self.timeout_s, check=False)
            except subprocess.TimeoutExpired:
                raise EngineError("timeout", "the audio player did not finish") from None
            if proc.returncode != 0:
                raise EngineError(
                    "unavailable", f"{argv[0]} failed (exit {proc.returncode}): no sound device?"
                )
