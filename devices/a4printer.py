"""The A4 document printer of a self-service station, and the plain-data document it prints.

The core hands it an ``A4Document`` (what to say: title, labelled lines, a seal line, a
verification code), never a PDF: the driver lays the page out (Qt's PDF writer, CJK fonts) and
sends it to the station's CUPS queue. As with the ticket printer, the core asks ``status()``
before printing and refuses with the printer's own code, so a citizen never waits for a page
that cannot come.

Codes (``A4Status.code`` and ``DeviceError.code`` from ``print_document``), stable for screens:
``ready``; ``paper_out`` (media-empty/media-needed), ``cover_open`` (door/cover open), ``jam``
(media-jam), ``offline`` (no such queue, the scheduler or the device does not answer),
``stopped`` (the queue is disabled, e.g. by a technician), ``failed`` (the job was aborted or
never completed in time).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class A4Line:
    label: str
    value: str


@dataclass(frozen=True)
class A4Document:
    """One page (or more, when the lines do not fit) of labelled lines under a title.

    Values are printed as given: the caller decides what is masked. A full ID number belongs
    only on the citizen's own licence printout, never on a receipt left in a tray."""

    kind: str
    """``licence``, ``receipt`` or ``form`` (for the job title and the tests)."""
    header: str
    title: str
    lines: tuple[A4Line, ...]
    printed_at: datetime
    subtitle: str = ""
    seal: str = ""
    verify_code: str = ""
    notes: tuple[str, ...] = ()
    footer: str = ""

    def __repr__(self) -> str:
        return f"A4Document({self.kind!r}, {len(self.lines)} lines, <content hidden>)"


@dataclass(frozen=True)
class A4Status:
    code: str
    detail: str = ""
    reasons: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        return self.code == "ready"


@dataclass(frozen=True)
class A4Receipt:
    job: str
    pages: int
    pdf_bytes: int
    title: str = ""
    """The job title CUPS shows (kind and a random token; nothing personal)."""


A4Layout = Callable[["A4Document", str], tuple[bytes, int]]
"""A document and its job title -> PDF bytes and page count. The layout needs Qt's PDF writer
and font engine, which only the front end may import: it hands one in (``ui.a4pdf.layout``)."""


class A4Printer(ABC):
    @abstractmethod
    def status(self) -> A4Status:
        """The printer's state now (queue enabled, paper, cover), asked before every job."""

    @abstractmethod
    def print_document(self, doc: A4Document, *, timeout_s: float = 60.0) -> A4Receipt:
        """Lay out, send and wait for the job to complete; ``DeviceError`` with a code above."""
