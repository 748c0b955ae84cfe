"""ID-card readers reached through their maker's library, the shared part: the library's
helper process, its calls with deadlines, and one ``card_read`` per card laid on the reader.
The APIs themselves: devices.sdtapi_idcard (the generic ``SDT_*`` SDK) and
devices.termb_idcard (华视 ``termb``). Same events and health as the serial SAM reader:
``card_read`` once per card laid on the reader, ``card_removed``, ``card_error`` once per
failed laying, the SAM's and the library's return codes named in plain words.

The library is loaded in a helper process (drivers.vendorlib); every call has a deadline. A
library that hangs past it or crashes leaves the device in ``error`` (code ``library_hung`` /
``library_crashed``); the device manager then reopens it with backoff, which starts a fresh
helper. The kiosk process never runs vendor code, so it can be neither frozen nor killed by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from devices.base import DeviceError, options_doc
from devices.idcard import IdCardReader
from drivers.vendorlib.client import LibraryFault, LibraryProcess

PORT_DOC = "the library's port number: 1001-1016 USB readers, 1-16 serial ports"


@dataclass(frozen=True)
class VendorReaderOptions:
    library: str = field(default="", metadata=options_doc("path of the vendor's reader library (.so)"))
    port: int = field(default=1001, metadata=options_doc(PORT_DOC, min=1, max=1016))
    poll_interval_s: float = field(
        default=0.3, metadata=options_doc("seconds between find-card polls", min=0.05, max=5.0)
    )
    call_timeout_s: float = field(
        default=2.0,
        metadata=options_doc(
            "deadline of one library call; past it the library counts as hung", min=0.1, max=30.0
        ),
    )
    read_timeout_s: float = field(
        default=5.0, metadata=options_doc("deadline of the card read call", min=0.2, max=60.0)
    )
    start_timeout_s: float = field(
        default=10.0,
        metadata=options_doc("deadline for loading the library in its helper process", min=1.0, max=60.0),
    )
    removal_misses: int = field(
        default=2,
        metadata=options_doc("empty polls in a row before the card counts as removed", min=1, max=20),
    )
    fingerprint: bool = field(default=False, metadata=options_doc("read the fingerprint block too"))


class VendorIdCardReader(IdCardReader):
    api: ClassVar[str] = ""
    ops: ClassVar[dict[str, str]] = {}

    def __init__(
        self, name: str, options: VendorReaderOptions, *, wlt_library: str = "", wlt_function: str = "unpack"
    ) -> None:
        super().__init__(name, options.removal_misses)
        if not options.library:
            raise DeviceError(
                "no_library", f"{self.driver_name}: set `library` to the vendor's .so", transient=False
            )
        if not (1 <= options.port <= 16 or 1001 <= options.port <= 1016):
            raise DeviceError(
                "bad_port", f"{self.driver_name}: port {options.port}: {PORT_DOC}", transient=False
            )
        self.options = options
        self.poll_interval = options.poll_interval_s
        self._lib = LibraryProcess(
            self.api, options.library, self.ops, wlt_library=wlt_library, wlt_function=wlt_function
        )

    # --- library calls ----------------------------------------------------------------------
    @staticmethod
    def _fault(exc: LibraryFault) -> DeviceError:
        return DeviceError(exc.code, f"ID-card reader library: {exc.message}", transient=False)

    def _call(self, op: str, timeout: float | None = None, **args: Any) -> Any:
        try:
            return self._lib.call(op, self.options.call_timeout_s if timeout is None else timeout, **args)
        except LibraryFault as exc:
            raise self._fault(exc) from None

    def _start(self) -> None:
        try:
            self._lib.start(self.options.start_timeout_s)
        except LibraryFault as exc:
            raise self._fault(exc) from None
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
