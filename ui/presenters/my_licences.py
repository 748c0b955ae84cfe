"""My licences (我的电子证照): after the card, the holder's e-licences from the platform, one
printed on the A4 printer. Without the platform the screen says so plainly; nothing is cached."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from kiosk.privacy import mask_id_number
from kiosk.selfservice.printing import PrintRefused
from kiosk.selfservice.service import LicencesUnavailable
from kiosk.usecases.messages import text
from ui.presenters.base import Presenter
from ui.viewmodels.base import StateViewModel
from ui.viewmodels.selfservice import LicencesViewModel


def both(key: str, **params: str) -> dict[str, str]:
    """A core message in both languages (the screen shows the one in use)."""
    return {"zh": text(key, "zh", **params), "en": text(key, "en", **params)}


def print_a4(presenter: Presenter, vm: StateViewModel, job: Callable[[], object]) -> None:
    """``job`` prints on A4 on a worker; ``printing`` says how it went (``failed`` in red) and
    ``printMsg`` the sentence the screen shows: where to take the paper, or why it did not print."""

    def failed(exc: BaseException) -> None:
        key = exc.message if isinstance(exc, PrintRefused) else "a4_failed"
        vm.update(printing="failed", printMsg=both(key))

    def done(_r: object) -> None:
        vm.update(printing="printed", printMsg=both("licence_printed"))

    presenter.run(job, done, failed)


_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


def masked(text: str) -> str:
    """Any full ID number in a value masked (the screen never shows one unmasked)."""
    return _ID.sub(lambda m: mask_id_number(m.group(0)), text)


TYPE_NAMES_EN = {
    "marriage": "Marriage certificate",
    "property": "Real estate title certificate",
    "hukou": "Household register",
    "business": "Business licence",
    "driving": "Driving licence",
    "id_card": "Resident ID card",
}
"""English names of common licence types (the platform names them in Chinese)."""


def licence_view(lic: Mapping[str, object]) -> dict[str, object]:
    """What the list shows: type, masked number, issuer, validity (not the holder's details)."""
    return {
        "id": str(lic["licence_id"]),
        "typeName": str(lic["type_name"]),
        "typeNameEn": TYPE_NAMES_EN.get(str(lic["type_code"]), str(lic["type_name"])),
        "number": masked(str(lic["number"])),
        "issuer": str(lic["issuer"]),
        "validTo": str(lic.get("valid_to") or ""),
        "status": str(lic["status"]),
    }


class MyLicencesPresenter(Presenter):
    screen = "my_licences"
    card_purpose = "my_licences"

    @property
    def vm(self) -> LicencesViewModel:
        return self.ctx.vm(LicencesViewModel)

    def connect(self) -> None:
        self.vm.printRequested.connect(self.print_licence)

    def shown(self) -> None:
        identity = self.card_holder("my_licences")
        if identity is None:
            return
        if self.vm.get("step") != "idle":
            return
        self.vm.update(step="loading", holder=identity.masked_name())
        vm = self.vm

        def done(found: list[dict[str, object]]) -> None:
            vm.raw = {str(x["licence_id"]): x for x in found}
            vm.update(step="list" if found else "none", licences=[licence_view(x) for x in found])

        def failed(exc: BaseException) -> None:
            key = exc.reason if isinstance(exc, LicencesUnavailable) else "licences_need_platform"
            vm.update(step="unavailable", message=both(key))

        self.run(lambda: self.kiosk.selfservice().licences(identity), done, failed)

    def print_licence(self, licence_id: str) -> None:
        lic = self.vm.raw.get(licence_id)
        if lic is None:
            return
        print_a4(self, self.vm, lambda: self.kiosk.selfservice().print_licence(lic))
