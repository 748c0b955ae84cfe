"""Every screen the kiosk can show, with the sample state it is rendered in for screenshots.

A screen is ``qml/screens/<name>.qml``. ``prepare`` puts fictional sample data into the
view-models so a screenshot shows the screen as a citizen or clerk would see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ui.context import UiContext


def _prepare_home(ctx: UiContext) -> None:
    ctx.ui.set_online(True)
    ctx.home.set_waiting(
        [
            {"code": "A", "name": "综合受理", "name_en": "General", "waiting": 12},
            {"code": "B", "name": "不动产登记", "name_en": "Real estate", "waiting": 5},
            {"code": "C", "name": "税务", "name_en": "Tax", "waiting": 3},
        ]
    )


@dataclass(frozen=True)
class ScreenSpec:
    name: str
    prepare: Callable[[UiContext], None] = field(default=lambda ctx: None)


SCREENS: list[ScreenSpec] = [
    ScreenSpec("home", _prepare_home),
]


def screen_names() -> list[str]:
    return [s.name for s in SCREENS]
