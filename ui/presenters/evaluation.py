"""The citizen's rating of the service (one per service)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.facade import ServiceToRate
from kiosk.identity.person import Identity
from kiosk.usecases.results import Result
from ui.presenters.base import Presenter


class EvaluationPresenter(Presenter):
    """A rating at the kiosk is tied to the service it is about: the citizen lays their card or
    scans their ticket here, and the rating goes with that ticket (and into the statistics)."""

    screen = "evaluation"
    card_purpose = "evaluation"

    def connect(self) -> None:
        self.ctx.evaluation.submitRequested.connect(self.submit)

    def on_card(self, identity: Identity) -> None:
        self._bind(lambda: self.kiosk.service_to_rate(identity=identity))

    def on_code(self, text: str) -> None:
        self._bind(lambda: self.kiosk.service_to_rate(ticket_qr=text))

    def _bind(self, find: Callable[[], ServiceToRate | None]) -> None:
        vm = self.ctx.evaluation

        def done(s: ServiceToRate | None) -> None:
            if s is None:
                vm.no_service_found()
            else:
                vm.for_ticket(s.ticket_id, s.number, s.counter, s.category_name, s.category_name_en)

        self.run(find, done, lambda _e: vm.no_service_found())

    def submit(self, level: int, tags: list[str]) -> None:
        vm = self.ctx.evaluation
        ticket_id = vm.ticket_id

        def rate() -> Result:
            return self.kiosk.queue().submit_evaluation(
                level, tags=tuple(tags), ticket_id=ticket_id, channel="kiosk"
            )

        self.run(rate, lambda r: vm.submitted(bool(r.ok)), lambda _e: vm.submitted(False))
