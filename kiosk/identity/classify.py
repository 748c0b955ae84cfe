"""What a scanned payload is: a platform offline code, a case number, or not recognised.

Offline codes (platform-api.md, "Offline QR codes"):
``HK1.<base64url(payload JSON)>.<base64url(Ed25519 signature over "HK1." + payload part)>``,
payload ``{"kid", "typ": "appt"|"person", "sub", "appt", "exp"}``. A code is accepted only
if its signature checks with the key held for ``kid`` and ``exp`` has not passed; whether an
``appt`` code's appointment is in the local copy is the caller's lookup (the store's).

Scanned text is attacker-controlled: it is never logged, never shown or put into SQL as is.
Only the typed fields below leave this module, each checked against a strict pattern.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from offline_cache import contract

PREFIX = "HK1."
MAX_CODE_LEN = 2048
KeyProvider = Callable[[str], Ed25519PublicKey | None]
"""kid -> the platform's public key for it (from the store's copy of GET /v1/keys), or None."""

CASE_NUMBER = re.compile(r"[0-9A-Z]{31}(?P<date>[0-9]{8})[0-9]{4}")
"""办件编号 as seen in practice: 实施编码 (31) + yyyymmdd + 4-digit sequence."""
_KID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SUB = re.compile(r"[0-9a-f]{64}")
_APPT = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class Kind(StrEnum):
    OFFLINE_CODE = "offline_code"
    CASE_NUMBER = "case_number"
    NOT_RECOGNISED = "not_recognised"


@dataclass(frozen=True)
class OfflineCode:
    kid: str
    typ: str
    sub: str
    """holder_id_hash: hex SHA-256 of hall salt + ":" + ID number; matched, never reversed."""
    appt: str | None
    exp: int


@dataclass(frozen=True)
class Classification:
    kind: Kind
    reason: str = ""
    """Stable code for not-recognised codes and rejected offline codes (for the screen's text)."""
    offline: OfflineCode | None = None
    case_number: str | None = None

    @property
    def accepted(self) -> bool:
        return self.kind != Kind.NOT_RECOGNISED

    def __repr__(self) -> str:
        return f"Classification({self.kind.value}, reason={self.reason!r})"


def _b64(part: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", part):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _not(reason: str) -> Classification:
    return Classification(Kind.NOT_RECOGNISED, reason)


def verify_offline_code(text: str, keys: KeyProvider, now: float | None = None) -> Classification:
    if len(text) > MAX_CODE_LEN:
        return _not("too_long")
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != "HK1":
        return _not("malformed")
    try:
        payload_raw = _b64(parts[1])
        signature = _b64(parts[2])
        # Parsed before the signature is checked (the kid inside picks the key): bounded, so
        # a nested payload is "malformed", never a RecursionError out of a never-raising call.
        payload = contract.loads(payload_raw.decode("utf-8"))
    except (ValueError, binascii.Error, RecursionError):
        return _not("malformed")
    if not isinstance(payload, dict):
        return _not("malformed")
    kid, typ, sub, appt, exp = (payload.get(k) for k in ("kid", "typ", "sub", "appt", "exp"))
    if not (isinstance(kid, str) and _KID.fullmatch(kid)):
        return _not("malformed")
    key = keys(kid)
    if key is None:
        return _not("unknown_key")
    try:
        key.verify(signature, (PREFIX + parts[1]).encode("ascii"))
    except InvalidSignature:
        return _not("bad_signature")
    if typ not in ("appt", "person") or not (isinstance(sub, str) and _SUB.fullmatch(sub)):
        return _not("bad_payload")
    if not isinstance(exp, int) or isinstance(exp, bool):
        return _not("bad_payload")
    if typ == "appt" and not (isinstance(appt, str) and _APPT.fullmatch(appt)):
        return _not("bad_payload")
    if typ == "person" and appt is not None:
        return _not("bad_payload")
    if exp <= (time.time() if now is None else now):
        return _not("expired")
    return Classification(Kind.OFFLINE_CODE, offline=OfflineCode(kid, typ, sub, appt, exp))


def classify(text: str, keys: KeyProvider, now: float | None = None) -> Classification:
    """Never raises on any input; see the module docstring for what is accepted."""
    if not isinstance(text, str):
        return _not("not_recognised")
    value = text.strip()
    if value.startswith(PREFIX):
        return verify_offline_code(value, keys, now)
    if not value.isascii():
        # "١٢٣" are digits to Python's \d and int(); "ß".upper() is "SS": neither is a case number
        return _not("not_recognised")
    candidate = value.upper()
    match = CASE_NUMBER.fullmatch(candidate)
    if match:
        d = match.group("date")
        try:
            date(int(d[:4]), int(d[4:6]), int(d[6:8]))
        except ValueError:
            return _not("not_recognised")
        return Classification(Kind.CASE_NUMBER, case_number=candidate)
    return _not("not_recognised")


class KeyRing:
    """The platform's offline-code keys by kid, each usable until its ``not_after``; a
    KeyProvider (call it with a kid)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._keys: dict[str, tuple[Ed25519PublicKey, float | None]] = {}
        self._clock = clock

    def add(self, kid: str, key: Ed25519PublicKey, not_after: float | None = None) -> None:
        self._keys[kid] = (key, not_after)

    def __call__(self, kid: str) -> Ed25519PublicKey | None:
        entry = self._keys.get(kid)
        if entry is None:
            return None
        key, not_after = entry
        if not_after is not None and self._clock() > not_after:
            return None
        return key

    def __len__(self) -> int:
        return len(self._keys)


def keys_from_platform(doc: object, clock: Callable[[], float] = time.time) -> KeyRing:
    """The ``GET /v1/keys`` answer -> a KeyRing (entries that are not valid Ed25519 keys are
    skipped, so one bad entry does not lock every citizen out)."""
    ring = KeyRing(clock)
    if not isinstance(doc, dict):
        return ring
    for entry in doc.get("keys", []):
        if not isinstance(entry, dict) or entry.get("alg") != "Ed25519":
            continue
        try:
            raw = base64.b64decode(str(entry["public_key"]), validate=True)
            key = Ed25519PublicKey.from_public_bytes(raw)
            not_after = entry.get("not_after")
            limit = datetime.fromisoformat(str(not_after)).timestamp() if not_after else None
            ring.add(str(entry["kid"]), key, limit)
        except (KeyError, ValueError, binascii.Error, OverflowError, OSError):
            continue
    return ring


def describe_masked(event: object) -> list[str]:
    """Technician output for a scan event: the kind of code, never its content."""
    data = getattr(event, "data", {})
    code = data.get("code") if isinstance(data, dict) else None
    text = getattr(code, "text", "")
    result = classify(text, lambda kid: None)
    kind = "offline code HK1 (signature not checked here)" if text.startswith(PREFIX) else result.kind.value
    return [
        f"source: {getattr(code, 'source', '?')}",
        f"symbology: {getattr(code, 'symbology', None) or 'not reported'}",
        f"length: {len(getattr(code, 'raw', b''))} bytes",
        f"kind: {kind}",
        f"content: {mask_payload(text)}",
    ]


def mask_payload(text: str) -> str:
    """First and last 2 characters, printable ASCII only; the rest starred."""
    safe = "".join(c if c.isascii() and c.isprintable() else "?" for c in text)
    if len(safe) <= 6:
        return "*" * len(safe)
    return safe[:2] + "*" * (len(safe) - 4) + safe[-2:]
