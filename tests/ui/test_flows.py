"""End-to-end UI flows with emulated devices: the card on the emulated reader drives the QML
screens, the emulated printer receives what the screen promised; idle wipe; technician PIN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.rig import CHEN_ZHIQIANG, LI_MINGHUA, item, kiosk_rig, visible_texts
from ui.presenters.take_number import TakeNumberPresenter

pytestmark = pytest.mark.slow


def test_card_then_take_number_prints_that_number_then_idle_wipes(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) == 5)
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.ui.screen == "take_number")
        assert ctx.identify.get("holder") == "李*华"
        assert ctx.identify.get("idMasked") == "110105**********14"
        assert ctx.take_number.get("holder") == "李*华"
        ctx.take_number.choose("B")
        rig.wait(qtbot, lambda: ctx.take_number.get("step") == "confirm")
        item(rig, "takeConfirmButton")  # the confirmation card is on screen
        ctx.take_number.confirm()
        rig.wait(qtbot, lambda: ctx.ui.screen == "ticket_printed")
        number = ctx.ticket.number
        assert number.startswith("B") and len(number) == 4
        assert item(rig, "ticketNumber").property("text") == number
        printed = rig.printer.wait_for_tickets(1)[0]
        assert number in printed.text
        assert "李*华" in printed.text and "李明华" not in printed.text
        assert "110105198503072014" not in printed.text
        # the screen shows the printer's own rendering of that ticket
        preview = ctx.ticket.get("ticket")["previewPng"]
        assert preview and Path(preview).is_file()
        image = item(rig, "ticketPreviewImage")
        rig.wait(qtbot, lambda: image.property("visible") and image.property("implicitHeight") > 300)
        # the queue knows it: one waiting in B, shown on the home screen's waiting chips
        rig.wait(qtbot, lambda: any(r["code"] == "B" and r["waiting"] == 1 for r in ctx.home.waiting))

        # idle: the countdown appears, then everything personal is gone and we are home
        assert ctx.vm_holding_personal_data() != []
        for _ in range(ctx.idle.limit() - 5):
            ctx.idle.tick()
        assert ctx.idle.warning
        qtbot.waitUntil(lambda: item(rig, "idleOverlay").property("visible"))
        for _ in range(10):
            ctx.idle.tick()
        assert ctx.ui.screen == "home"
        assert ctx.vm_holding_personal_data() == []
        assert ctx.identify.identity is None


def test_case_progress_offline_explains_what_to_do(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:  # no platform configured: offline mode
        ctx = rig.ctx
        ctx.ui.go("case_progress")
        rig.reader.place(CHEN_ZHIQIANG)
        rig.wait(qtbot, lambda: ctx.case_progress.get("step") == "offline")
        assert ctx.ui.screen == "case_progress"
        assert item(rig, "caseOffline").property("visible")


def test_check_in_and_case_progress_online(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        sync = rig.app.services.sync
        sync.run_once()  # pull the hall, the catalog and today's bookings now
        rig.wait(qtbot, lambda: ctx.ui.online, timeout=15)

        ctx.ui.go("appointment")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.appointment.get("step") in ("done", "refused"), timeout=15)
        assert ctx.appointment.get("step") == "done", ctx.appointment.get("refusal")
        number = ctx.appointment.get("ticket")["number"]
        assert number.startswith("B")
        printed = rig.printer.wait_for_tickets(1)[0]
        assert number in printed.text
        rig.remove_card(qtbot)

        # a second check-in is refused in one sentence, with the ticket already issued
        ctx.go_home()
        ctx.ui.go("appointment")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.appointment.get("step") == "refused", timeout=15)
        assert ctx.appointment.get("refusal") == "already"
        assert ctx.appointment.get("refusalDetail") == number
        rig.remove_card(qtbot)

        ctx.go_home()
        ctx.ui.go("case_progress")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.case_progress.get("step") in ("found", "offline", "error"), timeout=15)
        assert ctx.case_progress.get("step") == "found"
        case = ctx.case_progress.get("case")
        assert case["status"] == "in_progress" and case["timeline"]
        assert item(rig, "caseTimeline").property("visible")


def test_evaluation_is_recorded(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        ctx.ui.go("evaluation")
        ctx.evaluation.setLevel(2)
        assert ctx.evaluation.get("options")[0] == "slow"
        ctx.evaluation.toggleTag("slow")
        ctx.evaluation.submit()
        rig.wait(qtbot, lambda: ctx.evaluation.get("step") == "thanks")
        with rig.app.services.store.read() as conn:
            rows = conn.execute("SELECT level, channel FROM q_evaluations").fetchall()
        assert [tuple(r) for r in rows] == [(2, "kiosk")]
        assert item(rig, "evalThanks").property("visible")


def test_counter_calls_next_and_hall_display_follows(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        queue = rig.app.services.queue
        t = queue.issue_unprinted("B", holder_id_hash="ab" * 32, holder_masked="李*华")
        ctx.counter.update(counter=3)
        ctx.ui.go("counter")
        rig.wait(qtbot, lambda: ctx.counter.get("waitingCount") == 1)
        rig.counter_act(qtbot, "next")
        rig.wait(qtbot, lambda: ctx.counter.get("current").get("number") == t.number)
        assert ctx.counter.get("current")["holder"] == "李*华"  # the clerk sees whose number it is, masked
        rig.wait(qtbot, lambda: ctx.hall.get("current").get("number") == t.number)
        assert ctx.hall.get("current")["counter"] == 3
        rig.counter_act(qtbot, "finish")
        rig.wait(qtbot, lambda: ctx.counter.get("current") == {} and ctx.counter.get("servedToday") == 1)

        # the manager's statistics follow, and export as CSV
        ctx.ui.go("statistics")
        rig.wait(
            qtbot,
            lambda: any(c["code"] == "B" and c["served"] == 1 for c in ctx.statistics.get("categories")),
        )
        ctx.statistics.exportCsv()
        rig.wait(qtbot, lambda: ctx.statistics.get("exportPath") != "")
        text = Path(ctx.statistics.get("exportPath")).read_text(encoding="utf-8-sig")
        assert text.splitlines()[0].startswith("scope,key") and "category,B" in text


def test_technician_admin_card_device_test_and_bundle(tmp_path: Path, qtbot: Any) -> None:
    import zipfile

    from devices.base import DeviceEvent

    with kiosk_rig(tmp_path, extra='[ui]\nadmin_card_uids = ["04A1B2C3"]\n') as rig:
        ctx = rig.ctx
        # what the PC/SC reader reports for a card it has no profile for: its UID
        rig.app.bus.publish(DeviceEvent("sscard", "card_detected", {"uid": "04A1B2C3", "atr": "3B00"}))
        rig.wait(qtbot, lambda: ctx.ui.screen == "technician" and ctx.technician.get("unlocked"))
        rig.wait(qtbot, lambda: {d["name"] for d in ctx.technician.get("devices")} >= {"idreader", "printer"})
        assert item(rig, "techExit").property("visible")

        ctx.technician.setPage("tests")
        ctx.technician.runTest("printer", "ticket_printer")
        rig.wait(qtbot, lambda: (ctx.technician.get("testResults").get("printer") or {}).get("ok") is True)
        assert "T000" in rig.printer.wait_for_tickets(1)[0].text
        # an input device is tested by using it: the card laid now passes, shown masked
        ctx.technician.runTest("idreader", "id_card_reader")
        rig.wait(qtbot, lambda: ctx.technician.get("messageKey") == "tech.msg.use_device")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: (ctx.technician.get("testResults").get("idreader") or {}).get("ok") is True)
        assert "李*华" in ctx.technician.get("testResults")["idreader"]["text"]
        assert ctx.ui.screen == "technician"  # a card in technician mode is a test, not a citizen

        ctx.technician.setPage("config")
        rig.wait(qtbot, lambda: ctx.technician.get("configText") != "")
        assert ctx.technician.get("configErrors") == []

        ctx.technician.setPage("sync")
        rig.wait(qtbot, lambda: ctx.technician.get("sync").get("outbox", -1) >= 0)

        ctx.technician.exportBundle()
        rig.wait(qtbot, lambda: ctx.technician.get("bundlePath") != "")
        with zipfile.ZipFile(ctx.technician.get("bundlePath")) as z:
            names = z.namelist()
            blob = b"".join(z.read(n) for n in names)
        assert "manifest.json" in names or "health.json" in names
        assert b"110105198503072014" not in blob

        ctx.technician.leave()
        assert ctx.ui.screen == "home" and not ctx.technician.get("unlocked")


def test_a_config_reload_restarts_only_on_the_start_screen(tmp_path: Path, qtbot: Any) -> None:
    from kiosk.remote_commands import RestartRequested

    with kiosk_rig(tmp_path) as rig:
        restarts: list[str] = []
        rig.bridge.restart = lambda: restarts.append(rig.ctx.ui.screen)
        rig.ctx.ui.go("item_search")  # a citizen is looking something up
        rig.app.bus.publish(RestartRequested("reload_config"))
        rig.wait(qtbot, lambda: "RestartRequested" in rig.events)
        qtbot.wait(200)  # the bridge's queued signal has run by now
        assert restarts == [], "never restart under a citizen"
        rig.ctx.ui.go(rig.ctx.ui.home_screen())
        rig.wait(qtbot, lambda: restarts == ["home"])


def test_a_broken_local_database_gets_a_plain_message_not_a_crash(tmp_path: Path, qtbot: Any) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kiosk.db").write_bytes(b"this is not a database" * 100)
    with kiosk_rig(tmp_path) as rig:
        assert rig.app.services.usecases is None
        rig.ctx.ui.go("take_number")
        rig.bridge.presenter(TakeNumberPresenter).take("A")
        rig.wait(qtbot, lambda: rig.ctx.ui.screen == "error_printer")
        assert rig.ctx.error.get("kind") == "unavailable"
        assert rig.ctx.error.get("reference") == "store:corrupt"


def test_a_platform_person_code_identifies_like_a_card(tmp_path: Path, qtbot: Any) -> None:
    """The scanner's code_scanned event on the home screen: a signed person code takes the
    citizen to a real-name number (no name to show or print); anything else is 'not recognised'."""
    from types import SimpleNamespace

    import requests

    from devices.base import DeviceEvent

    def scan(rig: Any, text: str) -> None:
        rig.app.bus.publish(DeviceEvent("scanner", "code_scanned", {"code": SimpleNamespace(text=text)}))

    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        rig.app.services.sync.run_once()  # the platform's signing keys
        sub = "ab" * 32
        answer = requests.post(
            f"{rig.platform_url}/admin/codes", json={"typ": "person", "sub": sub}, timeout=10
        )
        code = answer.json()["code"]

        scan(rig, "HK1.bm90.anVuaw")
        rig.wait(qtbot, lambda: ctx.ui.screen == "identify" and ctx.identify.get("status") == "error")
        assert ctx.identify.get("errorKey") == "identify.error.bad_code"

        ctx.go_home()
        scan(rig, code)
        rig.wait(qtbot, lambda: ctx.ui.screen == "take_number")
        assert ctx.identify.get("method") == "qr" and ctx.identify.get("holder") == ""
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) == 5)
        ctx.take_number.choose("A")
        rig.wait(qtbot, lambda: ctx.take_number.get("step") == "confirm")
        ctx.take_number.confirm()
        rig.wait(qtbot, lambda: ctx.ui.screen == "ticket_printed")
        printed = rig.printer.wait_for_tickets(1)[0]
        assert ctx.ticket.number in printed.text
        with rig.app.services.store.read() as conn:
            row = conn.execute("SELECT holder_id_hash FROM q_tickets").fetchone()
        assert row[0] == sub, "a real-name ticket under the code's signed holder hash"


def test_a_booking_qr_code_on_the_appointment_screen_checks_in(tmp_path: Path, qtbot: Any) -> None:
    """The same check-in as by card, from the booking's signed code; a junk code is refused."""
    from datetime import datetime
    from types import SimpleNamespace

    import requests

    from devices.base import DeviceEvent
    from kiosk.devtools.refplatform import seed

    def scan(rig: Any, text: str) -> None:
        rig.app.bus.publish(DeviceEvent("scanner", "code_scanned", {"code": SimpleNamespace(text=text)}))

    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        rig.app.services.sync.run_once()  # today's bookings and the signing keys
        [booking] = [
            b for b in seed.appointments_for(datetime.now(seed.TZ).date()) if b["id"].endswith("0001")
        ]
        body = {"typ": "appt", "sub": booking["holder_id_hash"], "appt": booking["id"]}
        code = requests.post(f"{rig.platform_url}/admin/codes", json=body, timeout=10).json()["code"]

        ctx.ui.go("appointment")
        scan(rig, "HK1.bm90.anVuaw")
        rig.wait(qtbot, lambda: ctx.appointment.get("step") == "refused")
        assert ctx.appointment.get("refusal") == "invalid_code"

        scan(rig, code)
        rig.wait(qtbot, lambda: ctx.appointment.get("step") == "done", timeout=15)
        number = ctx.appointment.get("ticket")["number"]
        assert number.startswith("B") and number in rig.printer.wait_for_tickets(1)[0].text


