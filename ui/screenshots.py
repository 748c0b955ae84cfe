"""Renders every screen, language, mode and orientation to PNG, offscreen."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.facade import Kiosk
from kiosk.settings.schema import Settings
from ui.context import UiContext
from ui.qt import QCoreApplication
from ui.screens import SCREENS, ScreenSpec, new_context

log = logging.getLogger(__name__)

LANGS = ("zh", "en")
MODES = ("normal", "elderly")
ORIENTATIONS = ("portrait", "landscape")


def _settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents()


def render_all(
    settings: Settings,
    out_dir: Path,
    *,
    screens: Iterable[str] | None = None,
    langs: Iterable[str] = LANGS,
    modes: Iterable[str] = MODES,
    orientations: Iterable[str] = ORIENTATIONS,
    prepare: dict[str, Callable[[UiContext], None]] | None = None,
) -> list[Path]:
    """``prepare`` replaces a screen's sample state (``live_prepares``: the hall's live state)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = set(screens) if screens is not None else None
    specs: list[ScreenSpec] = [s for s in SCREENS if wanted is None or s.name in wanted]
    if wanted is not None and len(specs) != len(wanted):
        unknown = wanted - {s.name for s in specs}
        raise ValueError(f"unknown screen(s): {', '.join(sorted(unknown))}")
    ctx = new_context(settings, live_clock=False)
    ctx.ui.set_now(datetime(2026, 11, 23, 9, 30))
    window: Any = ctx.load()
    written: list[Path] = []
    for orientation in orientations:
        ctx.ui.set_orientation(orientation)
        for spec in specs:
            for lang in langs:
                for mode in modes:
                    ctx.reset_personal_data()
                    ctx.tr.setLang(lang)
                    ctx.ui.set_elderly(mode == "elderly")
                    ctx.ui.go("home")
                    _settle(2)
                    (prepare or {}).get(spec.name, spec.prepare)(ctx)
                    ctx.ui.go(spec.name)
                    _settle()
                    image = window.grabWindow()
                    path = out_dir / f"{spec.name}-{lang}-{mode}-{orientation}.png"
                    if image.isNull() or not image.save(str(path)):
                        raise RuntimeError(f"could not render {path.name}")
                    written.append(path)
    window.close()
    ctx.close()
    return written


def live_prepares(kiosk: Kiosk, counter: int) -> dict[str, Callable[[UiContext], None]]:
    """The hall display and the counter as the running queue has them (a hall bus member's
    view of the host's state, or this box's own queue), through their own presenters."""
    from ui.presenters.base import Peers
    from ui.presenters.counter import CounterPresenter, counter_state
    from ui.presenters.hall_display import HallDisplayPresenter

    def hall(ctx: UiContext) -> None:
        HallDisplayPresenter(ctx, kiosk, Peers()).apply(kiosk.queue().display_model())

    def window(ctx: UiContext) -> None:
        ctx.counter.update(counter=counter)
        q = kiosk.queue()
        CounterPresenter(ctx, kiosk, Peers()).apply(counter_state(q.counter_view(counter), q.hall()))

    return {"hall_display": hall, "counter": window}
