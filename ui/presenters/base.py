"""What every presenter has: the UI context, the core's façade, its peers, a worker runner."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import ClassVar, TypeVar

from kiosk.facade import Kiosk
from kiosk.identity.person import Identity
from ui.context import UiContext

log = logging.getLogger(__name__)

P = TypeVar("P", bound="Presenter")
T = TypeVar("T")


class Peers:
    """The presenters of the other screens, by type (a card read on the identify screen goes
    on to take a number: the take-number presenter does that part)."""

    def __init__(self) -> None:
        self._all: list[Presenter] = []
        self.continue_with: Callable[[Identity, str], None] | None = None
        """Set by the identify presenter: accept an identity and go on to what it is for."""

    def add(self, presenter: Presenter) -> None:
        self._all.append(presenter)

    def get(self, cls: type[P]) -> P:
        for p in self._all:
            if isinstance(p, cls):
                return p
        raise LookupError(cls.__name__)

    def __iter__(self) -> Iterator[Presenter]:
        return iter(list(self._all))

    def for_screen(self, screen: str) -> Presenter | None:
        return next((p for p in self._all if p.screen == screen), None)


class Newest:
    """The newest read wins: reads of a view are numbered when asked for, and one read before
    the view on screen was never replaces it (two workers: a refresh started before a clerk's
    "next" can finish after it, and the window would show the ticket it just finished)."""

    def __init__(self) -> None:
        self._asked = 0
        self._shown = 0

    def ask(self) -> int:
        """The number of a read about to start (or of a view pushed now)."""
        self._asked += 1
        return self._asked

    def fresh(self, n: int | None) -> bool:
        """May the read numbered ``n`` be shown (None: yes, shown as it is, e.g. a screenshot)?
        If so it is the one on screen from now on."""
        if n is None:
            return True
        if n < self._shown:
            return False  # read before the view on screen was: older
        self._shown = n
        return True


class Presenter:
    screen: ClassVar[str] = ""
    card_purpose: ClassVar[str | None] = None
    """What an ID card laid on this screen is for (``take_number``, ``appointment``...): the
    screen continues there. None: a card here is ignored (staff screens)."""

    def __init__(self, ctx: UiContext, kiosk: Kiosk, peers: Peers) -> None:
        self.ctx = ctx
        self.kiosk = kiosk
        self.peers = peers

    # -- hooks the bridge calls ------------------------------------------------------------------
    def connect(self) -> None:
        """Connect the view-model's intents (once, at start)."""

    def start(self) -> None:
        """First fill from the running core."""

    def shown(self) -> None:
        """The screen became the current one."""

    def on_event(self, event: object) -> None:
        """A core event (queue changed, hall display...), on the GUI thread."""

    def on_card(self, identity: Identity) -> None:
        """An ID card (or a verified person code) while this screen is shown."""
        if self.card_purpose is not None and self.peers.continue_with is not None:
            self.peers.continue_with(identity, self.card_purpose)

    def on_code(self, text: str) -> None:
        """A scanned code while this screen is shown (ignored unless the screen uses codes)."""

    # -- helpers ---------------------------------------------------------------------------------
    def run(
        self, fn: Callable[[], T], done: Callable[[T], None], failed: Callable[[BaseException], None]
    ) -> None:
        """``fn`` on a worker; ``done(result)`` or ``failed(exc)`` back on the GUI thread."""
        self.ctx.tasks.run(fn, done, failed)

    def card_holder(self, purpose: str) -> Identity | None:
        """The identity on this screen, with its ID number; without one the identify screen
        asks for the card (and comes back here for ``purpose``) and None is returned."""
        identity = self.ctx.identify.identity
        if identity is None or not identity.id_number:
            self.ctx.identify.start(purpose)
            self.ctx.ui.go("identify")
            return None
        return identity

    def current_screen(self) -> str:
        return str(self.ctx.ui.screen)

    def lang(self) -> str:
        return "en" if str(self.ctx.tr.lang) == "en" else "zh"

    @staticmethod
    def log_failure(what: str) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            log.warning("%s failed: %s", what, type(exc).__name__)

        return failed
