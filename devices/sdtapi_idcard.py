"""``driver = "sdtapi"``: ID-card readers through the generic second-generation ID-card SDK
(``SDT_*``, libsdtapi.so), one SAM command per library call; the base message is the SAM's own
text block and WLT photo, decoded exactly as on the serial path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from devices.base import DeviceError, options_doc
from devices.idcard import IdCardReader, IdentityDocument
from devices.registry import DriverInfo
from devices.vendor_idcard import VendorIdCardReader, VendorReaderOptions
from drivers.sam.codec import FrameError
from drivers.sam.text import parse_text
from drivers.vendorlib import sdtapi


@dataclass(frozen=True)
class SdtApiOptions(VendorReaderOptions):
    wlt_library: str = field(
        default="", metadata=options_doc("vendor WLT photo decoder (.so); empty = no photo")
    )
    wlt_function: str = field(default="unpack", metadata=options_doc("its decode function"))


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


def _build_sdtapi(name: str, options: Any) -> SdtApiIdCardReader:
    return SdtApiIdCardReader(name, options if options is not None else SdtApiOptions())


SDTAPI = DriverInfo(
    "sdtapi",
    IdCardReader.kind,
    SdtApiOptions,
    _build_sdtapi,
    "second-generation ID-card reader through the vendor's SDT_* library (helper process)",
)
