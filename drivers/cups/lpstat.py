"""Reading ``lpstat`` output (the codec half of the CUPS transport; no I/O, unit-tested).

``lpstat -l -p QUEUE`` says whether the queue is idle, printing or disabled and lists the
printer's ``Alerts`` (IPP ``printer-state-reasons``: ``media-empty-error``, ``cover-open``...).
Output is read with ``LANG=C``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PRINTER = re.compile(r"printer (\S+) (is idle|now printing|disabled)")
_ALERTS = re.compile(r"^\s*Alerts:\s*(.*)$", re.M)
_REQUEST = re.compile(r"request id is (\S+-\d+)")

REASON_CODES = (
    ("media-empty", "paper_out"),
    ("media-needed", "paper_out"),
    ("cover-open", "cover_open"),
    ("door-open", "cover_open"),
    ("media-jam", "jam"),
    ("offline", "offline"),
    ("shutdown", "offline"),
)


@dataclass(frozen=True)
class QueueState:
    state: str
    """``idle``, ``printing``, ``stopped`` or ``unknown``."""
    reasons: tuple[str, ...]

    def code(self) -> str:
        """The A4 printer's status code (``devices.a4printer``) for this state."""
        for reason in self.reasons:
            if reason.endswith("-report"):
                continue  # a warning (e.g. media-low-report), printing goes on
            for needle, code in REASON_CODES:
                if reason.startswith(needle):
                    return code
        if self.state == "stopped":
            return "stopped"
        if self.state == "unknown":
            return "offline"
        return "ready"


def parse_printer(text: str) -> QueueState:
    m = _PRINTER.search(text)
    if m is None:
        return QueueState("unknown", ())
    state = {"is idle": "idle", "now printing": "printing", "disabled": "stopped"}[m.group(2)]
    reasons: tuple[str, ...] = ()
    a = _ALERTS.search(text)
    if a is not None:
        words = [w.strip() for w in a.group(1).replace(",", " ").split()]
        reasons = tuple(w for w in words if w and w != "none")
    return QueueState(state, reasons)


def parse_request_id(text: str) -> str | None:
    m = _REQUEST.search(text)
    return m.group(1) if m else None
