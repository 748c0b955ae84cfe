"""The whole terminal against a hostile platform (issue 15, "Must show"): fed each hostile hall
profile and catalog, it still starts, still issues, still sends heartbeats, and the data the
technician's sync page reads names what was refused."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import App, _event_bus
from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.facade import Kiosk
from kiosk.paths import Paths
from kiosk.settings import load_settings
from kiosk.wiring import queue as wiring_queue
from kiosk.wiring import store as wiring_store
from kiosk.wiring import sync as wiring_sync
from offline_cache import hall
from tests.hostile.platform_rig import HOSTILE_HALLS, hostile_items
from tests.polling import wait_until
from ui.presenters.technician import sync_page


def _wait(pred: Callable[[], Any], timeout: float = 15.0) -> bool:
    return wait_until(pred, timeout, interval=0.05)


class Terminal:
    def __init__(self, tmp_path: Path, server: ServerThread) -> None:
        self.server = server
        self.config = tmp_path / "kiosk.toml"
        self.data = tmp_path / "data"
        self.config.write_text(
            '[terminal]\nid = "T-DEMO-001"\n'
            f'[platform]\nurl = "{server.url}"\nterminal_id = "{seed.TERMINAL_ID}"\n'
            f'hall_id = "{seed.HALL_ID}"\nsecret_file = "{tmp_path / "platform" / SECRET_NAME}"\n'
            "heartbeat_s = 5\nsync_interval_s = 2\n"
            "[queue]\nenforce_hours = false\n",
            encoding="utf-8",
        )

    def start(self) -> App:
        settings = load_settings(self.config, environ={"KIOSK_DATA_DIR": str(self.data)})
        app = App(settings, Paths.from_settings(settings.paths), demo=False)
        app.start([_event_bus, wiring_store.build, wiring_queue.build, wiring_sync.build])
        return app

    def heartbeats_after(self, t: float) -> bool:
        row = self.server.platform.db.conn().execute("SELECT at FROM heartbeats").fetchone()
        return row is not None and row[0] > t

    def serve_hall(self, profile: dict[str, Any]) -> None:
        import json

        with self.server.platform.db.tx() as c:
            c.execute("UPDATE halls SET payload = ? WHERE hall_id = ?", (json.dumps(profile), seed.HALL_ID))


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    server = ServerThread(prepare(tmp_path / "platform")).start()
    yield Terminal(tmp_path, server)
    server.stop()


def _technician_sync_page(app: App) -> dict[str, Any]:
    """What the technician's sync page shows (ui.bridge's reader, without a screen)."""
    return sync_page(Kiosk.of(app).technician.sync_overview())


def test_each_hostile_profile_and_catalog_the_terminal_starts_issues_and_beats(terminal: Terminal) -> None:
    app = terminal.start()  # a first day with a good platform: the profile is synced
    try:
        assert _wait(lambda: app.services.queue is not None)
    finally:
        app.shutdown()
    with terminal.server.platform.db.tx() as c:
        terminal.server.platform.db.put_items(c, list(hostile_items().values()))
    numbers = []
    for case, profile in sorted(HOSTILE_HALLS.items()):
        terminal.serve_hall(profile)
        started = time.time()
        app = terminal.start()
        try:
            queue = app.services.queue
            assert queue is not None, case  # from the last good copy
            numbers.append(queue.issue_unprinted("A").number)
            sync = app.services.sync
            assert _wait(lambda t=started: terminal.heartbeats_after(t)), f"{case}: no heartbeat"
            assert _wait(lambda s=sync: any(r.startswith("hall profile:") for r in s.status().refused)), case
            assert _wait(lambda s=sync: s.status().outbox_depth == 0), f"{case}: the ticket was not delivered"
            page = _technician_sync_page(app)["sync"]
            assert page["online"] and "hall profile" in page["lastError"], (case, page)
            assert "catalog item X-LEGAL" in "\n".join(sync.status().refused)
            assert app.services.queue.profile.timezone == "Asia/Shanghai"
        finally:
            app.shutdown()
    assert numbers == [f"A{i:03d}" for i in range(1, len(HOSTILE_HALLS) + 1)]


def test_a_hostile_stored_profile_does_not_stop_the_start_and_is_named(terminal: Terminal) -> None:
    terminal.serve_hall(HOSTILE_HALLS["timezone of 300 characters"])
    app = terminal.start()
    try:
        store = app.services.store
        # as an older release stored it, before these checks
        store.write(lambda c: hall.save(c, {**seed.HALL, "timezone": "A" * 300}))
    finally:
        app.shutdown()

    app = terminal.start()
    try:
        assert app.services.queue is None
        assert app.services.queue_status == "hall_profile_missing"
        sync = app.services.sync
        assert _wait(lambda: terminal.heartbeats_after(0))
        refused = "\n".join(sync.status().refused)
        assert "stored hall profile" in refused and "hall profile: version" in refused
        assert "stored hall profile" in _technician_sync_page(app)["sync"]["lastError"]
        env = {**os.environ, "KIOSK_DATA_DIR": str(terminal.data), "KIOSK_CONFIG": str(terminal.config)}
        for args in (["queue", "status"], ["sync", "once"], ["sync", "status"]):
            out = subprocess.run(
                [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=120, env=env
            )
            assert "Traceback" not in out.stderr, (args, out.stderr[-600:])
        assert "refused:" in out.stdout and "stored hall profile" in out.stdout
        # the platform is fixed: the good profile replaces the bad copy and the queue starts
        terminal.serve_hall({**seed.HALL, "version": 300})
        assert _wait(lambda: app.services.queue is not None, timeout=20)
        assert app.services.queue.issue_unprinted("A").number == "A001"
        assert _wait(lambda: not sync.status().refused)
    finally:
        app.shutdown()
