"""The ESC/POS ticket printer device: documents -> templates -> bytes -> a python-escpos
connection chosen by URL, with the real-time status asked before every ticket and polled
while idle.

A ticket is only sent to a printer that just said it is ready (online, cover closed, paper
present), so a caller that issues the number after ``print_document`` returns never hands out
a number nobody got. A connection that breaks moves the device to ``offline``; the manager
reopens it with backoff and it announces ``recovered`` by itself.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from devices.base import DeviceError, DeviceState, options_doc
from devices.printer import (
    UNKNOWN_STATUS,
    PaperStatus,
    PrintDocument,
    PrintReceipt,
    TicketPrinter,
    status_error,
)
from devices.registry import DriverInfo
from devices.ticket_templates import blocks_for
from drivers.escpos.builder import PrinterModel, build
from drivers.escpos.status import RawStatus
from drivers.escpos.transport import LinkError, PrinterLink, parse_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EscposPrinterOptions:
    connection: str = field(
        metadata=options_doc(
            "usb://VID:PID | serial:///dev/ttyUSB0?baudrate=19200 | tcp://host:9100 | file:///path",
            pattern=r"(usb|serial|tcp|file)://\S+",
            pattern_doc="must be a usb://, serial://, tcp:// or file:// URL",
        )
    )
    profile: str = field(default="default", metadata=options_doc("python-escpos capabilities profile"))
    paper_mm: Literal[58, 80] = field(default=80, metadata=options_doc("paper width in millimetres"))
    chinese: Literal["fs", "raw", "off"] = field(
        default="fs",
        metadata=options_doc("fs: FS & ... FS . around GB18030; raw: printer starts in Chinese mode; off"),
    )
    qr: Literal["auto", "native", "raster"] = field(
        default="auto", metadata=options_doc("auto: native GS ( k when the profile supports it")
    )
    qr_size: int = field(default=6, metadata=options_doc("QR module size in dots", min=2, max=16))
    cut: Literal["partial", "full", "none"] = "partial"
    columns: int = field(
        default=0, metadata=options_doc("Font A columns; 0 = from profile/paper", min=0, max=96)
    )
    status: Literal["auto", "off"] = field(
        default="auto", metadata=options_doc("auto: ask DLE EOT where the connection can read")
    )
    status_timeout_s: float = field(
        default=0.5, metadata=options_doc("wait per status byte", min=0.05, max=5)
    )
    poll_s: float = field(default=2.0, metadata=options_doc("status poll period while idle", min=0.2, max=60))
    preview_dir: str = field(default="", metadata=options_doc("render each printed document to a PNG here"))


def _to_paper(raw: RawStatus | None) -> PaperStatus:
    if raw is None:
        return UNKNOWN_STATUS
    return PaperStatus(
        online=raw.online,
        cover_open=raw.cover_open,
        paper_near_end=raw.paper_near_end,
        paper_out=raw.paper_out,
        error=raw.failed,
    )


class EscposTicketPrinter(TicketPrinter):
    driver_name = "escpos"

    def __init__(self, name: str, options: EscposPrinterOptions) -> None:
        super().__init__(name)
        self.options = options
        self.model_info = PrinterModel(
            profile=options.profile,
            paper_mm=options.paper_mm,
            chinese=options.chinese,
            qr=options.qr,
            cut=options.cut,
            columns=options.columns,
        )
        self.poll_interval = options.poll_s
        self._link: PrinterLink | None = None
        self._last: PaperStatus = UNKNOWN_STATUS
        self._printed = 0
        self._bytes = 0
        self.model = options.profile
        url = parse_url(options.connection)
        self.hardware_id = f"{url.scheme}://{url.target}"

    # --- lifecycle -----------------------------------------------------------------------
    def open(self) -> None:
        from escpos.capabilities import get_profile

        try:
            get_profile(self.options.profile)
        except KeyError:
            raise DeviceError(
                "bad_profile", f"unknown printer profile {self.options.profile!r}", transient=False
            ) from None
        link = PrinterLink(self.options.connection, profile=self.options.profile, timeout=1.0)
        try:
            link.open()
        except LinkError as exc:
            raise DeviceError(exc.code, str(exc), transient=exc.code == "offline") from None
        self._link = link
        status = self._query()
        if status.known and not status.online and status.fault_code() == "offline":
            self.close()
            raise DeviceError("offline", "the printer does not answer status requests")
        self._track(status)

    def close(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            link.close()

    def poll(self) -> None:
        if self._link is None or not self._link.url.can_read or self.options.status == "off":
            return
        status = self._query()
        if status.fault_code() == "offline":
            raise DeviceError("offline", "the printer stopped answering")
        self._track(status)

    # --- status --------------------------------------------------------------------------
    def _query(self) -> PaperStatus:
        if self._link is None:
            raise DeviceError("offline", "the printer is not connected")
        if self.options.status == "off":
            return UNKNOWN_STATUS
        try:
            raw = self._link.status(self.options.status_timeout_s)
        except LinkError as exc:
            self.set_state(DeviceState.OFFLINE, "connection lost")
            raise DeviceError("offline", str(exc)) from None
        if raw is not None and not raw.answered:
            return PaperStatus(online=False)
        return _to_paper(raw)

    def _track(self, status: PaperStatus) -> None:
        """Emit paper events on transitions only (log once when it goes, once when it returns)."""
        old, self._last = self._last, status
        if not status.known:
            return
        if status.paper_out and not old.paper_out:
            self.emit("paper_out", code="paper_out")
        elif status.paper_near_end and not status.paper_out and not old.paper_near_end:
            self.emit("paper_low", code="paper_near_end")
        if status.cover_open and not old.cover_open:
            self.emit("cover_open", code="cover_open")
        was_bad = old.known and (old.paper_out or old.cover_open or old.paper_near_end)
        if was_bad and not (status.paper_out or status.cover_open or status.paper_near_end):
            self.emit("paper_ok")

    def paper_status(self) -> PaperStatus:
        status = self._query()
        self._track(status)
        return status

    # --- printing ------------------------------------------------------------------------
    def render(self, doc: PrintDocument) -> bytes:
        """The bytes a document becomes on this printer (no I/O; benchmarks and tests)."""
        blocks = blocks_for(doc, self.model_info.cols(), self.options.qr_size)
        return build(blocks, self.model_info)

    def print_document(self, doc: PrintDocument) -> PrintReceipt:
        if self._link is None:
            raise DeviceError("offline", "the printer is not connected")
        status = self._query()
        self._track(status)
        err = status_error(status)
        if err is not None:
            if err.code == "offline":
                self.set_state(DeviceState.OFFLINE, "no status answer")
            self.record_error(err)
            raise err
        try:
            data = self.render(doc)
        except ValueError as exc:
            raise DeviceError(
                "bad_document", f"cannot lay out the document: {exc}", transient=False
            ) from None
        try:
            self._link.write(data)
        except LinkError:
            self.set_state(DeviceState.OFFLINE, "write failed")
            raise DeviceError("write_failed", "the printer connection broke while printing") from None
        self._printed += 1
        self._bytes += len(data)
        self.counters.reads += 1
        preview = self._preview(data)
        warnings = ("paper_near_end",) if status.paper_near_end else ()
        number = getattr(doc, "number", None)
        self.emit(
            "printed",
            document=doc.document_kind,
            number=number,
            bytes=len(data),
            preview=str(preview) if preview else None,
        )
        return PrintReceipt(doc.document_kind, len(data), status, str(preview) if preview else None, warnings)

    def _preview(self, data: bytes) -> Path | None:
        if not self.options.preview_dir:
            return None
        from drivers.escpos.decoder import decode
        from drivers.escpos.render import render_png

        started = time.monotonic()
        ops, _ = decode(data, chinese_at_start=self.options.chinese == "raw")
        path = render_png(ops, Path(self.options.preview_dir) / "last-ticket.png", self.model_info.dots())
        log.debug("preview rendered in %.0f ms", (time.monotonic() - started) * 1000)
        return path

    def health_detail(self) -> dict[str, Any]:
        return {
            "connection": self.hardware_id,
            "paper": self._last.as_dict() if self._last.known else "unknown",
            "printed": self._printed,
            "bytes": self._bytes,
        }


def _factory(name: str, options: Any) -> EscposTicketPrinter:
    try:
        return EscposTicketPrinter(name, options)
    except LinkError as exc:
        raise DeviceError("bad_config", f"printer connection: {exc}", transient=False) from None


DRIVER = DriverInfo(
    name="escpos",
    kind=EscposTicketPrinter.kind,
    options=EscposPrinterOptions,
    factory=_factory,
    summary="ESC/POS ticket printer (python-escpos; usb/serial/tcp/file URL)",
)
