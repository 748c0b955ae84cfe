"""``kiosk demo`` part: the reference platform on loopback, started before the device emulators.

Data lives in the demo data directory (so bookings, events and the catalog persist between
demo runs); the demo terminal's secret is written there with mode 0600. Without Flask (the
``platform`` extra) the demo runs offline instead.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from kiosk.devtools.refplatform import seed

log = logging.getLogger(__name__)


def platform_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    try:
        from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
    except ImportError:
        log.warning("Flask is not installed: the demo runs without a platform (offline mode)")
        return {}
    data = workdir / "platform"
    platform = prepare(data)
    server = ServerThread(platform, "127.0.0.1", 0).start()
    stack.callback(server.stop)
    log.info("demo platform on %s (admin: %s/admin/stats)", server.url, server.url)
    return {
        "platform": {
            "url": server.url,
            "terminal_id": seed.TERMINAL_ID,
            "hall_id": seed.HALL_ID,
            "secret_file": str(data / SECRET_NAME),
        }
    }
