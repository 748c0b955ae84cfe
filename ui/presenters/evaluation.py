"""The citizen's rating of the service (one per service)."""

from __future__ import annotations

from kiosk.usecases.results import Result
from ui.presenters.base import Presenter


class EvaluationPresenter(Presenter):
    screen = "evaluation"
    card_purpose = "take_number"

    def connect(self) -> None:
        self.ctx.evaluation.submitRequested.connect(self.submit)

    def submit(self, level: int, tags: list[str]) -> None:
        vm = self.ctx.evaluation

        def rate() -> Result:
            return self.kiosk.queue().submit_evaluation(level, tags=tuple(tags), channel="kiosk")

        self.run(rate, lambda r: vm.submitted(bool(r.ok)), lambda _e: vm.submitted(False))
