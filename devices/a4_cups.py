"""The A4 printer as a CUPS queue: pages laid out by ``drivers.a4pdf``, sent by ``drivers.cups``."""

from __future__ import annotations

import logging
import secrets

from devices.a4printer import A4Document, A4Printer, A4Receipt, A4Status
from devices.base import DeviceError
from drivers.a4pdf import render
from drivers.cups.transport import CupsError, CupsQueue

log = logging.getLogger(__name__)


def page_of(doc: A4Document) -> render.Page:
    return render.Page(
        header=doc.header,
        title=doc.title,
        lines=tuple(render.Line(x.label, x.value) for x in doc.lines),
        printed_at=doc.printed_at,
        subtitle=doc.subtitle,
        seal=doc.seal,
        verify_code=doc.verify_code,
        notes=doc.notes,
        footer=doc.footer,
        job_title=f"hall-kiosk-{doc.kind}-{secrets.token_hex(4)}",
    )


class CupsA4Printer(A4Printer):
    def __init__(self, queue: str, server: str = "") -> None:
        self.cups = CupsQueue(queue, server)

    def status(self) -> A4Status:
        st = self.cups.state()
        return A4Status(st.code(), st.state, st.reasons)

    def print_document(self, doc: A4Document, *, timeout_s: float = 60.0) -> A4Receipt:
        st = self.status()
        if not st.ready:
            raise DeviceError(st.code, f"A4 printer not ready: {st.code}")
        page = page_of(doc)
        pdf, pages = render.render(page)
        try:
            job = self.cups.submit(pdf, page.job_title)
            self.cups.wait(job, timeout_s)
        except CupsError as exc:
            log.warning("A4 job failed: %s (%s)", exc.code, exc.detail)
            raise DeviceError(exc.code, exc.detail) from None
        return A4Receipt(job, pages, len(pdf), page.job_title)
