"""Apply (自助申报) from a service guide: the item's form prefilled from the card, the holder's
e-licences and the hall profile; the citizen completes the rest on the on-screen keyboard,
checks a summary, photographs the materials on the document camera and submits; the receipt
(case number, or the local reference while the platform is away) is printed on A4."""

from __future__ import annotations

import logging

from devices.doccam import PagePhoto
from kiosk.identity.person import Identity
from kiosk.privacy import mask_id_number, mask_name
from kiosk.selfservice.forms import Form, Prefilled
from kiosk.selfservice.service import CameraUnavailable, LicencesUnavailable, Submission
from ui.presenters.base import Presenter
from ui.presenters.my_licences import both, print_a4
from ui.viewmodels.selfservice import ApplyViewModel

log = logging.getLogger(__name__)


def shown(ref: str, type_: str, value: str) -> str:
    """What the screen shows of a prefilled value: ID numbers and people's names masked (the
    citizen checks them against the card; the full values go to the platform, not to QML)."""
    if not value:
        return value
    if type_ == "id_number":
        return mask_id_number(value)
    if ref == "name" or ref.endswith(("_name", ".operator")):
        return mask_name(value)
    return value


def field_views(form: Form, filled: Prefilled) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for f in form.fields:
        value = filled.values.get(f.key, "")
        prefilled = f.key in filled.filled
        out.append({
            "key": f.key, "label": f.label, "labelEn": f.label_en, "type": f.type, "source": f.source,
            "value": "" if prefilled else value,
            "shown": shown(f.ref or "", f.type, value) if prefilled else value,
            "prefilled": prefilled, "editable": not prefilled, "required": f.required,
            "choices": list(f.choices), "problem": "",
        })  # fmt: skip
    return out


def form_view(form: Form, filled: Prefilled) -> dict[str, object]:
    """The form step's state: the item, how much was prefilled, the fields and the materials
    (none photographed yet)."""
    return {
        "title": form.title,
        "titleEn": form.title_en,
        "share": round(100 * filled.share(form)),
        "fields": field_views(form, filled),
        "materials": [
            {"key": m.key, "name": m.name, "nameEn": m.name_en, "required": m.required,
             "pages": 0, "lastOk": True}
            for m in form.materials
        ],
    }  # fmt: skip


class ApplyPresenter(Presenter):
    screen = "apply"
    card_purpose = "apply"

    @property
    def vm(self) -> ApplyViewModel:
        return self.ctx.vm(ApplyViewModel)

    def connect(self) -> None:
        vm = self.vm
        vm.photographRequested.connect(self.photograph)
        vm.submitRequested.connect(self.submit)
        vm.printRequested.connect(self.print_receipt)

    def shown(self) -> None:
        identity = self.card_holder("apply")
        if identity is None:
            return
        if self.vm.get("step") == "loading":
            self.load(str(self.vm.get("itemCode")), identity)

    def load(self, code: str, identity: Identity) -> None:
        vm = self.vm

        def job() -> tuple[Form, Prefilled] | None:
            ss = self.kiosk.selfservice()
            form = ss.form(code)
            if form is None:
                return None
            try:
                licences = ss.licences(identity)
            except LicencesUnavailable:
                licences = []  # the card and the hall profile still prefill
            return form, ss.prefill(form, identity, licences)

        def done(result: tuple[Form, Prefilled] | None) -> None:
            if result is None:
                vm.update(step="no_form", message=both("no_form"))
                return
            form, filled = result
            vm.form = form
            vm.values = dict(filled.values)
            vm.update(step="form", **form_view(form, filled))

        def failed(exc: BaseException) -> None:
            log.warning("apply: loading the form failed: %s", type(exc).__name__)
            vm.update(step="error", message=both("store_unavailable"))

        self.run(job, done, failed)

    def photograph(self, material: str) -> None:
        vm = self.vm

        def done(photo: PagePhoto) -> None:
            if not photo.legible:
                vm.update(camera="failed", cameraMsg=both("page_not_found"))
                return
            vm.pages.setdefault(material, []).append(photo.jpeg)
            mats = [dict(m) for m in vm.get("materials")]
            for m in mats:
                if m["key"] == material:
                    m["pages"] = len(vm.pages[material])
            vm.update(materials=mats, camera="")

        def failed(exc: BaseException) -> None:
            key = exc.reason if isinstance(exc, CameraUnavailable) else "camera_failed"
            vm.update(camera="failed", cameraMsg=both(key))

        self.run(lambda: self.kiosk.selfservice().photograph(), done, failed)

    def submit(self) -> None:
        vm = self.vm
        identity = self.ctx.identify.identity
        form = vm.form
        if identity is None or form is None:
            vm.update(step="error", message=both("application_invalid"))
            return
        values, pages = dict(vm.values), {k: list(v) for k, v in vm.pages.items()}

        def done(sub: Submission) -> None:
            if not sub.ok and sub.message == "application_invalid":
                bad = {p.key: p.code for p in sub.problems}
                fields = [dict(f, problem=bad.get(str(f["key"]), "")) for f in vm.get("fields")]
                mats = [dict(m, lastOk=str(m["key"]) not in bad) for m in vm.get("materials")]
                step = "form" if any(f["problem"] for f in fields) else "photos"
                vm.update(step=step, fields=fields, materials=mats, message=both(sub.message))
                return
            vm.submission = sub
            vm.pages = {}  # sealed in the spool now; the screen keeps no photograph
            msg = both(sub.message, case_number=sub.case_number, local_ref=sub.local_ref)
            vm.update(step="receipt", message=msg, caseNumber=sub.case_number, localRef=sub.local_ref)
            if sub.ok:
                self.print_receipt()

        def failed(exc: BaseException) -> None:
            log.warning("apply: submitting failed: %s", type(exc).__name__)
            vm.update(step="error", message=both("store_unavailable"))

        self.run(lambda: self.kiosk.selfservice().submit(form, identity, values, pages), done, failed)

    def print_receipt(self) -> None:
        vm = self.vm
        identity = self.ctx.identify.identity
        if identity is None or vm.form is None or vm.submission is None:
            return
        form, sub = vm.form, vm.submission
        counts = {str(m["key"]): int(m["pages"]) for m in vm.get("materials")}
        vm.update(printing="printing")
        print_a4(self, vm, lambda: self.kiosk.selfservice().print_receipt(form, identity, sub, counts))
