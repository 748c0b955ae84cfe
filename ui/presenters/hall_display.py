"""The hall TV: the latest call, recent calls and waiting per category."""

from __future__ import annotations

from kiosk.facade import Kiosk
from kiosk.queue.events import HallDisplayChanged, HallDisplayModel, QueueChanged
from ui.context import UiContext
from ui.presenters.base import Newest, Peers, Presenter
from ui.presenters.home import waiting_rows


class HallDisplayPresenter(Presenter):
    screen = "hall_display"

    def __init__(self, ctx: UiContext, kiosk: Kiosk, peers: Peers) -> None:
        super().__init__(ctx, kiosk, peers)
        self.newest = Newest()
        """A picture read before a call was pushed must not replace it (the TV would show the
        call before)."""

    def start(self) -> None:
        self.refresh()

    def shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.kiosk.has_queue():
            asked = self.newest.ask()
            self.run(
                lambda: self.kiosk.queue().display_model(),
                lambda model: self.apply(model, asked),
                self.log_failure("hall display"),
            )

    def on_event(self, event: object) -> None:
        if isinstance(event, HallDisplayChanged):
            self.apply(event.model, self.newest.ask())
        elif isinstance(event, QueueChanged):
            self.ctx.hall.set_waiting(waiting_rows(event.categories))

    def apply(self, model: HallDisplayModel, asked: int | None = None) -> None:
        """Show a picture; ``asked`` is its number (None: shown as it is, e.g. a screenshot)."""
        if not self.newest.fresh(asked):
            return
        hall_info = self.kiosk.hall()
        hall = self.ctx.hall
        cur = model.current

        def name(code: str) -> str:
            return hall_info.category_name(code) if hall_info is not None else code

        def name_en(code: str) -> str:
            return hall_info.category_name_en(code) if hall_info is not None else code

        hall.update(
            current={} if cur is None else {"number": cur.number, "counter": cur.counter,
                                            "categoryName": name(cur.category),
                                            "categoryNameEn": name_en(cur.category),
                                            "online": cur.channel == "online"},
            recent=[{"number": e.number, "counter": e.counter, "online": e.channel == "online"}
                    for e in model.recent[1:]],
            waiting=waiting_rows(model.categories),
            callSerial=hall.get("callSerial") + (1 if cur is not None else 0),
        )  # fmt: skip
        if model.notice:
            hall.set_notice(model.notice)