def test_the_sync_page_lists_pending_and_quarantined_events(tmp_path: Path, qtbot: Any) -> None:
    """Offline with events waiting: exactly when the technician opens the sync page."""
    from offline_cache import outbox, quarantine

    with kiosk_rig(tmp_path, extra='[ui]\nadmin_card_uids = ["04A1B2C3"]\n') as rig:
        ctx = rig.ctx

        def fill(conn: Any) -> None:
            for code in ("paper_out", "cover_open"):
                fault = {"device": "printer", "kind": "ticket_printer", "code": code, "detail": ""}
                outbox.enqueue(conn, "device.fault", fault, terminal_id="T-DEMO-001", hall_id="H")
            quarantine.add(conn, "ev-bad", "event", "ticket.issued", {"n": 3}, "rejected: schema")

        rig.app.services.store.write(fill)
        # an application waiting for the platform, and one it refused (kept sealed)
        spool = rig.app.services.selfservice.spool  # type: ignore[union-attr]
        application = {"application_id": "", "item_code": "X", "form_version": 1, "data": {}}
        for aid in ("0e3b4c5d-0000-4000-8000-000000000001", "0e3b4c5d-0000-4000-8000-000000000002"):
            spool.accept({**application, "application_id": aid}, [])
        spool.reject("0e3b4c5d-0000-4000-8000-000000000002", "HTTP 409 form_outdated form_version")
        ctx.technician.update(unlocked=True)
        ctx.ui.go("technician")
        ctx.technician.setPage("sync")
        rig.wait(qtbot, lambda: len(ctx.technician.get("outbox")) == 2)
        assert [e["type"] for e in ctx.technician.get("outbox")] == ["device.fault", "device.fault"]
        assert all(e["tries"] == 0 and e["at"] for e in ctx.technician.get("outbox"))
        assert ctx.technician.get("quarantine") == [
            {"id": "ev-bad", "type": "ticket.issued", "reason": "rejected: schema"}
        ]
        assert ctx.technician.get("sync")["outbox"] == 2 and ctx.technician.get("sync")["quarantine"] == 1
        assert ctx.technician.get("sync")["applications"] == 1 and ctx.technician.get("sync")["rejected"] == 1
        [refused] = ctx.technician.get("rejectedApplications")
        assert refused["id"].endswith("0002") and refused["reason"] == "HTTP 409 form_outdated form_version"
        line = item(rig, "techApplications")
        assert line.property("visible") and "1" in line.property("text")


