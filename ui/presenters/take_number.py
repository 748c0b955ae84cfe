"""Take a number: categories with waiting and estimates, the citizen's priority, the ticket.

A refusal shows the core's one sentence for its code in the screen's language (and again in
the other language when the citizen switches), never a second sentence of the UI's own."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.hall_queue import TicketEstimate
from kiosk.identity.person import Identity
from kiosk.queue.events import QueueChanged
from kiosk.usecases.results import Result
from ui.presenters.base import Presenter
from ui.presenters.error_printer import PRINTER_CODES, ErrorPresenter
from ui.presenters.identify import IdentifyPresenter
from ui.presenters.ticket_printed import TicketPresenter, ticket_view


@dataclass(frozen=True)
class Taken:
    view: dict[str, object]
    ticket_id: str


class TakeNumberPresenter(Presenter):
    screen = "take_number"
    card_purpose = "take_number"

    def on_card(self, identity: Identity) -> None:
        """The number is for this person: their priority changes the estimate at once."""
        c = self.ctx
        c.identify.update(purpose="take_number")
        c.identify.accept(identity)
        c.take_number.set_holder(c.identify.get("holder"))
        sel = c.take_number.get("selected")
        if sel:
            self.estimate(sel)

    def on_code(self, text: str) -> None:
        self.peers.get(IdentifyPresenter).by_code(text)

    def connect(self) -> None:
        vm = self.ctx.take_number
        vm.categoryChosen.connect(self.estimate)
        vm.takeRequested.connect(self.take)
        self.ctx.tr.changed.connect(self._relabel)
        self._refusal: Result | None = None

    def start(self) -> None:
        self.refresh()

    def shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if not self.kiosk.has_queue():
            return
        self.run(self._categories, self.ctx.take_number.set_categories, self.log_failure("categories"))

    def _categories(self) -> list[dict[str, object]]:
        q = self.kiosk.queue()
        prefix = {c.code: c.prefix for c in q.hall().categories}
        return [
            {"code": c.code, "prefix": prefix.get(c.code, c.code), "name": c.name, "name_en": c.name,
             "waiting": c.waiting, "estMin": int(c.est_wait_min or 0), "open": c.est_wait_min is not None}
            for c in q.categories()
        ]  # fmt: skip

    def on_event(self, event: object) -> None:
        if not isinstance(event, QueueChanged):
            return
        cats = [dict(r) for r in self.ctx.take_number.get("categories")]
        est = {s.code: s for s in event.categories}
        for r in cats:
            s = est.get(r["code"])
            if s is not None:
                r.update(waiting=s.waiting, estMin=int(s.est_wait_min or 0), open=s.est_wait_min is not None)
        if cats:
            self.ctx.take_number.set_categories(cats)

    def estimate(self, code: str) -> None:
        identity = self.ctx.identify.identity

        def est() -> TicketEstimate:
            return self.kiosk.queue().estimate(code, identity)

        def done(e: TicketEstimate) -> None:
            self.ctx.take_number.set_estimate(
                code, e.ahead, int(e.minutes or 0), "" if e.priority == "normal" else e.priority
            )

        self.run(est, done, self.log_failure("estimate"))

    def take(self, code: str) -> None:
        identity = self.ctx.identify.identity
        lang = self.lang()
        self._refusal = None

        def take() -> Taken | Result:
            q = self.kiosk.queue()
            r = q.take_ticket(code, identity=identity, language=lang)
            if not r.ok or r.ticket is None:
                return r
            holder = identity.masked_name() if identity is not None else ""
            return Taken(ticket_view(r.ticket, holder, q.hall(), self.kiosk.hall_names()), r.ticket.ticket_id)

        def done(outcome: Taken | Result) -> None:
            if isinstance(outcome, Result):
                self._refused(outcome)
                return
            self.peers.get(TicketPresenter).show(outcome.view)
            self.ctx.take_number.back()

        def failed(exc: BaseException) -> None:
            self.ctx.take_number.back()
            self.peers.get(ErrorPresenter).failure(exc, "taking a number")

        self.run(take, done, failed)

    def _refused(self, result: Result) -> None:
        if result.message in PRINTER_CODES:
            self.ctx.take_number.back()
            self.peers.get(ErrorPresenter).printer(result.message)
            return
        self._refusal = result
        self.ctx.take_number.refuse("", result.text(self.lang()))

    def _relabel(self) -> None:
        if self._refusal is not None and self.ctx.take_number.get("step") == "refused":
            self.ctx.take_number.refuse("", self._refusal.text(self.lang()))

    def printer_trouble(self, code: str) -> None:
        """The printer reported trouble while a citizen is choosing."""
        if self.current_screen() == self.screen:
            self.peers.get(ErrorPresenter).printer(code)
