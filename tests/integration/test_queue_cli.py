"""``kiosk queue simulate --policy`` compares the calling policies on the same day; ``kiosk
queue stats`` says a missing figure in words, never "None"."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.cli.queue_cmd import stats_text
from kiosk.queue import stats
from kiosk.queue.engine import QueueEngine
from kiosk.queue.hall import demo_profile
from kiosk.queue.model import QueuePolicy

pytestmark = [pytest.mark.timeout(120)]

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_simulate_compares_both_policies_on_the_same_day(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["queue", "simulate", "--tickets", "400", "--counters", "5", "--seed", "3"]
    assert main([*args, "--policy", "both", "--json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert set(both) == {"weighted", "service_level"}
    old, new = both["weighted"], both["service_level"]
    assert old["issued"] == new["issued"] == 400  # the same arrivals
    for out in (old, new):
        appt = out["lanes"]["appointment"]
        keys = {"p50_wait_min", "p90_wait_min", "p95_wait_min", "max_wait_min", "within_target_pct"}
        assert keys <= set(appt)
        assert appt["target_min"] == 10 and out["lanes"]["normal"]["target_min"] is None
        assert out["estimate_error"]["compared"] > 300 and out["refused_day_full"] == 0
    assert new["appointment_called_within_10min_pct"] > old["appointment_called_within_10min_pct"]
    assert main([*args, "--policy", "both"]) == 0
    table = capsys.readouterr().out
    assert "weighted" in table and "service_level" in table and "appointment: p95/max" in table
    assert main([*args, "--day-full", "--json"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert full["calling"] == "service_level" and full["refused_day_full"] > 0
    assert full["issued"] + full["refused_day_full"] == 400


def test_stats_never_print_none(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queue", "stats", "--demo"]) == 0  # an empty day
    out = capsys.readouterr().out
    assert "None" not in out and "no appointment checked in" in out
    e = QueueEngine(demo_profile(), QueuePolicy(enforce_hours=False))
    e.issue(T0, "A", printing=False)
    e.call_next(1, T0 + timedelta(minutes=3))
    lines = stats_text("2026-11-23", stats.compute(e.tickets.values(), policy=e.policy))
    assert not any("None" in line for line in lines)
    assert any("normal" in line and "no target" in line for line in lines)


def test_live_stats_report_the_estimate_error_per_category(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each ticket keeps the wait it was told (store m0007); ``queue stats`` and its CSV compare
    it with the real wait, for the day and per category."""
    from kiosk.queue.errors import QueueRefused
    from kiosk.queue.service import QueueService
    from offline_cache.store import Store

    assert main(["queue", "stats", "--demo"]) == 0  # creates and migrates the terminal's store
    capsys.readouterr()
    store = Store.open(data_dir / "kiosk.db")
    clock = [T0]
    policy = QueuePolicy(enforce_hours=False)
    svc = QueueService(store, demo_profile(), policy, terminal_id="T-DEMO-001", clock=lambda: clock[0])
    svc.start()
    told: dict[str, int | None] = {}
    for i in range(12):
        t = svc.issue_unprinted("A" if i % 3 else "B")
        told[t.ticket_id] = svc.estimate_for(t.ticket_id).minutes
    for _ in range(6):
        clock[0] += timedelta(minutes=7)
        for counter in (1, 2, 3, 4):
            try:
                svc.call_next(counter)
            except QueueRefused:  # a window with nobody left for it
                pass
    with store.read() as conn:
        sql = "SELECT ticket_id, told_wait_min FROM q_tickets WHERE first_called_at IS NOT NULL"
        rows = conn.execute(sql)
        called = dict(rows.fetchall())
    assert called and all(called[k] == told[k] for k in called) and any(called.values())
    store.close()
    assert main(["queue", "stats", "--demo", "--day", "2026-11-23", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    err = figures["estimate_error"]
    assert err["compared"] == figures["issued"] - figures["waiting"] > 0
    a = figures["categories"]["A"]
    assert a["estimate_compared"] > 0 and a["estimate_p90_abs_min"] >= a["estimate_median_abs_min"] >= 0
    assert main(["queue", "stats", "--demo", "--day", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert f"estimates: median error {err['median_abs_min']} min, p90 {err['p90_abs_min']} min" in out
    assert "    A: median error" in out and "None" not in out
    assert main(["queue", "stats", "--demo", "--day", "2026-11-23", "--csv", "-"]) == 0
    csv_rows = capsys.readouterr().out.splitlines()
    head = csv_rows[0].split(",")
    cat_a = next(r.split(",") for r in csv_rows if r.startswith("category,A,"))
    assert cat_a[head.index("estimate_median_abs_min")] == str(a["estimate_median_abs_min"])
    assert cat_a[head.index("estimate_p90_abs_min")] == str(a["estimate_p90_abs_min"])
