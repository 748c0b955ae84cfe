"""Every Qt import of the UI goes through here, so a Qt upgrade or a port touches one file."""

import ctypes
import sys

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QEvent,
    QObject,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage
from PySide6.QtQml import QQmlApplicationEngine, QQmlContext, QQmlEngine, QQmlExpression, QQmlProperty
from PySide6.QtQuick import QQuickItem, QQuickWindow, QSGRendererInterface

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
    "QQmlEngine",
    "QQmlExpression",
    "QQmlProperty",
    "QQuickItem",
    "QQuickWindow",
    "QRectF",
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


def _pyside_drops_singleton_references() -> bool:
    """PySide6 6.12.0 (abi3 wheels built for interpreters where None/True/False are immortal)
    returns those singletons from many calls without taking a reference: ``Signal.emit`` (True),
    ``processEvents`` and ``QTimer.start`` (None), a failed ``disconnect`` (False)... On Python
    3.11 every such call drops a reference the interpreter still counts, and after a few
    hundred to a few tens of thousands of calls it aborts ("deallocating None")."""
    if sys.version_info >= (3, 12):
        return False  # immortal singletons: the bug is harmless there

    class _Probe(QObject):
        s = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.s.emit()
    return sys.getrefcount(True) - before <= -8


def _make_singletons_immortal() -> None:
    """Do what CPython 3.12 does (PEP 683): give None, True and False a reference count no
    program can exhaust, so the references PySide drops can never free them."""
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


if _pyside_drops_singleton_references():
    _make_singletons_immortal()
