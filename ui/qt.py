"""Every Qt import of the UI goes through here, so a Qt upgrade or a port touches one file."""

import ctypes
import sys
from typing import Any

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage
from PySide6.QtQml import QQmlApplicationEngine, QQmlContext
from PySide6.QtQuick import QQuickWindow, QSGRendererInterface

__all__ = [
    "Property",
    "QCoreApplication",
    "QEvent",
    "QFont",
    "QFontDatabase",
    "QGuiApplication",
    "QImage",
    "QObject",
    "QQmlApplicationEngine",
    "QQmlContext",
    "QQuickWindow",
    "QRunnable",
    "QSGRendererInterface",
    "QSize",
    "QThreadPool",
    "QTimer",
    "QUrl",
    "Qt",
    "Signal",
    "Slot",
]


def _emit_steals_a_bool_reference() -> bool:
    """PySide6 6.12.0's ``SignalInstance.emit`` returns ``True`` without taking a reference, so
    every Python-side emit drops the interpreter's count on ``True`` by one; after a few hundred
    emits Python aborts ("bool_dealloc: deallocating True or False"). Probe for it."""

    class _Probe(QObject):
        s = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.s.emit()
    return sys.getrefcount(True) - before <= -8


def _compensate_emit_refcount() -> None:
    original = SignalInstance.emit

    def emit(self: Any, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
    # The probe's own emits above took references away: give them back.
    for _ in range(8):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


if _emit_steals_a_bool_reference():
    _compensate_emit_refcount()
