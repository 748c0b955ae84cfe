"""Self-service use cases: a person's e-licences, a service item's form prefilled, and an
application accepted at the terminal (online or not) and delivered exactly once.

Licences live on the platform only: without it they are unavailable and the screen says so in
one plain sentence (``licences_need_platform``); nothing about them is kept locally. Forms are
pulled with the catalog and kept (they are not personal), so a citizen can apply while the
platform is away: the application is validated here with the platform's own rules, sealed in
the spool, and the receipt carries a local reference; the case number follows on delivery.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from devices.a4printer import A4Printer, A4Receipt
from devices.base import DeviceError
from devices.doccam import DocumentCamera, PagePhoto
from kiosk.identity.person import Identity
from kiosk.platform.client import PlatformClient, PlatformError, Rejected
from kiosk.selfservice.delivery import ApplicationDelivery
from kiosk.selfservice.forms import CardFacts, Form, Prefilled, Problem, prefill, validate
from kiosk.selfservice.printing import licence_document, print_a4, receipt_document
from offline_cache import contract, cursors
from offline_cache.applications import ApplicationSpool, Page
from offline_cache.contract_selfservice import APPLICATION
from offline_cache.store import Store

log = logging.getLogger(__name__)

FORM_KEY = "form:"


class CameraUnavailable(Exception):
    """``reason``: ``no_camera`` or ``camera_failed`` (the message key the screen shows)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LicencesUnavailable(Exception):
    """``reason``: ``licences_need_platform`` (none configured or unreachable) or
    ``licences_refused`` (the platform refused the lookup)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Submission:
    ok: bool
    message: str
    """``application_submitted`` (case number known), ``application_queued`` (accepted here,
    delivered when the platform is back), ``application_invalid`` (``problems`` say which
    fields) or ``application_refused`` (the platform refused it; kept for a technician)."""
    application_id: str = ""
    local_ref: str = ""
    case_number: str = ""
    problems: tuple[Problem, ...] = ()


def card_facts(identity: Identity) -> CardFacts:
    birth = identity.birth()
    gender = identity.gender
    if not gender and len(identity.id_number) == 18 and identity.id_number[16].isdigit():
        gender = "男" if int(identity.id_number[16]) % 2 else "女"
    return CardFacts(
        name=identity.name,
        id_number=identity.id_number.upper(),
        gender=gender,
        nation=identity.nation,
        birth_date=birth.isoformat() if birth else "",
        address=identity.address,
    )


def local_ref(application_id: str) -> str:
    """A short reference the citizen can quote before the case number exists."""
    return "ZZ" + application_id.replace("-", "")[:10].upper()


class SelfService:
    def __init__(
        self,
        *,
        store: Store,
        spool: ApplicationSpool,
        client: PlatformClient | None,
        delivery: ApplicationDelivery,
        hall_profile: Callable[[], Mapping[str, Any] | None] = lambda: None,
        printer: A4Printer | None = None,
        print_timeout_s: float = 60.0,
        camera: DocumentCamera | None = None,
    ) -> None:
        self.camera = camera
        self._camera_lock = threading.Lock()
        self.printer = printer
        self.print_timeout_s = print_timeout_s
        self.store = store
        self.spool = spool
        self.client = client
        self.delivery = delivery
        self.hall_profile = hall_profile

    # -- licences ------------------------------------------------------------------------------
    def licences(self, identity: Identity) -> list[dict[str, Any]]:
        """The holder's e-licences from the platform (never cached: they are personal)."""
        if self.client is None or not identity.id_number:
            raise LicencesUnavailable("licences_need_platform")
        try:
            return self.client.licences(identity.id_number.upper())
        except Rejected as exc:
            log.warning("licence lookup refused: HTTP %s %s", exc.status, exc.error)
            raise LicencesUnavailable("licences_refused") from None
        except PlatformError as exc:
            log.info("licence lookup failed: %s", exc.message)
            raise LicencesUnavailable("licences_need_platform") from None

    # -- forms ---------------------------------------------------------------------------------
    def pull_forms(self) -> str:
        """The sync engine's ``forms`` pull: every form the platform has, kept locally."""
        if self.client is None:
            return ""
        forms = [Form.from_json(f) for f in self.client.forms()]

        def apply(conn: Any) -> None:
            for f in forms:
                cursors.put_meta(conn, FORM_KEY + f.item_code, json.dumps(f.to_json(), ensure_ascii=False))

        self.store.write(apply)
        return f" ({len(forms)} forms)"

    def form(self, item_code: str) -> Form | None:
        with self.store.read() as conn:
            text = cursors.get_meta(conn, FORM_KEY + item_code)
        if not text:
            return None
        try:
            return Form.from_json(json.loads(text))
        except (ValueError, contract.ContractError):
            log.warning("stored form of %s is not readable", item_code)
            return None

    def prefill(
        self, form: Form, identity: Identity, licences: Sequence[Mapping[str, Any]] = ()
    ) -> Prefilled:
        return prefill(form, card_facts(identity), licences, self.hall_profile())

    # -- applications --------------------------------------------------------------------------
    def submit(
        self,
        form: Form,
        identity: Identity,
        values: Mapping[str, str],
        pages: Mapping[str, Sequence[bytes]],
        *,
        deliver_now: bool = True,
    ) -> Submission:
        """Validate, seal and spool the application; deliver it right away when online."""
        data = {k: str(v).strip() for k, v in values.items() if str(v).strip()}
        problems = validate(form, data, {k: len(v) for k, v in pages.items() if v})
        if not identity.id_number:
            problems.append(Problem("applicant", "id_number"))
        if problems:
            return Submission(False, "application_invalid", problems=tuple(problems))
        aid = str(uuid.uuid4())
        spooled: list[Page] = []
        materials = []
        for m in form.materials:
            refs = []
            for jpeg in pages.get(m.key, ()):
                digest = hashlib.sha256(jpeg).hexdigest()
                spooled.append(Page(m.key, digest, bytes(jpeg)))
                refs.append({"sha256": digest, "bytes": len(jpeg)})
            if refs:
                materials.append({"key": m.key, "pages": refs})
        application = {
            "application_id": aid,
            "item_code": form.item_code,
            "form_id": form.form_id,
            "form_version": form.version,
            "submitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "applicant_id_number": identity.id_number.upper(),
            "data": data,
            "materials": materials,
        }
        try:
            contract.check(application, APPLICATION)
        except contract.ContractError as exc:
            log.warning("application does not fit the contract: %s", exc.field)
            return Submission(False, "application_invalid", problems=(Problem(exc.field, "too_long"),))
        self.spool.accept(application, spooled)
        log.info("application %s accepted for %s (%d pages)", aid, form.item_code, len(spooled))
        ref = local_ref(aid)
        if deliver_now and self.client is not None:
            try:
                done = self.delivery.deliver_one(aid)
            except Rejected:
                return Submission(False, "application_refused", aid, ref)
            except PlatformError as exc:
                log.info("application %s queued: %s", aid, exc.message)
            else:
                if done is not None:
                    return Submission(True, "application_submitted", aid, ref, done.case_number)
        return Submission(True, "application_queued", aid, ref)

    # -- the document camera -------------------------------------------------------------------
    def photograph(self) -> PagePhoto:
        """One page from the document camera, straightened; ``CameraUnavailable`` without one."""
        if self.camera is None:
            raise CameraUnavailable("no_camera")
        with self._camera_lock:
            try:
                return self.camera.photograph()
            except DeviceError as exc:
                log.warning("document camera: %s", exc.code)
                raise CameraUnavailable("camera_failed") from None

    # -- A4 printing ---------------------------------------------------------------------------
    def hall_name(self) -> str:
        profile = self.hall_profile() or {}
        return str(profile.get("name") or "政务服务中心")

    def print_licence(self, licence: Mapping[str, Any]) -> A4Receipt:
        """The citizen's own copy of one licence; ``PrintRefused`` when the printer cannot."""
        return print_a4(self.printer, licence_document(licence, self.hall_name()), self.print_timeout_s)

    def print_receipt(
        self, form: Form, identity: Identity, submission: Submission, materials: Mapping[str, int]
    ) -> A4Receipt:
        doc = receipt_document(
            form,
            identity,
            hall_name=self.hall_name(),
            local_ref=submission.local_ref,
            case_number=submission.case_number,
            materials=materials,
        )
        return print_a4(self.printer, doc, self.print_timeout_s)

    def case_number(self, application_id: str) -> str | None:
        return self.delivery.case_number(application_id)

    def waiting(self) -> int:
        return self.spool.depth()
