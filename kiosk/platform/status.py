"""Events the store and the sync engine publish on ``app.bus`` for the UI (plain data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreStatus:
    """The local database can (``available``) or cannot record actions; ``message`` is for people."""

    available: bool
    reason: str = ""
    message: str = ""


@dataclass(frozen=True)
class SyncStatus:
    """Where the terminal stands with the platform.

    ``state`` is ``offline_mode`` (no platform configured), ``online``, ``offline`` (configured
    but unreachable) or ``error`` (reachable but refusing us, e.g. a bad secret).
    """

    state: str
    online: bool
    last_sync_at: str | None
    outbox_depth: int
    quarantined: int = 0
    detail: str = ""
    refused: tuple[str, ...] = ()
    """Platform data the terminal would not use (``what: why``), each keeping its last good copy."""
