"""Request signing, exactly as the platform contract (v1) specifies, for both sides.

::

    X-Terminal-Id: <terminal_id>
    X-Timestamp:   <RFC 3339 UTC, e.g. 2026-11-22T08:00:00Z>
    X-Nonce:       <32 hex chars, fresh per request>
    X-Signature:   hex(HMAC-SHA256(secret,
                     METHOD "\\n" PATH_AND_QUERY "\\n" X-Timestamp "\\n" X-Nonce "\\n" hex(SHA256(body))))

``PATH_AND_QUERY`` is the request target as sent on the wire (percent-encoded path, then ``?``
and the query only when there is one). ``METHOD`` is upper case. The body hash of a GET is the
SHA-256 of the empty string.

The secret file holds the shared secret as hex text (64+ hex digits = 32+ bytes) on one line;
the HMAC key is the decoded bytes.

Test vectors (also checked in ``tests/unit/test_platform_signing.py``), secret =
``bytes.fromhex("000102...1f")`` (the 32 bytes 0x00-0x1f), timestamp ``2026-11-22T08:00:00Z``,
nonce ``0123456789abcdef0123456789abcdef``:

1. ``GET /v1/halls/H-DEMO-001``, empty body ->
   ``853041a509f372499415a2f641c16c244e86d62289c978a2c1719e59f7e99505``
2. ``POST /v1/events`` with body ``{"events":[]}`` (body SHA-256
   ``24de1c4a19c43ad41b013f13dcd858c17b0daa7f33a53f19913e5b11366d1c2e``) ->
   ``d1af4e7fbd26e67527f44caf28ab98bc33def877249e279940f6207df3aa1eb7``
3. ``GET /v1/catalog?since=c-17&limit=500``, empty body ->
   ``64e8afb91a6826b8261499e7a44260102c4b59e0cfa0fb7a459d3dca1f86f1ac``

Vector 1 cross-checked with OpenSSL::

    printf 'GET\n/v1/halls/H-DEMO-001\n2026-11-22T08:00:00Z\n0123456789abcdef0123456789abcdef\n'\
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' |
      openssl dgst -sha256 -mac HMAC -macopt hexkey:$(python3 -c 'print(bytes(range(32)).hex())')
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from pathlib import Path

VECTOR_SECRET = bytes(range(32))
VECTOR_TIMESTAMP = "2026-11-22T08:00:00Z"
VECTOR_NONCE = "0123456789abcdef0123456789abcdef"
VECTOR_GET = "853041a509f372499415a2f641c16c244e86d62289c978a2c1719e59f7e99505"
VECTOR_POST = "d1af4e7fbd26e67527f44caf28ab98bc33def877249e279940f6207df3aa1eb7"
VECTOR_QUERY = "64e8afb91a6826b8261499e7a44260102c4b59e0cfa0fb7a459d3dca1f86f1ac"

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


class SecretError(ValueError):
    """The secret file is missing, unreadable or not 32+ bytes of hex."""


def load_secret(path: str | Path) -> bytes:
    p = Path(path).expanduser()
    try:
        text = p.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"cannot read the platform secret file {p}: {exc}") from None
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise SecretError(f"platform secret file {p} must hold the secret as hex") from None
    if len(secret) < 32:
        raise SecretError(f"platform secret in {p} is {len(secret)} bytes; the contract needs 32 or more")
    return secret


def timestamp(now: datetime | None = None) -> str:
    t = (now or datetime.now(UTC)).astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value: str) -> datetime:
    """RFC 3339 with ``Z`` or an offset -> aware datetime (ValueError on garbage)."""
    v = value.strip()
    if v.endswith(("Z", "z")):
        v = v[:-1] + "+00:00"
    t = datetime.fromisoformat(v)
    if t.tzinfo is None:
        raise ValueError("timestamp without offset")
    return t


def new_nonce() -> str:
    return secrets.token_hex(16)


def string_to_sign(method: str, path_and_query: str, ts: str, nonce: str, body: bytes) -> bytes:
    body_hash = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path_and_query, ts, nonce, body_hash]).encode("utf-8")


def sign(secret: bytes, method: str, path_and_query: str, ts: str, nonce: str, body: bytes) -> str:
    return hmac.new(
        secret, string_to_sign(method, path_and_query, ts, nonce, body), hashlib.sha256
    ).hexdigest()


def verify(
    secret: bytes, signature: str, method: str, path_and_query: str, ts: str, nonce: str, body: bytes
) -> bool:
    expected = sign(secret, method, path_and_query, ts, nonce, body)
    # As bytes: compare_digest refuses a str with non-ASCII characters (TypeError, a 500).
    given = signature.strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.encode("ascii"), given)


def headers(
    secret: bytes,
    terminal_id: str,
    method: str,
    path_and_query: str,
    body: bytes,
    now: datetime | None = None,
) -> dict[str, str]:
    ts = timestamp(now)
    nonce = new_nonce()
    return {
        "X-Terminal-Id": terminal_id,
        "X-Timestamp": ts,
        "X-Nonce": nonce,
        "X-Signature": sign(secret, method, path_and_query, ts, nonce, body),
    }
