"""The pipe between the device worker and the library helper: one JSON object per line.

Bytes (text blocks, photos) travel as ``{"$b": base64}``; everything else is plain JSON. One
request, one answer, in order: the worker never has two requests outstanding.
"""

from __future__ import annotations

import base64
import json
from typing import Any


def _wrap(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: _wrap(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wrap(v) for v in value]
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$b"}:
            return base64.b64decode(value["$b"])
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(_wrap(message), ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    value = _unwrap(json.loads(line))
    if not isinstance(value, dict):
        raise ValueError("message is not an object")
    return value
