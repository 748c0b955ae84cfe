"""What the screens ask of the core, as plain Python run on a worker thread (never the GUI
thread): take a number and print it, search the catalog, open a guide, counter actions,
evaluations, statistics, device tests.

Results are plain dicts for the view-models. A refusal the citizen can act on raises
``QueueRefused`` (its code is the message key); device trouble raises ``PrintFailed``;
a missing service raises ``ServiceUnavailable`` (the screen says so in plain language).
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from devices.base import DeviceError, DeviceKind
from devices.printer import ChecklistMaterial, ChecklistSlip
from kiosk.identity.classify import OfflineCode
from kiosk.identity.person import Identity
from kiosk.printer_test_ticket import printer_test_ticket
from kiosk.privacy import mask_name, redact
from kiosk.queue.errors import QueueRefused
from kiosk.queue.model import Priority
from kiosk.settings.schema import Settings
from ui.viewmodels.identify import CitizenIdentity

log = logging.getLogger(__name__)

PRINT_TIMEOUT_S = 20.0
FORMS = {"原件": "original", "复印件": "copy", "原件及复印件": "original_and_copy", "电子": "electronic"}


class ServiceUnavailable(Exception):
    """A core service this screen needs is not running on this terminal."""


class Refused(Exception):
    """The queue's use cases said no, with their own sentence in the citizen's language."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(code)
        self.code = code
        self.text = text


PRINTER_REFUSALS = {
    "printer_paper_out": "paper_out",
    "printer_cover_open": "cover_open",
    "printer_unavailable": "unavailable",
    "printer_failed": "write_failed",
}


class InputTestPending(Exception):
    """An input device is tested by using it: the next card or code it reports passes."""


