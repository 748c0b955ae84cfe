"""The A4 printer as a CUPS queue: pages laid out by the front end's ``A4Layout`` (Qt's PDF writer,
``ui.a4pdf``), sent by ``drivers.cups``."""

from __future__ import annotations

import logging
import secrets

from devices.a4printer import A4Document, A4Layout, A4Printer, A4Receipt, A4Status
from devices.base import DeviceError
from drivers.cups.transport import CupsError, CupsQueue

log = logging.getLogger(__name__)


class CupsA4Printer(A4Printer):
    def __init__(self, queue: str, server: str = "", *, layout: A4Layout) -> None:
        self.cups = CupsQueue(queue, server)
        self.layout = layout

    def status(self) -> A4Status:
        st = self.cups.state()
        return A4Status(st.code(), st.state, st.reasons)

    def print_document(self, doc: A4Document, *, timeout_s: float = 60.0) -> A4Receipt:
        st = self.status()
        if not st.ready:
            raise DeviceError(st.code, f"A4 printer not ready: {st.code}")
        title = f"hall-kiosk-{doc.kind}-{secrets.token_hex(4)}"
        pdf, pages = self.layout(doc, title)
        try:
            job = self.cups.submit(pdf, title)
            self.cups.wait(job, timeout_s)
        except CupsError as exc:
            log.warning("A4 job failed: %s (%s)", exc.code, exc.detail)
            raise DeviceError(exc.code, exc.detail) from None
        return A4Receipt(job, pages, len(pdf), title)
