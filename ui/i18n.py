"""UI translations: a dict per language, exposed to QML as one map property.

QML binds ``tr.s["home.take_number"]``; switching language replaces the map and every binding
re-evaluates, with no Qt Linguist toolchain needed on the build machine.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from ui.qt import Property, QObject, Signal, Slot

LANGUAGES = ("zh", "en")


@cache
def catalog() -> dict[str, dict[str, str]]:
    with (Path(__file__).parent / "i18n" / "strings.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {lang: dict(data[lang]) for lang in LANGUAGES}


class Translator(QObject):
    changed = Signal()

    def __init__(self, lang: str = "zh") -> None:
        super().__init__()
        self._lang = lang

    def _get_lang(self) -> str:
        return self._lang

    def _get_strings(self) -> dict[str, str]:
        return catalog()[self._lang]

    @Slot(str)
    def setLang(self, lang: str) -> None:
        if lang in LANGUAGES and lang != self._lang:
            self._lang = lang
            self.changed.emit()

    @Slot()
    def toggle(self) -> None:
        self.setLang("en" if self._lang == "zh" else "zh")

    def text(self, key: str) -> str:
        return catalog()[self._lang].get(key, key)

    lang = Property(str, _get_lang, notify=changed)
    s = Property(dict, _get_strings, notify=changed)