class PrintFailed(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class TakenTicket:
    view: dict[str, Any]
    ticket_id: str


def parse_birth_date(value: str | None) -> date | None:
    if not value:
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    try:
        return datetime.strptime(digits[:8], "%Y%m%d").date()
    except ValueError:
        return None


def identity_from_document(doc: Any, source: str = "id_card") -> CitizenIdentity:
    """An ``IdentityDocument`` from the ID-card reader as the UI's identity."""
    return CitizenIdentity(
        source=source,
        name=str(getattr(doc, "name", "")),
        id_number=str(getattr(doc, "id_number", "")),
        birth_date=parse_birth_date(getattr(doc, "birth_date", None)),
        raw=doc,
    )


def _document(identity: CitizenIdentity | None) -> Identity | None:
    """What the use cases read an identity from: the core's one identity type."""
    if identity is None:
        return None
    if isinstance(identity.raw, OfflineCode):
        return Identity.from_person_code(identity.raw.sub)
    return Identity(identity.source, identity.name, identity.id_number, identity.birth_date)


class Flows:
    def __init__(self, services: Mapping[str, Any], settings: Settings) -> None:
        self.services = services
        self.settings = settings

    # -- services ----------------------------------------------------------------------------
    def _service(self, name: str) -> Any:
        svc = self.services.get(name)
        if svc is None:
            raise ServiceUnavailable(name)
        return svc

    @property
    def queue(self) -> Any:
        return self._service("queue")

    @property
    def usecases(self) -> Any:
        """The queue's use cases (``kiosk.usecases``): every queue action goes through them, so
        the screens, the keypads and the pads follow one set of rules."""
        return self._service("usecases")

    @staticmethod
    def _raise_refusal(result: Any, lang: str) -> None:
        code = str(result.message)
        if code in PRINTER_REFUSALS:
            raise PrintFailed(PRINTER_REFUSALS[code])
        raise Refused(code, str(result.text(lang)))

    def _ticket_view(self, view: Any, holder: str) -> dict[str, Any]:
        q = self.queue
        hall_zh, hall_en = self._hall_names()
        return {
            "number": view.number,
            "categoryName": view.category_name,
            "categoryNameEn": view.category_name,
            "issuedAt": view.issued_at.astimezone(q.profile.tz).strftime("%Y-%m-%d %H:%M"),
            "peopleAhead": view.people_ahead,
            "estMin": int(view.est_wait_min or 0),
            "priority": "" if view.priority == "normal" else str(view.priority),
            "holder": holder,
            "counters": ", ".join(str(c) for c in view.counters),
            "hallName": hall_zh,
            "hallNameEn": hall_en,
            # The printer's own rendering of the bytes it printed (``preview_dir``), if any.
            "previewPng": str(getattr(view, "preview", None) or ""),
        }

    def _hall_names(self) -> tuple[str, str]:
        q = self.services.get("queue")
        t = self.settings.terminal
        if q is not None:
            return q.profile.name or t.hall_name, q.profile.name_en or t.hall_name_en
        return t.hall_name, t.hall_name_en

    # -- queue views -------------------------------------------------------------------------
    def categories(self) -> list[dict[str, Any]]:
        q = self.queue
        prefix = {c.code: c.prefix for c in q.profile.categories}
        return [
            {
                "code": c.code,
                "prefix": prefix.get(c.code, c.code),
                "name": c.name,
                "name_en": c.name,
                "waiting": c.waiting,
                "estMin": int(c.est_wait_min or 0),
                "open": c.est_wait_min is not None,
            }
            for c in q.categories()
        ]

    def estimate(self, code: str, identity: CitizenIdentity | None) -> tuple[int, int, str]:
        est = self.queue.estimate(code)
        doc = _document(identity)
        p = self.usecases.priority_for(doc) if doc is not None else Priority.NORMAL
        return est.ahead, int(est.minutes or 0), "" if p is Priority.NORMAL else p.value

    # -- take a number -------------------------------------------------------------------------
    def _printer(self) -> tuple[Any, str]:
        devices = self.services.get("devices")
        names = devices.by_kind(DeviceKind.TICKET_PRINTER) if devices is not None else []
        if not names:
            raise PrintFailed("no_printer")
        return devices, names[0]

    def _print(self, doc: Any) -> Any:
        devices, name = self._printer()
        try:
            return devices.submit(name, lambda d: d.print_document(doc)).result(timeout=PRINT_TIMEOUT_S)
        except DeviceError as exc:
            raise PrintFailed(exc.code) from exc
        except TimeoutError as exc:
            raise PrintFailed("timeout") from exc

    def take_number(
        self, code: str, identity: CitizenIdentity | None, *, item_code: str | None = None
    ) -> TakenTicket:
        """The use case commits the number first (state ``printing``), then prints, then
        confirms; a failed print voids it, so no number is ever both lost and counted."""
        r = self.usecases.take_ticket(code, item_code, _document(identity))
        if not r.ok or r.ticket is None:
            self._raise_refusal(r, "zh")
        masked = mask_name(identity.name) if identity is not None else ""
        return TakenTicket(self._ticket_view(r.ticket, masked), r.ticket.ticket_id)

    # -- appointment check-in -----------------------------------------------------------------
    def check_in(self, identity: CitizenIdentity | None, qr_payload: str | None = None) -> dict[str, Any]:
        """Today's booking of the card's holder, or of a booking's signed QR code, checked in
        through the use cases (window rules, late arrivals, the slip). A refusal comes back as
        ``{"refusal", "detail"}``."""
        refusals = {
            "no_appointment": "no_booking",
            "already_checked_in": "already",
            "checkin_too_early": "too_early",
            "qr_not_recognised": "invalid_code",
        }
        r = self.usecases.check_in(_document(identity), qr_payload=qr_payload)
        if not r.ok or r.ticket is None:
            code = str(r.message)
            if code in PRINTER_REFUSALS:
                raise PrintFailed(PRINTER_REFUSALS[code])
            detail = str(r.params.get("number") or r.params.get("opens") or "")
            unknown = "invalid_code" if qr_payload is not None else "offline"
            return {"refusal": refusals.get(code, unknown), "detail": detail}
        view = r.ticket
        holder = mask_name(identity.name) if identity is not None else ""
        cat = self.queue.profile.category(view.category)
        booking = {
            "item": cat.name if cat else view.category,
            "itemEn": cat.name if cat else view.category,
            "slot": str(r.params.get("slot") or ""),
            "categoryName": view.category_name,
            "categoryNameEn": view.category_name,
            "holder": holder,
        }
        ticket = self._ticket_view(view, holder)
        if r.message == "checked_in_late":
            ticket["lateNote"] = str(r.text("zh"))
            ticket["lateNoteEn"] = str(r.text("en"))
        return {"booking": booking, "ticket": ticket}

    # -- catalog -------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        rows = self._service("catalog").search(text, limit)
        return [
            {"code": r.code, "name": r.name, "nameEn": r.name, "department": r.department,
             "departmentEn": r.department, "category": r.category}
            for r in rows
        ]  # fmt: skip

    def item(self, code: str) -> dict[str, Any]:
        item = self._service("catalog").item(code)
        if item is None:
            raise KeyError(code)
        materials = []
        for m in item.get("materials") or []:
            form = str(m.get("form") or m.get("format") or "原件")
            materials.append(
                {
                    "name": str(m.get("name", "")),
                    "nameEn": str(m.get("name_en") or m.get("name", "")),
                    "form": FORMS.get(form, "original"),
                    "formText": form,
                    "copies": int(m.get("copies") or 1),
                    "required": bool(m.get("required", True)),
                    "note": str(m.get("note") or ""),
                    "noteEn": str(m.get("note_en") or ""),
                }
            )
        kind = item.get("kind")
        return {
            "code": item["code"],
            "name": item["name"],
            "nameEn": item["name"],
            "department": item.get("department") or "",
            "departmentEn": item.get("department") or "",
            "kind": 1 if str(kind) in ("1", "即办件", "immediate") else 2,
            "legalDays": item.get("legal_days") or 0,
            "promisedDays": item.get("promised_days") or 0,
            "visits": 1,
            "conditions": str(item.get("conditions") or ""),
            "conditionsEn": str(item.get("conditions") or ""),
            "fee": str(item.get("fee") or ""),
            "feeEn": str(item.get("fee") or ""),
            "location": str(item.get("location") or ""),
            "locationEn": str(item.get("location") or ""),
            "hours": "",
            "hoursEn": "",
            "phone": str(item.get("phone") or ""),
            "category": item.get("category") or "",
            "materials": materials,
        }

    def print_checklist(self, code: str) -> None:
        item = self.item(code)
        hall_zh, _ = self._hall_names()
        doc = ChecklistSlip(
            hall_name=hall_zh,
            item_name=item["name"],
            materials=tuple(
                ChecklistMaterial(m["name"], m["formText"], m["copies"], m["required"], m["note"])
                for m in item["materials"]
            ),
            printed_at=datetime.now().astimezone(),
            item_code=item["code"],
            location=item["location"] or None,
            phone=item["phone"] or None,
        )
        self._print(doc)

    # -- counter -------------------------------------------------------------------------------
    def counter_action(self, counter: int, action: str, arg: str = "") -> None:
        r = self.usecases.counter_action(
            counter, "invite" if action == "rate" else action, to_category=arg or None
        )
        if not r.ok:
            raise QueueRefused(str(r.message), **dict(r.params))

    def counter_view(self, counter: int) -> dict[str, Any]:
        q = self.queue
        cdef = q.profile.counter(counter)
        codes = cdef.categories if cdef else ()
        now = q.now()
        with q._lock:
            engine = q.engine
            cur = engine.current(counter)
            state = engine.counters.get(counter)
            waiting = [t.copy() for code in codes for t in engine.waiting(code)]
            day = engine.local_day(now)
            served = sum(
                1 for t in engine.tickets_of_day(day) if t.state.value == "served" and t.counter == counter
            )
        cats = {c.code: c.name for c in q.profile.categories}
        current: dict[str, Any] = {}
        if cur is not None:
            called = cur.called_at or now
            current = {
                "number": cur.number,
                "categoryName": cats.get(cur.category, cur.category),
                "categoryNameEn": cats.get(cur.category, cur.category),
                "holder": cur.holder_masked or "",  # masked when stored; anonymous tickets have none
                "item": cur.item_code or "",
                "itemEn": cur.item_code or "",
                "priority": "" if cur.priority is Priority.NORMAL else cur.priority.value,
                "calledAt": called.astimezone(q.profile.tz).strftime("%H:%M"),
                "waitedMin": int(cur.wait_min or 0),
                "recalls": int(getattr(cur, "recalls", 0) or 0),
            }
        waiting.sort(key=lambda t: t.order)
        return {
            "counter": counter,
            "categories": [{"code": c, "name": cats.get(c, c), "nameEn": cats.get(c, c)} for c in codes],
            "paused": bool(state.paused) if state is not None else False,
            "current": current,
            "waiting": [
                {
                    "number": t.number,
                    "categoryCode": t.category,
                    "waitedMin": int((now - t.issued_at).total_seconds() // 60),
                    "priority": "" if t.priority is Priority.NORMAL else t.priority.value,
                }
                for t in waiting[:30]
            ],
            "waitingCount": len(waiting),
            "servedToday": served,
            "transferTargets": [
                {"code": c.code, "name": c.name, "nameEn": c.name}
                for c in q.profile.categories
                if c.code not in codes or len(codes) > 1
            ],
        }

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(self, level: int, tags: list[str], ticket_id: str | None) -> None:
        r = self.usecases.submit_evaluation(level, tags, ticket_id=ticket_id, channel="kiosk")
        if not r.ok:
            raise QueueRefused(str(r.message), **dict(r.params))

    # -- statistics ----------------------------------------------------------------------------
    def statistics(self) -> dict[str, Any]:
        from kiosk.queue import ledger, stats

        q = self.queue
        store = self._service("store")
        day = q.engine.local_day(q.now())
        with store.read() as conn:
            tickets = ledger.tickets_of_day(conn, day)
            evals = ledger.evaluations_for(conn, [t.ticket_id for t in tickets])
        s = stats.compute(tickets, evals)
        names = {c.code: c.name for c in q.profile.categories}
        levels = [0, 0, 0, 0, 0]
        for e in evals:
            if 1 <= e.level <= 5:
                levels[e.level - 1] += 1
        return {
            "date": day,
            "categories": [
                {"code": code, "name": names.get(code, code), "nameEn": names.get(code, code),
                 "issued": row["issued"], "served": row["served"], "waiting": row["waiting"],
                 "avgWait": row["avg_wait_min"], "p95Wait": row["p95_wait_min"]}
                for code, row in s["categories"].items()
            ],
            "counters": [
                {"counter": int(n), "served": row["served"], "avgWait": row["avg_wait_min"],
                 "avgService": row["avg_service_min"]}
                for n, row in s["counters"].items()
            ],
            "appointmentPct": float(s["appointment_called_within_10min_pct"] or 0.0),
            "appointmentCount": s["appointment_tickets"],
            "evaluations": levels,
            "evaluationAvg": float(s["evaluation_avg"] or 0.0),
            "csv": stats.to_csv(s),
        }  # fmt: skip

    # -- technician ----------------------------------------------------------------------------
    def device_rows(self) -> list[dict[str, Any]]:
        devices = self.services.get("devices")
        if devices is None:
            return []
        rows = []
        for name, h in sorted(devices.health().items()):
            err = h.last_error
            detail = ", ".join(
                f"{k}: {v}" for k, v in dict(h.detail).items() if not isinstance(v, dict | list)
            )
            rows.append(
                {
                    "name": name,
                    "kind": str(h.kind),
                    "driver": h.driver,
                    "state": str(h.state),
                    "lastError": f"{err.at} {err.code}: {err.message}" if err else "",
                    "detail": redact(detail)[:200],
                }
            )
        return rows

    def device_test(self, name: str) -> str:
        """A harmless real operation per kind; returns what happened in one line."""
        devices = self._service("devices")
        kind = devices.kind(name)
        if kind is DeviceKind.TICKET_PRINTER:
            hall_zh, _ = self._hall_names()
            doc = printer_test_ticket(
                hall_zh, self.settings.terminal.id, origin="技术维护测试 / technician printer test"
            )
            receipt = devices.submit(name, lambda d: d.print_document(doc)).result(timeout=PRINT_TIMEOUT_S)
            return f"printed {receipt.bytes_sent} bytes"
        if kind is DeviceKind.CALL_DISPLAY:
            devices.submit(name, lambda d: d.show_text(0, "测试 TEST")).result(timeout=10)
            return "text sent"
        if kind is DeviceKind.ANNOUNCER:
            from devices.announcer import Announcement

            item = Announcement("", 0, text="语音测试。Voice test.")
            devices.submit(name, lambda d: d.announce(item)).result(timeout=10)
            return "announcement queued"
        raise InputTestPending(name)

    def diagnostics_bundle(self, out_dir: Path, log_dir: Path | None) -> Path:
        """A zip with redacted logs, the configuration without secrets, and device health."""
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"diagnostics-{datetime.now().strftime('%Y%m%d-%H%M%S')}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("health.json", json.dumps(self.device_rows(), ensure_ascii=False, indent=2))
            z.writestr("config.json", json.dumps(config_view(self.settings), ensure_ascii=False, indent=2))
            if log_dir is not None and log_dir.is_dir():
                for f in sorted(log_dir.glob("*.log*"))[:20]:
                    z.writestr(f"logs/{f.name}", redact(f.read_text(encoding="utf-8", errors="replace")))
        return path


SECRET_KEYS = ("secret", "pin_hash", "password", "key")


def config_view(settings: Settings) -> dict[str, Any]:
    """The effective configuration with secrets replaced (shown in technician mode, bundled)."""
    from dataclasses import asdict

    def scrub(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: scrub(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [scrub(v) for v in value]
        if value and any(s in key for s in SECRET_KEYS):
            return "***"
        return value

    return dict(scrub(asdict(settings)))


def log_tail(log_dir: Path | None, lines: int = 200) -> list[str]:
    if log_dir is None:
        return []
    files = sorted(log_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)
    if not files:
        return []
    text = files[-1].read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return [redact(x) for x in text]


class Offline(Exception):
    """The platform is not reachable (or not configured): online-only lookups cannot run."""


def lookup_cases(
    services: Mapping[str, Any], number: str, identity: CitizenIdentity | None
) -> tuple[list[dict[str, Any]], bool]:
    """Case progress through the platform access (online, else the sealed case cache).
    Returns (cases, from_cache); raises ``Offline`` when neither can answer."""
    platform = services.get("platform")
    if platform is None:
        raise Offline("no platform service")
    from kiosk.platform.access import CaseLookupUnavailable

    try:
        if number:
            answer = platform.lookup_cases(case_number=number)
        elif identity is not None:
            answer = platform.lookup_cases(id_number=identity.id_number)
        else:
            return [], False
    except CaseLookupUnavailable as exc:
        raise Offline(str(exc)) from exc
    return [case_view(c) for c in answer.cases], answer.source == "cache"


def case_view(c: Mapping[str, Any]) -> dict[str, Any]:
    steps = list(c.get("timeline") or [])
    timeline = []
    for i, s in enumerate(steps):
        label = str(s.get("step") or s.get("status") or "")
        timeline.append(
            {"at": str(s.get("at") or "").replace("T", " ")[:16], "status": str(s.get("status") or ""),
             "label": label, "labelEn": label, "done": True, "current": i == len(steps) - 1}
        )  # fmt: skip
    pickup = c.get("pickup") or {}
    note = str(pickup.get("where") or "") if isinstance(pickup, Mapping) else ""
    return {
        "number": str(c.get("case_number") or ""),
        "item": str(c.get("item_name") or ""),
        "itemEn": str(c.get("item_name") or ""),
        "department": "",
        "departmentEn": "",
        "status": str(c.get("status") or ""),
        "promisedDate": "",
        "note": note,
        "noteEn": note,
        "timeline": timeline,
    }
