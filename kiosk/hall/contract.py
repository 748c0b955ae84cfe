"""The hall bus contract (``docs/hall-bus.md``): topics, payloads, ops and error codes.

Host and members parse every payload through this one module, so a field one side writes is a
field the other side checks. Parsing never raises anything but ``ContractError`` (with its
code), sizes are bounded before JSON is decoded, and unknown fields are refused: a payload the
contract does not describe changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

VERSION = 1
MAX_REQUEST_BYTES = 64 * 1024
"""A request (the largest is ``submit_offline_tickets`` with ``MAX_OFFLINE_BATCH`` tickets)."""
MAX_RESPONSE_BYTES = 64 * 1024
MAX_STATE_BYTES = 512 * 1024
MAX_CALL_BYTES = 4 * 1024
MAX_PRESENCE_BYTES = 1024
MAX_OFFLINE_BATCH = 100
MAX_LEASE = 200
MAX_TEXT = 200
"""Longest free text (reasons, comments, case numbers) in a request."""
COMMAND_MAX_AGE_S = 60.0
"""A state-changing command older than this (by its ``sent_at``) is refused with ``expired``
instead of run: a call replayed minutes later would be a surprise to the whole hall."""

ID_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
TERMINAL_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class ContractError(ValueError):
    """A payload the contract refuses; ``code`` is one of ``ERRORS``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


ERRORS: dict[str, str] = {
    "bad_payload": "not a JSON object of the contract (syntax, a missing or extra field, a wrong type)",
    "too_large": "the payload is larger than the contract allows for its topic",
    "unknown_op": "the op is not one of the contract's ops",
    "bad_args": "the op's arguments are missing, of a wrong type or out of range",
    "not_allowed": "the terminal may not do this (response topic not its own, id used by another terminal)",
    "expired": "the command is older than COMMAND_MAX_AGE_S: not run",
    "host_unavailable": "the host cannot serve right now (store unavailable, queue not started)",
    "internal": "the host failed on this command; nothing was changed",
}
"""Contract-level error codes; a queue refusal carries the queue's own code instead
(``queue_empty``, ``no_open_ticket``, ``daily_limit_reached``... as the local use cases)."""


# -- topics ---------------------------------------------------------------------------------------
def req_topic(hall: str) -> str:
    return f"hall/{hall}/host/req"


def res_topic(hall: str, terminal: str) -> str:
    return f"hall/{hall}/term/{terminal}/res"


def state_topic(hall: str) -> str:
    return f"hall/{hall}/state"


def calls_topic(hall: str) -> str:
    return f"hall/{hall}/calls"


def presence_topic(hall: str, terminal: str) -> str:
    return f"hall/{hall}/presence/{terminal}"


