"""The typed façade of the running core: everything a screen may ask of it, in one place.

Screens (``ui/presenters``) hold a ``Kiosk`` and nothing else of the core: the queue (the
``HallQueue`` protocol: local here, remote on a hall-bus member), identity codes, the catalog,
case lookups, statistics, sync status, voice, and technician operations. No string lookups, no
reaching into a service's internals, no SQL: when something is not running here the call raises
``Unavailable`` with the reason staff should see.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from devices.announcer import Announcement
from devices.base import DeviceError
from devices.printer import ChecklistMaterial, ChecklistSlip, PrintReceipt
from kiosk import device_jobs
from kiosk.events import EventBus
from kiosk.hall_queue import HallInfo, HallQueue
from kiosk.identity.person import Identity
from kiosk.ops.diagnostics import write_bundle
from kiosk.paths import Paths
from kiosk.platform.access import CaseLookupUnavailable
from kiosk.platform.status import SyncStatus
from kiosk.queue import ledger, stats
from kiosk.remote_commands import RestartRequested
from kiosk.runtime import App
from kiosk.selfservice.service import SelfService
from kiosk.services import Services
from kiosk.settings.schema import Settings
from kiosk.technician import Technician
from offline_cache.catalog import ItemSummary

PRINT_TIMEOUT_S = 20.0


class Unavailable(Exception):
    """A core service this screen needs is not running on this terminal; ``reason`` is for
    staff (``store:corrupt``, ``queue:hall_profile_missing``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Offline(Exception):
    """The platform is not reachable (or not configured): online-only lookups cannot run."""


class PrintFailed(Exception):
    """The printer refused or failed; ``code`` is the device's own code (``paper_out``...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Cases:
    cases: tuple[Mapping[str, object], ...]
    from_cache: bool


@dataclass(frozen=True)
class BookingToday:
    """A card holder's open booking for today, to offer check-in before anything else."""

    category: str
    category_name: str
    item_code: str | None
    slot: str
    """``HH:MM-HH:MM`` in the hall's time zone."""
    holder_masked: str


@dataclass(frozen=True)
class ServiceToRate:
    """A service today's rating at the kiosk is for: the citizen's ticket, served or at a window."""

    ticket_id: str
    number: str
    counter: int
    category_name: str
    category_name_en: str


@dataclass(frozen=True)
class DayStatistics:
    day: str
    hall: HallInfo
    figures: Mapping[str, object]
    """``kiosk.queue.stats.compute`` of the day."""
    evaluation_levels: tuple[int, int, int, int, int]
    csv: str


class Kiosk:
    def __init__(
        self,
        services: Services,
        settings: Settings,
        paths: Paths,
        bus: EventBus,
        technician: Technician,
    ) -> None:
        self._services = services
        self.settings = settings
        self.paths = paths
        self._bus = bus
        self.technician = technician

    @classmethod
    def of(cls, app: App) -> Kiosk:
        """The façade over a (started) ``kiosk.runtime.App``."""
        services = app.services
        kiosk: Kiosk | None = None

        def hall_name() -> str:
            return kiosk.hall_names()[0] if kiosk is not None else app.settings.terminal.hall_name

        tech = Technician(
            services,
            app.settings,
            data_dir=app.paths.data,
            log_dir=app.paths.logs,
            config_file=lambda: app.config_file,
            demo=lambda: app.demo,
            write_bundle=lambda path: write_bundle(app.settings, path, paths=app.paths, live=services),
            hall_name=hall_name,
        )
        kiosk = cls(services, app.settings, app.paths, app.bus, tech)
        return kiosk

    # -- events ----------------------------------------------------------------------------------
    def subscribe(self, fn: Callable[[object], None]) -> Callable[[], None]:
        return self._bus.subscribe(fn)

    def request_restart(self, reason: str) -> None:
        self._bus.publish(RestartRequested(reason))

    # -- queue -----------------------------------------------------------------------------------
    def has_queue(self) -> bool:
        return self._services.hall_queue is not None

    def queue(self) -> HallQueue:
        q = self._services.hall_queue
        if q is None:
            raise Unavailable(self.unavailable_reason("queue"))
        return q

    def unavailable_reason(self, what: str) -> str:
        """For staff: why a service is not running here (the local database's reason first)."""
        err = self._services.store_error
        if err is not None:
            return f"store:{err.reason}"
        return f"{what}:{self._services.queue_status or 'not_running'}"

    def hall(self) -> HallInfo | None:
        q = self._services.hall_queue
        return q.hall() if q is not None else None

    def hall_names(self) -> tuple[str, str]:
        """The synced hall profile names the hall; the config's names are only a fallback."""
        t = self.settings.terminal
        hall = self.hall()
        if hall is not None and hall.name:
            return hall.name, hall.name_en or t.hall_name_en
        return t.hall_name, t.hall_name_en

    def identify_code(self, text: str) -> Identity | None:
        """A scanned platform person code (``HK1``, verified offline) as an identity, or None."""
        uc = self._services.usecases
        code = uc.identify_code(text) if uc is not None else None
        return Identity.from_person_code(code.sub) if code is not None else None

    def code_reason(self, text: str) -> str:
        """Why a scanned code identifies no one ("" if it does): ``expired``, ``bad_signature``,
        ``unknown_key``, ``not_recognised``..."""
        uc = self._services.usecases
        return uc.code_reason(text) if uc is not None else "not_recognised"

    # -- catalog ---------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> list[ItemSummary]:
        catalog = self._services.catalog
        if catalog is None:
            raise Unavailable(self.unavailable_reason("catalog"))
        return catalog.search(text, limit)

    def item(self, code: str) -> Mapping[str, object]:
        catalog = self._services.catalog
        if catalog is None:
            raise Unavailable(self.unavailable_reason("catalog"))
        item = catalog.item(code)
        if item is None:
            raise KeyError(code)
        return item

    def print_checklist(
        self,
        item_code: str,
        item_name: str,
        materials: tuple[ChecklistMaterial, ...],
        *,
        location: str | None,
        phone: str | None,
    ) -> PrintReceipt:
        doc = ChecklistSlip(
            hall_name=self.hall_names()[0],
            item_name=item_name,
            materials=materials,
            printed_at=datetime.now().astimezone(),
            item_code=item_code,
            location=location,
            phone=phone,
        )
        try:
            job = device_jobs.print_on_first_printer(self._services.devices, doc)
        except LookupError:
            raise PrintFailed("no_printer") from None
        try:
            return job.result(timeout=PRINT_TIMEOUT_S)
        except DeviceError as exc:
            raise PrintFailed(exc.code) from exc
        except TimeoutError as exc:
            raise PrintFailed("timeout") from exc

    # -- cases -----------------------------------------------------------------------------------
    def lookup_cases(self, *, case_number: str = "", identity: Identity | None = None) -> Cases:
        """Online, else the sealed case cache; raises ``Offline`` when neither can answer."""
        platform = self._services.platform
        if platform is None:
            raise Offline("no platform service")
        try:
            if case_number:
                answer = platform.lookup_cases(case_number=case_number)
            elif identity is not None and identity.id_number:
                answer = platform.lookup_cases(id_number=identity.id_number)
            else:
                return Cases((), False)
        except CaseLookupUnavailable as exc:
            raise Offline(str(exc)) from exc
        return Cases(tuple(answer.cases), answer.source == "cache")

    # -- appointments ----------------------------------------------------------------------------
    def booking_today(self, identity: Identity) -> BookingToday | None:
        """The holder's booking for today not yet checked in (the synced bookings of this hall),
        or None; nothing is changed. A card laid on any citizen screen asks this first."""
        q = self._services.queue
        uc = self._services.usecases
        holder = identity.hash_with(q.profile.id_hash_salt) if q is not None else None
        if q is None or uc is None or self._services.store is None or holder is None:
            return None
        picked = uc.open_booking(holder)
        if picked is None:
            return None
        b, slot = picked
        cat = q.profile.category(b.category)
        return BookingToday(
            b.category, cat.name if cat else b.category, b.item_code, slot,
            b.holder_name_masked or identity.masked_name(),
        )  # fmt: skip

    def service_to_rate(
        self, *, identity: Identity | None = None, ticket_qr: str = ""
    ) -> ServiceToRate | None:
        """Today's service of the citizen at the kiosk's 好差评: their ticket's QR (``HKT:<id>``)
        or their card (the holder's latest ticket served or at a window); None if nothing of
        theirs was served today. Nothing is changed."""
        q = self._services.queue
        store = self._services.store
        if q is None or store is None:
            return None
        from kiosk.queue.model import TicketState

        holder = identity.hash_with(q.profile.id_hash_salt) if identity is not None else None
        wanted = ticket_qr[4:].strip() if ticket_qr.startswith("HKT:") else ""
        if not wanted and holder is None:
            return None
        with store.read() as conn:
            tickets = ledger.tickets_of_day(conn, q.local_day())
            rated = {e.ticket_id for e in ledger.evaluations_for(conn, [t.ticket_id for t in tickets])}
        served = [
            t for t in tickets
            if t.state in (TicketState.SERVED, TicketState.CALLED) and t.ticket_id not in rated
            and (t.ticket_id == wanted if wanted else t.holder_id_hash == holder)
        ]  # fmt: skip
        if not served:
            return None
        t = max(served, key=lambda x: x.called_at or x.issued_at)
        hall = HallInfo.of(q.profile)
        return ServiceToRate(
            t.ticket_id,
            t.number,
            int(t.counter or t.first_counter or 0),
            hall.category_name(t.category),
            hall.category_name_en(t.category),
        )

    # -- self-service: e-licences, forms, applications -----------------------------------------
    def selfservice(self) -> SelfService:
        """E-licences, application forms, the document camera and the A4 printer; raises
        ``Unavailable`` where this terminal has no self-service core (no store or data key)."""
        ss = self._services.selfservice
        if ss is None:
            raise Unavailable(self.unavailable_reason("selfservice"))
        return ss

    # -- statistics ------------------------------------------------------------------------------
    def statistics(self) -> DayStatistics:
        """Today's figures of this box's queue ledger."""
        q = self._services.queue
        store = self._services.store
        if q is None or store is None:
            raise Unavailable(self.unavailable_reason("queue"))
        day = q.local_day()
        tz = q.profile.tz
        d = date.fromisoformat(day)
        with store.read() as conn:
            tickets = ledger.tickets_of_day(conn, day)
            evals = ledger.evaluations_for(conn, [t.ticket_id for t in tickets])
            # every rating of the day counts in the levels, those given at the kiosk without a
            # ticket too (a day either side by text, then exactly by the hall's date)
            around = ledger.evaluations_between(conn, str(d - timedelta(days=1)), str(d + timedelta(days=2)))
        figures = stats.compute(tickets, evals)
        levels = [0, 0, 0, 0, 0]
        for e in around:
            if e.at.astimezone(tz).date() == d and 1 <= e.level <= 5:
                levels[e.level - 1] += 1
        return DayStatistics(
            day, HallInfo.of(q.profile), figures, (levels[0], levels[1], levels[2], levels[3], levels[4]),
            stats.to_csv(figures),
        )  # fmt: skip

    def exports_dir(self) -> Path:
        return self.paths.data / "exports"

    # -- sync, voice -----------------------------------------------------------------------------
    def sync_status(self) -> SyncStatus | None:
        sync = self._services.sync
        return sync.status() if sync is not None else None

    def speak(self, text: str, language: str) -> None:
        item = Announcement("", 0, language="en" if language == "en" else "zh", text=text)
        device_jobs.announce_everywhere(self._services.devices, item)
