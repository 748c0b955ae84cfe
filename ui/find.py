"""Find QML items by objectName through the visual tree (Repeater delegates have no QObject
parent, so QObject.findChild misses them). Used by tests and the screenshot renderer."""

from __future__ import annotations

from typing import Any


def find_item(root: Any, name: str) -> Any | None:
    start = root.contentItem() if hasattr(root, "contentItem") else root
    stack = [start]
    while stack:
        item = stack.pop()
        if item.objectName() == name:
            return item
        stack.extend(item.childItems())
    return None