# -- small checks ---------------------------------------------------------------------------------
def _t(value: Any, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "dict":
        return isinstance(value, dict)
    raise AssertionError(kind)


@dataclass(frozen=True)
class Arg:
    kind: str
    required: bool = True
    nullable: bool = False
    max_len: int = MAX_TEXT
    min: int | None = None
    max: int | None = None
    pattern: re.Pattern[str] | None = None


def check_fields(obj: Any, spec: dict[str, Arg], code: str, where: str) -> dict[str, Any]:
    """``obj`` as a dict of exactly the fields of ``spec``; anything else is ``code``."""
    if not isinstance(obj, dict):
        raise ContractError(code, f"{where}: not an object")
    extra = sorted(set(obj) - set(spec))
    if extra:
        raise ContractError(code, f"{where}: unknown field {extra[0]!r}")
    out: dict[str, Any] = {}
    for name, a in spec.items():
        if name not in obj:
            if a.required:
                raise ContractError(code, f"{where}.{name}: missing")
            out[name] = None
            continue
        v = obj[name]
        if v is None:
            if not a.nullable and a.required:
                raise ContractError(code, f"{where}.{name}: must not be null")
            out[name] = None
            continue
        if not _t(v, a.kind):
            raise ContractError(code, f"{where}.{name}: must be {a.kind}")
        if a.kind in ("str", "list") and len(v) > a.max_len:
            raise ContractError(code, f"{where}.{name}: longer than {a.max_len}")
        if a.kind == "int":
            if a.min is not None and v < a.min:
                raise ContractError(code, f"{where}.{name}: below {a.min}")
            if a.max is not None and v > a.max:
                raise ContractError(code, f"{where}.{name}: above {a.max}")
        if a.pattern is not None and not a.pattern.fullmatch(v):
            raise ContractError(code, f"{where}.{name}: malformed")
        out[name] = v
    return out


def decode(payload: bytes | bytearray | str, limit: int) -> Any:
    """JSON of at most ``limit`` bytes (checked before decoding)."""
    if len(payload) > limit:
        raise ContractError("too_large", f"payload of {len(payload)} bytes (limit {limit})")
    try:
        return json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ContractError("bad_payload", f"not JSON: {type(exc).__name__}") from None


def encode(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- ops ------------------------------------------------------------------------------------------
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T[0-9:.]+([+-]\d{2}:\d{2}|Z)")
_CAT = re.compile(r"[A-Za-z0-9_-]{1,16}")
_COUNTER = Arg("int", min=1, max=9999)
_TICKET_ID = Arg("str", pattern=ID_RE)

OFFLINE_TICKET: dict[str, Arg] = {
    "ticket_id": _TICKET_ID,
    "lease_id": Arg("str", pattern=ID_RE),
    "seq": Arg("int", min=1, max=999),
    "category": Arg("str", pattern=_CAT),
    "issued_at": Arg("str", pattern=_ISO, max_len=40),
    "priority": Arg("str", max_len=16),
    "item_code": Arg("str", required=False, nullable=True, max_len=64),
    "holder_id_hash": Arg("str", required=False, nullable=True, max_len=128),
    "holder_masked": Arg("str", required=False, nullable=True, max_len=32),
}

OPS: dict[str, dict[str, Arg]] = {
    # queue reads: answered from memory, never stored
    "profile": {},
    "view": {
        "what": Arg("str", max_len=16),
        "ticket_id": Arg("str", required=False, nullable=True, pattern=ID_RE),
        "appointment_id": Arg("str", required=False, nullable=True, pattern=ID_RE),
        "category": Arg("str", required=False, nullable=True, pattern=_CAT),
        "counter": Arg("int", required=False, nullable=True, min=1, max=9999),
        "limit": Arg("int", required=False, nullable=True, min=1, max=100),
        "holder_id_hash": Arg("str", required=False, nullable=True, max_len=128),
        "priority": Arg("str", required=False, nullable=True, max_len=16),
    },
    # citizen side (the printer is at the member: take a number, then confirm or void it)
    "issue": {
        "category": Arg("str", pattern=_CAT),
        "printing": Arg("bool"),
        "item_code": Arg("str", required=False, nullable=True, max_len=64),
        "priority": Arg("str", required=False, nullable=True, max_len=16),
        "holder_id_hash": Arg("str", required=False, nullable=True, max_len=128),
        "holder_masked": Arg("str", required=False, nullable=True, max_len=32),
        "appointment_id": Arg("str", required=False, nullable=True, pattern=ID_RE),
        "checked_in_at": Arg("str", required=False, nullable=True, pattern=_ISO, max_len=40),
        "late_minutes": Arg("int", required=False, nullable=True, min=0, max=100000),
    },
    "confirm_printed": {"ticket_id": _TICKET_ID},
    "arrive": {"ticket_id": _TICKET_ID, "by": Arg("str", max_len=16)},
    "void": {"ticket_id": _TICKET_ID, "reason": Arg("str", max_len=64)},
    "evaluate": {
        "level": Arg("int", min=1, max=5),
        "tags": Arg("list", max_len=16),
        "ticket_id": Arg("str", required=False, nullable=True, pattern=ID_RE),
        "counter": Arg("int", required=False, nullable=True, min=1, max=9999),
        "channel": Arg("str", max_len=16),
        "case_number": Arg("str", required=False, nullable=True, max_len=64),
        "comment": Arg("str", required=False, nullable=True),
    },
    # counter side
    "call_next": {"counter": _COUNTER},
    "recall": {"counter": _COUNTER},
    "skip": {"counter": _COUNTER},
    "transfer": {"counter": _COUNTER, "to_category": Arg("str", pattern=_CAT)},
    "finish": {"counter": _COUNTER, "case_number": Arg("str", required=False, nullable=True, max_len=64)},
    "pause": {"counter": _COUNTER},
    "resume": {"counter": _COUNTER},
    "invite": {"counter": _COUNTER},
    # ticket machines: number leases and the tickets issued from them while cut off
    "lease": {"category": Arg("str", pattern=_CAT), "count": Arg("int", min=1, max=MAX_LEASE)},
    "submit_offline_tickets": {"tickets": Arg("list", max_len=MAX_OFFLINE_BATCH)},
}
READ_OPS = frozenset({"profile", "view", "invite"})
"""Ops that change nothing: never stored, never expired."""
AGELESS_OPS = frozenset({"lease", "submit_offline_tickets", "confirm_printed", "void"})
"""State-changing ops that are still right however late they arrive (a ticket already printed
must be confirmed; tickets issued offline must reach the ledger)."""
VIEW_WHATS = frozenset({"ticket", "appointment", "printing", "estimate", "quote", "counter", "held"})

REQUEST: dict[str, Arg] = {
    "v": Arg("int", min=1, max=1),
    "id": Arg("str", pattern=ID_RE),
    "terminal": Arg("str", pattern=TERMINAL_RE),
    "op": Arg("str", max_len=32),
    "args": Arg("dict"),
    "sent_at": Arg("str", pattern=_ISO, max_len=40),
}


@dataclass(frozen=True)
class Request:
    id: str
    terminal: str
    op: str
    args: dict[str, Any]
    sent_at: str

    def to_json(self) -> bytes:
        return encode(
            {
                "v": VERSION,
                "id": self.id,
                "terminal": self.terminal,
                "op": self.op,
                "args": self.args,
                "sent_at": self.sent_at,
            }
        )


def parse_request(payload: bytes | bytearray | str) -> Request:
    """Envelope first (so an error can still be answered by id), then the op's arguments.
    An error found after the envelope carries the request in ``ContractError.request``."""
    raw = decode(payload, MAX_REQUEST_BYTES)
    env = check_fields(raw, REQUEST, "bad_payload", "request")
    req = Request(env["id"], env["terminal"], env["op"], env["args"], env["sent_at"])
    spec = OPS.get(req.op)
    try:
        if spec is None:
            raise ContractError("unknown_op", f"unknown op {req.op[:32]!r}")
        args = check_fields(req.args, spec, "bad_args", req.op)
        if req.op == "view" and args["what"] not in VIEW_WHATS:
            raise ContractError("bad_args", f"view.what: one of {sorted(VIEW_WHATS)}")
        if req.op == "evaluate" and not all(isinstance(t, str) and len(t) <= 32 for t in args["tags"]):
            raise ContractError("bad_args", "evaluate.tags: strings of at most 32 characters")
        if req.op == "submit_offline_tickets":
            args["tickets"] = [
                check_fields(t, OFFLINE_TICKET, "bad_args", f"tickets[{i}]")
                for i, t in enumerate(args["tickets"])
            ]
    except ContractError as exc:
        exc.request = req  # type: ignore[attr-defined]
        raise
    return Request(req.id, req.terminal, req.op, args, req.sent_at)


# -- responses ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Response:
    id: str
    ok: bool
    result: dict[str, Any] = field(default_factory=dict)
    code: str = ""
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        if self.ok:
            return {"v": VERSION, "id": self.id, "ok": True, "result": self.result}
        return {
            "v": VERSION,
            "id": self.id,
            "ok": False,
            "error": {"code": self.code, "message": self.message, "params": self.params},
        }

    def to_json(self) -> bytes:
        return encode(self.to_dict())


def error(req_id: str, code: str, message: str, **params: Any) -> Response:
    return Response(req_id, False, code=code, message=message[:MAX_TEXT], params=params)


_RESPONSE = {
    "v": Arg("int", min=1, max=1),
    "id": Arg("str", pattern=ID_RE),
    "ok": Arg("bool"),
    "result": Arg("dict", required=False),
    "error": Arg("dict", required=False),
}
_ERROR = {"code": Arg("str", max_len=64), "message": Arg("str", max_len=MAX_TEXT), "params": Arg("dict")}


def parse_response(payload: bytes | bytearray | str) -> Response:
    raw = check_fields(decode(payload, MAX_RESPONSE_BYTES), _RESPONSE, "bad_payload", "response")
    if raw["ok"]:
        if raw["result"] is None or raw["error"] is not None:
            raise ContractError("bad_payload", "response: ok needs result, and no error")
        return Response(raw["id"], True, raw["result"])
    if raw["error"] is None:
        raise ContractError("bad_payload", "response: not ok needs error")
    e = check_fields(raw["error"], _ERROR, "bad_payload", "response.error")
    return Response(raw["id"], False, code=e["code"], message=e["message"], params=e["params"])


# -- state, calls, presence -----------------------------------------------------------------------
_STATE = {
    "v": Arg("int", min=1, max=1),
    "seq": Arg("int", min=1),
    "at": Arg("str", pattern=_ISO, max_len=40),
    "hall": Arg("str", max_len=64),
    "name": Arg("str", max_len=MAX_TEXT),
    "name_en": Arg("str", max_len=MAX_TEXT),
    "day": Arg("str", max_len=10),
    "timezone": Arg("str", max_len=64),
    "open": Arg("bool"),
    "notice": Arg("str", max_len=1000),
    "categories": Arg("dict"),
    "counters": Arg("dict"),
    "recent_calls": Arg("list", max_len=32),
}
_STATE_CATEGORY = {
    "name": Arg("str", max_len=MAX_TEXT),
    "waiting": Arg("int", min=0),
    "est_wait_min": Arg("int", required=False, nullable=True, min=0),
}
_STATE_COUNTER = {
    "name": Arg("str", max_len=MAX_TEXT),
    "state": Arg("str", max_len=16),
    "current": Arg("str", required=False, nullable=True, max_len=16),
    "holder": Arg("str", required=False, nullable=True, max_len=32),
}
CALL: dict[str, Arg] = {
    "v": Arg("int", min=1, max=1),
    "seq": Arg("int", min=1),
    "number": Arg("str", max_len=16),
    "counter": _COUNTER,
    "counter_name": Arg("str", max_len=MAX_TEXT),
    "category": Arg("str", pattern=_CAT),
    "at": Arg("str", pattern=_ISO, max_len=40),
    "recall": Arg("bool"),
    "channel": Arg("str", required=False, nullable=True, max_len=16),
}
_PRESENCE = {
    "v": Arg("int", min=1, max=1),
    "online": Arg("bool"),
    "role": Arg("str", max_len=16),
    "since": Arg("str", pattern=_ISO, max_len=40),
}


def parse_state(payload: bytes | bytearray | str) -> dict[str, Any]:
    st = check_fields(decode(payload, MAX_STATE_BYTES), _STATE, "bad_payload", "state")
    if len(st["categories"]) > 64 or len(st["counters"]) > 1000:
        raise ContractError("too_large", "state: too many categories or counters")
    st["categories"] = {
        str(k): check_fields(v, _STATE_CATEGORY, "bad_payload", f"state.categories.{k}")
        for k, v in st["categories"].items()
    }
    st["counters"] = {
        str(k): check_fields(v, _STATE_COUNTER, "bad_payload", f"state.counters.{k}")
        for k, v in st["counters"].items()
    }
    st["recent_calls"] = [parse_call_obj(c) for c in st["recent_calls"]]
    return st


def parse_call_obj(obj: Any) -> dict[str, Any]:
    return check_fields(obj, CALL, "bad_payload", "call")


def parse_call(payload: bytes | bytearray | str) -> dict[str, Any]:
    return parse_call_obj(decode(payload, MAX_CALL_BYTES))


def parse_presence(payload: bytes | bytearray | str) -> dict[str, Any]:
    return check_fields(decode(payload, MAX_PRESENCE_BYTES), _PRESENCE, "bad_payload", "presence")


def json_schema() -> dict[str, Any]:
    """The contract as JSON Schema (``kiosk hall schema``), for brokers' and other tools' sake."""

    def one(a: Arg) -> dict[str, Any]:
        kind = {
            "str": "string",
            "int": "integer",
            "bool": "boolean",
            "list": "array",
            "dict": "object",
        }[a.kind]
        s: dict[str, Any] = {"type": [kind, "null"] if a.nullable or not a.required else kind}
        if a.kind == "str":
            s["maxLength"] = a.max_len
            if a.pattern is not None:
                s["pattern"] = f"^(?:{a.pattern.pattern})$"
        if a.kind == "list":
            s["maxItems"] = a.max_len
        if a.min is not None:
            s["minimum"] = a.min
        if a.max is not None:
            s["maximum"] = a.max
        return s

    def obj(spec: dict[str, Arg]) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [k for k, a in spec.items() if a.required],
            "properties": {k: one(a) for k, a in spec.items()},
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "hall bus v1",
        "$defs": {
            "request": obj(REQUEST),
            "response": obj(_RESPONSE),
            "error": obj(_ERROR),
            "state": obj(_STATE),
            "state_category": obj(_STATE_CATEGORY),
            "state_counter": obj(_STATE_COUNTER),
            "call": obj(CALL),
            "presence": obj(_PRESENCE),
            "offline_ticket": obj(OFFLINE_TICKET),
            **{f"args_{op}": obj(spec) for op, spec in OPS.items()},
        },
    }
