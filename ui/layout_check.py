"""Finds what a person would trip on in a rendered screen: text that runs out of the window or
out of the card (button, panel) it belongs to, text cut short, a button that is partly off
screen, a primary action that cannot be seen.

It reads the live item tree of the window the kiosk shows (the same QML, view-models and sample
data as ``kiosk screenshots``), so a screen that spills in a language, mode or orientation fails
a test instead of waiting for someone to look at 112 PNGs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ui.qt import QQmlEngine, QQmlExpression, QQmlProperty, QQuickItem, QRectF

TOLERANCE = 1.5
"""Pixels of anti-aliasing and rounding that are not a spill."""

_CONTAINERS = ("Card_QMLTYPE", "BigButton_QMLTYPE", "ActionButton_QMLTYPE", "Badge_QMLTYPE")
_BUTTONS = ("BigButton_QMLTYPE", "ActionButton_QMLTYPE")


@dataclass(frozen=True)
class Problem:
    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}"


def _class(item: QQuickItem) -> str:
    return str(item.metaObject().className())


def _is(item: QQuickItem, prefixes: tuple[str, ...]) -> bool:
    return _class(item).startswith(prefixes)


def _bordered(item: QQuickItem) -> bool:
    """A rectangle drawn with a border reads as a box: what is in it must stay in it."""
    if not item.inherits("QQuickRectangle"):
        return False
    width = QQmlProperty(item, "border.width").read()
    return bool(width) and float(width) > 0


def _scene_rect(item: QQuickItem, rect: QRectF | None = None) -> QRectF:
    r = rect if rect is not None else QRectF(0, 0, item.width(), item.height())
    return item.mapRectToScene(r)


def _painted_rect(item: QQuickItem) -> QRectF:
    """Where a text's glyphs are drawn: a Text paints past its own box when it does not fit."""
    w, h = item.width(), item.height()
    cw = float(item.property("contentWidth") or 0)
    ch = float(item.property("contentHeight") or 0)
    ha, va = _alignment(item)
    x = (w - cw) / 2 if ha & 0x4 else (w - cw) if ha & 0x2 else 0.0
    y = (h - ch) / 2 if va & 0x80 else (h - ch) if va & 0x40 else 0.0
    return _scene_rect(item, QRectF(x, y, cw, ch))


def _alignment(item: QQuickItem) -> tuple[int, int]:
    """A Text's alignment flags (read through QML: PySide has no converter for the enum)."""
    context, up = None, item
    while context is None and up is not None:
        context, up = QQmlEngine.contextForObject(up), up.parentItem()
    if context is None:
        return 1, 32
    expr = QQmlExpression(context, item, "[horizontalAlignment | 0, verticalAlignment | 0]")
    value, _ = expr.evaluate()
    try:
        return int(value[0]), int(value[1])
    except (TypeError, IndexError, ValueError):
        return 1, 32


def _inside(inner: QRectF, outer: QRectF, *, vertical: bool = True) -> bool:
    t = TOLERANCE
    ok = inner.left() >= outer.left() - t and inner.right() <= outer.right() + t
    if vertical:
        ok = ok and inner.top() >= outer.top() - t and inner.bottom() <= outer.bottom() + t
    return ok


def _name(item: QQuickItem) -> str:
    label = item.objectName() or _class(item).split("_QML")[0]
    text = (
        item.property("text")
        if item.inherits("QQuickText")
        else item.property("title") or item.property("text")
    )
    if text:
        label += f" {str(text)[:40]!r}"
    return label


def _visible_text(item: QQuickItem) -> bool:
    return item.inherits("QQuickText") and bool(str(item.property("text") or "").strip())


def check(window: Any) -> list[Problem]:
    """Every problem in what ``window`` shows now (its layouts already settled)."""
    root: QQuickItem = window.contentItem()
    screen = QRectF(0, 0, window.width(), window.height())
    problems: list[Problem] = []

    def walk(item: QQuickItem, container: QQuickItem | None, flick: QQuickItem | None) -> None:
        if not item.isVisible() or item.opacity() <= 0.01 or (item.width() <= 0 and item.height() <= 0):
            return
        rect = _scene_rect(item)
        what = _visible_text(item)
        button = _is(item, _BUTTONS)
        if what or button or _is(item, _CONTAINERS):
            shown = _painted_rect(item) if what else rect
            if flick is not None:
                # in a scrolling list: reachable by scrolling, but never wider than the list
                if not _inside(shown, _scene_rect(flick), vertical=False):
                    problems.append(Problem(_name(item), "runs out of its scrolling list sideways"))
            elif not _inside(shown, screen):
                problems.append(Problem(_name(item), "lies outside the window"))
            if container is not None and not _inside(shown, _scene_rect(container)):
                problems.append(Problem(_name(item), f"spills out of its {_name(container)}"))
            if what and bool(item.property("truncated")):
                problems.append(Problem(_name(item), "is cut short (elided or over its line limit)"))
            # a primary action in each row of a list is that row's; any other must be seen at once
            in_list = flick is not None and flick.inherits("QQuickItemView")
            if button and str(item.property("kind") or "") == "primary" and not in_list:
                view = _scene_rect(flick) if flick is not None else screen
                if not _inside(rect, view) or not _inside(rect, screen):
                    problems.append(Problem(_name(item), "primary action not fully on screen"))
        inner_container = item if (_is(item, _CONTAINERS) or _bordered(item)) else container
        inner_flick = flick
        if item.inherits("QQuickFlickable"):
            # what scrolls is bounded by the list sideways; a card around the list is not its box
            inner_flick, inner_container = item, None
        if item.property("ticker"):
            return  # a ticker (``property bool ticker: true``) moves its text through a clipped strip
        for child in item.childItems():
            walk(child, inner_container, inner_flick)

    walk(root, None, None)
    return problems
