"""Qt TextToSpeech (QtTextToSpeech, through speech-dispatcher on Linux). Optional: it needs a
running Qt application object (the kiosk GUI has one) and an engine with the voice. The
Mandarin espeak voice appears under locale ``C``, so it is selected by name.

Speaks by itself and returns when Qt reports the engine ready again; a local event loop on
the calling (device worker) thread waits for that.
"""

from __future__ import annotations

from drivers.voice.engine import Engine, EngineError
from drivers.voice.wav import Pcm


class QtTtsEngine(Engine):
    name = "qt"

    def __init__(self, voice: str = "cmn-latn-pinyin", *, engine: str = "", timeout_s: float = 30.0) -> None:
        self.voice = voice
        self.engine = engine
        self.timeout_s = timeout_s

    def render(self, text: str, language: str) -> Pcm | None:
        try:
            from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            raise EngineError("unavailable", "QtTextToSpeech is not installed") from None
        if QCoreApplication.instance() is None:
            raise EngineError("unavailable", "Qt TextToSpeech needs the Qt application running")
        tts = QTextToSpeech(self.engine) if self.engine else QTextToSpeech()
        try:
            if tts.state() == QTextToSpeech.State.Error:
                raise EngineError("unavailable", f"Qt TTS engine error: {tts.errorString()}")
            voices = []
            if language == "zh":
                for locale in tts.availableLocales():
                    tts.setLocale(locale)
                    voices += [v for v in tts.availableVoices() if v.name() == self.voice]
            if language == "zh" and not voices and self.voice:
                raise EngineError("unavailable", f"Qt TTS has no voice named {self.voice!r}")
            if voices:
                tts.setVoice(voices[0])
            loop = QEventLoop()
            spoke = {"started": False, "error": ""}

            def changed(state: QTextToSpeech.State) -> None:
                if state == QTextToSpeech.State.Speaking:
                    spoke["started"] = True
                elif state == QTextToSpeech.State.Error:
                    spoke["error"] = tts.errorString() or "error"
                    loop.quit()
                elif state == QTextToSpeech.State.Ready and spoke["started"]:
                    loop.quit()

            tts.stateChanged.connect(changed)
            QTimer.singleShot(int(self.timeout_s * 1000), loop.quit)
            tts.say(text)
            loop.exec()
            if spoke["error"]:
                raise EngineError("failed", f"Qt TTS: {spoke['error']}")
            if not spoke["started"]:
                raise EngineError("timeout", "Qt TTS did not start speaking")
            return None
        finally:
            tts.deleteLater()
