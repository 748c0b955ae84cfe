"""Short-lived cache of case progress looked up online, sealed under the data key.

A citizen who asks twice in a few minutes (or whose second ask hits an outage) still gets an
answer. The lookup (case number or ID number) is stored only as a keyed MAC; the answer only
sealed. Expired rows are ignored on read and purged by the retention job.
"""

from __future__ import annotations

import json
import time
from typing import Any

from offline_cache.crypto import Cipher, CryptoError
from offline_cache.outbox import now_rfc3339


def lookup_key(cipher: Cipher, kind: str, value: str) -> str:
    return cipher.mac(f"{kind}:{value.strip().upper()}".encode())


def put(conn: Any, cipher: Cipher, kind: str, value: str, cases: list[dict[str, Any]], ttl_s: float) -> None:
    key = lookup_key(cipher, kind, value)
    sealed = cipher.seal(json.dumps(cases, ensure_ascii=False).encode(), aad=key.encode())
    conn.execute(
        "INSERT INTO case_cache (lookup_hash, payload, fetched_at, expires_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(lookup_hash) DO UPDATE SET payload=excluded.payload, fetched_at=excluded.fetched_at, "
        "expires_at=excluded.expires_at",
        (key, sealed, now_rfc3339(), time.time() + ttl_s),
    )


def get(
    conn: Any, cipher: Cipher, kind: str, value: str, now: float | None = None
) -> list[dict[str, Any]] | None:
    """The cached cases, or None when absent, expired or not readable with this key."""
    key = lookup_key(cipher, kind, value)
    row = conn.execute("SELECT payload, expires_at FROM case_cache WHERE lookup_hash = ?", (key,)).fetchone()
    if row is None or row[1] < (time.time() if now is None else now):
        return None
    try:
        return list(json.loads(cipher.open(bytes(row[0]), aad=key.encode())))
    except CryptoError:
        return None


def purge_expired(conn: Any, now: float | None = None) -> int:
    t = time.time() if now is None else now
    return int(conn.execute("DELETE FROM case_cache WHERE expires_at < ?", (t,)).rowcount)
