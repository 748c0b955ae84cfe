"""The screens as people use them (issue 14): a card holder with a booking is greeted and
offered check-in; success screens go home by themselves; no tap that does nothing. Real QML,
emulated card reader and printer, taps sent to the window where the button is drawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.rig import LI_MINGHUA, item, kiosk_rig
from ui.find import find_item
from ui.qt import Qt

pytestmark = pytest.mark.slow


def tap(rig: Any, qtbot: Any, name: str) -> None:
    """A finger on the middle of the item, as drawn now (it must be visible and on screen)."""
    from PySide6.QtTest import QTest

    window = rig.ctx.engine.rootObjects()[0]
    target = item(rig, name)
    qtbot.waitUntil(lambda: target.isVisible(), timeout=2000)
    centre = None
    for _ in range(10):  # layouts settled: the button is where a person would see it
        window.grabWindow()
        qtbot.wait(10)
        now = target.mapToScene(target.boundingRect().center())
        if now == centre:
            break
        centre = now
    assert centre is not None
    assert 0 <= centre.x() < window.width() and 0 <= centre.y() < window.height(), f"{name} is off screen"
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre.toPoint())
    qtbot.wait(50)


def test_card_holder_with_a_booking_is_greeted_and_checks_in(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        rig.app.services.sync.run_once()  # today's bookings: 李明华 has one in category B
        rig.wait(qtbot, lambda: ctx.ui.online, timeout=15)
        assert ctx.ui.screen == "home"
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.identify.get("status") == "booking", timeout=15)
        assert ctx.ui.screen == "identify"
        greeting = item(rig, "bookingGreeting").property("text")
        assert "李*华" in greeting and "李明华" not in greeting
        assert item(rig, "bookingOffer").isVisible()
        tap(rig, qtbot, "bookingCheckIn")
        rig.wait(qtbot, lambda: ctx.appointment.get("step") in ("done", "refused"), timeout=15)
        assert ctx.appointment.get("step") == "done", ctx.appointment.get("refusal")
        ticket = ctx.appointment.get("ticket")
        assert ticket["number"].startswith("B")
        # the booking's ticket: with its priority, or (past the slot's grace) with the late note
        assert ticket["priority"] == "appointment" or ticket.get("lateNote"), ticket
        assert ctx.appointment.get("booking")["holder"] == "李*华"
        assert item(rig, "apptTicket").property("text") == ticket["number"]
        assert ticket["number"] in rig.printer.wait_for_tickets(1)[0].text


def test_card_holder_may_decline_the_check_in(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        rig.app.services.sync.run_once()
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) > 0, timeout=15)
        ctx.ui.go("take_number")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.identify.get("status") == "booking", timeout=15)
        tap(rig, qtbot, "bookingDecline")
        rig.wait(qtbot, lambda: ctx.ui.screen == "take_number")
        assert ctx.take_number.get("holder") == "李*华"


def _back_home_within_countdown(rig: Any, qtbot: Any, limit: int = 20) -> None:
    """The finished screen says it is going home, and goes within ``limit`` seconds, leaving
    nothing of this citizen on any view-model."""
    ctx = rig.ctx
    assert ctx.home_countdown.active
    label = item(rig, "homeCountdown")
    qtbot.waitUntil(lambda: label.isVisible())
    assert str(ctx.home_countdown.remaining) in label.property("text")
    for _ in range(limit):
        if ctx.ui.screen == "home":
            break
        ctx.home_countdown.tick()
    assert ctx.ui.screen == "home"
    assert ctx.vm_holding_personal_data() == []
    assert ctx.ticket.number == ""


def test_success_screens_go_home_by_themselves(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        rig.app.services.sync.run_once()
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) > 0, timeout=15)
        # the ticket
        ctx.ui.go("take_number")
        ctx.take_number.choose("A")
        rig.wait(qtbot, lambda: ctx.take_number.get("step") == "confirm")
        tap(rig, qtbot, "takeConfirmButton")
        rig.wait(qtbot, lambda: ctx.ui.screen == "ticket_printed", timeout=15)
        _back_home_within_countdown(rig, qtbot)
        # the check-in (elderly mode: the longer countdown, still within 20 s)
        ctx.ui.set_elderly(True)
        ctx.ui.go("appointment")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.appointment.get("step") == "done", timeout=15)
        assert ctx.home_countdown.remaining == 20
        _back_home_within_countdown(rig, qtbot)
        rig.remove_card(qtbot)
        # the thank-you after a rating
        ctx.ui.set_elderly(False)
        ctx.ui.go("evaluation")
        ctx.evaluation.setLevel(4)
        tap(rig, qtbot, "evalSubmit")
        rig.wait(qtbot, lambda: ctx.evaluation.get("step") == "thanks", timeout=15)
        _back_home_within_countdown(rig, qtbot)


def test_formerly_dead_taps_answer(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        rig.app.services.sync.run_once()  # the hall's catalog, for the guide
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) > 0, timeout=15)

        # 办事指南 from home is a search, not an empty guide
        tap(rig, qtbot, "home_service_guide")
        assert ctx.ui.screen == "item_search"

        # a way to identify, tapped: marked, and its how-to shown (社保卡 only with a reader)
        ctx.identify.start("take_number")
        ctx.ui.go("identify")
        qtbot.wait(50)
        assert find_item(rig.ctx.engine.rootObjects()[0], "option_ss_card") is None  # no PC/SC reader here
        tap(rig, qtbot, "option_qr")
        assert ctx.identify.get("method") == "qr"
        status = item(rig, "identifyStatus")
        qtbot.waitUntil(lambda: status.isVisible())
        tap(rig, qtbot, "option_id_card")
        assert ctx.identify.get("method") == "id_card"

        # a code that is no booking: not only 首页 — try again
        ctx.go_home()
        ctx.ui.go("appointment")
        from ui.presenters.appointment import AppointmentPresenter

        rig.bridge.presenter(AppointmentPresenter).on_code("not-a-booking-code")
        rig.wait(qtbot, lambda: ctx.appointment.get("step") == "refused")
        assert ctx.appointment.get("refusal") == "invalid_code"
        tap(rig, qtbot, "apptRetry")
        assert ctx.appointment.get("step") == "identify"

        # the guide: found by search, its checklist ticks, 取号 and back to the results
        ctx.go_home()
        ctx.ui.go("item_search")
        ctx.search.setQuery("不动产")
        ctx.search.flush()
        rig.wait(qtbot, lambda: len(ctx.search.get("results")) > 0, timeout=10)
        first = ctx.search.get("results")[0]
        ctx.search.open(first["code"])
        rig.wait(
            qtbot,
            lambda: ctx.ui.screen == "service_guide" and ctx.guide.get("item").get("code") == first["code"],
        )
        rig.wait(qtbot, lambda: find_item(rig.ctx.engine.rootObjects()[0], "material_0") is not None)
        box = item(rig, "materialBox_0")
        assert box.property("text") == "☐"
        tap(rig, qtbot, "material_0")
        assert box.property("text") == "☑"
        tap(rig, qtbot, "guideBack")
        assert ctx.ui.screen == "item_search" and ctx.search.get("results")
        ctx.search.open(first["code"])
        rig.wait(qtbot, lambda: ctx.ui.screen == "service_guide")
        tap(rig, qtbot, "guideTake")
        rig.wait(qtbot, lambda: ctx.ui.screen == "take_number" and ctx.take_number.get("step") == "confirm")
        assert ctx.take_number.get("selected") == first["category"]


def test_one_time_zone_the_halls(tmp_path: Path, qtbot: Any) -> None:
    """The header clock and the printer test slip tell the hall's time, like its tickets."""
    from datetime import datetime, timedelta

    from kiosk.printer_test_ticket import printer_test_ticket

    with kiosk_rig(tmp_path) as rig:
        hall = rig.bridge.kiosk.hall()
        assert hall is not None
        now = datetime.now(hall.tz)
        assert rig.ctx.ui.time in {f"{now:%H:%M}", f"{now - timedelta(minutes=1):%H:%M}"}
        slip = printer_test_ticket("hall", "T-1", tz=hall.tz)
        assert slip.issued_at.utcoffset() == now.utcoffset()
        assert abs((slip.issued_at - now).total_seconds()) < 120


