"""The layers point downward: ui -> kiosk -> devices -> drivers, kiosk -> offline_cache.

Checked on the source (every import, including the ones inside functions), so a shortcut such
as a screen reading the database directly fails here instead of in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("ui", "kiosk", "devices", "drivers", "offline_cache")

# package -> the project packages it must never import
FORBIDDEN = {
    "drivers": {"devices", "kiosk", "ui", "offline_cache"},
    "devices": {"kiosk", "ui", "offline_cache"},
    "offline_cache": {"kiosk", "ui", "devices", "drivers"},
    "kiosk": {"ui", "drivers"},
    "ui": {"drivers", "offline_cache"},
}
# Where a rule is knowingly wider: the CLI starts the GUI it belongs to; the developer tools
# run the device emulators (the other end of the wire) for the demo and for technicians.
ALLOWED = {
    ("kiosk/cli/", "ui"),
    ("kiosk/devtools/", "drivers"),
}
QT_GUI = ("PySide6.QtWidgets", "PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtGui")


def imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_points_upward_or_skips_to_storage(package: str) -> None:
    bad = []
    for path in sorted((REPO / package).rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        for line, module in imports(path):
            top = module.split(".")[0]
            if top not in FORBIDDEN[package]:
                continue
            if any(rel.startswith(prefix) and top == target for prefix, target in ALLOWED):
                continue
            bad.append(f"{rel}:{line}: imports {module}")
    assert bad == []


@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "ui"])
def test_no_qt_gui_outside_ui(package: str) -> None:
    bad = [
        f"{path.relative_to(REPO)}:{line}: {module}"
        for path in sorted((REPO / package).rglob("*.py"))
        for line, module in imports(path)
        if module.startswith(QT_GUI)
    ]
    assert bad == []
