"""The serial line of a device emulator: a pseudo-terminal whose slave end the real driver
opens as its port, and one thread that serves the master end.

Every emulator (ID-card reader, scanner, printer, RS-485 bus, TTS module) needs the same
plumbing: open the pty in raw mode (no echo, no line discipline: the driver sees exactly the
bytes a device sends), optionally reach it through a stable symlink as a udev rule would name
the device, read what the driver sends, answer, and vanish on stop as a pulled cable does. Only
what the device makes of the bytes differs, and that is the emulator's ``on_data``.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty
from collections.abc import Callable
from pathlib import Path
from typing import Self


class PtyLink:
    """One plug-in of an emulated device: ``open`` once, ``close`` once (plug in again with a
    new ``PtyLink``). ``path`` is what the driver opens: the symlink when one is given."""

    def __init__(
        self,
        name: str,
        *,
        link: str | Path | None = None,
        poll_s: float = 0.05,
        read_size: int = 4096,
    ) -> None:
        self.name = name
        self.link = str(link) if link else None
        self.poll_s = poll_s
        self.read_size = read_size
        self.slave_name = ""
        self._master: int | None = None
        self._slave: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def path(self) -> str:
        return self.link or self.slave_name

    @property
    def closing(self) -> bool:
        """True once ``close`` began: a handler stops answering a driver that is gone."""
        return self._stop.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless closed meanwhile (then True at once): a slow device's delay."""
        return self._stop.wait(seconds)

    def open(self, on_data: Callable[[bytes], None], on_quiet: Callable[[], None] | None = None) -> str:
        """Open the pty and serve it: ``on_data`` gets every chunk the driver writes (and may
        ``write`` answers), ``on_quiet`` runs after each ``poll_s`` without data. The thread ends
        when the link closes or a read or handler raises ``OSError`` (the line is gone)."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._master, self._slave = master, slave
        self.slave_name = os.ttyname(slave)
        if self.link:
            tmp = f"{self.link}.{os.getpid()}.tmp"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            os.symlink(self.slave_name, tmp)
            os.replace(tmp, self.link)
        self._thread = threading.Thread(
            target=self._serve, args=(master, on_data, on_quiet), name=self.name, daemon=True
        )
        self._thread.start()
        return self.path

    def write(self, data: bytes) -> None:
        """All of ``data`` to the driver; OSError once the link is closed."""
        master = self._master
        if master is None:
            raise OSError(f"{self.name}: not plugged in")
        view = memoryview(data)
        while view:
            n = os.write(master, view)
            view = view[n:]

    def close(self) -> None:
        """Pull the cable: the symlink (if still ours) and the pty disappear."""
        self._stop.set()
        if self.link and os.path.islink(self.link):
            with contextlib.suppress(OSError):
                if os.readlink(self.link) == self.slave_name:
                    os.unlink(self.link)
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(2)
        master, slave = self._master, self._slave
        self._master = self._slave = None
        for fd in (master, slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _serve(
        self, master: int, on_data: Callable[[bytes], None], on_quiet: Callable[[], None] | None
    ) -> None:
        while not self._stop.is_set():
            try:
                if not select.select([master], [], [], self.poll_s)[0]:
                    if on_quiet is not None:
                        on_quiet()
                    continue
                chunk = os.read(master, self.read_size)
                if not chunk:
                    return
                on_data(chunk)
            except OSError:
                return


class PluggableEmulator:
    """An emulated device whose cable can be pulled and plugged in again: each plug-in is a new
    pty (as a USB-serial adapter re-enumerates), reached through the same symlink when one is
    given. Subclasses make a fresh line handler per plug-in and share ``_lock`` for their
    state (the handler runs on the link's thread)."""

    def __init__(self, name: str, *, link: str | None = None, read_size: int = 4096) -> None:
        self.name = name
        self.link = link
        self.read_size = read_size
        self._lock = threading.Lock()
        self._port: PtyLink | None = None
        self._slave_name = ""

    def _handler(self, port: PtyLink) -> Callable[[bytes], None]:
        """What the device makes of the bytes of one plug-in (its own parser state)."""
        raise NotImplementedError

    def _unplugged(self) -> None:
        """State the device loses with its cable (under ``_lock``)."""

    @property
    def path(self) -> str:
        return self.link or self._slave_name

    @property
    def plugged(self) -> bool:
        return self._port is not None

    def start(self) -> Self:
        self.plug()
        return self

    def plug(self) -> None:
        with self._lock:
            if self._port is not None:
                return
            port = PtyLink(self.name, link=self.link, read_size=self.read_size)
            port.open(self._handler(port))
            self._port = port
            self._slave_name = port.slave_name

    def unplug(self) -> None:
        """The cable is pulled: the port disappears (and so does the link)."""
        with self._lock:
            port, self._port = self._port, None
            self._unplugged()
        if port is not None:
            port.close()

    def stop(self) -> None:
        self.unplug()

    def cable_command(self, verb: str) -> str | None:
        """The ``unplug`` / ``plug`` control lines every pluggable emulator takes; None for
        any other verb (the device's own)."""
        if verb == "unplug":
            self.unplug()
            return "unplugged"
        if verb == "plug":
            self.plug()
            return f"plugged in at {self.path}"
        return None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