def test_kiosk_rating_is_tied_to_the_citizens_service_and_counted(tmp_path: Path, qtbot: Any) -> None:
    from kiosk.hall_queue import CounterAction
    from kiosk.identity.person import Identity

    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        card = rig.reader  # the emulated reader's card 1 is 李明华
        q = rig.app.services.queue
        hq = rig.bridge.kiosk.queue()
        li = Identity("id_card", "李明华", "110105198503072014")
        t = q.issue_unprinted("B", holder_id_hash=li.hash_with(q.profile.id_hash_salt), holder_masked="李*华")
        assert hq.counter_action(3, CounterAction.NEXT).ok
        assert hq.counter_action(3, CounterAction.FINISH).ok
        tap(rig, qtbot, "home_evaluation")
        assert ctx.ui.screen == "evaluation"
        assert item(rig, "evalWhich").isVisible()
        card.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.evaluation.get("ticketNumber") == t.number)
        assert ctx.evaluation.get("counter") == 3
        tap(rig, qtbot, "level_5")
        tap(rig, qtbot, "evalSubmit")
        rig.wait(qtbot, lambda: ctx.evaluation.get("step") == "thanks")
        with rig.app.services.store.read() as conn:
            rows = [tuple(r) for r in conn.execute("SELECT ticket_id, level, channel FROM q_evaluations")]
        assert rows == [(t.ticket_id, 5, "kiosk")]
        assert rig.bridge.kiosk.statistics().evaluation_levels[4] == 1
        # statistics: reachable from the clerk's screen
        ctx.ui.go("counter")
        tap(rig, qtbot, "counterStatistics")
        assert ctx.ui.screen == "statistics"


def test_a_rating_without_a_ticket_still_counts_in_statistics(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        ctx.ui.go("evaluation")
        ctx.evaluation.setLevel(2)
        tap(rig, qtbot, "evalSubmit")
        rig.wait(qtbot, lambda: ctx.evaluation.get("step") == "thanks")
        assert rig.bridge.kiosk.statistics().evaluation_levels == (0, 1, 0, 0, 0)
