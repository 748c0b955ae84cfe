"""The sync engine against the reference platform over loopback HTTP: pulls, push, faults."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.devtools.refplatform import seed
from kiosk.platform.access import CaseLookupUnavailable, PlatformAccess
from kiosk.platform.client import ClientConfig, PlatformClient
from kiosk.platform.status import SyncStatus
from kiosk.platform.sync import PlatformCommand, SyncEngine
from offline_cache import appointments, catalog, hall, outbox, quarantine, signing_keys
from offline_cache.store import Store
from tests.integration import platform_helpers
from tests.integration.platform_helpers import platform_rig

T, H = seed.TERMINAL_ID, seed.HALL_ID


@dataclass
class Rig(platform_helpers.Rig):
    published: list[Any] = field(default_factory=list)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    published: list[Any] = []
    with platform_rig(tmp_path, publish=published.append, batch_size=50) as r:
        yield Rig(r.server, r.store, r.client, r.engine, r.platform_dir, published)


def _ticket_events(conn: Any, n: int, prefix: str = "A") -> list[str]:
    ids = []
    for i in range(n):
        tid = f"{prefix}-{i}"
        ids.append(
            outbox.enqueue(
                conn,
                "ticket.issued",
                {
                    "ticket_id": tid,
                    "number": f"{prefix}{i:03d}",
                    "category": "A",
                    "item_code": None,
                    "priority": "normal",
                    "appointment_id": None,
                    "holder_id_hash": None,
                    "issued_at": "2026-11-23T09:00:00+08:00",
                },
                terminal_id=T,
                hall_id=H,
            )
        )
    return ids


def test_full_cycle_pulls_everything_and_pushes_the_outbox(rig: Rig) -> None:
    ids = rig.store.write(lambda c: _ticket_events(c, 120))
    result = rig.engine.run_once()
    assert result.ok, result.reason
    assert result.accepted == 120 and result.outbox_depth == 0
    with rig.store.read() as conn:
        assert hall.load(conn, H)["name"] == "示范县政务服务中心"  # type: ignore[index]
        assert catalog.count(conn) == len(seed.items())
        assert [i.name for i in catalog.search(conn, "bdcdj")][:1]
        today = datetime.now(seed.TZ).date().isoformat()
        mine = appointments.for_holder(conn, seed.holder_hash(seed.LI_MINGHUA), today)
        assert [a.category for a in mine] == ["B"]
        assert [k.alg for k in signing_keys.load(conn)] == ["Ed25519"]
    events = rig.admin("/admin/events")["events"]
    assert [e["id"] for e in events] == ids
    st = rig.engine.status()
    assert st.online and st.outbox_depth == 0 and st.last_sync_at
    assert isinstance(rig.published[-1], SyncStatus)


def test_catalog_delta_and_deletions(rig: Rig) -> None:
    assert rig.engine.run_once().ok
    changed = {**seed.items()[0], "name": "企业投资项目备案（新版）"}
    gone = seed.items()[1]["code"]
    rig.admin("/admin/catalog", {"items": [changed], "deleted": [gone]})
    result = rig.engine.run_once()
    assert result.pulls["catalog"] == "ok (2 changes)"
    with rig.store.read() as conn:
        assert catalog.get(conn, gone) is None
        assert catalog.get(conn, changed["code"])["name"] == "企业投资项目备案（新版）"  # type: ignore[index]


def test_rejected_events_go_to_quarantine_and_a_bad_batch_is_split(rig: Rig) -> None:
    good = rig.store.write(lambda c: _ticket_events(c, 9))
    mismatched = rig.store.write(
        lambda c: outbox.enqueue(
            c,
            "ticket.skipped",
            {"ticket_id": "x", "counter": 1, "reason": "no_show"},
            terminal_id=T,
            hall_id="H-OTHER",
        )
    )

    def broken_row(conn: Any) -> None:
        # An event without an id makes the platform refuse the whole batch (400).
        conn.execute(
            "INSERT INTO outbox (id, type, at, payload, created_at) "
            "VALUES ('raw-1', 'ticket.called', 'x', ?, 'x')",
            (json.dumps({"type": "ticket.called"}),),
        )
        # A stored event cut off mid-way (the push sends the stored JSON as it is): the same.
        conn.execute(
            "INSERT INTO outbox (id, type, at, payload, created_at) "
            "VALUES ('raw-2', 'ticket.called', 'x', '{\"id\":\"raw-2\",\"type\":', 'x')"
        )

    rig.store.write(broken_row)
    more = rig.store.write(lambda c: _ticket_events(c, 5, prefix="B"))
    result = rig.engine.run_once()
    assert result.outbox_depth == 0
    assert result.quarantined == 3
    with rig.store.read() as conn:
        reasons = {e.id: e.reason for e in quarantine.entries(conn)}
    assert set(reasons) == {mismatched, "raw-1", "raw-2"}
    assert "400" in reasons["raw-1"] and "400" in reasons["raw-2"]
    assert [e["id"] for e in rig.admin("/admin/events")["events"]] == good + more


def test_outage_holds_events_with_backoff_and_retry_after(rig: Rig) -> None:
    rig.store.write(lambda c: _ticket_events(c, 10))
    rig.admin("/admin/faults", {"error_rate": 1.0, "retry_after_s": 120})
    before = time.time()
    result = rig.engine.run_once()
    assert not result.ok and "503" in result.reason
    assert rig.engine.status().state == "offline"
    with rig.store.read() as conn:
        assert outbox.depth(conn) == 10
        row = conn.execute("SELECT min(next_attempt_at), max(attempts) FROM outbox").fetchone()
    assert row[0] >= before + 119 and row[1] == 1
    with rig.store.read() as conn:
        assert outbox.due(conn) == []  # nothing due before Retry-After
    rig.admin("/admin/faults", {"error_rate": 0.0})
    assert rig.engine.run_once().ok


def test_nonsense_and_clock_skew(rig: Rig) -> None:
    rig.store.write(lambda c: _ticket_events(c, 30))
    rig.admin("/admin/faults", {"nonsense_rate": 1.0})
    result = rig.engine.run_once()
    assert not result.ok  # garbage is an error, never a crash
    with rig.store.read() as conn:
        assert outbox.depth(conn) == 30 and quarantine.count(conn) == 0
    rig.admin("/admin/faults", {"nonsense_rate": 0.0, "clock_skew_s": 3600})
    result = rig.engine.run_once()
    assert result.ok, result.reason
    assert abs(rig.client.clock_offset_s - 3600) < 30
    assert rig.admin("/admin/stats")["events"] == 30


def test_wrong_secret_is_an_error_not_a_quarantine(rig: Rig, tmp_path: Path) -> None:
    rig.store.write(lambda c: _ticket_events(c, 3))
    bad = PlatformClient(ClientConfig(rig.server.url, T, H, b"\x01" * 32))
    engine = SyncEngine(rig.store, bad, terminal_id=T, hall_id=H)
    result = engine.run_once()
    assert not result.ok and "bad_signature" in result.reason
    assert engine.status().state == "error"
    with rig.store.read() as conn:
        assert outbox.depth(conn) == 3 and quarantine.count(conn) == 0
    bad.close()


def test_replayed_request_is_refused(rig: Rig) -> None:
    from kiosk.platform import signing

    secret = rig.client.config.secret
    hdrs = signing.headers(secret, T, "GET", "/v1/keys", b"")
    first = requests.get(rig.server.url + "/v1/keys", headers=hdrs, timeout=5)
    again = requests.get(rig.server.url + "/v1/keys", headers=hdrs, timeout=5)
    assert first.status_code == 200
    assert again.status_code == 401 and again.json()["error"] == "replayed_nonce"


def test_heartbeat_reports_and_runs_commands_once(rig: Rig) -> None:
    calls: list[dict[str, Any]] = []
    rig.engine.command_handlers["print_test"] = calls.append
    rig.engine.add_heartbeat_provider(
        lambda: {"queue": {"A": {"waiting": 4, "est_wait_min": 12}}, "uptime_s": 5}
    )
    rig.admin("/admin/commands", {"name": "print_test", "args": {"copies": 1}})
    rig.admin("/admin/commands", {"name": "reload_config"})
    assert rig.engine.heartbeat()
    assert rig.engine.heartbeat()
    assert calls == [{"copies": 1}]
    assert [p.name for p in rig.published if isinstance(p, PlatformCommand)] == ["reload_config"]
    hb = rig.admin("/admin/stats")["last_heartbeat"]
    assert hb["queue"]["A"]["waiting"] == 4 and hb["uptime_s"] == 5 and hb["outbox_depth"] == 0


def test_case_lookup_online_then_from_cache_when_offline(rig: Rig) -> None:
    access = PlatformAccess(rig.client, rig.store, ttl_s=600)
    online = access.lookup_cases(id_number=seed.WANG_XIUYING.lower())
    assert online.source == "online" and online.cases[0]["status"] == "ready_for_pickup"
    rig.admin("/admin/faults", {"error_rate": 1.0})
    cached = access.lookup_cases(id_number=seed.WANG_XIUYING)
    assert cached.source == "cache" and cached.cases == online.cases
    with pytest.raises(CaseLookupUnavailable):
        access.lookup_cases(case_number="NOPE")


def test_background_engine_pushes_new_events_promptly(rig: Rig) -> None:
    rig.engine.start()
    ids = rig.store.write(lambda c: _ticket_events(c, 5))
    deadline = time.time() + 20
    while time.time() < deadline and rig.admin("/admin/stats")["events"] < 5:
        time.sleep(0.05)
    assert [e["id"] for e in rig.admin("/admin/events")["events"]] == ids
    rig.engine.stop()
    assert any(isinstance(p, SyncStatus) and p.online for p in rig.published)


def test_offline_mode_engine(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "k.db")
    try:
        engine = SyncEngine(store, None, terminal_id=T, hall_id=H)
        engine.start()
        assert engine.status().state == "offline_mode"
        result = engine.run_once()
        assert not result.ok and "offline" in result.reason
        engine.stop()
    finally:
        store.close()


def test_large_catalog_in_pages_and_snapshot_after_a_refused_cursor(rig: Rig) -> None:
    from kiosk.devtools.refplatform.catalog_gen import generate
    from offline_cache import cursors

    extra = generate(1200)
    rig.admin("/admin/catalog", {"items": extra})
    assert rig.engine.run_once().ok
    with rig.store.read() as conn:
        assert catalog.count(conn) == len(seed.items()) + 1200
    # A local item the platform never had, and a cursor the platform no longer accepts:
    # the engine falls back to a full snapshot and drops what the platform does not have.
    rig.store.write(lambda c: catalog.upsert(c, [{**extra[0], "code": "LOCAL-ONLY"}]))
    rig.store.write(lambda c: cursors.put(c, "catalog", "bogus"))
    result = rig.engine.run_once()
    assert result.ok, result.reason
    with rig.store.read() as conn:
        assert catalog.get(conn, "LOCAL-ONLY") is None
        assert catalog.count(conn) == len(seed.items()) + 1200
        assert cursors.get(conn, "catalog") != "bogus"


def test_english_item_names_travel_from_the_platform_to_the_search(rig: Rig) -> None:
    """``name_en`` is optional: the demo items that have one keep it, the others keep ``""``
    (the screens say "Chinese only"); a name_en over the name bound refuses that item alone."""
    named = next(it for it in seed.items() if it.get("name_en"))
    unnamed = next(it for it in seed.items() if not it.get("name_en"))
    assert rig.engine.run_once().ok
    with rig.store.read() as conn:
        found = {i.code: i for i in catalog.search(conn, named["name"])}
        assert found[named["code"]].name_en == named["name_en"]
        assert catalog.get(conn, named["code"])["name_en"] == named["name_en"]  # type: ignore[index]
        assert catalog.search(conn, unnamed["name"])[0].name_en == ""
    too_long = {**unnamed, "name_en": "x" * 201, "name": unnamed["name"] + "（新）"}
    rig.admin("/admin/catalog", {"items": [too_long], "deleted": []})
    rig.engine.run_once()
    with rig.store.read() as conn:
        kept = catalog.get(conn, unnamed["code"])
        assert kept is not None and kept["name"] == unnamed["name"] and kept["name_en"] == ""


def test_case_lookup_carries_the_english_item_name(rig: Rig) -> None:
    access = PlatformAccess(rig.client, rig.store, ttl_s=600)
    found = access.lookup_cases(id_number=seed.WANG_XIUYING)
    assert found.cases[0]["item_name_en"] == "Resident ID card renewal"
