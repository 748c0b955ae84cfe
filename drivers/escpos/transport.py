"""Printer connections chosen by URL, each one a python-escpos connector:

``usb://04b8:0202`` (VID:PID, hex; ``?in_ep=0x82&out_ep=0x01``), ``serial:///dev/ttyUSB0?baudrate=19200``,
``tcp://192.168.1.50:9100``, ``file:///tmp/t.bin`` (raw bytes to a file, for capture and tests).

On top of the connector's write, a link can ask the real-time status (``DLE EOT 1..4``) and read
the one-byte answers with a short timeout; a ``file://`` link cannot, and says so.
"""

from __future__ import annotations

import contextlib
import select
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from drivers.errors import DriverError
from drivers.escpos import status as st


class LinkError(DriverError):
    """``code``: ``offline`` (cannot reach / lost), ``bad_url``, ``driver_unavailable``."""


SCHEMES = ("usb", "serial", "tcp", "file")


@dataclass(frozen=True)
class ConnectionUrl:
    scheme: str
    target: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def can_read(self) -> bool:
        return self.scheme != "file"


def parse_url(url: str) -> ConnectionUrl:
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES:
        known = ", ".join(s + "://" for s in SCHEMES)
        raise LinkError("bad_url", f"connection must start with one of {known}")
    params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme in ("serial", "file"):
        target = parts.path
        if not target:
            raise LinkError("bad_url", f"{parts.scheme}:// needs a path, e.g. {parts.scheme}:///dev/ttyUSB0")
    else:
        target = parts.netloc
        if not target:
            raise LinkError("bad_url", f"{parts.scheme}:// needs a target")
    if parts.scheme == "usb":
        vid, _, pid = target.partition(":")
        try:
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise LinkError("bad_url", "usb:// needs VID:PID in hex, e.g. usb://0416:5011") from None
    if parts.scheme == "tcp":
        host, _, port = target.rpartition(":")
        if not host or not port.isdigit():
            raise LinkError("bad_url", "tcp:// needs host:port, e.g. tcp://192.168.1.50:9100")
    if parts.scheme == "serial":
        baud = params.get("baudrate", "9600")
        if not baud.isdigit():
            raise LinkError("bad_url", "serial:// baudrate must be a number")
    return ConnectionUrl(parts.scheme, target, params)


def _connector(url: ConnectionUrl, profile: str, timeout: float) -> Any:
    from escpos import printer

    if url.scheme == "file":
        return printer.File(devfile=url.target, profile=profile)
    if url.scheme == "tcp":
        host, _, port = url.target.rpartition(":")
        return printer.Network(host=host.strip("[]"), port=int(port), timeout=timeout, profile=profile)
    if url.scheme == "serial":
        return printer.Serial(
            devfile=url.target,
            baudrate=int(url.params.get("baudrate", "9600")),
            timeout=timeout,
            dsrdtr=url.params.get("dsrdtr", "0") in ("1", "true"),
            profile=profile,
        )
    vid, _, pid = url.target.partition(":")
    if not printer.Usb.is_usable():
        raise LinkError("driver_unavailable", "usb:// needs pyusb (pip install hall-kiosk[usb])")
    return printer.Usb(
        idVendor=int(vid, 16),
        idProduct=int(pid, 16),
        timeout=int(timeout * 1000),
        in_ep=int(url.params.get("in_ep", "0x82"), 0),
        out_ep=int(url.params.get("out_ep", "0x01"), 0),
        profile=profile,
    )


class PrinterLink:
    """One open connection to one printer. Used by a single thread (the device's worker)."""

    def __init__(self, url: str, *, profile: str = "default", timeout: float = 1.0) -> None:
        self.url = parse_url(url)
        self.profile = profile
        self.timeout = timeout
        self._p: Any = None

    @property
    def is_open(self) -> bool:
        return self._p is not None

    def open(self) -> None:
        from escpos.exceptions import Error as EscposError

        p = _connector(self.url, self.profile, self.timeout)
        try:
            if self.url.scheme == "tcp":
                # python-escpos's Network.open leaks its socket when connect fails; connect
                # here and hand the socket to the connector (its _raw/close use it as is).
                host, _, port = self.url.target.rpartition(":")
                sock = socket.create_connection((host.strip("[]"), int(port)), timeout=self.timeout)
                # status queries are 3-byte writes waiting for a 1-byte answer: without
                # TCP_NODELAY, Nagle + delayed ACK add ~40 ms to every ticket
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                p.device = sock
            else:
                p.open()
        except (EscposError, OSError) as exc:
            raise LinkError("offline", f"cannot open {self.url.scheme}://{self.url.target}: {exc}") from None
        self._p = p

    def close(self) -> None:
        p, self._p = self._p, None
        if p is None:
            return
        with contextlib.suppress(Exception):  # termios.error, USBError, OSError: it is gone anyway
            p.close()
        dev: Any = getattr(p, "_device", None)
        if dev:
            # close() failed half way (a vanished tty fails its drain): release the handle
            # and mark the connector closed, or python-escpos's __del__ tries again and raises
            with contextlib.suppress(Exception):
                dev.close()
            p._device = False

    def write(self, data: bytes) -> None:
        if self._p is None:
            raise LinkError("offline", "printer connection is closed")
        try:
            self._p._raw(data)
        except (OSError, AssertionError, ValueError) as exc:  # SerialException, USBError are OSErrors
            self.close()
            raise LinkError("offline", f"write failed: {type(exc).__name__}") from None

    def _drain(self) -> None:
        dev = self._p.device
        if self.url.scheme == "serial":
            dev.reset_input_buffer()
        elif self.url.scheme == "tcp":
            while select.select([dev], [], [], 0)[0]:
                if not dev.recv(64):
                    raise LinkError("offline", "printer closed the connection")

    def _read_byte(self, timeout: float) -> int | None:
        dev = self._p.device
        if self.url.scheme == "serial":
            dev.timeout = timeout
            got = dev.read(1)
            return got[0] if got else None
        if self.url.scheme == "tcp":
            if not select.select([dev], [], [], timeout)[0]:
                return None
            got = dev.recv(1)
            if not got:
                raise LinkError("offline", "printer closed the connection")
            return got[0]
        got = self._p._read()
        return got[0] if got else None

    def status(self, timeout: float = 0.5) -> st.RawStatus | None:
        """Ask ``DLE EOT 1..4``; None when the link cannot read (``file://``). A printer that
        does not answer the first query is reported offline (all fields None)."""
        if not self.url.can_read:
            return None
        if self._p is None:
            raise LinkError("offline", "printer connection is closed")
        answers: list[int | None] = []
        try:
            self._drain()
            for n in (st.PRINTER, st.OFFLINE_CAUSE, st.ERROR_CAUSE, st.ROLL_SENSOR):
                self._p._raw(st.query(n))
                got = self._read_byte(timeout)
                while got is not None and not st.is_status_byte(got):
                    got = self._read_byte(timeout)
                answers.append(got)
                if got is None:
                    break
        except LinkError:
            self.close()
            raise
        except (OSError, AssertionError, ValueError, TypeError, AttributeError) as exc:
            self.close()
            raise LinkError("offline", f"status query failed: {type(exc).__name__}") from None
        answers += [None] * (4 - len(answers))
        return st.RawStatus(*answers)
