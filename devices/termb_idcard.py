"""``driver = "termb"``: 华视 (China Vision) CVR ID-card readers through their ``termb``
library: CVR_Authenticate -> CVR_Read_Content -> one getter per field, decoded through the
same tables and checks as the SAM text block (drivers.sam.fields)."""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from devices.base import DeviceError, options_doc
from devices.idcard import IdCardReader, IdentityDocument
from devices.registry import DriverInfo
from devices.vendor_idcard import VendorIdCardReader, VendorReaderOptions
from drivers.sam.fields import card_text_from_fields
from drivers.vendorlib import termb


@dataclass(frozen=True)
class TermbOptions(VendorReaderOptions):
    encoding: str = field(default="gbk", metadata=options_doc("text encoding of the library's fields"))
    read_active: int = field(
        default=1,
        metadata=options_doc("the `active` argument of CVR_Read_Content (vendor manual)", min=0, max=4),
    )
    photo: bool = field(default=True, metadata=options_doc("take the photo the library decodes (GetBMPData)"))


_CARD = "card"
"""termb gives no card serial: one laying is 'authenticated without a gap'."""


class TermbIdCardReader(VendorIdCardReader):
    """CVR_Authenticate (find + select) -> CVR_Read_Content -> the field getters."""

    driver_name = "termb"
    api = "termb"
    ops = termb.Termb.OPS

    def __init__(self, name: str, options: TermbOptions) -> None:
        super().__init__(name, options)
        try:
            codecs.lookup(options.encoding)
        except LookupError:
            raise DeviceError(
                "bad_config", f"termb: unknown text encoding {options.encoding!r}", transient=False
            ) from None
        self.termb_options = options
        self.model = "ID-card reader (termb SDK)"

    def _fail(self, table: dict[int, tuple[str, str]], rc: int) -> NoReturn:
        """The library's return code ``rc`` (named by ``table``) as the device's fault."""
        code, words = termb.status(table, rc)
        raise DeviceError(code, f"ID-card reader on port {self.options.port}: {words} ({rc})")

    def open(self) -> None:
        self._start()
        try:
            rc = int(self._call("open", port=self.options.port))
            if rc != termb.SUCCESS:
                self._fail(termb.INIT_STATUS, rc)
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
            self._fail(termb.AUTH_STATUS, rc)
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
                self._fail(termb.READ_STATUS, rc)
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


def _build_termb(name: str, options: Any) -> TermbIdCardReader:
    return TermbIdCardReader(name, options if options is not None else TermbOptions())


TERMB = DriverInfo(
    "termb",
    IdCardReader.kind,
    TermbOptions,
    _build_termb,
    "华视 CVR ID-card reader through the vendor's termb library (helper process)",
)
