"""A service's guide (办事指南): conditions, materials, fees; the checklist printed on request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from devices.printer import ChecklistMaterial
from ui.presenters.base import Presenter

FORMS = {"原件": "original", "复印件": "copy", "原件及复印件": "original_and_copy", "电子": "electronic"}


def _text(item: Mapping[str, object], key: str) -> str:
    return str(item.get(key) or "")


def _en(item: Mapping[str, object], key: str) -> str:
    """The catalog's English text where it has one (``<key>_en``), else the hall's own."""
    return _text(item, f"{key}_en") or _text(item, key)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) and str(value).strip() else 0


def guide_view(item: Mapping[str, object]) -> dict[str, object]:
    materials = []
    raw = item.get("materials")
    for m in raw if isinstance(raw, Sequence) else []:
        if not isinstance(m, Mapping):
            continue
        form = str(m.get("form") or m.get("format") or "原件")
        materials.append(
            {
                "name": str(m.get("name", "")),
                "nameEn": str(m.get("name_en") or m.get("name", "")),
                "form": FORMS.get(form, "original"),
                "formText": form,
                "copies": _int(m.get("copies")) or 1,
                "required": bool(m.get("required", True)),
                "note": str(m.get("note") or ""),
                "noteEn": str(m.get("note_en") or ""),
            }
        )
    kind = item.get("kind")
    return {
        "code": _text(item, "code"),
        "name": _text(item, "name"),
        "nameEn": _en(item, "name"),
        "nameEnMissing": not _text(item, "name_en"),
        "department": _text(item, "department"),
        "departmentEn": _en(item, "department"),
        "kind": 1 if str(kind) in ("1", "即办件", "immediate") else 2,
        "legalDays": _int(item.get("legal_days")),
        "promisedDays": _int(item.get("promised_days")),
        "visits": 1,
        "conditions": _text(item, "conditions"),
        "conditionsEn": _en(item, "conditions"),
        "fee": _text(item, "fee"),
        "feeEn": _en(item, "fee"),
        "location": _text(item, "location"),
        "locationEn": _en(item, "location"),
        "hours": "",
        "hoursEn": "",
        "phone": _text(item, "phone"),
        "category": _text(item, "category"),
        "materials": materials,
    }


class ServiceGuidePresenter(Presenter):
    screen = "service_guide"
    card_purpose = "take_number"

    def connect(self) -> None:
        g = self.ctx.guide
        g.openRequested.connect(self.load)
        g.printRequested.connect(self.print_checklist)
        g.takeNumberRequested.connect(self.take_number)

    def take_number(self, category: str) -> None:
        self.ctx.ui.go("take_number")
        self.ctx.take_number.choose(category)

    def load(self, code: str) -> None:
        self.run(lambda: guide_view(self.kiosk.item(code)), self.ctx.guide.show, self.log_failure("guide"))

    def print_checklist(self, code: str) -> None:
        def job() -> None:
            item = guide_view(self.kiosk.item(code))
            mats = item["materials"]
            assert isinstance(mats, list)
            self.kiosk.print_checklist(
                str(item["code"]),
                str(item["name"]),
                tuple(
                    ChecklistMaterial(m["name"], m["formText"], m["copies"], m["required"], m["note"])
                    for m in mats
                ),
                location=str(item["location"]) or None,
                phone=str(item["phone"]) or None,
            )

        self.run(
            job,
            lambda _r: self.ctx.guide.set_print_status("printed"),
            lambda _e: self.ctx.guide.set_print_status("failed"),
        )
