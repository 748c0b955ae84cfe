"""Routes the core's events to the screens' presenters, and runs the UI's lifecycle.

The core's event bus delivers on its own thread; ``Bridge`` only re-emits each event as a Qt
signal, which Qt queues onto the GUI thread, and hands it to the presenters there. What a
screen does lives in its presenter (``ui/presenters``, listed in ``ui.screens.SCREENS``); what
may block runs on ``ctx.tasks`` workers through the core's façade. The GUI thread never waits
on I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from devices.base import DeviceEvent
from kiosk.facade import Kiosk
from kiosk.identity.person import Identity
from kiosk.platform.status import SyncStatus
from kiosk.remote_commands import RestartRequested
from kiosk.runtime import App
from ui.context import UiContext
from ui.presenters.base import Peers, Presenter
from ui.presenters.counter import CounterPresenter
from ui.presenters.identify import IdentifyPresenter
from ui.presenters.take_number import TakeNumberPresenter
from ui.presenters.technician import TechnicianPresenter
from ui.qt import QCoreApplication, QObject, Qt, Signal
from ui.screens import SCREENS, ScreenSpec

log = logging.getLogger(__name__)

P = TypeVar("P", bound=Presenter)


class Bridge(QObject):
    _event = Signal(object)

    def __init__(self, app: App | Kiosk, ctx: UiContext, screens: Sequence[ScreenSpec] = SCREENS) -> None:
        super().__init__()
        self.kiosk = app if isinstance(app, Kiosk) else Kiosk.of(app)
        self.ctx = ctx
        self.peers = Peers()
        self.presenters: dict[str, Presenter] = {}
        for spec in screens:
            presenter = spec.presenter(ctx, self.kiosk, self.peers)
            self.peers.add(presenter)
            self.presenters[spec.name] = presenter
        self._restart_pending = ""
        # exit(), not quit(): a locked window vetoes quit(); systemd (Restart=always) starts us again
        self.restart: Callable[[], None] = lambda: QCoreApplication.exit(0)
        self._event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = self.kiosk.subscribe(self._event.emit)
        ctx.ui.screenChanged.connect(self._on_screen)
        ctx.ui.speakRequested.connect(self._speak)
        for p in self.peers:
            p.connect()

    def presenter(self, cls: type[P]) -> P:
        return self.peers.get(cls)

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """First fill of the screens from the running core (off the GUI thread)."""

        def online(st: SyncStatus | None) -> None:
            if st is not None:
                self.ctx.ui.set_online(bool(st.online))

        self.ctx.tasks.run(self.kiosk.sync_status, online, Presenter.log_failure("sync"))
        hall = self.kiosk.hall()
        if hall is not None and hall.name:
            self.ctx.ui.set_hall_names(*self.kiosk.hall_names())
        if hall is not None:
            self.ctx.ui.set_timezone(hall.tz)
        for p in self.peers:
            p.start()

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.ctx.tasks.wait(10_000)

    def _restart_when_idle(self) -> None:
        """Restart (to apply a reloaded config) only on the start screen: never under a citizen."""
        if self._restart_pending and str(self.ctx.ui.screen) == self.ctx.ui.home_screen():
            log.info("restarting to apply the new configuration (%s)", self._restart_pending)
            self._restart_pending = ""
            self.restart()

    def _on_screen(self) -> None:
        self._restart_when_idle()
        presenter = self._current()
        if presenter is not None:
            presenter.shown()

    def _speak(self, text: str) -> None:
        self.kiosk.speak(text, "en" if str(self.ctx.tr.lang) == "en" else "zh")

    # -- events from the core (GUI thread) ----------------------------------------------------
    def _on_event(self, ev: object) -> None:
        try:
            if isinstance(ev, DeviceEvent):
                self._on_device(ev)
            elif isinstance(ev, SyncStatus):
                self.ctx.ui.set_online(bool(ev.online))
            elif isinstance(ev, RestartRequested):
                self._restart_pending = ev.reason
                self._restart_when_idle()
            else:
                for p in self.peers:
                    p.on_event(ev)
        except Exception:
            log.exception("handling %s failed", type(ev).__name__)

    def _current(self) -> Presenter | None:
        return self.presenters.get(str(self.ctx.ui.screen))

    def card(self, identity: Identity) -> None:
        """An identity as if read by a card reader now: the screen shown decides what it is for."""
        current = self._current()
        if current is not None:
            current.on_card(identity)

    def _on_device(self, ev: DeviceEvent) -> None:
        """A device under test first; cards and codes go to the screen shown, the rest to the
        presenter it concerns."""
        tech = self.presenter(TechnicianPresenter)
        if tech.input_test(ev):
            return
        data = dict(ev.data)
        current = self._current()
        if ev.type == "card_read" and data.get("identity") is not None:
            self.card(Identity.from_card(data["identity"]))
        elif ev.type in ("card_detected", "card_read") and data.get("uid"):
            tech.admin_card(str(data["uid"]))
        elif ev.type == "code_scanned":
            text = str(getattr(data.get("code"), "text", "") or "")
            if text and current is not None:
                current.on_code(text)
        elif ev.type == "card_error":
            self.presenter(IdentifyPresenter).card_unreadable()
        elif ev.type == "rating":
            self.presenter(CounterPresenter).rating_received(data.get("counter"), int(data.get("level") or 0))
        elif ev.type in ("paper_out", "cover_open"):
            self.presenter(TakeNumberPresenter).printer_trouble(ev.type)
        tech.device_changed(ev)
