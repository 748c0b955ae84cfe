"""PC/SC card readers (pyscard over pcscd): insertion/removal, ATR, card profiles.

A social-security card yields ``card_read`` with an IdentityDocument (name and social
security number, which is the holder's ID number); other known cards yield ``card_detected``
(e.g. a resident ID card's physical id on a contactless reader); ``card_removed`` follows.
No pcscd, or no matching reader, is state ``offline`` with a plain message; the manager keeps
retrying, so plugging the reader in later just works.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.base import Device, DeviceError, DeviceKind, DeviceState
from devices.idcard import IdentityDocument
from devices.registry import DriverInfo
from drivers.pcsc.apdu import GET_UID, ApduError, parse_response
from drivers.pcsc.profiles import (
    DEFAULT_FILE,
    CardProfile,
    ProfileFileError,
    ProfileResult,
    first_matching,
    load_profiles,
)
from drivers.sam.text import id_number_valid

log = logging.getLogger(__name__)


class CardReader(Device):
    """Interface of contact/contactless smart-card readers."""

    kind = DeviceKind.CARD_READER


@dataclass(frozen=True)
class PcscReaderOptions:
    reader: str = field(
        default="", metadata={"doc": "part of the PC/SC reader name; empty = the first reader"}
    )
    poll_interval_s: float = field(
        default=0.25, metadata={"doc": "longest wait for a card event between jobs", "min": 0.02, "max": 5.0}
    )
    profiles: list[str] = field(
        default_factory=lambda: ["social_security", "resident_id"],
        metadata={"doc": "card profiles, in order"},
    )
    profiles_file: str = field(
        default="", metadata={"doc": "site profile file; empty = the built-in profiles"}
    )


class PcscCardReader(CardReader):
    driver_name = "pcsc"

    def __init__(self, name: str, options: PcscReaderOptions) -> None:
        super().__init__(name)
        self.options = options
        self.poll_interval = 0.01  # the wait happens inside SCardGetStatusChange
        path = Path(options.profiles_file) if options.profiles_file else DEFAULT_FILE
        try:
            available = load_profiles(path)
        except ProfileFileError as exc:
            raise DeviceError("bad_profiles", str(exc), transient=False) from None
        unknown = [p for p in options.profiles if p not in available]
        if unknown:
            raise DeviceError("bad_profiles", f"unknown card profiles: {', '.join(unknown)}", transient=False)
        self._profiles: list[CardProfile] = [available[p] for p in options.profiles]
        self._ctx: Any = None
        self._reader: str | None = None
        self._known = 0
        self._present = False
        self._readers: list[str] = []

    # --- lifecycle ------------------------------------------------------------------------
    def open(self) -> None:
        from smartcard import scard

        hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hr != scard.SCARD_S_SUCCESS:
            raise DeviceError("no_pcscd", "the PC/SC service (pcscd) is not running")
        hr, readers = scard.SCardListReaders(ctx, [])
        readers = readers if hr == scard.SCARD_S_SUCCESS else []
        match = [r for r in readers if self.options.reader.lower() in r.lower()]
        if not match:
            scard.SCardReleaseContext(ctx)
            if not readers:
                raise DeviceError("no_reader", "no card reader connected")
            raise DeviceError(
                "no_reader",
                f"no card reader named like {self.options.reader!r} (found: {', '.join(readers)})",
            )
        self._ctx, self._reader = ctx, match[0]
        self._readers = list(readers)
        self._known = scard.SCARD_STATE_UNAWARE
        self._present = False
        self.model = self._reader

    def close(self) -> None:
        from smartcard import scard

        if self._ctx is not None:
            scard.SCardReleaseContext(self._ctx)
        self._ctx = None
        if self._present:
            self._present = False
            self.emit("card_removed")

    def health_detail(self) -> Mapping[str, Any]:
        return {
            "reader": self._reader,
            "readers": list(self._readers),
            "card_present": self._present,
            "profiles": list(self.options.profiles),
        }

    # --- polling --------------------------------------------------------------------------
    def poll(self) -> None:
        from smartcard import scard

        timeout_ms = int(self.options.poll_interval_s * 1000)
        hr, states = scard.SCardGetStatusChange(self._ctx, timeout_ms, [(self._reader, self._known)])
        if hr == scard.SCARD_E_TIMEOUT:
            return
        if hr != scard.SCARD_S_SUCCESS:
            raise DeviceError(_code(hr), f"card reader: {scard.SCardGetErrorMessage(hr).strip()}")
        _name, event, atr = states[0]
        if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            raise DeviceError("reader_gone", "the card reader was disconnected")
        self._known = event & ~scard.SCARD_STATE_CHANGED
        present = bool(event & scard.SCARD_STATE_PRESENT) and not event & scard.SCARD_STATE_MUTE
        if present and not self._present:
            self._present = True
            self._inserted(bytes(atr))
        elif not present and self._present:
            self._present = False
            self.emit("card_removed")

    def _inserted(self, atr: bytes) -> None:
        from smartcard import scard

        self.emit("card_inserted", atr=atr.hex().upper())
        hr, handle, protocol = scard.SCardConnect(
            self._ctx,
            self._reader,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hr != scard.SCARD_S_SUCCESS:
            self._card_error(_code(hr), f"cannot talk to the card: {scard.SCardGetErrorMessage(hr).strip()}")
            return

        def send(apdu: bytes) -> bytes:
            rc, response = scard.SCardTransmit(handle, protocol, list(apdu))
            if rc != scard.SCARD_S_SUCCESS:
                raise ApduError(_code(rc), f"card: {scard.SCardGetErrorMessage(rc).strip()}")
            return bytes(response)

        self.set_state(DeviceState.BUSY, "reading a card")
        try:
            result = first_matching(self._profiles, send)
            self._report(result, atr, send)
        except ApduError as exc:
            self._card_error(exc.code, exc.message)
        finally:
            scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
            if self.state == DeviceState.BUSY:
                self.set_state(DeviceState.IDLE)

    def _report(self, result: ProfileResult | None, atr: bytes, send: Any) -> None:
        if result is not None and result.profile == "social_security":
            self.counters.reads += 1
            self.emit("card_read", identity=_identity(result))
            return
        detail: dict[str, Any] = {"profile": result.profile if result else None, "atr": atr.hex().upper()}
        if result is not None:
            detail.update(result.fields)
        else:
            uid = parse_response(send(GET_UID))
            if uid.ok:
                detail["uid"] = uid.data.hex().upper()
        self.counters.reads += 1
        self.emit("card_detected", **detail)

    def _card_error(self, code: str, message: str) -> None:
        self.record_error(DeviceError(code, message))
        self.emit("card_error", code=code, message=message)


def _identity(result: ProfileResult) -> IdentityDocument:
    ssn = result.fields.get("ssn", "").upper()
    valid = id_number_valid(ssn)
    birth = f"{ssn[6:10]}-{ssn[10:12]}-{ssn[12:14]}" if valid else None
    gender = ("male" if int(ssn[16]) % 2 else "female") if valid else "unknown"
    return IdentityDocument(
        card_type="social_security", name=result.fields.get("name", ""), gender=gender, nation=None,
        birth_date=birth, address=None, id_number=ssn, id_number_valid=valid, issuer=None,
        valid_from=None, valid_to=None, extra={"card_number": result.fields.get("card_number")},
        source="pcsc",
    )  # fmt: skip


def _code(hr: int) -> str:
    from smartcard import scard

    names = {
        scard.SCARD_E_NO_SERVICE: "no_pcscd",
        scard.SCARD_E_SERVICE_STOPPED: "no_pcscd",
        scard.SCARD_E_UNKNOWN_READER: "reader_gone",
        scard.SCARD_E_READER_UNAVAILABLE: "reader_gone",
        scard.SCARD_W_REMOVED_CARD: "card_removed",
        scard.SCARD_W_UNRESPONSIVE_CARD: "card_unresponsive",
        scard.SCARD_E_NO_SMARTCARD: "no_card",
    }
    return names.get(hr, f"pcsc_{hr & 0xFFFFFFFF:08x}")


def _build(name: str, options: Any) -> Device:
    return PcscCardReader(name, options if options is not None else PcscReaderOptions())


PCSC = DriverInfo(
    "pcsc", DeviceKind.CARD_READER, PcscReaderOptions, _build, "PC/SC smart-card reader (pcscd)"
)
