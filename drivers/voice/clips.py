"""Pre-recorded clips joined into a sentence, the way most halls announce (a person's voice
reads "请", "A", "零", "号", "窗口"...). A clip folder holds one WAV per token, named by the
token: ``请.wav``, ``号.wav``, ``到.wav``, ``窗口.wav``, ``办理.wav``, ``零.wav``…``九.wav``,
``十.wav``, ``百.wav``, ``A.wav``…``Z.wav``. The text is cut into the longest tokens that have a
clip; anything without one is an EngineError (``missing_clip``) so the announcer falls back.

``generate_clip_set`` makes a starter set with espeak-ng (so nothing binary is committed); a
hall replaces any file with its own recording (mono, 16-bit PCM, any sample rate).
"""

from __future__ import annotations

from pathlib import Path

from drivers.voice.engine import Engine, EngineError
from drivers.voice.espeak import EspeakEngine
from drivers.voice.text import DIGITS
from drivers.voice.wav import Pcm, WavError, join, load, trim

WORDS_ZH = ["请", "号", "到", "窗口", "办理", "十", "百", "千", *DIGITS]
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]


class ClipEngine(Engine):
    name = "clips"

    def __init__(self, folder: Path, *, gap_ms: int = 40, languages: tuple[str, ...] = ("zh",)) -> None:
        self.folder = folder
        self.languages = languages
        self.gap_ms = gap_ms
        self._cache: dict[str, Pcm] = {}

    def _index(self) -> dict[str, Path]:
        if not self.folder.is_dir():
            raise EngineError("unavailable", f"clip folder {self.folder} does not exist")
        return {p.stem.upper() if p.stem.isascii() else p.stem: p for p in self.folder.glob("*.wav")}

    def tokens(self, text: str, names: set[str]) -> list[str]:
        out: list[str] = []
        longest = max((len(n) for n in names), default=1)
        i = 0
        while i < len(text):
            ch = text[i]
            if ch.isspace() or ch in "，。,.!！、":
                i += 1
                continue
            for size in range(min(longest, len(text) - i), 0, -1):
                piece = text[i : i + size]
                key = piece.upper() if piece.isascii() else piece
                if key in names:
                    out.append(key)
                    i += size
                    break
            else:
                raise EngineError("missing_clip", f"no clip for {ch!r} in {self.folder}")
        return out

    def render(self, text: str, language: str) -> Pcm:
        if language not in self.languages:
            raise EngineError("missing_clip", f"no {language} clips in {self.folder}")
        index = self._index()
        parts: list[Pcm] = []
        for token in self.tokens(text, set(index)):
            if token not in self._cache:
                try:
                    self._cache[token] = trim(load(index[token]))
                except (OSError, WavError) as exc:
                    raise EngineError("failed", f"clip {index[token].name}: {exc}") from None
            parts.append(self._cache[token])
        if not parts:
            raise EngineError("missing_clip", "nothing to say")
        return join(parts, self.gap_ms)


def generate_clip_set(folder: Path, espeak: EspeakEngine | None = None) -> list[Path]:
    """Write a starter clip for every token that has none yet (never overwrites a hall's own)."""
    tts = espeak or EspeakEngine()
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for token in [*WORDS_ZH, *LETTERS]:
        path = folder / f"{token}.wav"
        if path.exists():
            continue
        tts.render(token, "zh").save(path)
        made.append(path)
    return made
