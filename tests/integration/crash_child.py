"""The kiosk core as `kiosk run` builds it (every DEFAULT_BUILDERS component), without the GUI,
driven over stdin so a test can take a number and kill the process at a chosen moment.

    python -m tests.integration.crash_child CONFIG
stdout: ``READY`` once the queue is up; then for each ``take CATEGORY`` line on stdin the
use-case result as one JSON line. Not a test module: the crash-recovery test runs it.
"""

from __future__ import annotations

import json
import sys
import time

from kiosk.app import App
from kiosk.logs import setup_logging
from kiosk.paths import Paths
from kiosk.settings import load_settings


def main(config: str) -> int:
    settings = load_settings(config)
    paths = Paths.from_settings(settings.paths)
    setup_logging("INFO", log_dir=paths.logs)
    app = App(settings, paths)
    app.start()
    try:
        deadline = time.monotonic() + 60
        while app.services.usecases is None:
            if time.monotonic() > deadline:
                print("NO-QUEUE", flush=True)
                return 1
            time.sleep(0.05)
        print("READY", flush=True)
        for line in sys.stdin:
            verb, _, arg = line.strip().partition(" ")
            if verb == "take":
                r = app.services.usecases.take_ticket(arg)
                ticket = r.ticket
                print(
                    json.dumps(
                        {
                            "ok": r.ok,
                            "message": r.message,
                            "number": ticket.number if ticket else None,
                            "ticket_id": ticket.ticket_id if ticket else None,
                        }
                    ),
                    flush=True,
                )
        return 0
    finally:
        app.shutdown()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
