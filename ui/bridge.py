"""Wires the view-models to the running core.

The core's event bus delivers on its own thread; ``Bridge`` only re-emits each event as a Qt
signal, which Qt queues onto the GUI thread. Everything that may block (store, printer,
platform) runs in ``ctx.tasks`` workers through ``ui.flows``; results come back as callbacks on
the GUI thread. The GUI thread never waits on I/O.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from devices.base import DeviceEvent, DeviceKind
from kiosk.app import App
from kiosk.ops.config_edit import set_values
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import CounterChanged, HallDisplayChanged, QueueChanged, TicketCalled
from kiosk.remote_commands import RestartRequested
from kiosk.settings.load import terminal_file
from ui import flows
from ui.context import UiContext
from ui.flows import Flows, InputTestPending, Offline, PrintFailed, Refused, ServiceUnavailable
from ui.qt import QCoreApplication, QObject, Qt, QTimer, Signal
from ui.viewmodels.identify import CitizenIdentity

log = logging.getLogger(__name__)

REFUSAL_KEYS = {
    "daily_limit_reached": "take.msg.daily_limit",
    "hall_closed": "take.msg.closed",
    "closed": "take.msg.closed",
    "real_name_limit": "take.msg.per_person",
}
PAPER_CODES = frozenset({"paper_out", "paper_empty", "no_paper"})
REFUSAL_KEYS.update({"hall_closed_today": "take.msg.closed"})


INPUT_TEST_MS = 20_000
INPUT_EVENTS = frozenset({"card_read", "card_detected", "code_scanned", "key", "rating"})


class Bridge(QObject):
    _event = Signal(object)

    def __init__(self, app: App, ctx: UiContext) -> None:
        super().__init__()
        self.app = app
        self.ctx = ctx
        self.flows = Flows(app.services, app.settings)
        self._ticket_id: str | None = None
        self._input_tests: set[str] = set()
        self._restart_pending = ""
        # exit(), not quit(): a locked window vetoes quit(); systemd (Restart=always) starts us again
        self.restart: Callable[[], None] = lambda: QCoreApplication.exit(0)
        self._event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = app.bus.subscribe(self._event.emit)
        self._connect()

    def _screen(self) -> str:
        return str(self.ctx.ui.screen)

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """First fill of the screens from the running core (off the GUI thread)."""
        sync = self.app.services.get("sync")
        if sync is not None:
            self.run(
                sync.status, lambda st: self.ctx.ui.set_online(bool(st.online)), self._log_failure("sync")
            )
        q = self.app.services.get("queue")
        if q is not None and q.profile.name:
            # the synced hall profile names the hall; the config's names are only a fallback
            t = self.app.settings.terminal
            self.ctx.ui.set_hall_names(q.profile.name, q.profile.name_en or t.hall_name_en)
        self._refresh_categories()
        self._refresh_hall()
        if str(self.ctx.ui.profile) == "counter":
            self._refresh_counter()

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.ctx.tasks.wait(10_000)

    def run(
        self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[BaseException], None]
    ) -> None:
        self.ctx.tasks.run(fn, done, failed)

    # -- wiring of intents --------------------------------------------------------------------
    def _connect(self) -> None:
        c = self.ctx
        c.ui.screenChanged.connect(self._on_screen)
        c.ui.speakRequested.connect(self._speak)
        c.identify.identified.connect(self._on_identified)
        c.identify.anonymousRequested.connect(lambda purpose: c.ui.go(purpose))
        c.take_number.categoryChosen.connect(self._estimate)
        c.take_number.takeRequested.connect(self._take)
        c.search.searchRequested.connect(self._search)
        c.search.itemOpened.connect(self._open_guide)
        c.search.itemChosenForNumber.connect(self._number_for_item)
        c.guide.openRequested.connect(self._load_item)
        c.guide.printRequested.connect(self._print_checklist)
        c.case_progress.lookupRequested.connect(self._lookup_case)
        c.appointment.checkInRequested.connect(self._check_in)
        c.evaluation.submitRequested.connect(self._evaluate)
        c.counter.actionRequested.connect(self._counter_action)
        c.technician.pageOpened.connect(self._tech_page)
        c.technician.testRequested.connect(self._tech_test)
        c.technician.detectPortsRequested.connect(self._detect_ports)
        c.technician.portTestRequested.connect(self._test_port)
        c.technician.portSaveRequested.connect(self._save_port)
        c.technician.bundleRequested.connect(self._bundle)
        c.statistics.refreshRequested.connect(self._refresh_stats)
        c.statistics.exportRequested.connect(self._export_stats)

    def _restart_when_idle(self) -> None:
        """Restart (to apply a reloaded config) only on the start screen: never under a citizen."""
        if self._restart_pending and self._screen() == self.ctx.ui.home_screen():
            log.info("restarting to apply the new configuration (%s)", self._restart_pending)
            self._restart_pending = ""
            self.restart()

    def _on_screen(self) -> None:
        self._restart_when_idle()
        screen = self._screen()
        if screen == "take_number":
            self._refresh_categories()
        elif screen == "identify" and self.ctx.identify.get("status") == "ok":
            pass
        elif screen == "statistics":
            self._refresh_stats()
        elif screen == "counter":
            self._refresh_counter()
        elif screen == "hall_display":
            self._refresh_hall()

    # -- events from the core (GUI thread) ----------------------------------------------------
    def _on_event(self, ev: Any) -> None:
        try:
            if isinstance(ev, DeviceEvent):
                self._on_device(ev)
            elif isinstance(ev, QueueChanged):
                self._apply_waiting(ev)
            elif isinstance(ev, HallDisplayChanged):
                self._apply_hall(ev.model)
            elif isinstance(ev, CounterChanged):
                if ev.counter == self.ctx.counter.get("counter"):
                    self._refresh_counter()
            elif type(ev).__name__ == "SyncStatus":
                self.ctx.ui.set_online(bool(getattr(ev, "online", False)))
            elif isinstance(ev, TicketCalled):
                pass  # the hall display follows HallDisplayChanged; voice goes through the queue
            elif isinstance(ev, RestartRequested):
                self._restart_pending = ev.reason
                self._restart_when_idle()
        except Exception:
            log.exception("handling %s failed", type(ev).__name__)

    def _on_device(self, ev: DeviceEvent) -> None:
        c = self.ctx
        data = dict(ev.data)
        if ev.device in self._input_tests and ev.type in INPUT_EVENTS:
            self._input_tests.discard(ev.device)
            c.technician.test_result(ev.device, True, f"{ev.type} {_describe(ev.type, data)}")
            return
        if ev.type == "card_read" and data.get("identity") is not None:
            doc = data["identity"]
            source = "id_card" if getattr(doc, "source", "sam") == "sam" else "ss_card"
            self._on_identity(flows.identity_from_document(doc, source))
        elif ev.type in ("card_detected", "card_read") and data.get("uid"):
            # an admin card opens technician mode from any screen
            if c.technician.admin_card(str(data["uid"])) and self._screen() != "technician":
                c.ui.go("technician")
        elif ev.type == "code_scanned" and self._screen() == "appointment":
            text = str(getattr(data.get("code"), "text", "") or "")
            if text:
                self._check_in_by_code(text)
        elif ev.type == "code_scanned" and self._screen() in ("home", "identify", "take_number"):
            text = str(getattr(data.get("code"), "text", "") or "")
            if text:
                self._identify_by_code(text)
        elif ev.type == "card_error" and self._screen() in ("identify", "appointment", "case_progress"):
            c.identify.fail("identify.error.unreadable")
        elif ev.type == "rating":
            if data.get("counter") == c.counter.get("counter"):
                c.counter.set_rating("received", int(data.get("level") or 0))
        elif ev.type in ("paper_out", "cover_open") and self._screen() == "take_number":
            c.error.show("printer_out" if ev.type == "paper_out" else "printer")
            c.ui.go("error_printer")
        refresh = ev.type in ("state_changed", "disconnected", "recovered", "paper_out", "paper_ok")
        if refresh and self._screen() == "technician" and c.technician.get("unlocked"):
            self._tech_page(c.technician.get("page"))

    def _identify_by_code(self, text: str) -> None:
        """A platform person code (``HK1``, verified offline) identifies like a card, without a
        name or ID number: a real-name number or an appointment by the signed holder hash."""
        uc = self.app.services.get("usecases")

        def done(code: Any) -> None:
            purpose = self.ctx.identify.get("purpose") if self._screen() == "identify" else "take_number"
            if code is None or purpose == "case_progress":  # case progress needs the card or a case number
                self.ctx.identify.fail("identify.error.bad_code")
                if self._screen() == "home":
                    self.ctx.ui.go("identify")
                return
            self._on_identity(CitizenIdentity(source="qr", name="", id_number="", raw=code))

        if uc is None:
            done(None)
            return
        self.run(lambda: uc.identify_code(text), done, lambda exc: done(None))

    def _on_identity(self, identity: CitizenIdentity) -> None:
        """An ID card works from any citizen screen: it continues what that screen is for."""
        c = self.ctx
        screen = self._screen()
        if screen in ("technician", "counter", "statistics", "hall_display"):
            return
        purpose = {"appointment": "appointment", "case_progress": "case_progress"}.get(screen)
        if screen in ("home", "identify", "ticket_printed", "error_printer", "evaluation",
                      "service_guide", "item_search"):  # fmt: skip
            purpose = c.identify.get("purpose") if screen == "identify" else "take_number"
        if screen == "take_number":
            c.identify.update(purpose="take_number")
            c.identify.accept(identity)
            c.take_number.set_holder(c.identify.get("holder"))
            sel = c.take_number.get("selected")
            if sel:
                self._estimate(sel)
            return
        c.identify.update(purpose=purpose or "take_number")
        c.identify.accept(identity)  # emits identified(purpose) -> _on_identified

    def _on_identified(self, purpose: str) -> None:
        c = self.ctx
        c.ui.go(purpose)
        if purpose == "take_number":
            c.take_number.set_holder(c.identify.get("holder"))
        elif purpose == "appointment":
            c.appointment.matching()
        elif purpose == "case_progress":
            c.case_progress.lookup_by_card()

    # -- queue views ---------------------------------------------------------------------------
    def _apply_waiting(self, ev: QueueChanged) -> None:
        rows = [{"code": s.code, "name": s.name, "name_en": s.name, "nameEn": s.name, "waiting": s.waiting}
                for s in ev.categories]  # fmt: skip
        self.ctx.home.set_waiting(rows)
        self.ctx.hall.set_waiting(rows)
        cats = [dict(r) for r in self.ctx.take_number.get("categories")]
        est = {s.code: s for s in ev.categories}
        for r in cats:
            s = est.get(r["code"])
            if s is not None:
                r.update(waiting=s.waiting, estMin=int(s.est_wait_min or 0), open=s.est_wait_min is not None)
        if cats:
            self.ctx.take_number.set_categories(cats)

    def _apply_hall(self, model: Any) -> None:
        names = {}
        q = self.app.services.get("queue")
        if q is not None:
            names = {c.code: c.name for c in q.profile.categories}
        hall = self.ctx.hall
        cur = model.current
        hall.update(
            current={} if cur is None else {"number": cur.number, "counter": cur.counter,
                                            "categoryName": names.get(cur.category, cur.category),
                                            "categoryNameEn": names.get(cur.category, cur.category)},
            recent=[{"number": e.number, "counter": e.counter} for e in model.recent[1:]],
            waiting=[{"code": s.code, "name": s.name, "nameEn": s.name, "waiting": s.waiting}
                     for s in model.categories],
            callSerial=hall.get("callSerial") + (1 if cur is not None else 0),
        )  # fmt: skip
        if model.notice:
            hall.set_notice(model.notice)

    def _refresh_categories(self) -> None:
        if self.app.services.get("queue") is None:
            return
        self.run(self.flows.categories, self.ctx.take_number.set_categories, self._log_failure("categories"))

    def _refresh_hall(self) -> None:
        q = self.app.services.get("queue")
        if q is not None:
            self.run(q.display_model, self._apply_hall, self._log_failure("hall display"))

    def _log_failure(self, what: str) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            log.warning("%s failed: %s", what, type(exc).__name__)

        return failed

    # -- take a number -------------------------------------------------------------------------
    def _estimate(self, code: str) -> None:
        identity = self.ctx.identify.identity
        self.run(
            lambda: self.flows.estimate(code, identity),
            lambda r: self.ctx.take_number.set_estimate(code, *r),
            self._log_failure("estimate"),
        )

    def _take(self, code: str) -> None:
        identity = self.ctx.identify.identity

        def done(taken: flows.TakenTicket) -> None:
            self._ticket_id = taken.ticket_id
            self.ctx.ticket.show(taken.view)
            self.ctx.ticket.set_print_status("printed")
            self.ctx.take_number.back()
            self.ctx.ui.go("ticket_printed")

        self.run(lambda: self.flows.take_number(code, identity), done, self._take_failed)

    def _unavailable_reason(self, exc: ServiceUnavailable) -> str:
        """For staff: why the queue is not running here (the local database's reason first)."""
        store_error = self.app.services.get("store_error")
        if store_error is not None:
            log.error("queue unavailable: local database: %s", store_error)
            return f"store:{getattr(store_error, 'reason', type(store_error).__name__)}"
        status = self.app.services.get("queue_status")
        return f"{exc.args[0] if exc.args else 'service'}:{status or 'not_running'}"

    def _take_failed(self, exc: BaseException) -> None:
        c = self.ctx
        if isinstance(exc, QueueRefused):
            c.take_number.refuse(REFUSAL_KEYS.get(exc.code, "take.msg.failed"))
            return
        if isinstance(exc, Refused):
            c.take_number.refuse(REFUSAL_KEYS.get(exc.code, "take.msg.failed"), exc.text)
            return
        if isinstance(exc, PrintFailed):
            c.error.show("printer_out" if exc.code in PAPER_CODES else "printer", reference=exc.code)
        elif isinstance(exc, ServiceUnavailable):
            c.error.show("unavailable", reference=self._unavailable_reason(exc))
        else:
            log.error("taking a number failed: %s", type(exc).__name__, exc_info=exc)
            c.error.show("general", reference=type(exc).__name__)
        c.take_number.back()
        c.ui.go("error_printer")

    # -- catalog -------------------------------------------------------------------------------
    def _search(self, text: str) -> None:
        self.run(
            lambda: self.flows.search(text),
            lambda rows: self.ctx.search.set_results(text, rows),
            lambda exc: self.ctx.search.fail("search.error.failed"),
        )

    def _open_guide(self, code: str) -> None:
        self.ctx.guide.openItem(code)
        self.ctx.ui.go("service_guide")

    def _load_item(self, code: str) -> None:
        self.run(lambda: self.flows.item(code), self.ctx.guide.show, self._log_failure("guide"))

    def _print_checklist(self, code: str) -> None:
        self.run(
            lambda: self.flows.print_checklist(code),
            lambda _r: self.ctx.guide.set_print_status("printed"),
            lambda _e: self.ctx.guide.set_print_status("failed"),
        )

    def _number_for_item(self, code: str) -> None:
        row = next((r for r in self.ctx.search.get("results") if r.get("code") == code), None)
        self.ctx.ui.go("take_number")
        if row is not None and row.get("category"):
            self.ctx.take_number.choose(str(row["category"]))

    # -- case progress, appointment, evaluation ----------------------------------------------
    def _lookup_case(self, number: str) -> None:
        identity = self.ctx.identify.identity
        vm = self.ctx.case_progress

        def done(result: tuple[list[dict[str, Any]], bool]) -> None:
            cases, cached = result
            if cases:
                vm.found(cases[0], from_cache=cached)
            else:
                vm.not_found()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Offline):
                vm.offline()
            else:
                log.warning("case lookup failed: %s", type(exc).__name__)
                vm.failed()

        self.run(lambda: flows.lookup_cases(self.app.services, number, identity), done, failed)

    def _check_in(self) -> None:
        identity = self.ctx.identify.identity
        if identity is None:
            self.ctx.appointment.refuse("no_booking")
            return
        self._run_check_in(lambda: self.flows.check_in(identity))

    def _check_in_by_code(self, text: str) -> None:
        """A booking's offline QR code (signed ``HK1``) on the appointment screen."""
        self.ctx.appointment.update(step="matching")
        self._run_check_in(lambda: self.flows.check_in(None, qr_payload=text))

    def _run_check_in(self, check: Callable[[], dict[str, Any]]) -> None:
        vm = self.ctx.appointment

        def done(result: dict[str, Any]) -> None:
            if result.get("refusal"):
                vm.refuse(str(result["refusal"]), str(result.get("detail") or ""), result.get("booking"))
            else:
                vm.checked_in(dict(result["booking"]), dict(result["ticket"]))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PrintFailed):
                self.ctx.error.show(
                    "printer_out" if exc.code in PAPER_CODES else "printer", reference=exc.code
                )
                self.ctx.ui.go("error_printer")
            elif isinstance(exc, ServiceUnavailable):
                self.ctx.error.show("unavailable", reference=self._unavailable_reason(exc))
                self.ctx.ui.go("error_printer")
            else:
                log.warning("check-in failed: %s", type(exc).__name__)
                vm.refuse("offline")

        self.run(check, done, failed)

    def _evaluate(self, level: int, tags: list[str]) -> None:
        vm = self.ctx.evaluation
        self.run(
            lambda: self.flows.evaluate(level, tags, None),
            lambda _r: vm.submitted(True),
            lambda _e: vm.submitted(False),
        )

    # -- counter -------------------------------------------------------------------------------
    def _counter_action(self, action: str, arg: str) -> None:
        vm = self.ctx.counter
        counter = int(vm.get("counter"))

        def act() -> dict[str, Any]:
            self.flows.counter_action(counter, action, arg)
            return self.flows.counter_view(counter)

        def done(view: dict[str, Any]) -> None:
            self._apply_counter(view)
            if action == "rate":
                vm.set_rating("requested")
            vm.done()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, QueueRefused):
                key = {"queue_empty": "counter.msg.empty", "recall_limit": "counter.msg.recall_limit"}.get(
                    exc.code, "counter.msg.failed"
                )
            else:
                log.warning("counter %s failed: %s", action, type(exc).__name__)
                key = "counter.msg.failed"
            vm.done(key)

        self.run(act, done, failed)

    def _apply_counter(self, view: dict[str, Any]) -> None:
        vm = self.ctx.counter
        current = view.pop("current")
        rating = vm.get("rating") if current.get("number") == vm.get("current").get("number") else ""
        vm.update(**view)
        if current != vm.get("current"):
            vm.set_current(current)
        if rating:
            vm.update(rating=rating)

    def _refresh_counter(self) -> None:
        counter = int(self.ctx.counter.get("counter"))
        if counter and self.app.services.get("queue") is not None:
            self.run(
                lambda: self.flows.counter_view(counter), self._apply_counter, self._log_failure("counter")
            )

    # -- statistics ----------------------------------------------------------------------------
    def _refresh_stats(self) -> None:
        def done(s: dict[str, Any]) -> None:
            s.pop("csv", None)
            self.ctx.statistics.update(**s)

        if self.app.services.get("queue") is not None:
            self.run(self.flows.statistics, done, self._log_failure("statistics"))

    def _export_stats(self) -> None:
        out = self.app.paths.data / "exports"

        def export() -> str:
            try:
                text = str(self.flows.statistics()["csv"])
            except ServiceUnavailable:
                text = self.ctx.statistics.csv_text()
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"statistics-{datetime.now().strftime('%Y%m%d-%H%M%S')}.csv"
            path.write_text(text, encoding="utf-8-sig")
            return str(path)

        self.run(
            export,
            lambda p: self.ctx.statistics.update(exportPath=p),
            lambda e: self.ctx.statistics.update(exportError=type(e).__name__),
        )

    # -- technician ----------------------------------------------------------------------------
    def _tech_page(self, page: str) -> None:
        t = self.ctx.technician
        settings = self.app.settings
        logs: Path = self.app.paths.logs
        if page in ("devices", "tests"):
            self.run(
                self.flows.device_rows, lambda rows: t.update(devices=rows), self._log_failure("devices")
            )
        elif page == "serial":
            rows = [
                {"name": n, "port": str(getattr(d.options, "port", "")), "baud": _baud(d.options)}
                for n, d in settings.devices.items()
                if getattr(d.options, "port", None)
            ]
            t.update(serialDevices=rows)
        elif page == "sync":
            self.run(self._sync_status, lambda s: t.update(**s), self._log_failure("sync status"))
        elif page == "config":
            self.run(self._config_page, lambda s: t.update(**s), self._log_failure("config"))
        elif page == "logs":
            self.run(
                lambda: flows.log_tail(logs),
                lambda lines: t.update(logLines=lines),
                self._log_failure("logs"),
            )

    def _sync_status(self) -> dict[str, Any]:
        store = self.app.services.get("store")
        sync = self.app.services.get("sync")
        out: dict[str, Any] = {"sync": {"online": False}}
        if sync is not None:
            st = sync.status()
            out["sync"].update(online=st.online, lastPush=st.last_sync_at or "", lastError=st.detail)
        if store is not None:
            with store.read() as conn:
                pending = conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
                quarantined = conn.execute("SELECT COUNT(*) FROM quarantine").fetchone()[0]
                outbox = conn.execute(
                    "SELECT id, type, created_at FROM outbox ORDER BY rowid LIMIT 20"
                ).fetchall()
                quarantine = conn.execute(
                    "SELECT id, type, reason FROM quarantine ORDER BY rowid LIMIT 20"
                ).fetchall()
            out["sync"].update(outbox=pending, quarantine=quarantined)
            out["outbox"] = [{"id": r[0], "type": r[1], "at": str(r[2]), "tries": int(r[3])} for r in outbox]
            out["quarantine"] = [{"id": r[0], "type": r[1], "reason": r[2]} for r in quarantine]
        return out

    def _config_page(self) -> dict[str, Any]:
        import json

        from kiosk.settings import load_settings
        from kiosk.settings.errors import ConfigInvalid

        errors: list[str] = []
        try:
            load_settings()
        except ConfigInvalid as exc:
            errors = [str(e) for e in exc.errors]
        text = json.dumps(flows.config_view(self.app.settings), ensure_ascii=False, indent=1)
        return {"configText": text, "configErrors": errors}

    def _tech_test(self, name: str, _test: str) -> None:
        t = self.ctx.technician

        def failed(exc: BaseException) -> None:
            if isinstance(exc, InputTestPending):
                # tested by use: the next card / code / key from this device passes
                self._input_tests.add(name)
                t.update(messageKey="tech.msg.use_device")
                QTimer.singleShot(INPUT_TEST_MS, lambda: self._input_test_timeout(name))
            else:
                t.test_result(name, False, getattr(exc, "message", None) or type(exc).__name__)

        self.run(lambda: self.flows.device_test(name), lambda text: t.test_result(name, True, text), failed)

    def _input_test_timeout(self, name: str) -> None:
        if name in self._input_tests:
            self._input_tests.discard(name)
            self.ctx.technician.test_result(name, False, f"nothing received in {INPUT_TEST_MS // 1000} s")

    def _detect_ports(self) -> None:
        def ports() -> list[str]:
            from serial.tools import list_ports

            return sorted(p.device for p in list_ports.comports())

        t = self.ctx.technician
        self.run(ports, lambda p: t.update(ports=p), self._log_failure("port detection"))

    def _test_port(self, name: str, port: str, baud: int) -> None:
        """Opens the port at that speed and closes it again: proves the port exists, is free and
        accepts the settings (the device's own test then proves the protocol)."""

        def test() -> str:
            import serial

            with serial.serial_for_url(port, baudrate=baud, timeout=0.5):
                pass
            return f"{port} @ {baud}: ok"

        t = self.ctx.technician
        self.run(
            test,
            lambda text: t.port_test_result(name, port, baud, True, text),
            lambda exc: t.port_test_result(name, port, baud, False, f"{port}: {type(exc).__name__}"),
        )

    def _save_port(self, name: str, port: str, baud: int) -> None:
        """Write the tested port into the terminal's file (in place, schema-checked) and restart
        to apply it once the technician leaves; without a file of its own (demo, defaults only)
        say where the values go instead of pretending to save."""
        t = self.ctx.technician
        path = terminal_file(self.app.config_file)
        # The installed layout keeps /etc/hall-kiosk read-only to the service (root:kiosk 0640,
        # ProtectSystem=strict): there the technician copies the tested values in by hand.
        if not path or self.app.demo or not _writable(Path(path)):
            t.update(messageKey="tech.msg.save_manual")
            return

        def save() -> None:
            set_values(Path(path), f"devices.{name}", {"port": port, "baudrate": baud})

        def saved(_: object) -> None:
            log.info("technician saved device %s: port %s at %d baud in %s", name, port, baud, path)
            t.update(messageKey="tech.msg.saved")
            self.app.bus.publish(RestartRequested("technician changed device settings"))

        def failed(exc: BaseException) -> None:
            log.error("saving device %s settings failed: %s", name, getattr(exc, "message", exc))
            t.update(messageKey="tech.msg.save_failed")

        self.run(save, saved, failed)

    def _bundle(self) -> None:
        t = self.ctx.technician
        out = self.app.paths.data / "diagnostics"
        logs = self.app.paths.logs

        def bundle() -> str:
            try:  # the operations team's bundle (same as ``kiosk diagnostics``), when installed
                from kiosk.ops.diagnostics import write_bundle
            except ImportError:
                return str(self.flows.diagnostics_bundle(out, logs))
            out.mkdir(parents=True, exist_ok=True)
            name = f"diagnostics-{datetime.now().strftime('%Y%m%d-%H%M%S')}.zip"
            return str(write_bundle(self.app, out / name))

        self.run(
            bundle,
            lambda p: t.update(bundlePath=p, busy=False),
            lambda e: t.update(busy=False, messageKey="tech.msg.bundle_failed"),
        )

    # -- voice ---------------------------------------------------------------------------------
    def _speak(self, text: str) -> None:
        devices = self.app.services.get("devices")
        if devices is None:
            return
        from devices.announcer import Announcement

        item = Announcement("", 0, language="en" if str(self.ctx.tr.lang) == "en" else "zh", text=text)
        for name in devices.by_kind(DeviceKind.ANNOUNCER):
            devices.submit(name, lambda d: d.announce(item))


def _baud(options: Any) -> int:
    return int(getattr(options, "baudrate", 0) or getattr(options, "baud", 0) or 9600)


def _describe(kind: str, data: dict[str, Any]) -> str:
    """What an input test shows: enough to see it worked, nothing personal (names masked)."""
    from kiosk.privacy import mask_name

    if kind == "card_read" and data.get("identity") is not None:
        return mask_name(str(getattr(data["identity"], "name", "")))
    if kind == "code_scanned":
        code = data.get("code")
        return f"{len(str(getattr(code, 'text', '')))} characters"
    if kind == "card_detected":
        return str(data.get("profile") or data.get("uid") or "")
    return ", ".join(f"{k}={v}" for k, v in data.items() if k in ("counter", "action", "level"))


def _writable(path: Path) -> bool:
    """Whether this process may replace ``path`` (write the file and create one beside it)."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
