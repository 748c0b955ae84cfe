"""Every Qt import of the UI goes through here, so a Qt upgrade or a port touches one file."""

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QObject,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage
from PySide6.QtQml import QQmlApplicationEngine, QQmlContext
from PySide6.QtQuick import QQuickWindow, QSGRendererInterface

__all__ = [
    "Property",
    "QCoreApplication",
    "QFont",
    "QFontDatabase",
    "QGuiApplication",
    "QImage",
    "QObject",
    "QQmlApplicationEngine",
    "QQmlContext",
    "QQuickWindow",
    "QSGRendererInterface",
    "QSize",
    "QTimer",
    "QUrl",
    "Qt",
    "Signal",
    "Slot",
]
