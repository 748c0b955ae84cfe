"""Every screen in every language, mode and orientation, as the screenshots show it (same
context, same sample data): no text or button outside the window or its card, no text cut
short, the primary action on screen. One QML engine for the whole module, rendered offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.settings import load_settings
from kiosk.settings.load import shipped_config_dir
from ui.layout_check import Problem, check
from ui.screens import screen_names
from ui.screenshots import screenshot_context, show_variants


@pytest.fixture(scope="module")
def shown(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    data = tmp_path_factory.mktemp("layout")
    settings = load_settings(shipped_config_dir() / "demo.toml", environ={"KIOSK_DATA_DIR": str(data)})
    ctx, window = screenshot_context(settings)
    yield ctx, window
    window.close()
    ctx.close()


@pytest.mark.parametrize("screen", screen_names())
def test_screen_fits_in_every_variant(shown: tuple[Any, Any], screen: str) -> None:
    ctx, window = shown
    found: dict[str, list[Problem]] = {}
    for v in show_variants(ctx, screens=[screen]):
        problems = check(window)
        if problems:
            found[v.stem] = problems
    report = "\n".join(f"{stem}:\n  " + "\n  ".join(map(str, ps)) for stem, ps in found.items())
    assert not found, report


def _booking_offer(ctx: Any) -> None:
    from ui import sample_data as sd

    booking = {"slot": "09:30-10:00", "categoryName": sd.HALL.category_name("A"), "holder": "李*华"}
    ctx.identify.offer_booking(sd.LI_MINGHUA, "take_number", booking)


def _confirm(ctx: Any) -> None:
    ctx.take_number.set_holder("李*华")
    ctx.take_number.choose("A")


def _refused_code(ctx: Any) -> None:
    """The check-in refusal as the core words it, in the screen's language (the longest panel)."""
    from kiosk.usecases.messages import text

    ctx.appointment.refuse("invalid_code", text("qr_not_recognised", ctx.tr.lang))


def _long_wait(ctx: Any) -> None:
    """The core's long-wait sentence with both buttons (the longest category name)."""
    from kiosk.usecases.messages import text
    from ui import sample_data as sd

    ctx.take_number.set_holder("李*华")
    ctx.take_number.choose("A")
    names = {"category": sd.HALL.category_name("A"), "category_en": sd.HALL.category_name_en("A")}
    sentence = text("long_wait_confirm", ctx.tr.lang, minutes=95, ahead=48, **names)
    ctx.take_number.long_wait("A", sentence, 48, 95)
    assert ctx.take_number.get("step") == "long_wait"


def _day_full(ctx: Any) -> None:
    from kiosk.usecases.messages import text
    from ui import sample_data as sd

    ctx.take_number.choose("A")
    names = {"category": sd.HALL.category_name("A"), "category_en": sd.HALL.category_name_en("A")}
    ctx.take_number.refuse("", text("day_full", ctx.tr.lang, **names))
    assert ctx.take_number.get("step") == "refused"


STEPS = {
    "identify-booking": ("identify", _booking_offer),
    "take_number-confirm": ("take_number", _confirm),
    "take_number-long_wait": ("take_number", _long_wait),
    "take_number-day_full": ("take_number", _day_full),
    "appointment-refused": ("appointment", _refused_code),
    "evaluation-thanks": ("evaluation", lambda ctx: ctx.evaluation.submitted(True)),
}
"""Further states of screens a citizen reaches (the registry's sample shows the first)."""


@pytest.mark.parametrize("step", sorted(STEPS))
def test_later_steps_fit_too(shown: tuple[Any, Any], step: str) -> None:
    ctx, window = shown
    screen, then = STEPS[step]
    found = {v.stem: check(window) for v in show_variants(ctx, screens=[screen], then=then)}
    found = {stem: ps for stem, ps in found.items() if ps}
    report = "\n".join(f"{stem}:\n  " + "\n  ".join(map(str, ps)) for stem, ps in found.items())
    assert not found, report


def test_the_check_sees_a_spill(shown: tuple[Any, Any], qtbot: Any) -> None:
    """The check is not blind: a button pushed past the window's edge and a text wider than
    its card are both reported."""
    from ui.find import find_item

    ctx, window = shown
    next(iter(show_variants(ctx, screens=["ticket_printed"], langs=["en"], modes=["normal"],
                            orientations=["landscape"])))  # fmt: skip
    assert check(window) == []
    done = find_item(window, "ticketDone")
    done.setProperty("text", "W" * 400)
    done.setProperty("width", 5000)
    try:
        reasons = {p.reason for p in check(window)}
    finally:
        done.setProperty("text", "x")
    assert "lies outside the window" in reasons
    assert "primary action not fully on screen" in reasons


def test_keyboard_keys_are_touch_targets(shown: tuple[Any, Any]) -> None:
    """The on-screen keyboard's keys are at least the theme's touch target tall and wide (120 px
    in elderly mode, which has its own seven-a-row layout), and so is the pinyin candidate
    bar's design height."""
    from ui.find import find_item
    from ui.qt import QQmlEngine, QQmlExpression

    ctx, window = shown
    for v in show_variants(ctx, screens=["item_search"]):
        panel = find_item(window, "keyboard")
        context = QQmlEngine.contextForObject(panel.parentItem())
        target, _ = QQmlExpression(context, panel, "Theme.targetMin").evaluate()
        keys, stack = [], [panel]
        while stack:
            item = stack.pop()
            stack.extend(item.childItems())
            if item.metaObject().className().startswith("Key_QMLTYPE") and item.isVisible():
                keys.append((item.width(), item.height()))
        assert len(keys) >= 26, v.stem
        assert min(h for _, h in keys) >= target, (v.stem, min(keys, key=lambda k: k[1]), target)
        assert min(w for w, _ in keys) >= target, (v.stem, min(keys), target)
        # Elderly mode's own layout (the same pinyin input method as the standard zh_CN one).
        layout, _ = QQmlExpression(context, panel, "String(keyboard.keyboard.layout)").evaluate()
        locale = "zh_CN" if v.lang == "zh" else "en_US"
        own = f"/ui/qml/keyboard_elderly/{locale}/main.qml"
        assert str(layout).endswith(own) == (v.mode == "elderly"), (v.stem, layout)
