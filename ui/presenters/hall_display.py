"""The hall TV: the latest call, recent calls and waiting per category."""

from __future__ import annotations

from kiosk.queue.events import HallDisplayChanged, HallDisplayModel, QueueChanged
from ui.presenters.base import Presenter
from ui.presenters.home import waiting_rows


class HallDisplayPresenter(Presenter):
    screen = "hall_display"

    def start(self) -> None:
        self.refresh()

    def shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.kiosk.has_queue():
            self.run(lambda: self.kiosk.queue().display_model(), self.apply, self.log_failure("hall display"))

    def on_event(self, event: object) -> None:
        if isinstance(event, HallDisplayChanged):
            self.apply(event.model)
        elif isinstance(event, QueueChanged):
            self.ctx.hall.set_waiting(waiting_rows(event.categories))

    def apply(self, model: HallDisplayModel) -> None:
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
            waiting=[{"code": s.code, "name": s.name, "nameEn": s.name_en or s.name, "waiting": s.waiting}
                     for s in model.categories],
            callSerial=hall.get("callSerial") + (1 if cur is not None else 0),
        )  # fmt: skip
        if model.notice:
            hall.set_notice(model.notice)
