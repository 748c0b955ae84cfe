"""The one list of screens (``ui.screens.SCREENS``): each entry is its QML file, its presenter
module of the same name, and nothing else has to list it (idle rule, view-models, routing)."""

from __future__ import annotations

import ast
from pathlib import Path

from ui.context import QML_DIR
from ui.screens import SCREENS

UI = Path(__file__).resolve().parents[2] / "ui"


def test_every_screen_has_its_qml_file_and_its_presenter_of_the_same_name() -> None:
    names = [s.name for s in SCREENS]
    assert len(set(names)) == len(names)
    for spec in SCREENS:
        assert (QML_DIR / "screens" / f"{spec.name}.qml").is_file(), spec.name
        assert spec.presenter.screen == spec.name
        assert spec.presenter.__module__ == f"ui.presenters.{spec.name}", spec.name
    qml = {p.stem for p in (QML_DIR / "screens").glob("*.qml")}
    assert qml == set(names), "a QML screen nobody can reach, or a registered screen without QML"


def test_no_other_module_lists_the_screens() -> None:
    """A screen's name as a string literal appears in its own files and the registry only (the
    bridge routes by presenter type, the idle rule reads ``citizen`` from the registry)."""
    citizen = {s.name for s in SCREENS if s.citizen}
    for path in (UI / "idle.py", UI / "context.py", UI / "bridge.py"):
        literals = {
            n.value
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant)
        }
        assert len(literals & citizen) <= 1, f"{path.name} lists screens: {sorted(literals & citizen)}"
