"""Technician PIN: stored in the config only as a salted PBKDF2 hash, compared in constant time.

Format: ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`` (``hash_pin`` makes one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import secrets
from pathlib import Path

from kiosk.ops.files import write_private

ITERATIONS = 120_000

log = logging.getLogger(__name__)


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """False for a wrong PIN and for a malformed or empty stored hash (never an exception)."""
    try:
        algo, iters, salt_hex, digest_hex = stored.split("$")
        if algo != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt_hex), int(iters))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


class LockoutFile:
    """Wrong-PIN tries and the end of a lockout, kept across restarts: power-cycling the kiosk
    must not buy another five tries. A missing or damaged file counts as no tries (it is not
    worth keeping a technician out of a broken kiosk)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> tuple[int, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")[:4096])
            failures, until = max(0, min(int(data["failures"]), 1000)), float(data["locked_until"])
        except (OSError, ValueError, KeyError, TypeError, OverflowError, RecursionError):
            return 0, 0.0
        return (failures, until) if math.isfinite(until) else (failures, 0.0)

    def save(self, failures: int, locked_until: float) -> None:
        data = json.dumps({"failures": failures, "locked_until": locked_until}).encode()
        try:
            write_private(self.path, data, None)
        except OSError as exc:  # a full disk must not stop the PIN pad; the lockout still holds in memory
            log.warning("cannot keep the technician PIN lockout in %s: %s", self.path, exc.strerror)
