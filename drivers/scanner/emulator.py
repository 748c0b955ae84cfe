"""A serial QR/barcode scanner played on a pty: ``scan()`` sends a code framed the way the
configured scanner would; Honeywell trigger commands from the host are recorded and, in
trigger mode, gate the sending. Faults: ``garbage`` (noise lines), ``unplug`` / ``plug``."""

from __future__ import annotations

from collections.abc import Callable

from drivers.pty_link import PluggableEmulator, PtyLink
from drivers.scanner.framing import HONEYWELL_TRIGGER_OFF, HONEYWELL_TRIGGER_ON


class ScannerEmulator(PluggableEmulator):
    def __init__(
        self,
        *,
        terminator: bytes = b"\r",
        prefix: bytes = b"",
        suffix: bytes = b"",
        link: str | None = None,
        trigger_mode: bool = False,
    ) -> None:
        super().__init__("scanner-emulator", link=link, read_size=1024)
        self.terminator = terminator
        self.prefix = prefix
        self.suffix = suffix
        self.trigger_mode = trigger_mode
        self.triggered = not trigger_mode
        self.trigger_commands: list[bytes] = []
        self._pending: list[bytes] = []

    def _handler(self, port: PtyLink) -> Callable[[bytes], None]:
        buf = bytearray()
        return lambda chunk: self._listen(buf, chunk)

    def frame(self, payload: str | bytes) -> bytes:
        raw = payload.encode("utf-8") if isinstance(payload, str) else payload
        return self.prefix + raw + self.suffix + self.terminator

    def scan(self, payload: str | bytes) -> None:
        """A code is read: sent now, or when the host triggers (trigger mode)."""
        with self._lock:
            if self.triggered:
                self._write(self.frame(payload))
            else:
                self._pending.append(self.frame(payload))

    def send_raw(self, data: bytes) -> None:
        """Line noise or a broken scanner: bytes exactly as given."""
        with self._lock:
            self._write(data)

    def _write(self, data: bytes) -> None:
        if self._port is None:
            raise OSError("scanner unplugged")
        self._port.write(data)

    def _listen(self, buf: bytearray, chunk: bytes) -> None:
        """Host commands: the Honeywell trigger on/off (a pending scan goes out on trigger)."""
        buf += chunk
        for command in (HONEYWELL_TRIGGER_ON, HONEYWELL_TRIGGER_OFF):
            while command in buf:
                del buf[buf.index(command) : buf.index(command) + len(command)]
                with self._lock:
                    self.trigger_commands.append(command)
                    self.triggered = command == HONEYWELL_TRIGGER_ON or not self.trigger_mode
                    if self.triggered and self._pending:
                        pending, self._pending = self._pending, []
                        for frame in pending:
                            self._write(frame)
        if len(buf) > 64:
            del buf[:-8]

    def command(self, line: str) -> str:
        """Control lines of ``kiosk emulate scanner``: ``scan TEXT``, ``noise``, ``unplug``, ``plug``."""
        verb, _, rest = line.strip().partition(" ")
        try:
            if verb == "scan" and rest:
                self.scan(rest)
                return "scanned"
            if verb == "noise":
                self.send_raw(bytes(range(1, 40)) + self.terminator)
                return "noise sent"
            cable = self.cable_command(verb)
            if cable is not None:
                return cable
        except OSError as exc:
            return f"error: {exc}"
        return "commands: scan TEXT | noise | unplug | plug" if verb else ""
