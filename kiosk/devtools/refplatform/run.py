"""Starting the reference platform: in a thread (tests, demo) or in the foreground (CLI)."""

from __future__ import annotations

import logging
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.server import Faults, RefPlatform, create_app

log = logging.getLogger(__name__)

SECRET_NAME = seed.SECRET_NAME


def ensure_secret(path: Path) -> str:
    """The demo terminal's shared secret (hex, 32 bytes) in ``path``, created 0600 if absent."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (value + "\n").encode("ascii"))
    finally:
        os.close(fd)
    return value


def prepare(data_dir: Path, secret_file: Path | None = None, faults: Faults | None = None) -> RefPlatform:
    data_dir.mkdir(parents=True, exist_ok=True)
    secret_hex = ensure_secret(secret_file or data_dir / SECRET_NAME)
    secret_dir = (secret_file or data_dir / SECRET_NAME).parent
    more = {tid: ensure_secret(secret_dir / f"{tid}.secret") for tid in seed.HALL_TERMINALS}
    platform = RefPlatform(data_dir, faults=faults)
    platform.db.seed_demo(secret_hex, more)
    return platform


class ServerThread:
    """The platform on ``host:port`` (port 0 = any free port) served by a background thread."""

    def __init__(
        self,
        platform: RefPlatform,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        quiet: bool = True,
        ssl_context: Any = None,
    ) -> None:
        if quiet:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.platform = platform
        self.server: BaseWSGIServer = make_server(
            host, port, create_app(platform), threaded=True, ssl_context=ssl_context
        )
        self.host = host
        self.scheme = "https" if ssl_context is not None else "http"
        self.port = int(self.server.server_port)
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, name="refplatform", daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def start(self) -> ServerThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)