def test_a_refused_ticket_in_english_shows_one_english_sentence(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path, extra="real_name_limit = 1\n") as rig:
        ctx = rig.ctx
        ctx.tr.setLang("en")
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) == 5)
        for attempt in range(2):
            rig.reader.place(LI_MINGHUA)
            rig.wait(qtbot, lambda: ctx.ui.screen == "take_number" and ctx.take_number.get("holder") != "")
            ctx.take_number.choose("B")
            rig.wait(qtbot, lambda: ctx.take_number.get("step") == "confirm")
            ctx.take_number.confirm()
            if attempt == 0:
                rig.wait(qtbot, lambda: ctx.ui.screen == "ticket_printed")
                rig.remove_card(qtbot)
                ctx.go_home()
        rig.wait(qtbot, lambda: ctx.take_number.get("step") == "refused")
        shown = item(rig, "takeRefusal").property("text")
        assert shown == "One ID may take at most 1 numbers per service a day; you have reached it."
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in shown), "no Chinese in English mode"


def test_paper_out_is_one_code_from_the_printer_to_the_screen(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        rig.wait(qtbot, lambda: len(ctx.take_number.get("categories")) == 5)
        rig.printer.set_paper("out")
        ctx.ui.go("take_number")
        ctx.take_number.choose("A")
        rig.wait(qtbot, lambda: ctx.take_number.get("step") == "confirm")
        ctx.take_number.confirm()
        rig.wait(qtbot, lambda: ctx.ui.screen == "error_printer")
        assert ctx.error.get("kind") == "paper_out" and ctx.error.get("reference") == "paper_out"
        assert item(rig, "screenLoader") is not None
        with rig.app.services.store.read() as conn:
            assert conn.execute("SELECT COUNT(*) FROM q_tickets").fetchone()[0] == 0, "no number consumed"


def test_a_refused_counter_action_shows_the_cores_sentence(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        ctx.tr.setLang("en")
        ctx.counter.update(counter=3)
        ctx.ui.go("counter")
        rig.counter_act(qtbot, "next")
        rig.wait(qtbot, lambda: not ctx.counter.get("busy") and ctx.counter.get("messageText") != "")
        assert item(rig, "counterMessage").property("text") == "Nobody is waiting."


def test_a_refused_check_in_shows_the_cores_sentence_in_the_screens_language(
    tmp_path: Path, qtbot: Any
) -> None:
    """The appointment screen says the core's one sentence (kiosk.usecases.messages), in English
    in English mode and again in Chinese when the citizen switches; no title of its own."""
    from types import SimpleNamespace

    from devices.base import DeviceEvent
    from kiosk.usecases.messages import text

    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        ctx.tr.setLang("en")
        ctx.ui.go("appointment")
        junk = SimpleNamespace(text="HK1.bm90.anVuaw")
        rig.app.bus.publish(DeviceEvent("scanner", "code_scanned", {"code": junk}))
        rig.wait(qtbot, lambda: ctx.appointment.get("step") == "refused")
        assert ctx.appointment.get("refusal") == "invalid_code"
        english = text("qr_not_recognised", "en")
        assert item(rig, "apptRefusalText").property("text") == "✕  " + english
        assert item(rig, "appointmentScreen").property("voice") == english
        ctx.tr.setLang("zh")
        chinese = "✕  " + text("qr_not_recognised", "zh")
        rig.wait(qtbot, lambda: item(rig, "apptRefusalText").property("text") == chinese)

        # no card laid and none scanned: the core's "no appointment" sentence, not the screen's
        ctx.appointment.retry()
        ctx.tr.setLang("en")
        ctx.appointment.matching()
        rig.wait(qtbot, lambda: ctx.appointment.get("step") == "refused")
        assert ctx.appointment.get("refusal") == "no_booking"
        assert item(rig, "apptRefusalText").property("text") == "✕  " + text("no_appointment", "en")


def _result_texts(rig: Any) -> list[str]:
    return visible_texts(item(rig, "searchResults"))


def test_english_mode_shows_english_item_and_case_names_or_says_there_is_none(
    tmp_path: Path, qtbot: Any
) -> None:
    """From the platform's ``name_en`` through sync, the catalog and the presenters to the QML:
    an item with an English name reads in English; one without is its Chinese name marked
    "(Chinese only)"; the case found by card names its item in English."""
    from kiosk.devtools.refplatform import seed

    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        rig.app.services.sync.run_once()
        rig.wait(qtbot, lambda: ctx.ui.online, timeout=15)
        ctx.tr.setLang("en")
        ctx.ui.go("item_search")
        named = "Transfer of home ownership (resale)"
        ctx.search.setQuery("二手房买卖")
        rig.wait(qtbot, lambda: any(named in t for t in _result_texts(rig)), timeout=10)
        unnamed = "不动产更正登记"
        assert unnamed not in seed.NAME_EN
        ctx.search.setQuery(unnamed)
        rig.wait(qtbot, lambda: f"{unnamed} (Chinese only)" in _result_texts(rig), timeout=10)

        ctx.search.open(seed.item_code("二手房买卖"))
        rig.wait(qtbot, lambda: ctx.ui.screen == "service_guide")
        rig.wait(qtbot, lambda: item(rig, "guideName").property("text") == named)
        ctx.search.open(seed.item_code(unnamed))
        rig.wait(qtbot, lambda: item(rig, "guideName").property("text") == f"{unnamed} (Chinese only)")

        ctx.go_home()
        ctx.tr.setLang("en")
        ctx.ui.go("case_progress")
        rig.reader.place(CHEN_ZHIQIANG)  # no booking today, so the card goes straight to his case
        rig.wait(qtbot, lambda: ctx.case_progress.get("step") in ("found", "offline", "error"), timeout=15)
        assert ctx.case_progress.get("step") == "found"
        case_en = "Individual business registration"
        rig.wait(qtbot, lambda: item(rig, "caseItem").property("text") == case_en)
