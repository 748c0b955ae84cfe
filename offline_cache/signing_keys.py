"""The platform's public keys for offline QR codes (``GET /v1/keys``), as last synced.

Cached because a code must verify with the network down. A pull replaces the whole set, so a
key the platform has withdrawn stops verifying codes here at the next sync as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SigningKey:
    kid: str
    alg: str
    public_key: str
    """Base64 of the raw public key, as the platform sends it (checked when a code is verified,
    so that one bad entry does not stop the others from being cached)."""
    not_after: str | None

    @classmethod
    def from_platform(cls, entry: Mapping[str, Any]) -> SigningKey:
        """One entry of the ``GET /v1/keys`` answer (already checked against the contract)."""
        not_after = entry.get("not_after")
        return cls(
            str(entry["kid"]),
            str(entry["alg"]),
            str(entry["public_key"]),
            None if not_after is None else str(not_after),
        )

    def as_platform(self) -> dict[str, str | None]:
        """Back in the shape of the platform's answer, for the code verifier."""
        return {"kid": self.kid, "alg": self.alg, "public_key": self.public_key, "not_after": self.not_after}


def replace(conn: Any, keys: Iterable[SigningKey]) -> int:
    """Store ``keys`` as the whole set (a later entry with the same kid wins); returns how many."""
    conn.execute("DELETE FROM signing_keys")
    n = 0
    for k in keys:
        conn.execute(
            "INSERT OR REPLACE INTO signing_keys (kid, alg, public_key, not_after) VALUES (?,?,?,?)",
            (k.kid, k.alg, k.public_key, k.not_after),
        )
        n += 1
    return n


def load(conn: Any) -> list[SigningKey]:
    """Every key held, by kid; empty before the first sync."""
    rows = conn.execute("SELECT kid, alg, public_key, not_after FROM signing_keys ORDER BY kid").fetchall()
    return [SigningKey(str(r[0]), str(r[1]), str(r[2]), None if r[3] is None else str(r[3])) for r in rows]
