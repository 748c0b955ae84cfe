"""Application forms: the platform's form as data, its validation rules, and prefill.

Both sides run the same rules: the kiosk before it accepts an application locally (so a citizen
hears about a mistake at the terminal, not days later), the reference platform when it receives
one. Prefill fills a field from what the government already holds: the ID card just read, the
holder's e-licences, the hall profile; only ``citizen`` fields are left to the keyboard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from offline_cache import contract
from offline_cache.contract_selfservice import FORM

PREFILL_SOURCES = ("card", "licence", "hall")
CARD_REFS = ("name", "gender", "nation", "birth_date", "address", "id_number", "doc_type")
HALL_REFS = ("name", "address", "hall_id")
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"\d{1,12}(\.\d{1,4})?")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number_ok(value: str) -> bool:
    """An 18-character resident ID number with the right check character (GB 11643)."""
    v = value.strip().upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(v[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == v[17]


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    label_en: str
    type: str
    source: str
    ref: str | None
    required: bool
    max_length: int
    pattern: str | None = None
    choices: tuple[str, ...] = ()

    @property
    def prefillable(self) -> bool:
        return self.source in PREFILL_SOURCES


@dataclass(frozen=True)
class FormMaterial:
    key: str
    name: str
    name_en: str
    required: bool
    pages_max: int


@dataclass(frozen=True)
class Form:
    item_code: str
    form_id: str
    version: int
    title: str
    title_en: str
    fields: tuple[FormField, ...]
    materials: tuple[FormMaterial, ...] = ()

    @classmethod
    def from_json(cls, body: Any) -> Form:
        """A form as the platform sends it; ``contract.ContractError`` when it is not one."""
        contract.check(body, FORM)
        return cls(
            item_code=body["item_code"],
            form_id=body["form_id"],
            version=int(body["version"]),
            title=body["title"],
            title_en=body["title_en"],
            fields=tuple(
                FormField(
                    f["key"],
                    f["label"],
                    f["label_en"],
                    f["type"],
                    f["source"],
                    f["ref"],
                    bool(f["required"]),
                    int(f["max_length"]),
                    f["pattern"],
                    tuple(f["choices"]),
                )
                for f in body["fields"]
            ),
            materials=tuple(
                FormMaterial(m["key"], m["name"], m["name_en"], bool(m["required"]), int(m["pages_max"]))
                for m in body["materials"]
            ),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "item_code": self.item_code,
            "form_id": self.form_id,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "fields": [
                {
                    "key": f.key,
                    "label": f.label,
                    "label_en": f.label_en,
                    "type": f.type,
                    "source": f.source,
                    "ref": f.ref,
                    "required": f.required,
                    "max_length": f.max_length,
                    "pattern": f.pattern,
                    "choices": list(f.choices),
                }
                for f in self.fields
            ],
            "materials": [
                {
                    "key": m.key,
                    "name": m.name,
                    "name_en": m.name_en,
                    "required": m.required,
                    "pages_max": m.pages_max,
                }
                for m in self.materials
            ],
        }

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)

    def design_share(self) -> float:
        """Share of the form's fields the government's data can fill (the 申请表预填比例)."""
        return sum(f.prefillable for f in self.fields) / len(self.fields)


# -- validation --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    key: str
    code: str
    """``required``, ``too_long``, ``pattern``, ``choice``, ``date``, ``phone``, ``id_number``,
    ``number``, ``unknown_field``, ``missing_material``, ``unknown_material``, ``too_many_pages``."""


def check_value(f: FormField, value: str) -> str | None:
    """The problem code for one value, or None."""
    v = value.strip()
    if not v:
        return "required" if f.required else None
    if len(value) > f.max_length:
        return "too_long"
    if f.type == "choice" and v not in f.choices:
        return "choice"
    if f.type == "date":
        if not _DATE.fullmatch(v):
            return "date"
        try:
            date.fromisoformat(v)
        except ValueError:
            return "date"
    if f.type == "phone" and not _PHONE.fullmatch(v):
        return "phone"
    if f.type == "id_number" and not id_number_ok(v):
        return "id_number"
    if f.type == "number" and not _NUMBER.fullmatch(v):
        return "number"
    if f.pattern:
        try:
            if not re.fullmatch(f.pattern, v):
                return "pattern"
        except re.error:
            return "pattern"
    return None


def validate(form: Form, data: Mapping[str, str], pages: Mapping[str, int] | None = None) -> list[Problem]:
    """Every problem of ``data`` (and of the photographed pages per material, when given)."""
    problems = [Problem(k, "unknown_field") for k in data if form.field(k) is None]
    for f in form.fields:
        code = check_value(f, str(data.get(f.key, "")))
        if code is not None:
            problems.append(Problem(f.key, code))
    if pages is not None:
        known = {m.key: m for m in form.materials}
        problems += [Problem(k, "unknown_material") for k in pages if k not in known]
        for m in form.materials:
            n = int(pages.get(m.key, 0))
            if m.required and n == 0:
                problems.append(Problem(m.key, "missing_material"))
            elif n > m.pages_max:
                problems.append(Problem(m.key, "too_many_pages"))
    return problems


# -- prefill -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CardFacts:
    """What the card just read says (``Identity`` plus the card's own extra fields)."""

    name: str = ""
    id_number: str = ""
    gender: str = ""
    nation: str = ""
    birth_date: str = ""
    address: str = ""
    doc_type: str = "居民身份证"

    def __repr__(self) -> str:
        return "CardFacts(<personal fields hidden>)"

    def get(self, ref: str) -> str:
        if ref in CARD_REFS:
            return str(getattr(self, ref) or "")
        return ""


@dataclass(frozen=True)
class Prefilled:
    values: dict[str, str]
    filled: tuple[str, ...]
    """Keys filled from card, licences or hall (the citizen may still correct citizen fields only)."""
    sources: dict[str, str] = field(default_factory=dict)

    def share(self, form: Form) -> float:
        return len(self.filled) / len(form.fields)


def licence_value(licences: Sequence[Mapping[str, Any]], ref: str) -> str:
    """``<type_code>.<field>`` from the holder's valid licence of that type; ``.number``,
    ``.issuer``, ``.issued_on``, ``.valid_to`` are the licence's own attributes."""
    type_code, _, name = ref.partition(".")
    for lic in licences:
        if lic.get("type_code") != type_code or lic.get("status") != "valid":
            continue
        if name in ("number", "issuer", "issued_on", "valid_from", "valid_to"):
            return str(lic.get(name) or "")
        fields = lic.get("fields")
        if isinstance(fields, Mapping):
            return str(fields.get(name) or "")
    return ""


def prefill(
    form: Form,
    card: CardFacts,
    licences: Sequence[Mapping[str, Any]] = (),
    hall: Mapping[str, Any] | None = None,
) -> Prefilled:
    values: dict[str, str] = {}
    filled: list[str] = []
    sources: dict[str, str] = {}
    for f in form.fields:
        value = ""
        ref = f.ref or ""
        if f.source == "card":
            value = card.get(ref)
        elif f.source == "licence":
            value = licence_value(licences, ref)
        elif f.source == "hall" and hall is not None:
            value = str(hall.get(ref) or "") if ref in HALL_REFS else ""
        value = value[: f.max_length]
        values[f.key] = value
        if value and f.prefillable:
            filled.append(f.key)
            sources[f.key] = f.source
    return Prefilled(values, tuple(filled), sources)


def share_report(forms: Sequence[Form]) -> tuple[list[tuple[str, int, int, float]], float]:
    """Per form (title, prefillable, fields, share) and the share over all of them."""
    rows = [(f.title, sum(x.prefillable for x in f.fields), len(f.fields), f.design_share()) for f in forms]
    total = sum(r[2] for r in rows)
    return rows, (sum(r[1] for r in rows) / total if total else 0.0)
