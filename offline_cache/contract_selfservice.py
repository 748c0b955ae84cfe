"""The self-service part of the contract (``docs/platform-api.md``, "Self-service"): a person's
e-licences, service items' application forms, applications and their photographed pages.

Kept beside ``contract`` (same checker, same ``?`` convention) with bounded specs: these bodies
carry personal data typed in by citizens and photographs, so every text, list and map has a
length limit that both sides enforce, and identifiers have a pattern.
"""

from __future__ import annotations

import math
import re
from typing import Any

from offline_cache.contract import Bounded, ContractError, Spec, check


class Text(Bounded):
    """A string of ``min_len``..``max_len`` characters, matching ``pattern`` (whole) if given."""

    def __init__(self, max_len: int, pattern: str | None = None, min_len: int = 0) -> None:
        self.max_len, self.min_len = max_len, min_len
        self.pattern = pattern
        self._re = re.compile(pattern) if pattern else None

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise ContractError("expected str", path)
        if not self.min_len <= len(value) <= self.max_len:
            raise ContractError(f"length must be {self.min_len}-{self.max_len}", path)
        if self._re is not None and not self._re.fullmatch(value):
            raise ContractError("does not match the required pattern", path)

    def json_schema(self, render: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "maxLength": self.max_len}
        if self.min_len:
            out["minLength"] = self.min_len
        if self.pattern:
            out["pattern"] = f"^(?:{self.pattern})$"
        return out


class Items(Bounded):
    """A list of ``min_items``..``max_items`` entries, each matching ``spec``."""

    def __init__(self, spec: Spec, max_items: int, min_items: int = 0) -> None:
        self.spec, self.max_items, self.min_items = spec, max_items, min_items

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise ContractError("expected a list", path)
        if not self.min_items <= len(value) <= self.max_items:
            raise ContractError(f"must hold {self.min_items}-{self.max_items} entries", path)
        for i, item in enumerate(value):
            check(item, self.spec, f"{path}[{i}]")

    def json_schema(self, render: Any) -> dict[str, Any]:
        out = {"type": "array", "items": render(self.spec), "maxItems": self.max_items}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


class MapOf(Bounded):
    """An object of at most ``max_keys`` fields named by ``key`` (a ``Text``), values ``spec``."""

    def __init__(self, key: Text, spec: Spec, max_keys: int) -> None:
        self.key, self.spec, self.max_keys = key, spec, max_keys

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise ContractError("expected an object", path)
        if len(value) > self.max_keys:
            raise ContractError(f"more than {self.max_keys} fields", path)
        for k, v in value.items():
            where = f"{path}.{k}" if path else str(k)
            self.key.check(k, where)
            check(v, self.spec, where)

    def json_schema(self, render: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "maxProperties": self.max_keys,
            "propertyNames": self.key.json_schema(render),
            "additionalProperties": render(self.spec),
        }


