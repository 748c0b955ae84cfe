"""ID-card readers: the interface the core codes against, and the GA 467 SAM serial reader.

A reader emits ``card_read`` with ``identity`` (an IdentityDocument) when a card is laid on
it, once per card (a card left lying there is not read again), ``card_removed`` when it is
taken away, and ``card_error`` when a card is there but cannot be read (ask to lay it again).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from devices.base import Device, DeviceError, DeviceKind, DeviceState
from devices.registry import DriverInfo
from drivers.sam import codec
from drivers.sam.codec import Command, FrameError
from drivers.sam.text import CardText, parse_text
from drivers.sam.transport import LinkError, SamTransport
from drivers.vendorlib.wlt import WltLibrary

log = logging.getLogger(__name__)


@dataclass(frozen=True, repr=False)
class IdentityDocument(CardText):
    """What a card says about its holder: the card's text (``CardText``, the same for every
    reader and card type) plus what the reader adds, the photo and where it came from. ``repr``
    hides the personal fields, so an identity that ends up in a log line or an exception message
    shows nothing personal."""

    photo_wlt: bytes = field(default=b"", repr=False)
    """The card's 1024-byte WLT photo, kept as is (decoding needs the vendor library)."""
    photo_bmp: bytes | None = field(default=None, repr=False)
    """Decoded photo when the vendor library is configured; None otherwise (no photo shown)."""
    source: str = "sam"

    def __repr__(self) -> str:
        return f"IdentityDocument({self.card_type!r}, source={self.source!r}, <personal fields hidden>)"

    __str__ = __repr__

    @classmethod
    def from_card_text(
        cls, text: CardText, photo: bytes = b"", photo_bmp: bytes | None = None, source: str = "sam"
    ) -> IdentityDocument:
        return cls(**asdict(text), photo_wlt=photo, photo_bmp=photo_bmp, source=source)


class IdCardReader(Device):
    """Interface of every ID-card reader (SAM serial here; vendor SDKs in devices.vendor_idcard),
    and the card-on-the-reader tracking they share: one ``card_read`` per laying, ``card_error``
    once per failed laying, ``card_removed`` after ``removal_misses`` empty polls in a row."""

    kind = DeviceKind.ID_CARD_READER

    def __init__(self, name: str, removal_misses: int) -> None:
        super().__init__(name)
        self._removal_misses = removal_misses
        self._card: object | None = None
        """What tells the card read last from the next (its serial, or a stand-in)."""
        self._failed: object | None = None
        """The laying whose read failed and was reported; retried quietly while it stays."""
        self._misses = 0

    def _absent(self) -> None:
        self._failed = None
        if self._card is None:
            return
        self._misses += 1
        if self._misses >= self._removal_misses:
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


class WltDecoder:
    """The vendor's WLT -> BMP library (e.g. libwlt2bmp.so), loaded by path through ctypes.

    Expected export: ``int unpack(char *wlt, char *bmp, int save_bmp)`` returning 1 on success
    and writing a 102x126 24-bit BMP into ``bmp``. Without the library there is no photo."""

    def __init__(self, path: str, function: str = "unpack") -> None:
        try:
            self._lib = WltLibrary(path, function)
        except (OSError, AttributeError) as exc:
            raise DeviceError(
                "wlt_library", f"photo library {path} unusable: {exc}", transient=False
            ) from None

    def decode(self, wlt: bytes) -> bytes | None:
        return self._lib.decode(wlt)


@dataclass(frozen=True)
class SamReaderOptions:
    port: str = field(default="/dev/kiosk-idreader", metadata={"doc": "serial port of the reader"})
    baudrate: int = field(default=115200, metadata={"doc": "line speed (8N1)", "min": 1200, "max": 921600})
    poll_interval_s: float = field(
        # A card lands at a random moment of the interval and its read takes ~120 ms of wire at
        # 115200: 50 ms keeps laid -> card_read under 200 ms (p95, tests/bench/bench_card_latency.py)
        # while the find polls of an empty reader use about 3% of the line.
        default=0.05,
        metadata={"doc": "seconds between find-card polls", "min": 0.05, "max": 5.0},
    )
    step_timeout_s: float = field(
        default=0.6, metadata={"doc": "deadline of find/select/status answers", "min": 0.05, "max": 10.0}
    )
    read_timeout_s: float = field(
        default=1.5, metadata={"doc": "deadline of the text+photo read answer", "min": 0.2, "max": 20.0}
    )
    removal_misses: int = field(
        default=2,
        metadata={"doc": "empty polls in a row before the card counts as removed", "min": 1, "max": 20},
    )
    fingerprint: bool = field(default=False, metadata={"doc": "read the fingerprint block too (30 10)"})
    wlt_library: str = field(default="", metadata={"doc": "vendor WLT photo decoder (.so); empty = no photo"})
    wlt_function: str = field(default="unpack", metadata={"doc": "its decode function"})


