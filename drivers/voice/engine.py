"""What every voice engine is: text in, audio (or spoken by itself) out, or an EngineError with
a stable code so the announcer can fall back to the next engine and report the fault."""

from __future__ import annotations

from abc import ABC, abstractmethod

from drivers.voice.wav import Pcm


class EngineError(Exception):
    """``code``: ``unavailable`` (binary/module/port missing), ``missing_clip``, ``failed``,
    ``timeout``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Engine(ABC):
    name: str = ""

    @abstractmethod
    def render(self, text: str, language: str) -> Pcm | None:
        """Audio for ``text``, or None when the engine speaks by itself (a serial TTS module)
        and has finished speaking when this returns."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release a port or process."""
