"""The ticket/receipt printer interface and the plain-data documents it prints.

The core hands a printer a *document* (what to say), never bytes or layout: the driver owns
the paper width, the Chinese mode and the QR method, so the same ``QueueTicket`` prints on a
58 mm kiosk printer and an 80 mm counter printer. Names on documents are already masked by the
caller (``kiosk.privacy.mask_name``); the printer never sees an ID number.

Error codes raised by ``print_document`` (``DeviceError.code``), stable for dashboards:

- ``paper_out``   no paper; nothing was printed, the ticket must not be issued
- ``cover_open``  the cover is open; nothing was printed
- ``offline``     the printer does not answer (unplugged, powered off, port gone)
- ``not_ready``   the printer reports an error state (cutter jam, overheating)
- ``write_failed`` the transport broke while sending; the ticket may be partly printed
- ``bad_document`` the document cannot be laid out (e.g. an empty number)

Events a printer emits: ``printed`` ``{"document", "number"|None, "bytes", "preview"|None}``
(``preview`` = path of a PNG rendering when the printer has ``preview_dir`` configured),
``paper_low``, ``paper_out``, ``cover_open``, ``paper_ok``.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal

from devices.base import Device, DeviceError, DeviceKind

DocLanguage = Literal["zh", "en"]


@dataclass(frozen=True)
class PaperStatus:
    """What the printer said about itself (real-time ``DLE EOT`` on ESC/POS printers).

    ``known`` is False when the transport cannot answer (a ``file://`` capture, a one-way
    serial cable): the printer is then assumed ready, and the health report says "unknown"
    rather than "ok" (unavailable vs unknown).
    """

    online: bool = True
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    error: bool = False
    known: bool = True

    @property
    def ready(self) -> bool:
        return self.online and not (self.cover_open or self.paper_out or self.error)

    def fault_code(self) -> str | None:
        """The ``DeviceError`` code that stops printing now, or None when printing may go on."""
        if not self.online and not (self.cover_open or self.paper_out):
            return "offline" if not self.error else "not_ready"
        if self.paper_out:
            return "paper_out"
        if self.cover_open:
            return "cover_open"
        if self.error:
            return "not_ready"
        return None

    def as_dict(self) -> dict[str, bool]:
        return {
            "online": self.online,
            "cover_open": self.cover_open,
            "paper_near_end": self.paper_near_end,
            "paper_out": self.paper_out,
            "error": self.error,
            "known": self.known,
        }


UNKNOWN_STATUS = PaperStatus(known=False)


@dataclass(frozen=True)
class QueueTicket:
    """A take-a-number ticket. ``number`` is the display form (``A023``)."""

    hall_name: str
    number: str
    category_name: str
    item_name: str | None
    people_ahead: int
    est_wait_min: int
    issued_at: datetime
    holder_name_masked: str | None = None
    """Set for real-name tickets only; already masked (``李*华``)."""
    qr_payload: str = ""
    """Encoded on the ticket as a QR code (the ticket's code); empty = no QR."""
    footer: str = ""
    priority: bool = False
    """Green-channel ticket (老弱病残孕 / appointment): printed with a marker."""
    language: DocLanguage = "zh"

    document_kind: ClassVar[str] = "queue_ticket"


@dataclass(frozen=True)
class CheckInSlip:
    """Printed when an appointment holder checks in: the ticket number plus the booking."""

    hall_name: str
    number: str
    item_name: str
    slot: str
    """The booked time window as shown to people, e.g. ``09:00-09:30``."""
    checked_in_at: datetime
    holder_name_masked: str | None = None
    counter_hint: str | None = None
    """Where to wait / which windows serve the item, e.g. ``3-4号窗口``."""
    late_minutes: int = 0
    qr_payload: str = ""
    footer: str = ""
    language: DocLanguage = "zh"

    document_kind: ClassVar[str] = "checkin_slip"


@dataclass(frozen=True)
class CaseStep:
    name: str
    done: bool
    at: str | None = None
    """Human-readable date/time of the step, if done."""


@dataclass(frozen=True)
class CaseSlip:
    """A case-progress slip (办件进度): status and steps of one case."""

    hall_name: str
    case_number: str
    item_name: str
    status_label: str
    """The status as people read it (``待补办``, ``可领取`` …)."""
    printed_at: datetime
    holder_name_masked: str | None = None
    steps: tuple[CaseStep, ...] = ()
    next_action: str | None = None
    """What the citizen must do next (bring a document, pick up at window 5)."""
    qr_payload: str = ""
    footer: str = ""
    language: DocLanguage = "zh"

    document_kind: ClassVar[str] = "case_slip"


@dataclass(frozen=True)
class ChecklistMaterial:
    name: str
    form: str = ""
    """``原件`` / ``复印件`` / ``原件及复印件`` …"""
    copies: int = 1
    required: bool = True
    note: str = ""


@dataclass(frozen=True)
class ChecklistSlip:
    """The materials checklist of a service item (办事指南 材料清单)."""

    hall_name: str
    item_name: str
    materials: tuple[ChecklistMaterial, ...]
    printed_at: datetime
    item_code: str | None = None
    location: str | None = None
    hours: str | None = None
    phone: str | None = None
    notes: tuple[str, ...] = ()
    qr_payload: str = ""
    footer: str = ""
    language: DocLanguage = "zh"

    document_kind: ClassVar[str] = "checklist_slip"


PrintDocument = QueueTicket | CheckInSlip | CaseSlip | ChecklistSlip


@dataclass(frozen=True)
class PrintReceipt:
    """What happened to one document: handed to a ready printer, how many bytes."""

    document: str
    bytes_sent: int
    status_before: PaperStatus
    preview: str | None = None
    warnings: tuple[str, ...] = field(default=())
    """E.g. ``paper_near_end``: printed, but the technician should come."""


class TicketPrinter(Device):
    """A printer of queue tickets and slips.

    ``print_document`` checks the printer's status first and raises ``DeviceError`` (codes
    above) *before sending a byte* when it is not ready, so a caller that issues the number
    only after a successful return never consumes a number for a ticket nobody got.
    """

    kind = DeviceKind.TICKET_PRINTER

    @abstractmethod
    def paper_status(self) -> PaperStatus:
        """Ask the printer now (real-time status); ``UNKNOWN_STATUS`` if it cannot tell."""

    @abstractmethod
    def print_document(self, doc: PrintDocument) -> PrintReceipt:
        """Lay out, send and cut one document; raise DeviceError when it cannot."""


def status_error(status: PaperStatus) -> DeviceError | None:
    """The error to raise for a status that forbids printing (messages say where to go)."""
    code = status.fault_code()
    if code is None:
        return None
    messages = {
        "paper_out": "The printer is out of paper; please take a number at the service desk.",
        "cover_open": "The printer cover is open; please take a number at the service desk.",
        "offline": "The printer does not answer; please take a number at the service desk.",
        "not_ready": "The printer reports a fault; please take a number at the service desk.",
    }
    return DeviceError(code, messages[code])