class SamIdCardReader(IdCardReader):
    """find -> select -> read on every poll; one ``card_read`` per card laid on the reader."""

    driver_name = "sam-serial"

    def __init__(self, name: str, options: SamReaderOptions) -> None:
        super().__init__(name, options.removal_misses)
        self.options = options
        self.poll_interval = options.poll_interval_s
        self._link = SamTransport(options.port, options.baudrate)
        self._wlt: WltDecoder | None = None
        self.model = "GA 467 SAM reader"

    # --- lifecycle -------------------------------------------------------------------------
    def open(self) -> None:
        if self.options.wlt_library and self._wlt is None:
            self._wlt = WltDecoder(self.options.wlt_library, self.options.wlt_function)
        try:
            self._link.open()
            status = self._step(Command.SAM_STATUS)
            if not status.ok:
                raise DeviceError(codec.status_code(status.sw3), f"SAM not ready: {status.error().message}")
            sam_id = self._step(Command.SAM_ID)
            if sam_id.ok:
                self.hardware_id = codec.format_sam_id(sam_id.data)
        except (LinkError, FrameError) as exc:
            self._link.close()
            raise DeviceError(exc.code, f"ID-card reader on {self.options.port}: {exc.message}") from None
        except DeviceError:
            self._link.close()
            raise
        # the card seen before a reconnect is kept: if it still lies there it is not read
        # again, and if it is gone the next polls report the removal
        self._misses = 0

    def close(self) -> None:
        self._link.close()

    def health_detail(self) -> Mapping[str, Any]:
        return {
            "port": self.options.port,
            "card_present": self._card is not None,
            "photo_decoder": bool(self._wlt),
        }

    # --- one poll ---------------------------------------------------------------------------
    def _step(self, command: Command, timeout: float | None = None) -> codec.Response:
        """One transaction; a frame damaged on the line, or a missed deadline, is asked for
        once more before the line counts as broken."""
        t = self.options.step_timeout_s if timeout is None else timeout
        try:
            return self._link.transact(command, t)
        except FrameError:
            return self._link.transact(command, t)
        except LinkError as exc:
            if exc.code != "timeout":
                raise
            return self._link.transact(command, t)

    def poll(self) -> None:
        try:
            self._poll()
        except LinkError as exc:
            raise DeviceError(exc.code, f"ID-card reader: {exc.message}") from None
        except FrameError as exc:
            # noise twice in a row on one step: skip this cycle, the next poll retries
            self.record_error(DeviceError(exc.code, f"ID-card reader: {exc.message}"))

    def _poll(self) -> None:
        found = self._step(Command.FIND_CARD)
        if found.sw3 != 0x9F:
            if found.sw3 != 0x80:
                self.record_error(DeviceError(found.error().code, f"find card: {found.error().message}"))
            self._absent()
            return
        selected = self._step(Command.SELECT_CARD)
        if not selected.ok:
            self._absent()
            return
        self._misses = 0
        serial = selected.data
        if serial and serial == self._card:
            return  # the same card still lies there: read once per laying
        self._read(serial)

    def _read(self, serial: bytes) -> None:
        """Read the card just selected. A failed read is retried on later polls while the card
        stays, but reported (``card_error``) once per laying, not once per poll."""
        command = Command.READ_TEXT_PHOTO_FINGERPRINT if self.options.fingerprint else Command.READ_TEXT_PHOTO
        self._reading(serial)
        try:
            response = self._step(command, self.options.read_timeout_s)
            if not response.ok:
                err = response.error()
                self._read_failed(serial, err.code, err.message)
                return
            try:
                blocks = codec.parse_read(response.data)
                text = parse_text(blocks.text)
            except FrameError as exc:
                self._read_failed(serial, exc.code, exc.message)
                return
            bmp = self._wlt.decode(blocks.photo) if self._wlt is not None else None
            identity = IdentityDocument.from_card_text(text, blocks.photo, bmp)
            self._deliver(serial or b"?", identity)
        finally:
            self._done_reading()

    def read_latest_address(self) -> str | None:
        """30 03 on the selected card (jobs through the manager); None when the card has none."""
        try:
            response = self._step(Command.READ_LATEST_ADDRESS)
        except (LinkError, FrameError) as exc:
            raise DeviceError(exc.code, f"latest address: {exc.message}") from None
        if response.sw3 == 0x91:
            return None
        if not response.ok:
            raise DeviceError(response.error().code, f"latest address: {response.error().message}")
        return response.data.decode("utf-16-le", errors="replace").strip()


def _build(name: str, options: Any) -> Device:
    return SamIdCardReader(name, options if options is not None else SamReaderOptions())


SAM_SERIAL = DriverInfo(
    "sam-serial",
    DeviceKind.ID_CARD_READER,
    SamReaderOptions,
    _build,
    "second-generation ID-card reader (GA 467 SAM, serial)",
)
