"""Renders every screen, language, mode and orientation to PNG, offscreen."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
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


def _settle(rounds: int = 5, window: Any = None) -> None:
    """Let bindings and layouts finish. A wrapped text changes its height only once its width
    is known, so layouts take more than one polish pass: a grab runs one (offscreen there is
    no vsync to drive them), and the events it leaves are processed after it."""
    for _ in range(rounds):
        QCoreApplication.processEvents()
    if window is not None:
        window.grabWindow()
        QCoreApplication.processEvents()


@dataclass(frozen=True)
class Variant:
    screen: str
    lang: str
    mode: str
    orientation: str

    @property
    def stem(self) -> str:
        return f"{self.screen}-{self.lang}-{self.mode}-{self.orientation}"


def _specs(screens: Iterable[str] | None) -> list[ScreenSpec]:
    wanted = set(screens) if screens is not None else None
    specs: list[ScreenSpec] = [s for s in SCREENS if wanted is None or s.name in wanted]
    if wanted is not None and len(specs) != len(wanted):
        unknown = wanted - {s.name for s in specs}
        raise ValueError(f"unknown screen(s): {', '.join(sorted(unknown))}")
    return specs


def show_variants(
    ctx: UiContext,
    *,
    screens: Iterable[str] | None = None,
    langs: Iterable[str] = LANGS,
    modes: Iterable[str] = MODES,
    orientations: Iterable[str] = ORIENTATIONS,
    then: Callable[[UiContext], None] | None = None,
    prepare: dict[str, Callable[[UiContext], None]] | None = None,
) -> Iterator[Variant]:
    """Puts each screen in each variant on ``ctx``'s window in turn, settled, with its sample
    state (or ``prepare``'s for it, e.g. the hall's live state; and ``then``, a further step of
    it); the screenshots and the layout check both look
    at the window through this one path."""
    specs = _specs(screens)
    langs, modes = list(langs), list(modes)
    window = ctx.engine.rootObjects()[0]
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
                    if then is not None:
                        then(ctx)
                    ctx.ui.go(spec.name)
                    _settle(window=window)
                    yield Variant(spec.name, lang, mode, orientation)


def screenshot_context(settings: Settings) -> tuple[UiContext, Any]:
    """The UI as the screenshots show it: the kiosk's context with a fixed, plausible clock."""
    ctx = new_context(settings, live_clock=False)
    ctx.ui.set_now(datetime(2026, 11, 23, 9, 30))
    return ctx, ctx.load()


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
    _specs(screens)
    ctx, window = screenshot_context(settings)
    written: list[Path] = []
    for v in show_variants(
        ctx, screens=screens, langs=langs, modes=modes, orientations=orientations, prepare=prepare
    ):
        image = window.grabWindow()
        path = out_dir / f"{v.stem}.png"
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
    from ui.presenters.counter import CounterPresenter
    from ui.presenters.hall_display import HallDisplayPresenter

    def hall(ctx: UiContext) -> None:
        HallDisplayPresenter(ctx, kiosk, Peers()).apply(kiosk.queue().display_model())

    def window(ctx: UiContext) -> None:
        ctx.counter.update(counter=counter)
        presenter = CounterPresenter(ctx, kiosk, Peers())
        presenter.apply(presenter.read_view(counter))

    return {"hall_display": hall, "counter": window}
