"""What a citizen does with the queue: take a number, check in an appointment, rate a service.

Taking a number with a printer (the number is consumed only for a ticket a ready printer took):
1. ask the printer for its status (``paper_status``); paper out / cover open / offline →
   refuse with a sentence saying where to go; no number is taken;
2. take the number in state ``printing`` (committed: a crash from here on is recoverable);
3. print; success → ``issued`` (the ``ticket.issued`` event is written then); a printer error
   → the ticket is voided with the reason, and the citizen is sent to the help desk;
4. a print that does not finish within the timeout stays ``printing`` and is settled when the
   printer's job ends (confirmed or voided), never both.

``recover_interrupted_prints`` runs on start: a ticket left ``printing`` by a crash is
reprinted (if recent and the printer is ready, marked 补打/reprint) and confirmed, or voided
with the reason ``interrupted_print`` — the number is never reused either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from devices.base import READY_STATES, DeviceError
from devices.printer import CheckInSlip, PrintDocument, PrintReceipt, QueueTicket, status_error
from kiosk import device_jobs
from kiosk.identity.classify import KeyRing, Kind, OfflineCode, classify, keys_from_platform
from kiosk.identity.person import Identity
from kiosk.queue.errors import QueueRefused
from kiosk.queue.model import PRIORITY_CLAIMS, Priority, Ticket, TicketState
from kiosk.queue.service import QueueService
from kiosk.settings.schema import QueueSettings
from kiosk.usecases.results import Params, Result, refused
from kiosk.usecases.views import ticket_view
from offline_cache import appointments as ap
from offline_cache import signing_keys
from offline_cache.errors import StoreUnavailable

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from offline_cache.store import Store

log = logging.getLogger(__name__)

PRINT_TIMEOUT_S = 20.0
STATUS_TIMEOUT_S = 5.0
_PRINTER_MESSAGES = {"paper_out": "paper_out", "cover_open": "cover_open"}
"""The printer's own codes the citizen gets a sentence for: the same code from the device up to
the screen (``kiosk.usecases.messages``); any other printer trouble is ``printer_unavailable``."""


@dataclass(frozen=True)
class CheckInConfig:
    before_min: int = 30
    after_min: int = 15
    interrupted_print: str = "reprint"
    reprint_within_s: int = 120

    @classmethod
    def of(cls, qs: QueueSettings) -> CheckInConfig:
        """The check-in rules of the terminal's ``[queue]`` settings."""
        return cls(qs.checkin_before_min, qs.checkin_after_min, qs.interrupted_print, qs.reprint_within_s)


