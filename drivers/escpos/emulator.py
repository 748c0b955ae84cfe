"""An ESC/POS printer on the far end of a pty or a TCP port (like a LAN printer on 9100).

It decodes everything it receives with the independent ``decoder``, answers ``DLE EOT`` from
a paper state that tests and the technician can change at run time, and renders each ticket
(everything up to a cut, or up to a pause in the data on printers without a cutter) to a
PNG. A printer without paper or with its cover open prints nothing: what arrives then is
counted in ``discarded``, as real printers lose it.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from drivers.escpos import status as st
from drivers.escpos.decoder import Cut, Decoder, Line, Op, QrCode, Raster, StatusQuery
from drivers.pty_link import PtyLink

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintedTicket:
    index: int
    ops: tuple[Op, ...]
    cut: str
    """``partial``, ``full``, or ``none`` (a printer without cutter: the ticket ended when the
    data stopped for ``tear_off_s``)."""
    png: Path | None

    @property
    def text(self) -> str:
        return "\n".join(op.text for op in self.ops if isinstance(op, Line))

    @property
    def qr_payloads(self) -> list[str]:
        return [op.payload for op in self.ops if isinstance(op, QrCode)]

    @property
    def images(self) -> list[Raster]:
        return [op for op in self.ops if isinstance(op, Raster)]


class EscposEmulator:
    def __init__(
        self,
        *,
        render_dir: Path | None = None,
        paper_dots: int = 576,
        chinese_at_start: bool = False,
        paper: st.PaperState | None = None,
        tear_off_s: float = 0.5,
    ) -> None:
        self.tear_off_s = tear_off_s
        self.render_dir = render_dir
        self.paper_dots = paper_dots
        self.chinese_at_start = chinese_at_start
        self._paper = paper or st.PaperState()
        self._lock = threading.Condition()
        self.tickets: list[PrintedTicket] = []
        self.discarded = 0
        self.status_queries = 0
        self.warnings: list[str] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._closers: list[socket.socket] = []
        self._ports: list[PtyLink] = []
        self.address: str = ""

    # --- paper state ---------------------------------------------------------------------
    @property
    def paper(self) -> st.PaperState:
        with self._lock:
            return self._paper

    def set_paper(self, paper: str = "ok", *, cover_open: bool = False, cutter_error: bool = False) -> None:
        with self._lock:
            self._paper = st.PaperState(paper, cover_open, cutter_error)

    # --- printing ------------------------------------------------------------------------
    def _handle(self, dec: Decoder, pending: list[Op], data: bytes) -> bytes:
        """Feed bytes; returns the status answers to send back."""
        reply = bytearray()
        for op in dec.feed(data):
            if isinstance(op, StatusQuery):
                with self._lock:
                    self.status_queries += 1
                    state = self._paper
                if 1 <= op.n <= 4:
                    reply.append(st.answer(op.n, state))
                continue
            pending.append(op)
            if isinstance(op, Cut):
                self._finish(list(pending), "partial" if op.partial else "full")
                pending.clear()
        if dec.warnings:
            with self._lock:
                self.warnings.extend(dec.warnings)
            dec.warnings.clear()
        return bytes(reply)

    def _idle(self, pending: list[Op]) -> None:
        """No data for a while: a cutter-less printer's ticket is torn off here."""
        if any(isinstance(op, Line) and op.text.strip() for op in pending):
            self._finish(list(pending), "none")
        pending.clear()

    def _finish(self, ops: list[Op], cut: str) -> None:
        state = self.paper
        if state.paper == "out" or state.cover_open or state.cutter_error:
            with self._lock:
                self.discarded += 1
                self._lock.notify_all()
            return
        with self._lock:
            index = len(self.tickets) + 1
        png: Path | None = None
        if self.render_dir is not None:
            from drivers.escpos.render import render_png

            png = render_png(ops, self.render_dir / f"ticket-{index:04d}.png", self.paper_dots)
            render_png(ops, self.render_dir / "last.png", self.paper_dots)
        with self._lock:
            self.tickets.append(PrintedTicket(index, tuple(ops), cut, png))
            self._lock.notify_all()

    def wait_for_tickets(self, count: int, timeout: float = 5.0) -> list[PrintedTicket]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.tickets) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.tickets)} of {count} tickets printed")
                self._lock.wait(left)
            return list(self.tickets)

    # --- transports ----------------------------------------------------------------------
    def _spawn(self, target: object, name: str) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        t.start()
        self._threads.append(t)

    def start_tcp(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((host, port))
        srv.listen(4)
        self._closers.append(srv)
        bound = srv.getsockname()
        self.address = f"tcp://{bound[0]}:{bound[1]}"
        self._spawn(lambda: self._accept(srv), "escpos-emu-accept")
        return bound[0], bound[1]

    def _accept(self, srv: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                ready = select.select([srv], [], [], 0.1)[0]
                if not ready:
                    continue
                conn, _ = srv.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._closers.append(conn)
            self._spawn(lambda c=conn: self._serve_socket(c), "escpos-emu-conn")

    def _serve_socket(self, conn: socket.socket) -> None:
        dec = Decoder(chinese_at_start=self.chinese_at_start)
        pending: list[Op] = []
        with contextlib.suppress(OSError):
            while not self._stop.is_set():
                if not select.select([conn], [], [], self.tear_off_s)[0]:
                    self._idle(pending)
                    continue
                data = conn.recv(65536)
                if not data:
                    break
                reply = self._handle(dec, pending, data)
                if reply:
                    conn.sendall(reply)
        with contextlib.suppress(OSError):
            conn.close()

    def start_pty(self, link: Path | None = None) -> str:
        """Open a pty; the printer driver opens the returned slave path (or ``link``, a symlink
        that stays the same across emulator restarts, as a udev rule would name a printer)."""
        port = PtyLink("escpos-emu-pty", link=link, poll_s=self.tear_off_s, read_size=65536)
        self._ports.append(port)
        dec = Decoder(chinese_at_start=self.chinese_at_start)
        pending: list[Op] = []

        def on_data(data: bytes) -> None:
            reply = self._handle(dec, pending, data)
            if reply:
                port.write(reply)

        path = port.open(on_data, lambda: self._idle(pending))
        self.address = f"serial://{path}"
        return path

    def stop(self) -> None:
        """Unplug: close every connection; a driver talking to it sees the printer vanish."""
        self._stop.set()
        for port in self._ports:
            port.close()
        self._ports.clear()
        for t in self._threads:
            t.join(2.0)
        for sock in self._closers:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self._closers.clear()
        self._threads.clear()

    def __enter__(self) -> EscposEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
