"""Take a number: categories with waiting and estimates, the citizen's priority, the ticket.

Before anything is printed the core quotes the wait (``HallQueue.wait_quote``): a day-full
category is refused with its sentence, a wait over the hall's threshold is said with the core's
``long_wait_confirm`` sentence and printed only when the citizen confirms. A confirm pressed
before the quote came back quotes again in the worker, so nobody gets a long wait unsaid.

A refusal shows the core's one sentence for its code in the screen's language (and again in
the other language when the citizen switches), never a second sentence of the UI's own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.hall_queue import HallInfo, TicketEstimate
from kiosk.identity.person import Identity
from kiosk.queue.events import CategoryStatus, QueueChanged
from kiosk.usecases.results import Result
from ui.presenters.base import Presenter
from ui.presenters.error_printer import PRINTER_CODES, ErrorPresenter
from ui.presenters.identify import IdentifyPresenter
from ui.presenters.ticket_printed import TicketPresenter, ticket_view


@dataclass(frozen=True)
class LongWait:
    """The take was stopped: the wait is long and the citizen has not seen it yet."""

    quote: Result


@dataclass(frozen=True)
class Taken:
    view: dict[str, object]
    ticket_id: str


def category_rows(hall: HallInfo, statuses: Iterable[CategoryStatus]) -> list[dict[str, object]]:
    """The category buttons, from the hall and its queue (the screenshots use this too)."""
    prefix = {c.code: c.prefix for c in hall.categories}
    return [
        {"code": c.code, "prefix": prefix.get(c.code, c.code), "name": c.name,
         "name_en": c.name_en or c.name, "waiting": c.waiting, "estMin": int(c.est_wait_min or 0),
         "open": c.est_wait_min is not None}
        for c in statuses
    ]  # fmt: skip


class TakeNumberPresenter(Presenter):
    screen = "take_number"
    card_purpose = "take_number"

    def on_card(self, identity: Identity) -> None:
        """The number is for this person: their priority changes the estimate at once (a holder
        with a booking today is offered check-in first)."""
        c = self.ctx

        def for_this_number() -> None:
            c.identify.update(purpose="take_number")
            c.identify.accept(identity)
            c.take_number.set_holder(c.identify.get("holder"))
            sel = c.take_number.get("selected")
            if sel:
                self.estimate(sel)

        self.peers.get(IdentifyPresenter).booking_first(identity, "take_number", for_this_number)

    def on_code(self, text: str) -> None:
        self.peers.get(IdentifyPresenter).by_code(text)

    def connect(self) -> None:
        vm = self.ctx.take_number
        vm.categoryChosen.connect(self.estimate)
        vm.takeRequested.connect(self.take)
        self.ctx.tr.changed.connect(self._relabel)
        self._refusal: Result | None = None
        self._long_wait: Result | None = None
        self._cleared = ""
        """The category whose quote the citizen has seen (short wait, or long wait shown)."""

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
        return category_rows(q.hall(), q.categories())

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
        self._cleared = ""

        def est() -> tuple[TicketEstimate, Result]:
            q = self.kiosk.queue()
            return q.estimate(code, identity), q.wait_quote(code, identity)

        def done(answer: tuple[TicketEstimate, Result]) -> None:
            e, quote = answer
            vm = self.ctx.take_number
            if vm.get("selected") != code or vm.get("step") not in ("confirm", "long_wait"):
                return  # the citizen moved on (or is printing: the take quoted for itself)
            vm.set_estimate(code, e.ahead, int(e.minutes or 0), "" if e.priority == "normal" else e.priority)
            self._quoted(code, quote)

        self.run(est, done, self.log_failure("estimate"))

    def _quoted(self, code: str, quote: Result) -> None:
        if not quote.ok:
            self._refused(quote)
        elif quote.data.get("confirm"):
            self._long_wait = quote
            self._cleared = code
            minutes = quote.data.get("minutes")
            ahead = quote.data.get("ahead")
            self.ctx.take_number.long_wait(
                code,
                quote.text(self.lang()),
                ahead if isinstance(ahead, int) else 0,
                minutes if isinstance(minutes, int) else 0,
            )
        else:
            self._cleared = code

    def take(self, code: str) -> None:
        identity = self.ctx.identify.identity
        lang = self.lang()
        self._refusal = None
        seen = self._cleared == code

        def take() -> Taken | LongWait | Result:
            q = self.kiosk.queue()
            if not seen:
                quote = q.wait_quote(code, identity)
                if not quote.ok:
                    return quote
                if quote.data.get("confirm"):
                    return LongWait(quote)
            r = q.take_ticket(code, identity=identity, language=lang)
            if not r.ok or r.ticket is None:
                return r
            holder = identity.masked_name() if identity is not None else ""
            return Taken(ticket_view(r.ticket, holder, q.hall(), self.kiosk.hall_names()), r.ticket.ticket_id)

        def done(outcome: Taken | LongWait | Result) -> None:
            if isinstance(outcome, LongWait):
                self.ctx.take_number.update(step="confirm")
                self._quoted(code, outcome.quote)
                return
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
        vm = self.ctx.take_number
        if self._refusal is not None and vm.get("step") == "refused":
            vm.refuse("", self._refusal.text(self.lang()))
        if self._long_wait is not None and vm.get("step") == "long_wait":
            vm.update(messageDetail=self._long_wait.text(self.lang()))

    def printer_trouble(self, code: str) -> None:
        """The printer reported trouble while a citizen is choosing."""
        if self.current_screen() == self.screen:
            self.peers.get(ErrorPresenter).printer(code)
