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


def test_a_new_screen_is_its_own_files_and_one_registry_entry(tmp_path: Path, qtbot: object) -> None:
    """A screen nobody else knows about: its view-model is built and shown to QML, the idle rule
    applies, its presenter is wired, and a card laid on it goes where the screen says."""
    from typing import ClassVar

    from kiosk.facade import Kiosk
    from kiosk.identity.person import Identity
    from kiosk.paths import Paths
    from kiosk.runtime import App
    from kiosk.settings import load_settings
    from ui.bridge import Bridge
    from ui.context import UiContext
    from ui.presenters.base import Presenter
    from ui.qt import Signal
    from ui.screens import ScreenSpec
    from ui.viewmodels.base import StateViewModel

    class ParkingViewModel(StateViewModel):
        askRequested = Signal()
        DEFAULTS: ClassVar[dict[str, object]] = {"free": 0}

    class ParkingPresenter(Presenter):
        screen = "parking"
        card_purpose = "take_number"

        def connect(self) -> None:
            self.ctx.vm(ParkingViewModel).askRequested.connect(
                lambda: self.ctx.vm(ParkingViewModel).update(free=7)
            )

    spec = ScreenSpec(
        "parking", ParkingPresenter, citizen=True, viewmodel=ParkingViewModel, qml_name="parkingVm"
    )
    settings = load_settings(environ={"KIOSK_DATA_DIR": str(tmp_path)})
    ctx = UiContext(settings, live_clock=False, screens=[*SCREENS, spec])
    bridge = Bridge(Kiosk.of(App(settings, Paths.from_settings(settings.paths))), ctx, [*SCREENS, spec])
    try:
        vm = ctx.vm(ParkingViewModel)
        assert ctx.context_objects()["parkingVm"] is vm
        ctx.ui.go("parking")
        assert ctx.idle.active()
        vm.askRequested.emit()
        assert vm.get("free") == 7
        bridge.card(Identity("id_card", "李明华", "110105198503072014"))
        assert ctx.ui.screen == "take_number" and ctx.identify.get("holder") == "李*华"
    finally:
        bridge.close()
        ctx.close()
