"""Renders every screen, language, mode and orientation to PNG, offscreen."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.settings.schema import Settings
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
) -> list[Path]:
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
                    spec.prepare(ctx)
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
