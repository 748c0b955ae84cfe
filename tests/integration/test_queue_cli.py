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
