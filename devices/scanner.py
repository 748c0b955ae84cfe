"""QR/barcode scanners: serial (USB-CDC), USB-HID keyboard wedge (evdev), camera (OpenCV).

Every scanner emits ``code_scanned`` with ``code`` (a ScannedCode) once per code within a
dedupe window (a phone held under a camera is seen 10 times a second), and ``scan_error``
for lines that cannot be a code. What a code *means* is decided in ``kiosk.identity``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from devices.base import Device, DeviceError, DeviceKind
from devices.registry import DriverInfo
from drivers.scanner.framing import (
    HONEYWELL_TRIGGER_OFF,
    HONEYWELL_TRIGGER_ON,
    FramingError,
    LineDecoder,
    decode_payload,
    terminator_bytes,
)
from drivers.serial_port import close_quietly, reason

log = logging.getLogger(__name__)


MAX_EVENTS_PER_POLL = 4096
"""Key events read in one poll (a 2,048-character code is 8,192 events: two polls)."""


@dataclass(frozen=True)
class ScannedCode:
    """One scanned code. ``repr`` hides the content: a code may carry personal data."""

    text: str
    raw: bytes = field(repr=False)
    source: str
    symbology: str | None = None

    def __repr__(self) -> str:
        return f"ScannedCode(source={self.source!r}, length={len(self.raw)}, <content hidden>)"

    __str__ = __repr__


class CodeScanner(Device):
    """Interface of every code scanner; ``deliver`` applies the dedupe window."""

    kind = DeviceKind.CODE_SCANNER
    dedupe_s: float = 1.5

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._last: tuple[bytes, float] | None = None

    def deliver(self, raw: bytes, source: str, symbology: str | None = None, text: str | None = None) -> None:
        now = time.monotonic()
        if self._last is not None and self._last[0] == raw and now - self._last[1] < self.dedupe_s:
            self._last = (raw, now)
            return
        self._last = (raw, now)
        self.counters.reads += 1
        self.emit(
            "code_scanned",
            code=ScannedCode(decode_payload(raw) if text is None else text, raw, source, symbology),
        )

    def scan_error(self, code: str, message: str) -> None:
        self.record_error(DeviceError(code, message))
        self.emit("scan_error", code=code, message=message)


# --- serial -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SerialScannerOptions:
    port: str = field(default="/dev/kiosk-scanner", metadata={"doc": "serial port (USB-CDC mode)"})
    baudrate: int = field(default=9600, metadata={"doc": "line speed", "min": 1200, "max": 921600})
    terminator: str = field(default="CR", metadata={"doc": "CR, CRLF, LF, TAB, ETX or hex bytes"})
    prefix: str = field(default="", metadata={"doc": "text the scanner puts before each code (stripped)"})
    suffix: str = field(default="", metadata={"doc": "text the scanner puts after each code (stripped)"})
    trigger: str = field(
        default="none",
        metadata={
            "doc": "none (presentation mode) | honeywell (SYN T CR / SYN U CR)",
            "pattern": "none|honeywell",
        },
    )
    dedupe_s: float = field(
        default=1.5, metadata={"doc": "same code again within this is ignored", "min": 0, "max": 60}
    )
    poll_interval_s: float = field(
        default=0.05, metadata={"doc": "seconds between line reads", "min": 0.01, "max": 1}
    )


class SerialScanner(CodeScanner):
    driver_name = "serial-scanner"

    def __init__(self, name: str, options: SerialScannerOptions) -> None:
        super().__init__(name)
        self.options = options
        try:
            terminator = terminator_bytes(options.terminator)
        except ValueError as exc:
            raise DeviceError("bad_options", str(exc), transient=False) from None
        self._decoder = LineDecoder(terminator, options.prefix.encode(), options.suffix.encode())
        self.dedupe_s = options.dedupe_s
        self.poll_interval = options.poll_interval_s
        self._serial: Any = None
        self.enabled = options.trigger == "none"

    def open(self) -> None:
        import serial

        try:
            self._serial = serial.Serial(self.options.port, self.options.baudrate, timeout=0, exclusive=True)
        except (serial.SerialException, OSError, ValueError) as exc:
            self._serial = None
            why = reason(exc)
            raise DeviceError("not_found", f"scanner on {self.options.port}: cannot open: {why}") from None
        self._decoder = LineDecoder(self._decoder.terminator, self._decoder.prefix, self._decoder.suffix)
        self.model = "serial scanner"

    def close(self) -> None:
        ser, self._serial = self._serial, None
        close_quietly(ser)

    def set_enabled(self, on: bool) -> None:
        """Trigger mode: turn reading on while a screen expects a code (jobs via the manager)."""
        if self.options.trigger == "honeywell":
            self._write(HONEYWELL_TRIGGER_ON if on else HONEYWELL_TRIGGER_OFF)
        self.enabled = on

    def _write(self, data: bytes) -> None:
        import serial

        try:
            self._serial.write(data)
        except (serial.SerialException, OSError) as exc:
            raise DeviceError("io", f"scanner: write failed ({type(exc).__name__})") from None

    def poll(self) -> None:
        import serial

        try:
            waiting = self._serial.in_waiting
            data = self._serial.read(waiting or 1)
        except (serial.SerialException, OSError) as exc:
            raise DeviceError("io", f"scanner on {self.options.port}: {type(exc).__name__}") from None
        if not data:
            return
        for item in self._decoder.feed(data):
            if isinstance(item, FramingError):
                self.scan_error(item.code, item.message)
            else:
                self.deliver(item, "serial")

    def health_detail(self) -> Mapping[str, Any]:
        return {"port": self.options.port, "trigger": self.options.trigger, "enabled": self.enabled}


# --- USB HID keyboard wedge -------------------------------------------------------------------
@dataclass(frozen=True)
class HidScannerOptions:
    device: str = field(
        default="", metadata={"doc": "/dev/input/by-id/...-event-kbd path, or part of the device name"}
    )
    grab: bool = field(
        default=True, metadata={"doc": "exclusive grab: codes never reach the UI as keystrokes"}
    )
    dedupe_s: float = field(
        default=1.5, metadata={"doc": "same code again within this is ignored", "min": 0, "max": 60}
    )


class HidScanner(CodeScanner):
    driver_name = "hid-scanner"

    def __init__(self, name: str, options: HidScannerOptions) -> None:
        super().__init__(name)
        try:
            import evdev  # noqa: F401
        except ImportError:
            raise DeviceError(
                "missing_dependency",
                "USB-HID scanners need python-evdev (pip install 'hall-kiosk[hid]')",
                transient=False,
            ) from None
        from drivers.scanner.hidkeys import KeyDecoder

        self.options = options
        self.dedupe_s = options.dedupe_s
        self.poll_interval = 0.02
        self._keys = KeyDecoder()
        self._dev: Any = None

    def open(self) -> None:
        import evdev

        path = self.options.device
        if not path.startswith("/dev/"):
            matches = [p for p in evdev.list_devices() if path.lower() in evdev.InputDevice(p).name.lower()]
            if not matches:
                raise DeviceError("not_found", f"no input device named like {path!r}")
            path = matches[0]
        try:
            dev = evdev.InputDevice(path)
            if self.options.grab:
                dev.grab()
        except OSError as exc:
            raise DeviceError("not_found", f"scanner {path}: {exc.strerror or exc}") from None
        self._dev = dev
        self.model = dev.name

    def close(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            try:
                if self.options.grab:
                    dev.ungrab()
                dev.close()
            except OSError:
                pass

    def poll(self) -> None:
        import evdev

        try:
            # bounded: a device that never stops sending key events must not keep the worker
            # here forever (the rest is read on the next poll)
            for _ in range(MAX_EVENTS_PER_POLL):
                event = self._dev.read_one()
                if event is None:
                    return
                if event.type != evdev.ecodes.EV_KEY:
                    continue
                line = self._keys.feed(event.code, event.value)
                if line is not None:
                    self.deliver(line.encode("utf-8"), "hid", text=line)
        except OSError as exc:
            raise DeviceError("io", f"scanner: {exc.strerror or exc}") from None


# --- camera ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CameraScannerOptions:
    source: str = field(default="0", metadata={"doc": "camera index, /dev/videoN, a file or a stream URL"})
    decoder: str = field(
        default="zxing",
        metadata={"doc": "zxing (measured best) | pyzbar | opencv", "pattern": "zxing|pyzbar|opencv"},
    )
    formats: tuple[str, ...] = field(
        default=("QRCode",),
        metadata={
            "doc": "codes looked for: QRCode, Code128, Code39, EAN13, ITF... (each one costs time per frame)"
        },
    )
    invert: bool = field(default=False, metadata={"doc": "also read light-on-dark codes (slower frames)"})
    max_fps: float = field(
        default=8.0, metadata={"doc": "frames decoded per second at most", "min": 0.5, "max": 60}
    )
    dedupe_s: float = field(
        default=3.0, metadata={"doc": "same code again within this is ignored", "min": 0, "max": 60}
    )
    width: int = field(default=0, metadata={"doc": "capture width; 0 = camera default", "min": 0})
    height: int = field(default=0, metadata={"doc": "capture height; 0 = camera default", "min": 0})
    loop: bool = field(default=False, metadata={"doc": "replay a video file endlessly (demo)"})


class CameraScanner(CodeScanner):
    driver_name = "camera-scanner"

    def __init__(self, name: str, options: CameraScannerOptions) -> None:
        super().__init__(name)
        from drivers.scanner.decoders import get_decoder

        self.options = options
        self.dedupe_s = options.dedupe_s
        self.poll_interval = 1.0 / options.max_fps
        try:
            self._decode = get_decoder(options.decoder, options.formats, options.invert)
        except (ValueError, ImportError) as exc:
            raise DeviceError("bad_options", f"decoder {options.decoder}: {exc}", transient=False) from None
        self._cap: Any = None
        self.frames = 0
        self.decode_ms = 0.0

    def open(self) -> None:
        import cv2

        src: int | str = int(self.options.source) if self.options.source.isdigit() else self.options.source
        cap = cv2.VideoCapture(src)
        if not cap.isOpened():
            cap.release()
            raise DeviceError("not_found", f"camera {self.options.source} cannot be opened")
        if self.options.width:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.options.width)
        if self.options.height:
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.options.height)
        self._cap = cap
        self.model = f"camera {self.options.source} ({self.options.decoder})"

    def close(self) -> None:
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()

    def poll(self) -> None:
        import cv2

        ok, frame = self._cap.read()
        if not ok:
            if self.options.loop and self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0):
                return
            raise DeviceError("no_frames", f"camera {self.options.source} delivers no frames")
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
        start = time.perf_counter()
        found = self._decode(gray)
        self.decode_ms = (time.perf_counter() - start) * 1000
        self.frames += 1
        for code in found:
            self.deliver(code.raw or code.text.encode("utf-8"), "camera", code.symbology, code.text)

    def health_detail(self) -> Mapping[str, Any]:
        return {"source": self.options.source, "decoder": self.options.decoder, "frames": self.frames,
                "last_decode_ms": round(self.decode_ms, 1)}  # fmt: skip


def _serial(name: str, options: Any) -> Device:
    return SerialScanner(name, options if options is not None else SerialScannerOptions())


def _hid(name: str, options: Any) -> Device:
    return HidScanner(name, options if options is not None else HidScannerOptions())


def _camera(name: str, options: Any) -> Device:
    return CameraScanner(name, options if options is not None else CameraScannerOptions())


SERIAL = DriverInfo(
    "serial-scanner", DeviceKind.CODE_SCANNER, SerialScannerOptions, _serial, "QR/barcode scanner, serial"
)
HID = DriverInfo(
    "hid-scanner", DeviceKind.CODE_SCANNER, HidScannerOptions, _hid, "QR/barcode scanner, USB keyboard wedge"
)
CAMERA = DriverInfo(
    "camera-scanner", DeviceKind.CODE_SCANNER, CameraScannerOptions, _camera, "QR codes via a camera"
)
