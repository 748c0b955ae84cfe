"""The take-a-number screen says the wait before a long one is printed, and refuses a full day
with the core's sentence (issue 13): the real kiosk, the real QML, the emulated printer."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.usecases.messages import text
from tests.ui.rig import Rig, item, kiosk_rig

pytestmark = pytest.mark.slow


def _tickets(rig: Rig, category: str) -> int:
    with rig.app.services.store.read() as conn:
        row = conn.execute("SELECT COUNT(*) FROM q_tickets WHERE category = ?", (category,)).fetchone()
    return int(row[0])


def _long_queue(rig: Rig, category: str) -> dict[str, object]:
    """Numbers taken (unprinted) until the core asks the next citizen to confirm the wait."""
    svc, uc = rig.app.services.queue, rig.app.services.usecases
    for _ in range(60):
        quote = uc.wait_quote(category)
        if quote.data.get("confirm"):
            return dict(quote.params)
        svc.issue_unprinted(category)
    raise AssertionError("the wait never grew over the threshold")


def _to_long_wait(rig: Rig, qtbot: Any, lang: str = "zh") -> tuple[str, int]:
    ctx = rig.ctx
    ctx.tr.setLang(lang)
    rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) == 5)
    params = _long_queue(rig, "B")
    before = _tickets(rig, "B")
    ctx.ui.go("take_number")
    ctx.take_number.choose("B")
    rig.wait(qtbot, lambda: ctx.take_number.get("step") == "long_wait")
    shown = item(rig, "takeLongWait")
    rig.wait(qtbot, lambda: bool(shown.property("visible")))
    assert shown.property("text") == text("long_wait_confirm", lang, **params)
    assert item(rig, "takeConfirmButton").property("visible")
    assert item(rig, "takeBack").property("visible")
    assert rig.printer.tickets == [] and _tickets(rig, "B") == before, "nothing printed before the answer"
    return str(shown.property("text")), before


def test_a_long_wait_is_said_and_confirming_prints(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, extra="confirm_wait_over_min = 5\n") as rig:
        sentence, before = _to_long_wait(rig, qtbot)
        assert "仍要取号吗" in sentence and "不动产登记" in sentence
        assert item(rig, "takeConfirmButton").property("text") == "仍要取号"
        rig.ctx.take_number.confirm()
        rig.wait(qtbot, lambda: rig.ctx.ui.screen == "ticket_printed")
        assert len(rig.printer.wait_for_tickets(1)) == 1 and _tickets(rig, "B") == before + 1
        number = rig.ctx.ticket.number
        assert number.startswith("B")
        with rig.app.services.store.read() as conn:  # the wait printed is kept as told (stats)
            told = conn.execute("SELECT told_wait_min FROM q_tickets WHERE number = ?", (number,)).fetchone()
        assert told[0] == rig.ctx.ticket.get("ticket")["estMin"] > 5


def test_a_long_wait_cancelled_prints_nothing(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, extra="confirm_wait_over_min = 5\n") as rig:
        sentence, before = _to_long_wait(rig, qtbot, "en")
        assert sentence.startswith("The wait for Real estate registration is about")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in sentence), "no Chinese in English mode"
        assert item(rig, "takeBack").property("text") == "No, thanks"
        rig.ctx.tr.setLang("zh")  # switching language says the same sentence in the other one
        rig.wait(qtbot, lambda: "仍要取号吗" in item(rig, "takeLongWait").property("text"))
        item(rig, "takeBack").clicked.emit()
        rig.wait(qtbot, lambda: rig.ctx.take_number.get("step") == "choose")
        qtbot.wait(500)
        assert rig.ctx.ui.screen == "take_number"
        assert rig.printer.tickets == [] and _tickets(rig, "B") == before


def _before_closing() -> datetime:
    """Two minutes before the demo hall closes (17:00) on today's or the next weekday."""
    tz = ZoneInfo("Asia/Shanghai")
    day = datetime.now(tz)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day.replace(hour=16, minute=58, second=0, microsecond=0)


def test_a_full_day_is_refused_with_the_cores_sentence(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, enforce_hours=True, extra="day_full = true\n") as rig:
        ctx = rig.ctx
        at = _before_closing()
        rig.wait(qtbot, lambda: rig.app.services.queue is not None)
        rig.app.services.queue.clock = lambda: at
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) == 5)
        before = _tickets(rig, "B")
        ctx.ui.go("take_number")
        ctx.take_number.choose("B")
        rig.wait(qtbot, lambda: ctx.take_number.get("step") == "refused")
        shown = item(rig, "takeRefusal")
        rig.wait(qtbot, lambda: bool(shown.property("visible")))
        assert shown.property("text") == text("day_full", "zh", category="不动产登记")
        assert "网上预约" in shown.property("text")
        assert not item(rig, "takeConfirmButton").property("visible"), "no ticket offered"
        ctx.take_number.confirm()  # a stray press does nothing on a refusal
        qtbot.wait(500)
        assert rig.printer.tickets == [] and _tickets(rig, "B") == before
