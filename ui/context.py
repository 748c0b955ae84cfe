"""The QML engine and the view-models it binds to, built the same way for the real app,
the tests and the screenshot renderer."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6

from kiosk.settings.schema import Settings
from ui.i18n import Translator
from ui.qt import (
    QCoreApplication,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QObject,
    QQmlApplicationEngine,
    QQuickWindow,
    QSGRendererInterface,
    QUrl,
)
from ui.viewmodels.home import HomeViewModel
from ui.viewmodels.ui_state import UiState

QML_DIR = Path(__file__).parent / "qml"
CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC")


def ensure_qapp() -> QGuiApplication:
    """One QGuiApplication per process; software rendering where there is no GPU/display."""
    app = QGuiApplication.instance()
    if app is None:
        if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal") or os.environ.get(
            "KIOSK_SOFTWARE_RENDER"
        ):
            QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
        app = QGuiApplication([os.environ.get("KIOSK_APP_NAME", "kiosk")])
        app.setApplicationName("hall-kiosk")
    assert isinstance(app, QGuiApplication)
    return app


def cjk_family() -> str:
    """The first installed CJK font family, so Chinese never renders as boxes."""
    families = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in families:
            return fam
    return QFont().defaultFamily()


@dataclass
class UiContext:
    settings: Settings
    locked: bool = False
    live_clock: bool = True
    engine: QQmlApplicationEngine = field(init=False)
    tr: Translator = field(init=False)
    ui: UiState = field(init=False)
    home: HomeViewModel = field(init=False)
    extra: dict[str, QObject] = field(default_factory=dict)
    _closed: bool = field(default=False, init=False)
    """Further view-models by their QML name (added by screens as they are built)."""

    def __post_init__(self) -> None:
        app = ensure_qapp()
        family = cjk_family()
        app.setFont(QFont(family))
        t = self.settings.terminal
        self.tr = Translator(t.language)
        self.ui = UiState(
            profile=t.profile,
            orientation=t.orientation,
            elderly=t.elderly_mode,
            hall_name=t.hall_name,
            hall_name_en=t.hall_name_en,
            locked=self.locked,
            font_family=family,
            live_clock=self.live_clock,
        )
        self.home = HomeViewModel()
        self.engine = QQmlApplicationEngine()

    def context_objects(self) -> dict[str, QObject]:
        return {"tr": self.tr, "ui": self.ui, "homeVm": self.home, **self.extra}

    def load(self) -> Any:
        root = self.engine.rootContext()
        for name, obj in self.context_objects().items():
            root.setContextProperty(name, obj)
        self.engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        roots = self.engine.rootObjects()
        if not roots:
            raise RuntimeError("the QML user interface failed to load (see the log for QML errors)")
        return roots[0]

    def close(self) -> None:
        """Destroy the engine and its QML objects now, while the view-models they bind to are
        still alive; otherwise garbage collection order spills binding errors at exit."""
        if self._closed:
            return
        self._closed = True
        for obj in self.engine.rootObjects():
            obj.setProperty("visible", False)
        shiboken6.delete(self.engine)
        QCoreApplication.processEvents()

    def reset_personal_data(self) -> None:
        """Idle wipe: every view-model that can hold personal data clears it."""
        for obj in self.context_objects().values():
            wipe = getattr(obj, "wipe_personal_data", None)
            if callable(wipe):
                wipe()
