"""The platform contract (``docs/platform-api.md``, v1) as data: shapes both sides check.

A tiny structural checker instead of a JSON Schema engine: the kiosk validates every response
it receives and every event it records; the reference platform validates every request with
the same shapes. ``openapi()`` in ``kiosk.refplatform`` renders them for the OpenAPI document.

A shape is a dict ``{field: spec}``; a spec is a type, a tuple of allowed types (``None`` for
null), a ``Literal`` set (frozenset of allowed values), a nested shape, or ``[spec]`` for a list.
A field whose name ends in ``?`` may be absent. Unknown fields are ignored (per the contract).
"""

from __future__ import annotations

from typing import Any


class ContractError(ValueError):
    """A body did not match the contract; ``field`` is the dotted path of the first problem."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


NoneType = type(None)
Spec = Any


def check(value: Any, spec: Spec, path: str = "") -> None:
    """Raise ``ContractError`` unless ``value`` matches ``spec``."""
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise ContractError("expected an object", path)
        for key, sub in spec.items():
            optional = key.endswith("?")
            name = key[:-1] if optional else key
            where = f"{path}.{name}" if path else name
            if name not in value:
                if optional:
                    continue
                raise ContractError("missing", where)
            check(value[name], sub, where)
        return
    if isinstance(spec, list):
        if not isinstance(value, list):
            raise ContractError("expected a list", path)
        for i, item in enumerate(value):
            check(item, spec[0], f"{path}[{i}]")
        return
    if isinstance(spec, frozenset):
        if not isinstance(value, (str, int)) or isinstance(value, bool) or value not in spec:
            raise ContractError(f"must be one of {sorted(map(str, spec))}", path)
        return
    if isinstance(spec, Range | Bounded):
        spec.check(value, path)
        return
    types = spec if isinstance(spec, tuple) else (spec,)
    for t in types:
        if t is None and value is None:
            return
        if isinstance(t, Bounded) and value is not None:
            t.check(value, path)
            return
        if isinstance(t, dict) and isinstance(value, dict):
            check(value, t, path)
            return
        if t is int and isinstance(value, int) and not isinstance(value, bool):
            return
        if t is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return
        if t in (str, bool, dict) and isinstance(value, t):
            return
    names = "/".join("null" if t is None else getattr(t, "__name__", "object") for t in types)
    raise ContractError(f"expected {names}", path)


class Bounded:
    """A spec with its own check and JSON Schema (bounded texts, lists and maps below)."""

    def check(self, value: Any, path: str) -> None:
        raise NotImplementedError

    def json_schema(self, render: Any) -> dict[str, Any]:
        """JSON Schema; ``render(spec)`` renders a nested spec (the OpenAPI renderer's own)."""
        raise NotImplementedError


class Range:
    """An integer between ``lo`` and ``hi`` inclusive (e.g. evaluation levels 1-5)."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not self.lo <= value <= self.hi:
            raise ContractError(f"must be an integer {self.lo}-{self.hi}", path)


S = str
OS = (str, None)
OI = (int, None)

PRIORITIES = frozenset({"normal", "appointment", "elderly", "disability", "military", "vip"})

EVENT_DATA: dict[str, dict[str, Spec]] = {
    "ticket.issued": {
        "ticket_id": S,
        "number": S,
        "category": S,
        "item_code": OS,
        "priority": PRIORITIES,
        "appointment_id": OS,
        "holder_id_hash": OS,
        "issued_at": S,
    },
    "ticket.called": {"ticket_id": S, "counter": int, "called_at": S, "recall": bool},
    "ticket.skipped": {"ticket_id": S, "counter": int, "reason": frozenset({"no_show"})},
    "ticket.transferred": {"ticket_id": S, "from_counter": int, "to_category": S},
    "ticket.served": {"ticket_id": S, "counter": int, "started_at": S, "finished_at": S, "case_number": OS},
    "appointment.checked_in": {"appointment_id": S, "ticket_id": S, "checked_in_at": S, "late_minutes": int},
    "evaluation.submitted": {
        "evaluation_id": S,
        "ticket_id": OS,
        "case_number": OS,
        "counter": OI,
        "channel": frozenset({"window", "kiosk"}),
        "level": Range(1, 5),
        "tags": [S],
        "comment": OS,
    },
    "device.fault": {"device": S, "kind": S, "code": S, "detail": S},
    "device.recovered": {"device": S, "kind": S, "code": S, "detail": S},
}
"""``data`` of each event type the platform accepts (the contract's list, exactly)."""

EVENT = {"id": S, "type": frozenset(EVENT_DATA), "at": S, "terminal_id": S, "hall_id": S, "data": dict}


def check_event(event: Any, path: str = "") -> None:
    check(event, EVENT, path)
    check(event["data"], EVENT_DATA[event["type"]], f"{path}.data" if path else "data")


# -- responses and requests ------------------------------------------------------------------

HALL = {
    "hall_id": S,
    "name": S,
    "address": S,
    "timezone": S,
    "opening_hours": [{"weekday": Range(1, 7), "open": S, "close": S}],
    "categories": [{"code": S, "name": S, "prefix": S, "daily_limit": int, "priority_allowed": bool}],
    "counters": [{"number": int, "name": S, "categories": [S]}],
    "version": int,
    "id_hash_salt?": S,
}

MATERIAL = {"name": S, "copies": int, "original": bool, "required": bool, "note": OS}
ITEM = {
    "code": S,
    "name": S,
    "department": S,
    "category": S,
    "kind": frozenset({"immediate", "promised"}),
    "legal_days": OI,
    "promised_days": OI,
    "online_depth": Range(1, 4),
    "fee": S,
    "location": S,
    "phone": S,
    "conditions": S,
    "materials": [MATERIAL],
    "steps": [S],
    "faq": [{"q": S, "a": S}],
    "updated_at": S,
}
CATALOG_PAGE = {"items": [ITEM], "deleted": [S], "cursor": S, "has_more": bool}

APPOINTMENT = {
    "id": S,
    "item_code": OS,
    "category": S,
    "slot_start": S,
    "slot_end": S,
    "holder_id_hash": S,
    "holder_name_masked": S,
    "status": frozenset({"booked", "cancelled"}),
}
APPOINTMENTS_PAGE = {"appointments": [APPOINTMENT], "cursor": S, "has_more": bool}

CASE_STATUSES = frozenset(
    {
        "submitted",
        "accepted",
        "in_progress",
        "awaiting_supplement",
        "completed",
        "rejected",
        "ready_for_pickup",
    }
)
CASE = {
    "case_number": S,
    "item_code": S,
    "item_name": S,
    "status": CASE_STATUSES,
    "updated_at": S,
    "timeline": [{"at": S, "step": S, "status": S, "note": OS}],
    "pickup": ({"method": frozenset({"window", "post"}), "where": OS, "tracking_number": OS}, None),
}
CASES = {"cases": [CASE]}

EVENTS_REQUEST = {"events": [dict]}
EVENTS_RESPONSE = {"accepted": [S], "duplicates": [S], "rejected": [{"id": S, "reason": S}]}

HEARTBEAT_REQUEST = {
    "version": S,
    "profile": S,
    "state": S,
    "devices": [{"name": S, "kind": S, "state": S, "detail": OS}],
    "queue": dict,
    "outbox_depth": int,
    "last_sync_at": OS,
}
COMMAND_NAMES = frozenset({"sync_now", "print_test", "reload_config"})
HEARTBEAT_RESPONSE = {
    "server_time": S,
    "config_version": int,
    "commands": [{"id": S, "name": S, "args": dict}],
}
KEYS = {"keys": [{"kid": S, "alg": frozenset({"Ed25519"}), "public_key": S, "not_after": OS}]}
ERROR = {"error": S}


def _tuple_dict(spec: Spec) -> dict[str, Any] | None:
    """The object shape inside a ``(shape, None)`` spec (used by the OpenAPI renderer)."""
    if isinstance(spec, tuple):
        for t in spec:
            if isinstance(t, dict):
                return t
    return None
