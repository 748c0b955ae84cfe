"""A printer that never stops sending non-status bytes cannot hold the status query (issue 15,
finding 5): the whole query has one deadline."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from drivers.escpos.transport import PrinterLink


def _noisy_printer(stop: threading.Event) -> tuple[socket.socket, int]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def serve() -> None:
        conn, _ = srv.accept()
        conn.setblocking(True)
        try:
            while not stop.is_set():
                conn.sendall(b"\x00\xff\x01")  # never a status byte (bits 1 and 4 on, 7 off)
                time.sleep(0.005)
        except OSError:
            pass
        finally:
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv, srv.getsockname()[1]


def test_the_status_query_ends_against_a_printer_that_keeps_babbling() -> None:
    stop = threading.Event()
    srv, port = _noisy_printer(stop)
    link = PrinterLink(f"tcp://127.0.0.1:{port}", timeout=0.3)
    link.open()
    outcome: dict[str, Any] = {}

    def query() -> None:
        started = time.monotonic()
        outcome["status"] = link.status(timeout=0.3)
        outcome["took"] = time.monotonic() - started

    worker = threading.Thread(target=query, daemon=True)
    worker.start()
    worker.join(10)
    stop.set()
    try:
        assert not worker.is_alive(), "the status query never ended"
        assert outcome["status"].printer is None and not outcome["status"].answered
        assert outcome["took"] < 4 * 0.3 + 0.5
    finally:
        link.close()
        srv.close()
