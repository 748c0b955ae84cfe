"""One hall member as its own process, built by the app's real wiring from a config file;
driven by lines on stdin, answering JSON lines on stdout (the tests' remote control).

    issue CAT | call N | finish N | calls | state | ledger | cut SECONDS | quit
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.app import App, _event_bus
from kiosk.paths import Paths
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import TicketCalled
from kiosk.settings import load_settings
from kiosk.wiring import device_faults as wiring_device_faults
from kiosk.wiring import devices as wiring_devices
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store
from offline_cache import hallbus


def main() -> int:
    settings = load_settings(sys.argv[1])
    app = App(settings, Paths.from_settings(settings.paths))
    calls: list[dict[str, Any]] = []
    lock = threading.Lock()

    def on_event(e: Any) -> None:
        if isinstance(e, TicketCalled):
            with lock:
                calls.append({"number": e.call.number, "counter": e.call.counter, "recall": e.call.recall})

    app.start(
        [_event_bus, wiring_store.build, wiring_device_faults.build, wiring_devices.build, wiring_queue.build]
    )
    app.bus.subscribe(on_event)
    deadline = time.monotonic() + 30
    while app.services.queue_status != "ready" and time.monotonic() < deadline:
        time.sleep(0.05)
    q = app.services.remote_queue
    assert q is not None
    out = sys.stdout
    print(json.dumps({"ready": app.services.queue_status == "ready"}), file=out, flush=True)
    for line in sys.stdin:
        cmd, *rest = line.split()
        reply: dict[str, Any]
        try:
            if cmd == "issue":
                t = q.begin_issue(rest[0])
                t = q.confirm_printed(t.ticket_id)
                reply = {"ok": True, "number": t.number, "ticket_id": t.ticket_id, "offline": t.order == 0}
            elif cmd == "call":
                t = q.call_next(int(rest[0]))
                reply = {
                    "ok": t is not None,
                    "number": t.number if t else None,
                    "code": None if t else "queue_empty",
                }
            elif cmd == "finish":
                t = q.finish(int(rest[0]))
                reply = {"ok": True, "number": t.number}
            elif cmd == "calls":
                with lock:
                    reply = {"calls": list(calls)}
                m = q.display_model()
                reply["recent"] = [c.number for c in m.recent]
                reply["seq"] = q.state_seq()
                reply["waiting"] = {c.code: c.waiting for c in q.categories()}
                reply["notice"] = m.notice
            elif cmd == "ledger":
                store = app.services.store
                assert store is not None
                with store.read() as conn:
                    reply = {"ledger": hallbus.offline_tickets(conn)}
            elif cmd == "cut":
                q.conn.hold(float(rest[0]))
                reply = {"ok": True}
            elif cmd == "reachable":
                reply = {"ok": q.host_reachable()}
            elif cmd == "quit":
                break
            else:
                reply = {"error": f"unknown command {cmd}"}
        except QueueRefused as exc:
            reply = {"ok": False, "code": exc.code}
        print(json.dumps(reply, ensure_ascii=False), file=out, flush=True)
    app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