class Int(Bounded):
    """An integer ``lo``..``hi``; ``207.0`` counts (JSON has one number type and JSON Schema's
    ``integer`` admits it), ``True`` does not."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi

    def check(self, value: Any, path: str) -> None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value != int(value) or not self.lo <= value <= self.hi:
            raise ContractError(f"must be an integer {self.lo}-{self.hi}", path)

    def json_schema(self, render: Any) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.lo, "maximum": self.hi}


KEY = r"[a-z][a-z0-9_]{0,39}"
DATE = r"\d{4}-\d{2}-\d{2}"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ID_NUMBER = r"\d{17}[0-9X]"
SHA256 = r"[0-9a-f]{64}"
FIELD_PATTERN = r"(?:(?:\[[^\]\\]{1,40}\]|\\[dw]|[0-9A-Za-z_@:/ -])(?:\{\d{1,3}(?:,\d{1,3})?\}|[?+*])?){1,24}"
"""What a form field's own ``pattern`` may be: character classes, ``\\d``/``\\w`` and literals, each
optionally quantified; no groups, alternation or anchors. A form comes from the platform and the
kiosk runs its pattern on what a citizen types, so it must not be able to backtrack for ever."""
_VARIABLE = re.compile(r"\{\d{1,3},\d{1,3}\}|[?+*]")


class FieldPattern(Text):
    """A ``FIELD_PATTERN`` with at most two variable-length quantifiers (so matching a 500-character
    value takes at most quadratic time, whatever the platform sent)."""

    def __init__(self) -> None:
        super().__init__(200, FIELD_PATTERN)

    def check(self, value: Any, path: str) -> None:
        super().check(value, path)
        if len(_VARIABLE.findall(value)) > 2:
            raise ContractError("more than two variable-length parts", path)


MAX_PAGE_BYTES = 4 * 1024 * 1024
"""One photographed page as JPEG: an A4 page at 200 dpi is 0.3-1 MB; 4 MB leaves room."""
MAX_VALUE = 500

# -- e-licences (电子证照) ------------------------------------------------------------------------
LICENCE_STATUSES = frozenset({"valid", "expired", "revoked"})
LINE = {"label": Text(64), "value": Text(MAX_VALUE)}
LICENCE = {
    "licence_id": Text(64, min_len=1),
    "type_code": Text(40, KEY),
    "type_name": Text(64, min_len=1),
    "number": Text(64, min_len=1),
    "holder_name": Text(64),
    "issuer": Text(128),
    "issued_on": Text(10, DATE),
    "valid_from": Text(10, DATE),
    "valid_to": (Text(10, DATE), None),
    "status": LICENCE_STATUSES,
    "fields": MapOf(Text(40, KEY), Text(MAX_VALUE), 40),
    "rendering": {
        "title": Text(64, min_len=1),
        "lines": Items(LINE, 40),
        "seal": Text(128),
        "verify_code": Text(128),
    },
}
LICENCES_REQUEST = {"id_number": Text(18, ID_NUMBER)}
LICENCES = {"licences": Items(LICENCE, 100)}

# -- application forms -------------------------------------------------------------------------
FIELD_TYPES = frozenset({"text", "date", "choice", "phone", "id_number", "number"})
SOURCES = frozenset({"card", "licence", "hall", "citizen"})
FORM_FIELD = {
    "key": Text(40, KEY),
    "label": Text(64, min_len=1),
    "label_en": Text(96),
    "type": FIELD_TYPES,
    "source": SOURCES,
    "ref": (Text(64), None),
    "required": bool,
    "max_length": Int(1, MAX_VALUE),
    "pattern": (FieldPattern(), None),
    "choices": Items(Text(64), 50),
}
FORM_MATERIAL = {
    "key": Text(40, KEY),
    "name": Text(128, min_len=1),
    "name_en": Text(160),
    "required": bool,
    "pages_max": Int(1, 20),
}
FORM = {
    "item_code": Text(64, min_len=1),
    "form_id": Text(64, min_len=1),
    "version": Int(1, 1_000_000),
    "title": Text(128, min_len=1),
    "title_en": Text(160),
    "fields": Items(FORM_FIELD, 100, min_items=1),
    "materials": Items(FORM_MATERIAL, 30),
}
FORMS = {"forms": Items(FORM, 2000)}

# -- applications ------------------------------------------------------------------------------
PAGE_REF = {"sha256": Text(64, SHA256), "bytes": Int(1, MAX_PAGE_BYTES)}
PAGE_UPLOADED = PAGE_REF
APPLICATION = {
    "application_id": Text(36, UUID),
    "item_code": Text(64, min_len=1),
    "form_id": Text(64, min_len=1),
    "form_version": Int(1, 1_000_000),
    "submitted_at": Text(40, min_len=10),
    "applicant_id_number": Text(18, ID_NUMBER),
    "data": MapOf(Text(40, KEY), Text(MAX_VALUE), 100),
    "materials": Items({"key": Text(40, KEY), "pages": Items(PAGE_REF, 20, min_items=1)}, 30),
}
APPLICATION_ANSWER = {
    "application_id": Text(36, UUID),
    "case_number": Text(64, r"[0-9A-Z]{4,64}"),
    "status": frozenset({"submitted"}),
    "received_at": Text(40, min_len=10),
    "duplicate": bool,
}
