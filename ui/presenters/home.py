"""Home: the waiting counts per category (from the queue's change events)."""

from __future__ import annotations

from kiosk.queue.events import CategoryStatus, QueueChanged
from ui.presenters.base import Presenter
from ui.presenters.identify import IdentifyPresenter


def waiting_rows(categories: tuple[CategoryStatus, ...]) -> list[dict[str, object]]:
    return [{"code": s.code, "name": s.name, "name_en": s.name, "nameEn": s.name, "waiting": s.waiting}
            for s in categories]  # fmt: skip


class HomePresenter(Presenter):
    screen = "home"
    card_purpose = "take_number"

    def on_code(self, text: str) -> None:
        self.peers.get(IdentifyPresenter).by_code(text)

    def on_event(self, event: object) -> None:
        if isinstance(event, QueueChanged):
            self.ctx.home.set_waiting(waiting_rows(event.categories))
