"""ID-card readers reached through their maker's library: ``sdtapi`` (the generic ``SDT_*``
SDK) and ``termb`` (华视 CVR-100 series). Same events and health as the serial SAM reader:
``card_read`` once per card laid on the reader, ``card_removed``, ``card_error`` once per
failed laying, the SAM's and the library's return codes named in plain words.

The library is loaded in a helper process (drivers.vendorlib); every call has a deadline. A
library that hangs past it or crashes leaves the device in ``error`` (code ``library_hung`` /
``library_crashed``); the device manager then reopens it with backoff, which starts a fresh
helper. The kiosk process never runs vendor code, so it can be neither frozen nor killed by it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from devices.base import DeviceError, DeviceState
from devices.idcard import IdCardReader, IdentityDocument
from devices.registry import DriverInfo
from drivers.sam.codec import FrameError
from drivers.sam.fields import card_text_from_fields
from drivers.sam.text import parse_text
from drivers.vendorlib import sdtapi, termb
from drivers.vendorlib.client import LibraryFault, LibraryProcess

log = logging.getLogger(__name__)

_PORT_DOC = "the library's port number: 1001-1016 USB readers, 1-16 serial ports"


def _options_doc(doc: str, **limits: float) -> dict[str, Any]:
    return {"doc": doc, **limits}


@dataclass(frozen=True)
class VendorReaderOptions:
    library: str = field(default="", metadata=_options_doc("path of the vendor's reader library (.so)"))
    port: int = field(default=1001, metadata=_options_doc(_PORT_DOC, min=1, max=1016))
    poll_interval_s: float = field(
        default=0.3, metadata=_options_doc("seconds between find-card polls", min=0.05, max=5.0)
    )
    call_timeout_s: float = field(
        default=2.0,
        metadata=_options_doc(
            "deadline of one library call; past it the library counts as hung", min=0.1, max=30.0
        ),
    )
    read_timeout_s: float = field(
        default=5.0, metadata=_options_doc("deadline of the card read call", min=0.2, max=60.0)
    )
    start_timeout_s: float = field(
        default=10.0,
        metadata=_options_doc("deadline for loading the library in its helper process", min=1.0, max=60.0),
    )
    removal_misses: int = field(
        default=2,
        metadata=_options_doc("empty polls in a row before the card counts as removed", min=1, max=20),
    )
    fingerprint: bool = field(default=False, metadata=_options_doc("read the fingerprint block too"))


@dataclass(frozen=True)
class SdtApiOptions(VendorReaderOptions):
    wlt_library: str = field(
        default="", metadata=_options_doc("vendor WLT photo decoder (.so); empty = no photo")
    )
    wlt_function: str = field(default="unpack", metadata=_options_doc("its decode function"))


@dataclass(frozen=True)
class TermbOptions(VendorReaderOptions):
    encoding: str = field(default="gbk", metadata=_options_doc("text encoding of the library's fields"))
    read_active: int = field(
        default=1,
        metadata=_options_doc("the `active` argument of CVR_Read_Content (vendor manual)", min=0, max=4),
    )
    photo: bool = field(
        default=True, metadata=_options_doc("take the photo the library decodes (GetBMPData)")
    )


class VendorIdCardReader(IdCardReader):
    api: ClassVar[str] = ""
    ops: ClassVar[dict[str, str]] = {}

    def __init__(
        self, name: str, options: VendorReaderOptions, *, wlt_library: str = "", wlt_function: str = "unpack"
    ) -> None:
        super().__init__(name)
        if not options.library:
            raise DeviceError(
                "no_library", f"{self.driver_name}: set `library` to the vendor's .so", transient=False
            )
        if not (1 <= options.port <= 16 or 1001 <= options.port <= 1016):
            raise DeviceError(
                "bad_port", f"{self.driver_name}: port {options.port}: {_PORT_DOC}", transient=False
            )
        self.options = options
        self.poll_interval = options.poll_interval_s
        self._lib = LibraryProcess(
            self.api, options.library, self.ops, wlt_library=wlt_library, wlt_function=wlt_function
        )
        self._card: object | None = None
        self._failed: object | None = None
        self._misses = 0

    # --- library calls ----------------------------------------------------------------------
    def _call(self, op: str, timeout: float | None = None, **args: Any) -> Any:
        try:
            return self._lib.call(op, self.options.call_timeout_s if timeout is None else timeout, **args)
        except LibraryFault as exc:
            raise DeviceError(exc.code, f"ID-card reader library: {exc.message}", transient=False) from None

    def _start(self) -> None:
        try:
            self._lib.start(self.options.start_timeout_s)
        except LibraryFault as exc:
            raise DeviceError(exc.code, f"ID-card reader library: {exc.message}", transient=False) from None
        except OSError as exc:
            raise DeviceError(
                "library_unusable", f"cannot start the library helper: {exc}", transient=False
            ) from None

    def close(self) -> None:
        if self._lib.running:
            try:
                self._close_port()
            except (DeviceError, LibraryFault):
                pass  # a library that cannot even close is stopped below all the same
        self._lib.stop()

    def _close_port(self) -> None:
        raise NotImplementedError

    def health_detail(self) -> Mapping[str, Any]:
        return {
            "port": self.options.port,
            "library": self.options.library,
            "card_present": self._card is not None,
            "library_restarts": max(0, self._lib.starts - 1),
            "library_faults": self._lib.faults,
            "helper_pid": self._lib.pid,
        }

    # --- the card on the reader -------------------------------------------------------------
    def _absent(self) -> None:
        self._failed = None
        if self._card is None:
            return
        self._misses += 1
        if self._misses >= self.options.removal_misses:
            self._card = None
            self._misses = 0
            self.emit("card_removed")

    def _read_failed(self, key: object, code: str, message: str) -> None:
        if key == self._failed:
            return
        self._failed = key
        self.record_error(DeviceError(code, f"card read: {message}"))
        self.emit("card_error", code=code, message=message)

    def _deliver(self, key: object, identity: IdentityDocument) -> None:
        self._card = key
        self._failed = None
        self.counters.reads += 1
        self.emit("card_read", identity=identity)

    def _reading(self, key: object) -> None:
        """BUSY while a new laying is read (not on the quiet retries of a failed one)."""
        if key != self._failed:
            self.set_state(DeviceState.BUSY, "reading a card")

    def _done_reading(self) -> None:
        if self.state == DeviceState.BUSY:
            self.set_state(DeviceState.IDLE)


class SdtApiIdCardReader(VendorIdCardReader):
    """SDT_StartFindIDCard -> SDT_SelectIDCard -> SDT_ReadBaseMsg; the card's serial from the
    select tells one laying from the next, as on the serial path."""

    driver_name = "sdtapi"
    api = "sdtapi"
    ops = dict(sdtapi.SdtApi.OPS, decode_wlt="unpack")

    def __init__(self, name: str, options: SdtApiOptions) -> None:
        super().__init__(name, options, wlt_library=options.wlt_library, wlt_function=options.wlt_function)
        self.sdt_options = options
        self.model = "ID-card reader (SDT SDK)"

    def _check(self, what: str, status: int, ok: int = sdtapi.OK) -> None:
        if status != ok:
            code, words = sdtapi.status(status)
            raise DeviceError(
                code, f"ID-card reader on port {self.options.port}: {what}: {words} (0x{status:02x})"
            )

    def open(self) -> None:
        self._start()
        try:
            self._check("open", int(self._call("open", port=self.options.port)))
            self._check("SAM status", int(self._call("sam_status", port=self.options.port)))
            sam = self._call("sam_id", port=self.options.port)
            if sam.get("id"):
                self.hardware_id = str(sam["id"])
        except DeviceError:
            self.close()
            raise
        self._misses = 0

    def _close_port(self) -> None:
        self._lib.call("close", 1.0, port=self.options.port)

    def poll(self) -> None:
        port = self.options.port
        found = int(self._call("find", port=port))
        if found != sdtapi.FOUND:
            if found in sdtapi.LINK_FAILURES:
                self._check("find card", found, sdtapi.FOUND)
            if found != sdtapi.NO_CARD:
                code, words = sdtapi.status(found)
                self.record_error(DeviceError(code, f"find card: {words} (0x{found:02x})"))
            self._absent()
            return
        selected = self._call("select", port=port)
        if int(selected["status"]) != sdtapi.OK:
            self._absent()
            return
        self._misses = 0
        serial = bytes(selected.get("serial") or b"?")
        if serial == self._card:
            return  # the same card still lies there: read once per laying
        self._read(serial)

    def _read(self, serial: bytes) -> None:
        self._reading(serial)
        try:
            op = "read_fp" if self.options.fingerprint else "read"
            got = self._call(op, self.options.read_timeout_s, port=self.options.port)
            status = int(got["status"])
            if status in sdtapi.LINK_FAILURES:
                self._check("read", status)
            if status != sdtapi.OK:
                code, words = sdtapi.status(status)
                self._read_failed(serial, code, f"{words} (0x{status:02x})")
                return
            try:
                text = parse_text(bytes(got["text"]))
            except FrameError as exc:
                self._read_failed(serial, exc.code, exc.message)
                return
            photo = bytes(got.get("photo") or b"")
            bmp = self._call("decode_wlt", wlt=photo) if self.sdt_options.wlt_library and photo else None
            self._deliver(serial, IdentityDocument.from_card_text(text, photo, bmp, source="sdtapi"))
        finally:
            self._done_reading()

    def health_detail(self) -> Mapping[str, Any]:
        return {**super().health_detail(), "photo_decoder": bool(self.sdt_options.wlt_library)}

    def read_latest_address(self) -> str | None:
        """SDT_ReadNewAppMsg on the selected card (jobs through the manager)."""
        got = self._call("latest_address", port=self.options.port)
        status = int(got["status"])
        if status == sdtapi.NO_CONTENT:
            return None
        self._check("latest address", status)
        return str(got["address"]) if got.get("address") else None


_CARD = "card"
"""termb gives no card serial: one laying is 'authenticated without a gap'."""


class TermbIdCardReader(VendorIdCardReader):
    """CVR_Authenticate (find + select) -> CVR_Read_Content -> the field getters."""

    driver_name = "termb"
    api = "termb"
    ops = termb.Termb.OPS

    def __init__(self, name: str, options: TermbOptions) -> None:
        super().__init__(name, options)
        self.termb_options = options
        self.model = "ID-card reader (termb SDK)"

    def open(self) -> None:
        self._start()
        try:
            rc = int(self._call("open", port=self.options.port))
            if rc != termb.SUCCESS:
                code, words = termb.status(termb.INIT_STATUS, rc)
                raise DeviceError(code, f"ID-card reader on port {self.options.port}: {words} ({rc})")
            sam = self._call("sam_id")
            if sam:
                self.hardware_id = str(sam)
        except DeviceError:
            self.close()
            raise
        self._misses = 0

    def _close_port(self) -> None:
        self._lib.call("close", 1.0)

    def poll(self) -> None:
        rc = int(self._call("authenticate"))
        if rc in (0, 4):
            code, words = termb.status(termb.AUTH_STATUS, rc)
            raise DeviceError(code, f"ID-card reader on port {self.options.port}: {words} ({rc})")
        if rc != termb.SUCCESS:
            self._absent()
            return
        self._misses = 0
        if self._card is not None:
            return  # the same card still lies there: read once per laying
        self._read()

    def _read(self) -> None:
        opts = self.termb_options
        self._reading(_CARD)
        try:
            op = "read_fp" if opts.fingerprint else "read"
            rc = int(self._call(op, opts.read_timeout_s, active=opts.read_active))
            if rc == -6:
                code, words = termb.status(termb.READ_STATUS, rc)
                raise DeviceError(code, f"ID-card reader on port {opts.port}: {words} ({rc})")
            if rc != termb.SUCCESS and rc not in termb.PHOTO_ONLY_FAILURES:
                code, words = termb.status(termb.READ_STATUS, rc)
                self._read_failed(_CARD, code, f"{words} ({rc})")
                return
            # one request per getter, each with its own deadline, as every other library call
            fields = {
                key: self._call("text", function=function, encoding=opts.encoding)
                for key, function in termb.GETTERS.items()
            }
            text = card_text_from_fields(fields)
            if not text.id_number:
                self._read_failed(_CARD, "read_failed", "the library gave no card number")
                return
            bmp = self._call("data", function="GetBMPData") if opts.photo else None
            bmp = bytes(bmp) if bmp and bytes(bmp[:2]) == b"BM" else None
            self._deliver(_CARD, IdentityDocument.from_card_text(text, b"", bmp, source="termb"))
        finally:
            self._done_reading()

    def health_detail(self) -> Mapping[str, Any]:
        return {**super().health_detail(), "photo_decoder": self.termb_options.photo}


def _build_sdtapi(name: str, options: Any) -> SdtApiIdCardReader:
    return SdtApiIdCardReader(name, options if options is not None else SdtApiOptions())


def _build_termb(name: str, options: Any) -> TermbIdCardReader:
    return TermbIdCardReader(name, options if options is not None else TermbOptions())


SDTAPI = DriverInfo(
    "sdtapi",
    IdCardReader.kind,
    SdtApiOptions,
    _build_sdtapi,
    "second-generation ID-card reader through the vendor's SDT_* library (helper process)",
)
TERMB = DriverInfo(
    "termb",
    IdCardReader.kind,
    TermbOptions,
    _build_termb,
    "华视 CVR ID-card reader through the vendor's termb library (helper process)",
)
