"""A loopback HTTP server that answers whatever a test sets: status, headers, body (even a
body that trickles out slower than any timeout)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    drip_s: float = 0.0
    """Send the body one byte at a time, this long apart."""


class HostileServer:
    def __init__(self) -> None:
        self.answer = Answer()
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                outer.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                a = outer.answer
                self.send_response(a.status)
                for k, v in a.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(a.body)))
                self.end_headers()
                try:
                    if a.drip_s:
                        for i in range(len(a.body)):
                            self.wfile.write(a.body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(a.drip_s)
                    else:
                        self.wfile.write(a.body)
                except OSError:
                    pass

            do_GET = do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def set(self, **kw: object) -> None:
        self.answer = Answer(**kw)  # type: ignore[arg-type]


@contextmanager
def hostile_server() -> Iterator[HostileServer]:
    server = HostileServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