class CitizenUseCases:
    def __init__(
        self,
        queue: QueueService,
        *,
        store: Store,
        devices: DeviceManager | None = None,
        config: CheckInConfig | None = None,
        hall_name: str = "",
        print_timeout_s: float = PRINT_TIMEOUT_S,
    ) -> None:
        self.queue = queue
        self.store = store
        self.devices = devices
        self.config = config or CheckInConfig()
        self.hall_name = hall_name or queue.profile.name
        self.print_timeout_s = print_timeout_s

    # -- printing ----------------------------------------------------------------------------
    def _printer(self) -> tuple[DeviceManager, str] | None:
        """This terminal's ticket printer: the device manager and the printer's name."""
        name = device_jobs.first_printer(self.devices)
        return (self.devices, name) if self.devices is not None and name is not None else None

    def _printer_refusal(self) -> Result | None:
        """Ask the printer before taking a number; a refusal means no number was consumed."""
        printer = self._printer()
        if printer is None:
            return refused("no_printer")
        devices, name = printer
        try:
            status = device_jobs.paper_status(devices, name).result(timeout=STATUS_TIMEOUT_S)
        except DeviceError as exc:
            log.warning("printer %s not ready: %s", name, exc.code)
            return refused(_PRINTER_MESSAGES.get(exc.code, "printer_unavailable"))
        except FutureTimeout:
            return refused("printer_unavailable")
        err = status_error(status)
        if err is not None:
            return refused(_PRINTER_MESSAGES.get(err.code, "printer_unavailable"))
        return None

    def _settle_late(self, ticket: Ticket, fut: Future[PrintReceipt]) -> None:
        def done(f: Future[PrintReceipt]) -> None:
            try:
                if f.exception() is None:
                    self.queue.confirm_printed(ticket.ticket_id)
                else:
                    self.queue.void(ticket.ticket_id, "print_failed")
            except (QueueRefused, StoreUnavailable) as exc:
                log.error("settling slow print of %s failed: %s", ticket.number, exc)

        fut.add_done_callback(done)

    def _issue_and_print(
        self, category: str, make_doc: Callable[[Ticket], PrintDocument], **kw: Any
    ) -> tuple[Result | None, Ticket | None, str | None]:
        """(refusal or None, the ticket, the printer's PNG of it if it renders one)."""
        pre = self._printer_refusal()
        if pre is not None:
            return pre, None, None
        try:
            ticket = self.queue.begin_issue(category, **kw)
        except QueueRefused as exc:
            return refused(exc.code, **exc.params), None, None
        printer = self._printer()
        assert printer is not None  # the refusal above asked it
        doc = make_doc(ticket)
        fut = device_jobs.print_document(*printer, doc)
        try:
            receipt = fut.result(timeout=self.print_timeout_s)
        except DeviceError as exc:
            log.warning("printing ticket %s failed: %s", ticket.number, exc.code)
            self.queue.void(ticket.ticket_id, f"print_failed:{exc.code}")
            message = "printer_failed" if exc.code == "write_failed" else "printer_unavailable"
            return refused(_PRINTER_MESSAGES.get(exc.code, message)), None, None
        except FutureTimeout:
            self._settle_late(ticket, fut)
            return Result(True, "printer_slow", {"number": ticket.number}), ticket, None
        return None, self.queue.confirm_printed(ticket.ticket_id), receipt.preview

    # -- take a number -----------------------------------------------------------------------
    def priority_for(self, identity: Identity | None, claim: Priority | str | None = None) -> Priority:
        if identity is not None:
            today = self.queue.now().astimezone(self.queue.profile.tz).date()
            age = identity.age_on(today)
            if age is not None and age >= self.queue.policy.elderly_age:
                return Priority.ELDERLY
        if claim is not None and claim in {p.value for p in PRIORITY_CLAIMS}:
            return Priority(claim)
        return Priority.NORMAL

    def take_ticket(
        self,
        category: str,
        item_code: str | None = None,
        identity: Identity | None = None,
        *,
        claim: Priority | str | None = None,
        item_name: str | None = None,
        language: str = "zh",
    ) -> Result:
        """Issue and print a number; ``identity`` makes it real-name (limit per day) and gives
        elderly priority by age; ``claim`` is a clerk-granted disability / military / vip
        priority."""
        priority = self.priority_for(identity, claim)
        hash_ = identity.hash_with(self.queue.profile.id_hash_salt) if identity is not None else None
        masked = identity.masked_name() if identity is not None else ""
        cat = self.queue.profile.category(category)

        def doc(t: Ticket) -> QueueTicket:
            est = self.queue.estimate_for(t.ticket_id)
            return QueueTicket(
                hall_name=self.hall_name,
                number=t.number,
                category_name=cat.name if cat else category,
                item_name=item_name,
                people_ahead=est.ahead,
                est_wait_min=int(est.minutes or 0),
                issued_at=t.issued_at.astimezone(self.queue.profile.tz),
                holder_name_masked=masked or None,
                qr_payload=f"HKT:{t.ticket_id}",
                priority=t.priority is not Priority.NORMAL,
                language="en" if language == "en" else "zh",
            )

        try:
            outcome, ticket, preview = self._issue_and_print(
                category,
                doc,
                item_code=item_code,
                priority=priority,
                holder_id_hash=hash_,
                holder_masked=masked or None,
            )
        except StoreUnavailable:
            return refused("store_unavailable")
        if outcome is not None or ticket is None:
            return outcome or refused("printer_unavailable")
        view = ticket_view(self.queue, ticket, preview=preview)
        key = "ticket_taken" if ticket.priority is Priority.NORMAL else "ticket_taken_priority"
        return Result(
            True,
            key,
            {"number": view.number, "ahead": view.people_ahead, "minutes": view.est_wait_min or 0},
            view,
        )

    def wait_quote(
        self, category: str, identity: Identity | None = None, *, claim: Priority | str | None = None
    ) -> Result:
        """Before "take a number": refused when the day is full for the category (or the hall
        closed), else ok with the wait; ``data["confirm"]`` asks the screen to show the
        ``long_wait_confirm`` sentence and let the citizen decide before printing."""
        priority = self.priority_for(identity, claim)
        try:
            q = self.queue.quote(category, priority)
        except QueueRefused as exc:
            return refused(exc.code, **exc.params)
        except StoreUnavailable:
            return refused("store_unavailable")
        cat = self.queue.profile.category(category)
        params: Params = {
            "category": cat.name if cat else category,
            "category_en": (cat.name_en or cat.name) if cat else category,
            "ahead": q.ahead,
            "minutes": q.minutes or 0,
        }
        message = "long_wait_confirm" if q.confirm else "wait_quote"
        data: Params = {"confirm": q.confirm, "minutes": q.minutes, "ahead": q.ahead}
        return Result(True, message, params, data=data)

    # -- appointment check-in ----------------------------------------------------------------
    def _keys(self) -> KeyRing:
        with self.store.read() as conn:
            stored = signing_keys.load(conn)
        return keys_from_platform({"keys": [k.as_platform() for k in stored]})

    def identify_code(self, text: str) -> OfflineCode | None:
        """A scanned code as an identity: only a platform person code that verifies offline
        (signature, key, expiry); anything else is None (the screen says "not recognised")."""
        try:
            c = classify(text, self._keys())
        except StoreUnavailable:
            return None
        if c.kind is Kind.OFFLINE_CODE and c.offline is not None and c.offline.typ == "person":
            return c.offline
        return None

    def code_reason(self, text: str) -> str:
        """Why a scanned code is no person code, as the classifier's stable reason (``expired``,
        ``bad_signature``, ``unknown_key``, ``not_recognised``...); "" when it is one. The
        screen says which, so a citizen with an expired code knows to fetch a new one."""
        try:
            c = classify(text, self._keys())
        except StoreUnavailable:
            return "store_unavailable"
        if c.kind is Kind.OFFLINE_CODE and c.offline is not None and c.offline.typ == "person":
            return ""
        return c.reason or "not_a_person_code"

    def _bookings(self, holder: str | None, code: OfflineCode | None, day: str) -> list[ap.Appointment]:
        with self.store.read() as conn:
            if code is not None and code.typ == "appt" and code.appt:
                b = ap.get(conn, code.appt)
                ok = b is not None and b.status == "booked" and b.date == day and b.holder_id_hash == code.sub
                return [b] if ok and b is not None else []
            if holder is None:
                return []
            return ap.for_holder(conn, holder, day)

    def _nearest_open(
        self, bookings: list[ap.Appointment], now: datetime
    ) -> tuple[ap.Appointment, str] | None:
        """Of the bookings, the one not yet checked in (no ticket for it either) whose slot
        starts nearest to now, with its slot as ``HH:MM-HH:MM`` in the hall's time; or None."""
        open_ = [
            b for b in bookings if self.queue.ticket_for_appointment(b.id) is None and not b.checked_in_at
        ]
        if not open_:
            return None
        b = min(open_, key=lambda x: abs((datetime.fromisoformat(x.slot_start) - now).total_seconds()))
        tz = self.queue.profile.tz
        start = datetime.fromisoformat(b.slot_start).astimezone(tz)
        end = datetime.fromisoformat(b.slot_end).astimezone(tz)
        return b, f"{start:%H:%M}-{end:%H:%M}"

    def open_booking(self, holder: str) -> tuple[ap.Appointment, str] | None:
        """The holder's booking for today that ``check_in`` would take (not yet checked in,
        nearest to now) with its slot text, or None; nothing is changed."""
        now = self.queue.now()
        day = now.astimezone(self.queue.profile.tz).date().isoformat()
        return self._nearest_open(self._bookings(holder, None, day), now)

    def check_in(
        self, identity: Identity | None = None, qr_payload: str | OfflineCode | None = None
    ) -> Result:
        """Appointment check-in by ID card (holder hash) or offline code, within the window;
        late → an ordinary ticket with the reason; a second check-in → refused with the number
        already issued."""
        code: OfflineCode | None = None
        holder: str | None = None
        if isinstance(qr_payload, OfflineCode):
            code = qr_payload
        elif isinstance(qr_payload, str):
            c = classify(qr_payload, self._keys())
            if c.kind is not Kind.OFFLINE_CODE or c.offline is None:
                return refused("qr_not_recognised")
            code = c.offline
        if code is not None:
            holder = code.sub
        elif identity is not None:
            holder = identity.hash_with(self.queue.profile.id_hash_salt)
        if holder is not None and (code is None or code.typ == "person"):
            arrived = self._arrive_online(holder, "code" if code is not None else "id_card")
            if arrived is not None:
                return arrived
        now = self.queue.now()
        tz = self.queue.profile.tz
        local = now.astimezone(tz)
        try:
            bookings = self._bookings(holder, code, local.date().isoformat())
        except StoreUnavailable:
            return refused("store_unavailable")
        if not bookings:
            return refused("no_appointment")
        picked = self._nearest_open(bookings, now)
        if picked is None:
            done = self.queue.ticket_for_appointment(bookings[0].id)
            return refused("already_checked_in", number=done.number if done else "")
        b, slot = picked
        start = datetime.fromisoformat(b.slot_start)
        opens = start - timedelta(minutes=self.config.before_min)
        if now < opens:
            return refused("checkin_too_early", slot=slot, opens=f"{opens.astimezone(tz):%H:%M}")
        late_min = max(0, int((now - start).total_seconds() // 60))
        is_late = now > start + timedelta(minutes=self.config.after_min)
        priority = Priority.NORMAL if is_late else Priority.APPOINTMENT
        cat = self.queue.profile.category(b.category)
        counters = [str(c.number) for c in self.queue.profile.counters if b.category in c.categories]

        def doc(t: Ticket) -> CheckInSlip:
            return CheckInSlip(
                hall_name=self.hall_name,
                number=t.number,
                item_name=b.item_code or (cat.name if cat else b.category),
                slot=slot,
                checked_in_at=now.astimezone(tz),
                holder_name_masked=b.holder_name_masked or None,
                counter_hint=("、".join(counters) + "号窗口") if counters else None,
                late_minutes=late_min if is_late else 0,
                qr_payload=f"HKT:{t.ticket_id}",
            )

        try:
            outcome, ticket, preview = self._issue_and_print(
                b.category,
                doc,
                item_code=b.item_code,
                priority=priority,
                holder_id_hash=b.holder_id_hash,
                holder_masked=b.holder_name_masked or None,
                appointment_id=b.id,
                checked_in_at=now,
                late_minutes=late_min,
            )
        except StoreUnavailable:
            return refused("store_unavailable")
        if outcome is not None or ticket is None:
            return outcome or refused("printer_unavailable")
        view = ticket_view(self.queue, ticket, preview=preview)
        params: Params = {"number": view.number, "late": late_min, "slot": slot}
        return Result(
            True, "checked_in_late" if is_late else "checked_in", params, view, {"appointment_id": b.id}
        )

    def _arrive_online(self, holder: str, by: str) -> Result | None:
        """A number the holder took from the phone today: checking in puts it in the queue in
        the place it has held since it was taken (no slip: the number is on the phone). None
        when the holder has no online ticket waiting for them."""
        try:
            mine = self.queue.online_for_holder(holder)
        except QueueRefused:
            # the hall's queue is out of reach (a member cut off from its host): an online
            # ticket lives there, so nothing to arrive here; bookings still check in offline
            return None
        except StoreUnavailable:
            return refused("store_unavailable")
        try:
            held = [t for t in mine if t.state is TicketState.WAITING]
            if not held:
                if mine:  # it expired unclaimed: say so rather than "no appointment"
                    return refused("online_ticket_expired", number=mine[-1].number)
                return None
            t = self.queue.arrive(held[0].ticket_id, by)
        except QueueRefused as exc:
            return refused(exc.code, **exc.params)
        except StoreUnavailable:
            return refused("store_unavailable")
        view = ticket_view(self.queue, t)
        params: Params = {"number": t.number, "ahead": view.people_ahead}
        return Result(True, "online_arrived", params, view, {"request_id": t.request_id})

    # -- evaluation ----------------------------------------------------------------------------
    def submit_evaluation(
        self,
        level: int,
        tags: tuple[str, ...] | list[str] = (),
        *,
        ticket_id: str | None = None,
        counter: int | None = None,
        channel: str = "kiosk",
        case_number: str | None = None,
        comment: str | None = None,
    ) -> Result:
        """One rating per service; a window rating without a ticket binds to the ticket just
        served at that window."""
        try:
            ev = self.queue.evaluate(
                level,
                tags=tuple(tags),
                ticket_id=ticket_id,
                counter=counter,
                channel=channel,
                case_number=case_number,
                comment=comment,
            )
        except QueueRefused as exc:
            return refused(exc.code, **exc.params)
        except StoreUnavailable:
            return refused("store_unavailable")
        return Result(True, "evaluation_thanks", {}, None, {"evaluation_id": ev.evaluation_id})

    # -- crash recovery --------------------------------------------------------------------------
    def recover_interrupted_prints(self, *, wait_for_printer_s: float = 0.0) -> list[tuple[str, str]]:
        """Settle tickets a crash left in ``printing``: reprint (recent, printer ready) and
        confirm, or void with ``interrupted_print``. Returns ``[(number, "reprinted"|"voided")]``."""
        out: list[tuple[str, str]] = []
        pending = self.queue.printing()
        if not pending:
            return out
        printer = self._printer()
        if printer is not None and wait_for_printer_s > 0:
            devices, name = printer
            devices.wait_for(name, READY_STATES, wait_for_printer_s)
        now = self.queue.now()
        for t in pending:
            age = (now - t.issued_at).total_seconds()
            if (
                self.config.interrupted_print == "reprint"
                and age <= self.config.reprint_within_s
                and printer is not None
                and self._printer_refusal() is None
            ):
                cat = self.queue.profile.category(t.category)
                doc = QueueTicket(
                    hall_name=self.hall_name,
                    number=t.number,
                    category_name=cat.name if cat else t.category,
                    item_name=None,
                    people_ahead=0,
                    est_wait_min=0,
                    issued_at=t.issued_at.astimezone(self.queue.profile.tz),
                    holder_name_masked=t.holder_masked,
                    qr_payload=f"HKT:{t.ticket_id}",
                    footer="补打 / reprint",
                    priority=t.priority is not Priority.NORMAL,
                )
                try:
                    device_jobs.print_document(*printer, doc).result(timeout=self.print_timeout_s)
                except (DeviceError, FutureTimeout) as exc:
                    log.warning("reprint of %s failed: %s", t.number, getattr(exc, "code", "timeout"))
                else:
                    self.queue.confirm_printed(t.ticket_id)
                    log.info("interrupted ticket %s reprinted", t.number)
                    out.append((t.number, "reprinted"))
                    continue
            self.queue.void(t.ticket_id, "interrupted_print")
            log.info("interrupted ticket %s voided", t.number)
            out.append((t.number, "voided"))
        return out
