"""A serial QR/barcode scanner played on a pty: ``scan()`` sends a code framed the way the
configured scanner would; Honeywell trigger commands from the host are recorded and, in
trigger mode, gate the sending. Faults: ``garbage`` (noise lines), ``unplug`` / ``plug``."""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty

from drivers.scanner.framing import HONEYWELL_TRIGGER_OFF, HONEYWELL_TRIGGER_ON


class ScannerEmulator:
    def __init__(
        self,
        *,
        terminator: bytes = b"\r",
        prefix: bytes = b"",
        suffix: bytes = b"",
        link: str | None = None,
        trigger_mode: bool = False,
    ) -> None:
        self.terminator = terminator
        self.prefix = prefix
        self.suffix = suffix
        self.link = link
        self.trigger_mode = trigger_mode
        self.triggered = not trigger_mode
        self.trigger_commands: list[bytes] = []
        self._pending: list[bytes] = []
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._slave_name = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def path(self) -> str:
        return self.link or self._slave_name

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def start(self) -> ScannerEmulator:
        self.plug()
        return self

    def __enter__(self) -> ScannerEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def plug(self) -> None:
        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            tty.setraw(slave)
            self._master, self._slave = master, slave
            self._slave_name = os.ttyname(slave)
            if self.link:
                tmp = f"{self.link}.{os.getpid()}.tmp"
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                os.symlink(self._slave_name, tmp)
                os.replace(tmp, self.link)
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._listen, args=(master,), name="scanner-emulator", daemon=True
            )
            self._thread.start()

    def unplug(self) -> None:
        with self._lock:
            master, slave, thread = self._master, self._slave, self._thread
            self._master = self._slave = None
            self._thread = None
            self._stop.set()
            if self.link and os.path.islink(self.link):
                with contextlib.suppress(OSError):
                    if os.readlink(self.link) == self._slave_name:
                        os.unlink(self.link)
        if thread is not None:
            thread.join(2)
        for fd in (master, slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)

    stop = unplug

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
        if self._master is None:
            raise OSError("scanner unplugged")
        view = memoryview(data)
        while view:
            n = os.write(self._master, view)
            view = view[n:]

    def _listen(self, master: int) -> None:
        buf = bytearray()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(master, 1024)
            except OSError:
                return
            if not chunk:
                return
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
            if verb == "unplug":
                self.unplug()
                return "unplugged"
            if verb == "plug":
                self.plug()
                return f"plugged in at {self.path}"
        except OSError as exc:
            return f"error: {exc}"
        return "commands: scan TEXT | noise | unplug | plug" if verb else ""
