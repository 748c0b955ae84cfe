"""Exactly-once delivery under the worst cases: kill -9 mid-push, lost answers, a 72-hour outage."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.paths import Paths
from kiosk.platform.client import ClientConfig, PlatformClient
from kiosk.platform.signing import load_secret
from kiosk.platform.sync import SyncEngine
from kiosk.settings.schema import StoreSettings
from kiosk.wiring.store import open_store
from offline_cache import outbox, quarantine
from offline_cache.store import Store

T, H = seed.TERMINAL_ID, seed.HALL_ID
REPO = Path(__file__).resolve().parents[2]


def _issued(tid: str, number: str, cat: str, at: str) -> dict[str, Any]:
    return {
        "ticket_id": tid,
        "number": number,
        "category": cat,
        "item_code": None,
        "priority": "normal",
        "appointment_id": None,
        "holder_id_hash": None,
        "issued_at": at,
    }


def _config(tmp: Path, url: str, secret_file: Path) -> Path:
    cfg = tmp / "kiosk.toml"
    cfg.write_text(
        f"""
[terminal]
id = "{T}"
[paths]
data_dir = "{tmp / "kiosk"}"
[platform]
url = "{url}"
terminal_id = "{T}"
hall_id = "{H}"
secret_file = "{secret_file}"
batch_size = 50
timeout_s = 5
""",
        encoding="utf-8",
    )
    return cfg


def _sync_once(cfg: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("KIOSK_DATA_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(cfg), "--log-level", "ERROR", "sync", "once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_kill_9_mid_push_with_dropped_answers_delivers_each_event_exactly_once(tmp_path: Path) -> None:
    platform = prepare(tmp_path / "platform")
    server = ServerThread(platform).start()
    try:
        cfg = _config(tmp_path, server.url, tmp_path / "platform" / SECRET_NAME)
        paths = Paths(tmp_path / "kiosk", tmp_path / "kiosk" / "cache", tmp_path / "kiosk" / "logs")
        store = open_store(paths, StoreSettings())
        n = 1000

        def fill(conn: Any) -> list[str]:
            return [
                outbox.enqueue(
                    conn,
                    "ticket.issued",
                    _issued(f"t{i}", f"A{i:03d}", "A", "2026-11-23T09:00:00+08:00"),
                    terminal_id=T,
                    hall_id=H,
                )
                for i in range(n)
            ]

        ids = store.write(fill)
        store.close()

        # Slow answers so the kill lands mid-push; every 4th write's answer is lost after commit.
        platform.faults.update({"latency_ms": 150, "drop_rate": 0.25})
        proc = _sync_once(cfg)
        deadline = time.time() + 60
        while time.time() < deadline and platform.stats()["events"] == 0:
            time.sleep(0.01)
        assert platform.stats()["events"] > 0, "the first push never arrived"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        applied_at_kill = platform.stats()["events"]
        assert 0 < applied_at_kill < n, "the kill must land in the middle of the push"

        platform.faults.update({"latency_ms": 0})
        for _ in range(40):
            if _sync_once(cfg).wait(120) == 0:
                break
        else:
            pytest.fail("sync never completed")

        stats = platform.stats()
        events = requests.get(server.url + "/admin/events", timeout=10).json()
        assert [e["id"] for e in events["events"]] == ids  # each accepted once, in order
        assert stats["events"] == n
        assert stats["receipts"] > n  # resends happened and were recognised as duplicates
        store = open_store(paths, StoreSettings())
        with store.read() as conn:
            assert outbox.depth(conn) == 0 and quarantine.count(conn) == 0
        store.close()
    finally:
        server.stop()


def _simulate_hall(store: Store, start: datetime, hours: int, rng: random.Random) -> dict[str, list[str]]:
    """Realistic activity: tickets issued, called (sometimes recalled or skipped), transferred,
    served, evaluated; appointment check-ins; a printer running out of paper. Returns the
    expected event types per ticket, in order."""
    per_ticket: dict[str, list[str]] = defaultdict(list)
    numbers: dict[str, int] = defaultdict(int)
    for hour in range(hours):
        now = start + timedelta(hours=hour)
        if now.hour < 8 or now.hour >= 17:
            continue

        def activity(conn: Any, now: datetime = now) -> None:
            for k in range(rng.randint(25, 45)):
                at = now + timedelta(minutes=k)
                cat = rng.choice("AABBCCCDE")
                numbers[cat] += 1
                tid = f"{now:%Y%m%d}-{cat}{numbers[cat]:03d}"
                iso = at.isoformat()

                def ev(typ: str, data: dict[str, Any], tid: str = tid, at: datetime = at) -> None:
                    outbox.enqueue(conn, typ, data, terminal_id=T, hall_id=H, at=at)
                    per_ticket[tid].append(typ)

                ev("ticket.issued", _issued(tid, f"{cat}{numbers[cat]:03d}", cat, iso))
                if rng.random() < 0.1:
                    ev(
                        "appointment.checked_in",
                        {
                            "appointment_id": f"AP{tid}",
                            "ticket_id": tid,
                            "checked_in_at": iso,
                            "late_minutes": 0,
                        },
                    )
                counter = rng.randint(1, 8)
                ev("ticket.called", {"ticket_id": tid, "counter": counter, "called_at": iso, "recall": False})
                if rng.random() < 0.08:
                    ev("ticket.skipped", {"ticket_id": tid, "counter": counter, "reason": "no_show"})
                    continue
                if rng.random() < 0.05:
                    ev("ticket.transferred", {"ticket_id": tid, "from_counter": counter, "to_category": "E"})
                    ev("ticket.called", {"ticket_id": tid, "counter": 8, "called_at": iso, "recall": False})
                ev(
                    "ticket.served",
                    {
                        "ticket_id": tid,
                        "counter": counter,
                        "started_at": iso,
                        "finished_at": iso,
                        "case_number": None,
                    },
                )
                if rng.random() < 0.35:
                    ev(
                        "evaluation.submitted",
                        {
                            "evaluation_id": f"E{tid}",
                            "ticket_id": tid,
                            "case_number": None,
                            "counter": counter,
                            "channel": "window",
                            "level": rng.randint(3, 5),
                            "tags": [],
                            "comment": None,
                        },
                    )
            if rng.random() < 0.05:
                fault = {"device": "printer", "kind": "printer", "code": "paper_out", "detail": "纸尽"}
                outbox.enqueue(conn, "device.fault", fault, terminal_id=T, hall_id=H, at=now)
                outbox.enqueue(conn, "device.recovered", fault, terminal_id=T, hall_id=H, at=now)

        store.write(activity)
    return per_ticket


@pytest.mark.slow
def test_72_hour_outage_then_recovery_delivers_everything_in_order(tmp_path: Path) -> None:
    platform = prepare(tmp_path / "platform")
    secret = load_secret(tmp_path / "platform" / SECRET_NAME)
    store = Store.open(tmp_path / "kiosk.db")
    # The platform is down: nothing listens on this port.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    down = PlatformClient(ClientConfig(f"http://127.0.0.1:{dead_port}", T, H, secret, timeout_s=2))
    engine = SyncEngine(store, down, terminal_id=T, hall_id=H)
    start = datetime(2026, 11, 20, 0, 0, tzinfo=UTC) + timedelta(hours=-8)  # local midnight, +08:00
    start = start.astimezone(seed.TZ)
    rng = random.Random(72)
    expected: dict[str, list[str]] = defaultdict(list)
    for day in range(3):
        got = _simulate_hall(store, start + timedelta(days=day), 24, rng)
        for tid, types in got.items():
            expected[tid].extend(types)
        for _ in range(8):  # the engine keeps trying during the outage
            result = engine.run_once()
            assert not result.ok and "cannot reach" in result.reason
    with store.read() as conn:
        total = outbox.depth(conn)
        attempts = conn.execute("SELECT max(attempts) FROM outbox").fetchone()[0]
        waits = conn.execute("SELECT max(next_attempt_at) - ? FROM outbox", (time.time(),)).fetchone()[0]
    assert total > 2000 and attempts >= 20
    assert waits <= 300  # backoff capped at 5 minutes
    assert engine.status().state == "offline"
    down.close()

    server = ServerThread(platform).start()
    try:
        up = PlatformClient(ClientConfig(server.url, T, H, secret))
        engine = SyncEngine(store, up, terminal_id=T, hall_id=H)
        result = engine.run_once()
        assert result.ok, result.reason
        assert result.accepted == total and result.duplicates == 0
        events = requests.get(server.url + "/admin/events", timeout=30).json()["events"]
        delivered: dict[str, list[str]] = defaultdict(list)
        for e in events:
            if e["data"].get("ticket_id"):
                delivered[e["data"]["ticket_id"]].append(e["type"])
        assert delivered == expected
        assert len(events) == total
        with store.read() as conn:
            assert outbox.depth(conn) == 0 and quarantine.count(conn) == 0
        up.close()
    finally:
        server.stop()
        store.close()
