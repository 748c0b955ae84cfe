from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.settings import load_settings
from ui.context import UiContext
from ui.i18n import LANGUAGES, catalog
from ui.screens import new_context
from ui.screenshots import render_all


@pytest.fixture
def ctx(qapp: Any) -> Any:
    c = new_context(load_settings(environ={}), live_clock=False)
    c.load()
    yield c
    c.close()


def find(ctx: UiContext, name: str) -> Any:
    from ui.find import find_item

    obj = find_item(ctx.engine.rootObjects()[0], name)
    assert obj is not None, name
    return obj


def test_every_string_exists_in_every_language() -> None:
    keys = {lang: set(catalog()[lang]) for lang in LANGUAGES}
    assert keys["zh"] == keys["en"]


def test_home_shows_hall_name_and_switches_language(ctx: UiContext, qtbot: Any) -> None:
    assert ctx.ui.screen == "home"
    button = find(ctx, "home_take_number")
    assert button.property("title") == "取号"
    ctx.tr.toggle()
    qtbot.waitUntil(lambda: button.property("title") == "Take a number")


def test_home_button_navigates(ctx: UiContext, qtbot: Any) -> None:
    find(ctx, "home_case_progress")
    ctx.ui.go("case_progress")
    assert ctx.ui.screen == "case_progress"


def test_elderly_mode_scales_text(ctx: UiContext, qtbot: Any) -> None:
    root = ctx.engine.rootObjects()[0]
    button = find(ctx, "home_take_number")
    h_normal = button.property("implicitHeight")
    ctx.ui.toggleElderly()
    qtbot.waitUntil(lambda: button.property("implicitHeight") > h_normal)
    assert root is not None


def test_screenshots_render_readable_pngs(tmp_path: Path, qapp: Any) -> None:
    from ui.qt import QImage

    written = render_all(load_settings(environ={}), tmp_path, screens=["home"])
    names = sorted(p.name for p in written)
    assert names == sorted(
        f"home-{lang}-{mode}-{o}.png"
        for lang in ("zh", "en")
        for mode in ("normal", "elderly")
        for o in ("portrait", "landscape")
    )
    img = QImage(str(tmp_path / "home-zh-normal-portrait.png"))
    assert (img.width(), img.height()) == (1080, 1920)
    img = QImage(str(tmp_path / "home-en-normal-landscape.png"))
    assert (img.width(), img.height()) == (1920, 1080)


def test_cjk_font_installed(qapp: Any) -> None:
    from ui.context import CJK_FAMILIES, cjk_family

    assert cjk_family() in CJK_FAMILIES, "install fonts-wqy-microhei or fonts-noto-cjk"


def test_every_screen_renders_without_qml_warnings(tmp_path: Path, qapp: Any, qtlog: Any) -> None:
    from ui.screens import screen_names

    written = render_all(
        load_settings(environ={}), tmp_path, langs=("zh",), modes=("elderly",), orientations=("landscape",)
    )
    assert len(written) == len(screen_names()) == 16
    problems = [
        r.message
        for r in qtlog.records
        if ("qml" in r.message.lower() or "Error" in r.message)
        and "propertyCache" not in r.message
        and "overrides a member" not in r.message
    ]
    assert problems == []
