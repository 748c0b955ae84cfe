"""The OpenAPI 3.1 document of the contract, generated from the shapes both sides check.

Published as ``docs/openapi.json``; regenerate after a change with
``.venv/bin/python -m kiosk.devtools.refplatform.openapi > docs/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from offline_cache import contract
from offline_cache import contract_selfservice as selfservice


def schema(spec: Any) -> dict[str, Any]:
    """JSON Schema for one ``offline_cache.contract`` spec."""
    if isinstance(spec, dict):
        props = {k.rstrip("?"): schema(v) for k, v in spec.items()}
        required = [k for k in spec if not k.endswith("?")]
        return {"type": "object", "properties": props, "required": required}
    if isinstance(spec, list):
        return {"type": "array", "items": schema(spec[0])}
    if isinstance(spec, frozenset):
        values = sorted(spec, key=str)
        return {"enum": values}
    if isinstance(spec, contract.Bounded):
        return spec.json_schema(schema)
    if isinstance(spec, contract.Range):
        return {"type": "integer", "minimum": spec.lo, "maximum": spec.hi}
    if isinstance(spec, tuple):
        return {"anyOf": [schema(s) for s in spec]}
    if spec is None:
        return {"type": "null"}
    names = {str: "string", int: "integer", bool: "boolean", float: "number", dict: "object"}
    return {"type": names[spec]}


def _event_schema() -> dict[str, Any]:
    variants = []
    for name, data in contract.EVENT_DATA.items():
        base = schema({**contract.EVENT, "data": data})
        base["properties"]["type"] = {"const": name}
        variants.append(base)
    return {"oneOf": variants}


def _remote_ticket_schema() -> dict[str, Any]:
    """The request shape with the bounds ``contract.remote_ticket_problem`` enforces."""
    s = schema(contract.REMOTE_TICKET)
    props = s["properties"]
    props["id"] = {
        "type": "string",
        "pattern": f"^[A-Za-z0-9._:-]{{1,{contract.REQUEST_ID_MAX}}}$",
        "description": "the request's own id: the hall issues each id at most once",
    }
    props["category"] = {"type": "string", "minLength": 1, "maxLength": 16}
    props["holder_id_hash"] = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
    props["holder_name_masked"] = {"anyOf": [{"type": "string", "maxLength": 32}, {"type": "null"}]}
    props["item_code"] = {"anyOf": [{"type": "string", "maxLength": 64}, {"type": "null"}]}
    props["taken_at"] = {"type": "string", "format": "date-time"}
    props["arrive_by"] = {
        "type": "string",
        "format": "date-time",
        "description": f"after taken_at, at most {contract.ARRIVE_WINDOW_MAX_H} h after it",
    }
    return s


AUTH_HEADERS = [
    {"name": "X-Terminal-Id", "in": "header", "required": True, "schema": {"type": "string"}},
    {
        "name": "X-Timestamp",
        "in": "header",
        "required": True,
        "schema": {"type": "string", "format": "date-time"},
    },
    {
        "name": "X-Nonce",
        "in": "header",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
    },
    {
        "name": "X-Signature",
        "in": "header",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    },
]


def _resp(shape: Any, desc: str = "OK") -> dict[str, Any]:
    err = {"content": {"application/json": {"schema": schema({"error": str, "field?": str})}}}
    # a shape, or a JSON Schema already written out (one with bounds a shape cannot say)
    ready = shape if isinstance(shape, dict) and shape.get("type") == "object" else schema(shape)
    return {
        "200": {"description": desc, "content": {"application/json": {"schema": ready}}},
        "400": {"description": "missing or malformed field", **err},
        "401": {"description": "clock_skew, bad_signature, replayed_nonce, unknown_terminal", **err},
        "403": {"description": "the signed terminal may not act for that terminal", **err},
        "404": {"description": "unknown hall or terminal", **err},
        "429": {"description": "slow down; honour Retry-After"},
        "503": {"description": "temporarily unavailable; honour Retry-After"},
    }


def _resp_ss(shape: Any) -> dict[str, Any]:
    """Self-service answers add 409 (outdated form, missing page) and 422 (a form rule)."""
    err = {"content": {"application/json": {"schema": schema({"error": str, "field?": str})}}}
    return {
        **_resp(shape),
        "409": {"description": "form_outdated, missing_page, sha256_mismatch: not retried as is", **err},
        "422": {"description": "a form rule, an ID number or a page that is not a JPEG", **err},
    }


def _selfservice_paths() -> dict[str, Any]:
    app_id = {
        "name": "application_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": f"^{selfservice.UUID}$"},
    }
    sha = {
        "name": "sha256",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": f"^{selfservice.SHA256}$"},
    }
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    jpeg = {
        "required": True,
        "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
    }
    return {
        "/v1/licences/lookup": {
            "post": {
                "operationId": "lookupLicences",
                "description": "The e-licences (电子证照) of an ID number's holder (POST: no ID in URLs).",
                "requestBody": _json_body(schema(selfservice.LICENCES_REQUEST)),
                "responses": _resp_ss(selfservice.LICENCES),
            }
        },
        "/v1/forms": {
            "get": {
                "operationId": "forms",
                "description": "Every application form with its fields' sources and rules.",
                "responses": _resp_ss(selfservice.FORMS),
            }
        },
        "/v1/items/{code}/form": {
            "get": {
                "operationId": "itemForm",
                "parameters": [code],
                "responses": _resp_ss(selfservice.FORM),
            }
        },
        "/v1/applications/{application_id}/pages/{sha256}": {
            "put": {
                "operationId": "uploadPage",
                "description": "One photographed page (JPEG, at most "
                f"{selfservice.MAX_PAGE_BYTES} bytes) before its application; idempotent.",
                "parameters": [app_id, sha],
                "requestBody": jpeg,
                "responses": _resp_ss(selfservice.PAGE_UPLOADED),
            }
        },
        "/v1/applications": {
            "post": {
                "operationId": "submitApplication",
                "description": "Idempotent on application_id: the same id again is answered with the "
                "same case number and duplicate=true.",
                "requestBody": _json_body(schema(selfservice.APPLICATION)),
                "responses": _resp_ss(selfservice.APPLICATION_ANSWER),
            }
        },
    }


def _json_body(s: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": s}}}


def document(server_url: str = "/") -> dict[str, Any]:
    hall_id = {"name": "hall_id", "in": "path", "required": True, "schema": {"type": "string"}}
    terminal_id = {"name": "terminal_id", "in": "path", "required": True, "schema": {"type": "string"}}
    events_req = {
        "type": "object",
        "required": ["events"],
        "properties": {"events": {"type": "array", "minItems": 1, "maxItems": 500, "items": _event_schema()}},
    }
    lookup = {
        "oneOf": [
            {
                "type": "object",
                "required": ["case_number"],
                "properties": {"case_number": {"type": "string"}},
            },
            {"type": "object", "required": ["id_number"], "properties": {"id_number": {"type": "string"}}},
        ]
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hall terminal ⇄ platform contract",
            "version": "1",
            "description": "Every request is signed: see docs/platform-api.md and kiosk.platform.signing.",
        },
        "servers": [{"url": server_url}],
        "security": [{"terminalSignature": []}],
        "components": {
            "securitySchemes": {
                "terminalSignature": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Signature",
                    "description": "With X-Terminal-Id, X-Timestamp and X-Nonce: "
                    + "; ".join(f"{h['name']}: {h['schema']}" for h in AUTH_HEADERS)
                    + ". Signature = hex(HMAC-SHA256(secret, METHOD\\nPATH_AND_QUERY\\nX-Timestamp\\n"
                    "X-Nonce\\nhex(SHA256(body)))).",
                }
            }
        },
        "paths": {
            "/v1/halls/{hall_id}": {
                "get": {
                    "operationId": "hall",
                    "parameters": [hall_id],
                    "responses": _resp(contract.HALL),
                }
            },
            "/v1/catalog": {
                "get": {
                    "operationId": "catalog",
                    "parameters": [
                        {
                            "name": "since",
                            "in": "query",
                            "required": False,
                            "description": "a cursor this platform issued (opaque to terminals)",
                            "schema": {"type": "string", "pattern": "^c-[0-9]{1,12}$"},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                        },
                    ],
                    "responses": _resp(contract.CATALOG_PAGE),
                }
            },
            "/v1/halls/{hall_id}/appointments": {
                "get": {
                    "operationId": "appointments",
                    "parameters": [
                        hall_id,
                        {
                            "name": "date",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "format": "date"},
                        },
                        {"name": "since", "in": "query", "required": False, "schema": {"type": "string"}},
                    ],
                    "responses": _resp(contract.APPOINTMENTS_PAGE),
                }
            },
            "/v1/halls/{hall_id}/remote-tickets": {
                "get": {
                    "operationId": "remoteTickets",
                    "description": "Online ticket requests (take a number from the phone) after the "
                    "cursor, oldest first. The hall issues each once, idempotent by id, and answers "
                    "with ticket.issued (channel online, request_id) or remote_ticket.refused.",
                    "parameters": [
                        hall_id,
                        {
                            "name": "since",
                            "in": "query",
                            "required": False,
                            "description": "a cursor this platform issued (opaque to terminals)",
                            "schema": {"type": "string", "pattern": "^r-[0-9]{1,12}$"},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                        },
                    ],
                    "responses": _resp(
                        {
                            "type": "object",
                            "required": ["requests", "cursor", "has_more"],
                            "properties": {
                                "requests": {"type": "array", "items": _remote_ticket_schema()},
                                "cursor": {"type": "string"},
                                "has_more": {"type": "boolean"},
                            },
                        }
                    ),
                }
            },
            "/v1/cases/lookup": {
                "post": {
                    "operationId": "lookupCases",
                    "requestBody": _json_body(lookup),
                    "responses": _resp(contract.CASES),
                }
            },
            "/v1/events": {
                "post": {
                    "operationId": "pushEvents",
                    "requestBody": _json_body(events_req),
                    "responses": _resp(contract.EVENTS_RESPONSE),
                }
            },
            "/v1/terminals/{terminal_id}/heartbeat": {
                "post": {
                    "operationId": "heartbeat",
                    "parameters": [terminal_id],
                    "requestBody": _json_body(schema(contract.HEARTBEAT_REQUEST)),
                    "responses": _resp(contract.HEARTBEAT_RESPONSE),
                }
            },
            "/v1/keys": {"get": {"operationId": "keys", "responses": _resp(contract.KEYS)}},
            **_selfservice_paths(),
        },
    }


if __name__ == "__main__":
    import json
    import sys

    sys.stdout.write(json.dumps(document("http://127.0.0.1:8700"), ensure_ascii=False, indent=2) + "\n")
