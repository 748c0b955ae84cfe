"""The error screen: printer trouble, a service not running here, anything unexpected."""

from __future__ import annotations

import logging

from kiosk.facade import PrintFailed, Unavailable
from ui.presenters.base import Presenter

log = logging.getLogger(__name__)

PRINTER_CODES = frozenset({"paper_out", "cover_open", "printer_unavailable", "printer_failed", "no_printer"})
"""Result codes (``kiosk.usecases.messages``) that mean: this machine cannot print now."""


class ErrorPresenter(Presenter):
    screen = "error_printer"
    card_purpose = "take_number"

    def printer(self, code: str) -> None:
        """``code`` is the one refusal code, shown to staff as the reference."""
        self.ctx.error.show("paper_out" if code == "paper_out" else "printer", reference=code)
        self.ctx.ui.go("error_printer")

    def failure(self, exc: BaseException, what: str) -> None:
        if isinstance(exc, PrintFailed):
            self.printer(exc.code)
            return
        if isinstance(exc, Unavailable):
            log.error("%s: service unavailable: %s", what, exc.reason)
            self.ctx.error.show("unavailable", reference=exc.reason)
        else:
            log.error("%s failed: %s", what, type(exc).__name__, exc_info=exc)
            self.ctx.error.show("general", reference=type(exc).__name__)
        self.ctx.ui.go("error_printer")
