"""On start, tickets a crash left ``printing`` are settled once the printer is up
(``CitizenUseCases.recover_interrupted_prints``), on a short-lived thread so the kiosk's start
does not wait for a printer that may never come."""

from __future__ import annotations

import logging
import threading

from kiosk.usecases.citizen import CitizenUseCases

log = logging.getLogger(__name__)

PRINTER_WAIT_S = 15.0


def _recover(usecases: CitizenUseCases, wait_s: float) -> None:
    try:
        done = usecases.recover_interrupted_prints(wait_for_printer_s=wait_s)
    except Exception:
        log.exception("recovering interrupted prints failed")
        return
    for number, outcome in done:
        log.warning("ticket %s interrupted by a restart: %s", number, outcome)


def recover_in_background(usecases: CitizenUseCases, wait_s: float = PRINTER_WAIT_S) -> threading.Thread:
    """Started; join it (``wait_s`` + the print timeout) before the store closes."""
    thread = threading.Thread(
        target=_recover, args=(usecases, wait_s), name="queue-print-recovery", daemon=True
    )
    thread.start()
    return thread
