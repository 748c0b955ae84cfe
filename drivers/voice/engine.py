"""What every voice engine is: text in, audio (or spoken by itself) out, or an EngineError with
a stable code so the announcer can fall back to the next engine and report the fault."""

from __future__ import annotations

from abc import ABC, abstractmethod

from drivers.errors import DriverError
from drivers.voice.wav import Pcm


class EngineError(DriverError):
    """``code``: ``unavailable`` (binary/module/port missing), ``missing_clip``, ``failed``,
    ``timeout``."""


class Engine(ABC):
    name: str = ""

    @abstractmethod
    def render(self, text: str, language: str) -> Pcm | None:
        """Audio for ``text``, or None when the engine speaks by itself (a serial TTS module)
        and has finished speaking when this returns."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release a port or process."""
