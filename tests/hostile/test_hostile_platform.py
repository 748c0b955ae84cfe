"""Contract-valid extremes from the platform: refused at the boundary, by name, the last good
copy kept; the sync loop goes on pulling (no tight loop) and sending heartbeats (issue 15,
findings 1, 2 and 7)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.devtools.refplatform import seed
from kiosk.platform.sync import SyncEngine
from kiosk.queue import hall as queue_hall
from offline_cache import catalog, contract, hall
from tests.hostile.platform_rig import HOSTILE_HALLS, hostile_items
from tests.integration.platform_helpers import H, platform_rig


@pytest.mark.parametrize("case", sorted(HOSTILE_HALLS))
def test_a_hostile_hall_profile_is_refused_by_name_and_the_last_good_copy_stays(
    tmp_path: Path, case: str
) -> None:
    profile = HOSTILE_HALLS[case]
    contract.check(profile, contract.HALL)  # the contract lets it through
    with platform_rig(tmp_path) as rig:
        assert rig.engine.run_once().ok
        rig.serve_hall(profile)
        result = rig.engine.run_once()
        assert result.pulls["hall"].startswith("ok"), result.pulls
        assert "refused" in result.pulls["hall"]
        # every other pull still ran in the same cycle
        assert all(v.startswith("ok") for v in result.pulls.values()), result.pulls
        assert any(line.startswith("hall profile:") for line in result.refused)
        with rig.store.read() as conn:
            kept = hall.load(conn, H)
            assert kept is not None and kept["version"] == seed.HALL["version"]
            assert kept["timezone"] == "Asia/Shanghai"
            assert queue_hall.from_store(conn, H) is not None
        st = rig.engine.status()
        assert st.online and "hall profile" in st.detail
        # a good profile again clears the refusal
        rig.serve_hall({**seed.HALL, "version": 200})
        assert rig.engine.run_once().ok
        assert not rig.engine.status().refused


def test_hostile_catalog_items_are_refused_one_by_one(tmp_path: Path) -> None:
    bad = hostile_items()
    good = {**seed.items()[1], "code": "X-GOOD", "name": "新办事项"}
    for item in [*bad.values(), good]:
        contract.check(item, contract.ITEM)
    with platform_rig(tmp_path) as rig:
        assert rig.engine.run_once().ok
        rig.serve_items([*bad.values(), good])
        result = rig.engine.run_once()
        assert result.pulls["catalog"] == f"ok (1 changes, {len(bad)} items refused)"
        with rig.store.read() as conn:
            assert catalog.get(conn, "X-GOOD") is not None
            for item in bad.values():
                assert catalog.get(conn, item["code"]) is None
        refused = "\n".join(rig.engine.status().refused)
        for item in bad.values():
            assert f"catalog item {item['code']}:" in refused
        # the refusal survives a restart of the engine (kept in the store)
        again = SyncEngine(rig.store, None, terminal_id="T", hall_id=H)
        assert "catalog item X-LEGAL" in "\n".join(again.status().refused)


def test_a_stored_hostile_hall_profile_is_named_and_does_not_stop_the_queue_reader(tmp_path: Path) -> None:
    with platform_rig(tmp_path) as rig:
        rig.store.write(lambda c: hall.save(c, {**seed.HALL, "timezone": "B" * 300}))
        with rig.store.read() as conn:
            assert queue_hall.from_store(conn, H) is None  # refused, not raised
        rig.engine.check_stored()
        assert any(r.startswith("stored hall profile:") for r in rig.engine.status().refused)
        assert rig.engine.run_once().ok  # the platform's good copy replaces it
        assert not rig.engine.status().refused


def test_the_sync_loop_keeps_its_pace_and_its_heartbeats_whatever_the_platform_sends(tmp_path: Path) -> None:
    with platform_rig(tmp_path, sync_interval_s=0.3, heartbeat_s=0.5) as rig:
        calls: dict[str, int] = {}

        def counting(name: str, fn: Any) -> Any:
            def wrapper(*a: Any, **kw: Any) -> Any:
                calls[name] = calls.get(name, 0) + 1
                return fn(*a, **kw)

            return wrapper

        rig.client.hall = counting("hall", rig.client.hall)  # type: ignore[method-assign]
        rig.client.heartbeat = counting("heartbeat", rig.client.heartbeat)  # type: ignore[method-assign]
        rig.serve_hall(HOSTILE_HALLS["version 2**70"])
        rig.serve_items(list(hostile_items().values()))
        rig.engine.start()
        time.sleep(3.0)
        rig.engine.stop()
        assert 1 <= calls.get("hall", 0) <= 12, calls
        assert calls.get("heartbeat", 0) >= 3, calls
        stats = rig.server.platform.stats()
        assert stats.get("last_heartbeat"), stats
        assert "hall profile" in "\n".join(rig.engine.status().refused)
        assert not [t for t in threading.enumerate() if t.name == "sync"]


def test_a_catalog_item_damaged_on_disk_reads_back_usable(tmp_path: Path) -> None:
    with platform_rig(tmp_path) as rig:
        assert rig.engine.run_once().ok
        code = seed.items()[0]["code"]
        rig.store.write(
            lambda c: c.execute(
                "UPDATE catalog_items SET materials = ?, steps = ?, faq = ? WHERE code = ?",
                ("[" * 5000, '{"a": 1}', "not json", code),
            )
        )
        with rig.store.read() as conn:
            item = catalog.get(conn, code)
        assert item is not None and item["materials"] == [] and item["steps"] == [] and item["faq"] == []
