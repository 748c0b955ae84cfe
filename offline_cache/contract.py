"""The platform contract (``docs/platform-api.md``, v1) as data: shapes both sides check.

A tiny structural checker instead of a JSON Schema engine: the kiosk validates every response
it receives and every event it records; the reference platform validates every request with
the same shapes. ``openapi()`` in ``kiosk.devtools.refplatform`` renders them for the OpenAPI document.

A shape is a dict ``{field: spec}``; a spec is a type, a tuple of allowed types (``None`` for
null), a ``Literal`` set (frozenset of allowed values), a nested shape, or ``[spec]`` for a list.
A field whose name ends in ``?`` may be absent. Unknown fields are ignored (per the contract).
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta
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
    """Raise ``ContractError`` unless ``value`` matches ``spec``.

    A compiled yes/no check of the shape goes first; only a body it refuses is walked again
    below to name the first problem (every event recorded is checked: the simulated
    10,000-ticket day spent a third of its store time here)."""
    if _accepts(spec)(value):
        return
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


_COMPILED: dict[int, tuple[Spec, Any]] = {}


def _accepts(spec: Spec) -> Any:
    """``spec`` compiled to a function value -> bool that agrees with ``check`` (kept per
    spec object; the shapes are module constants)."""
    hit = _COMPILED.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    fn = _compile(spec)
    _COMPILED[id(spec)] = (spec, fn)
    return fn


def _compile(spec: Spec) -> Any:
    if isinstance(spec, dict):
        fields = [
            (k[:-1] if k.endswith("?") else k, k.endswith("?"), _compile(sub)) for k, sub in spec.items()
        ]

        def shape(v: Any) -> bool:
            if not isinstance(v, dict):
                return False
            for name, optional, sub in fields:
                if name not in v:
                    if optional:
                        continue
                    return False
                if not sub(v[name]):
                    return False
            return True

        return shape
    if isinstance(spec, list):
        item = _compile(spec[0])
        return lambda v: isinstance(v, list) and all(item(x) for x in v)
    if isinstance(spec, frozenset):
        return lambda v: isinstance(v, (str, int)) and not isinstance(v, bool) and v in spec
    if isinstance(spec, Range | Bounded):
        return lambda v: _passes(spec, v)
    types = spec if isinstance(spec, tuple) else (spec,)
    if types == (str,):
        return lambda v: isinstance(v, str)
    if types == (str, None):
        return lambda v: v is None or isinstance(v, str)
    nested = [_compile(t) if isinstance(t, dict) else None for t in types]

    def one_of(v: Any) -> bool:
        # the first alternative that applies decides, as in ``check``
        for t, sub in zip(types, nested, strict=True):
            if t is None and v is None:
                return True
            if isinstance(t, Bounded) and v is not None:
                return _passes(t, v)
            if sub is not None and isinstance(v, dict):
                return bool(sub(v))
            if t is int and isinstance(v, int) and not isinstance(v, bool):
                return True
            if t is float and isinstance(v, (int, float)) and not isinstance(v, bool):
                return True
            if t in (str, bool, dict) and isinstance(v, t):
                return True
        return False

    return one_of


def _passes(spec: Any, v: Any) -> bool:
    try:
        spec.check(v, "")
    except ContractError:
        return False
    return True


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

REMOTE_TICKET_REASONS = frozenset(
    {
        "malformed",
        "unknown_category",
        "hall_closed",
        "daily_limit_reached",
        "day_full",
        "real_name_limit",
        "arrive_by_passed",
        "already_issued",
        "refused",
    }
)
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
        "channel?": frozenset({"kiosk", "online"}),
        "request_id?": OS,
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
    "ticket.arrived": {
        "ticket_id": S,
        "request_id": S,
        "arrived_at": S,
        "by": frozenset({"id_card", "code"}),
    },
    "ticket.near_turn": {"ticket_id": S, "request_id": S, "number": S, "category": S, "ahead": Range(0, 999)},
    "ticket.expired": {
        "ticket_id": S,
        "request_id": OS,
        "reason": frozenset({"not_arrived"}),
        "arrive_by": S,
    },
    "remote_ticket.refused": {"request_id": S, "reason": REMOTE_TICKET_REASONS, "detail?": OS},
    "device.fault": {"device": S, "kind": S, "code": S, "detail": S},
    "device.recovered": {"device": S, "kind": S, "code": S, "detail": S},
}
"""``data`` of each event type the platform accepts (the contract's list, exactly)."""

EVENT = {"id": S, "type": frozenset(EVENT_DATA), "at": S, "terminal_id": S, "hall_id": S, "data": dict}


def check_event(event: Any, path: str = "") -> None:
    check(event, EVENT, path)
    check(event["data"], EVENT_DATA[event["type"]], f"{path}.data" if path else "data")


# -- bounds: what any body may hold, whatever its shape -------------------------------------

MAX_BODY_BYTES = 16 * 1024 * 1024
"""A catalog page of 1,000 items with long texts is about 5 MB; nothing the contract sends is more."""
MAX_DEPTH = 16
"""The deepest body in the contract (a catalog page's FAQ entry) is 5 levels; 16 leaves room."""
MAX_STRING = 64 * 1024
MAX_ITEMS = 20_000
"""Per list or object: a catalog page holds at most 1,000 items, a push 500 events."""
MAX_NODES = 1_000_000
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_bounds(value: Any, path: str = "", *, text: bool = True) -> None:
    """Raise ``ContractError`` unless ``value`` (decoded JSON) stays inside the bounds above.

    Iterative, so a deep value cannot exhaust the stack here; every later consumer (the shape
    check, ``json.dumps``) then only sees shallow, finite data. Integers are left to the
    receiver's per-record checks, so one huge number refuses one record, not a whole page.
    """
    todo: list[tuple[Any, str, int]] = [(value, path, 1)]
    nodes = 0
    while todo:
        v, where, depth = todo.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ContractError(f"more than {MAX_NODES} values", path)
        if depth > MAX_DEPTH:
            raise ContractError(f"nested deeper than {MAX_DEPTH} levels", where)
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, int):
            continue  # bounded per field by the receiver (one huge number refuses one record)
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ContractError("number not finite (1e999 is Infinity)", where)
        elif isinstance(v, str):
            if len(v) > MAX_STRING:
                raise ContractError(f"text longer than {MAX_STRING} characters", where)
            if text and _SURROGATE.search(v):
                # "\ud800" is valid JSON but not text: SQLite, logs and Qt cannot encode it
                raise ContractError("text with an unpaired surrogate", where)
        elif isinstance(v, list):
            if len(v) > MAX_ITEMS:
                raise ContractError(f"more than {MAX_ITEMS} entries", where)
            todo.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(v))
        elif isinstance(v, dict):
            if len(v) > MAX_ITEMS:
                raise ContractError(f"more than {MAX_ITEMS} fields", where)
            for key, item in v.items():
                if not isinstance(key, str) or len(key) > 256 or (text and _SURROGATE.search(key)):
                    raise ContractError("field name not a short text", where)
                todo.append((item, f"{where}.{key}" if where else key, depth + 1))
        else:
            raise ContractError(f"not a JSON value ({type(v).__name__})", where)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(data: bytes | str, *, text: bool = True) -> Any:
    """Decode a JSON body received from the other side, inside the bounds; ``ContractError``
    (a ValueError) for anything else. ``NaN``/``Infinity`` are refused (not JSON), as are
    numbers with thousands of digits (Python's int limit) and nesting the parser cannot
    follow, so no body can raise anything but this one error. ``text=False`` lets unpaired
    surrogates through (the reference platform accepts any JSON string the schema allows)."""
    if len(data) > MAX_BODY_BYTES:
        raise ContractError(f"body larger than {MAX_BODY_BYTES} bytes")
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise ContractError(f"nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ContractError(f"not JSON ({str(exc)[:80]})") from None
    check_bounds(value, text=text)
    return value


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
    "name_en?": OS,
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
    "item_name_en?": OS,
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
REMOTE_TICKET = {
    "id": S,
    "category": S,
    "item_code?": OS,
    "holder_id_hash": S,
    "holder_name_masked?": OS,
    "taken_at": S,
    "arrive_by": S,
}
ANY_ITEM = (dict, str, int, float, bool, None)
REMOTE_TICKETS_PAGE = {"requests": [ANY_ITEM], "cursor": S, "has_more": bool}
"""A page of online ticket requests: the page is checked as a whole, each request on its own
(``remote_ticket_problem``), so one malformed request is refused alone, never the whole page."""
REQUEST_ID_MAX = 64
ARRIVE_WINDOW_MAX_H = 24


def remote_ticket_problem(req: Any) -> str | None:
    """Why a request cannot be read (bounds a structural shape does not say), or None.

    The id is what makes issuing idempotent, so it must be a short printable token; the holder
    hash is the contract's SHA-256 hex; both times carry an offset, and the holder must be
    given a real window: arrival after taking, within ``ARRIVE_WINDOW_MAX_H`` hours.
    """
    try:
        check(req, REMOTE_TICKET)
    except ContractError as exc:
        return str(exc)
    rid = req["id"]
    if not 1 <= len(rid) <= REQUEST_ID_MAX or not all(
        c.isascii() and (c.isalnum() or c in "-_.:") for c in rid
    ):
        return "id: must be 1-64 characters of A-Z a-z 0-9 - _ . :"
    if not 1 <= len(req["category"]) <= 16:
        return "category: must be 1-16 characters"
    h = req["holder_id_hash"]
    if len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
        return "holder_id_hash: must be 64 lowercase hex digits"
    masked = req.get("holder_name_masked")
    if isinstance(masked, str) and len(masked) > 32:
        return "holder_name_masked: at most 32 characters"
    item = req.get("item_code")
    if isinstance(item, str) and len(item) > 64:
        return "item_code: at most 64 characters"
    times: dict[str, datetime] = {}
    for key in ("taken_at", "arrive_by"):
        try:
            t = datetime.fromisoformat(req[key])
        except ValueError:
            return f"{key}: not an RFC 3339 time"
        if t.tzinfo is None:
            return f"{key}: must carry an offset"
        times[key] = t
    span = times["arrive_by"] - times["taken_at"]
    if span <= timedelta(0) or span > timedelta(hours=ARRIVE_WINDOW_MAX_H):
        return f"arrive_by: must be after taken_at, within {ARRIVE_WINDOW_MAX_H} h"
    return None


KEYS = {"keys": [{"kid": S, "alg": frozenset({"Ed25519"}), "public_key": S, "not_after": OS}]}
ERROR = {"error": S}


def _tuple_dict(spec: Spec) -> dict[str, Any] | None:
    """The object shape inside a ``(shape, None)`` spec (used by the OpenAPI renderer)."""
    if isinstance(spec, tuple):
        for t in spec:
            if isinstance(t, dict):
                return t
    return None
