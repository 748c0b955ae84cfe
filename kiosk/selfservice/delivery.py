"""Delivering spooled applications to the platform, exactly once in effect.

The sync engine calls ``deliver`` after pushing the events; the submit use case calls
``deliver_one`` right away so a citizen at an online terminal gets the case number on the spot.
For each application: its pages first (``PUT``, idempotent by hash), then the application
(``POST``, idempotent by the terminal-made id: the same id again is answered with the same case
number). The case number is recorded, then the sealed file is purged; a crash between the two
resends, and the platform answers ``duplicate`` with the same number. A transient failure holds
delivery with backoff; a refusal moves the application aside for a technician.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from kiosk.platform import backoff
from kiosk.platform.client import AuthFailed, PlatformClient, PlatformError, Rejected
from offline_cache import cursors
from offline_cache.applications import ApplicationSpool, SpoolError
from offline_cache.errors import StoreError
from offline_cache.store import Store

log = logging.getLogger(__name__)

DELIVERED_KEY = "applications_delivered"
DELIVERED_REMEMBERED = 200


@dataclass
class Delivered:
    application_id: str
    case_number: str
    duplicate: bool


class ApplicationDelivery:
    def __init__(
        self,
        spool: ApplicationSpool,
        client: PlatformClient | None,
        store: Store,
        rng: random.Random | None = None,
    ) -> None:
        self.spool = spool
        self.client = client
        self.store = store
        self.rng = rng or random.Random()
        self._lock = threading.Lock()
        self._failures = 0
        self._next_at = 0.0
        self.last_error = ""

    # -- the sync engine's pusher ----------------------------------------------------------------
    def deliver(self, force: bool = False) -> str:
        """Everything spooled, oldest first; "" when the spool is empty afterwards."""
        if not self.spool.depth():
            return ""
        if self.client is None:
            return "no platform configured"
        if not force and time.time() < self._next_at:
            return self.last_error or "waiting to retry"
        for aid in self.spool.pending():
            try:
                self.deliver_one(aid)
            except PlatformError as exc:
                if isinstance(exc, Rejected):
                    continue
                return exc.message
        return "" if not self.spool.depth() else "applications still waiting"

    def deliver_one(self, aid: str) -> Delivered | None:
        """Deliver one application now; None when it was no longer spooled (already delivered)."""
        if self.client is None:
            raise PlatformError("no platform configured")
        with self._lock:
            try:
                sealed = self.spool.load(aid)
            except SpoolError as exc:
                log.error("%s", exc)
                self.spool.reject(aid, str(exc))
                raise Rejected(str(exc), status=0, error="unreadable") from None
            if sealed is None:
                return None
            try:
                for page in sealed.pages:
                    self.client.upload_page(aid, page.sha256, page.jpeg)
                answer = self.client.submit_application(sealed.application)
            except Rejected as exc:
                reason = f"HTTP {exc.status} {exc.error} {exc.field}".strip()
                log.warning("application %s refused by the platform: %s", aid, reason)
                self.spool.reject(aid, reason)
                raise
            except PlatformError as exc:
                self._failures += 1
                self._next_at = time.time() + backoff.delay(self._failures, rng=self.rng)
                self.last_error = exc.message
                if isinstance(exc, AuthFailed):
                    log.error("application delivery refused credentials: %s", exc.message)
                raise
            done = Delivered(aid, str(answer["case_number"]), bool(answer["duplicate"]))
            self._remember(done)
            self.spool.purge(aid)
            self._failures, self._next_at, self.last_error = 0, 0.0, ""
            log.info("application %s delivered%s", aid, " (duplicate)" if done.duplicate else "")
            return done

    # -- what was delivered ----------------------------------------------------------------------
    def _remember(self, done: Delivered) -> None:
        def apply(conn: Any) -> None:
            text = cursors.get_meta(conn, DELIVERED_KEY)
            seen: list[list[str]] = json.loads(text) if text else []
            seen = [s for s in seen if s[0] != done.application_id]
            seen.append([done.application_id, done.case_number])
            cursors.put_meta(conn, DELIVERED_KEY, json.dumps(seen[-DELIVERED_REMEMBERED:]))

        try:
            self.store.write(apply)
        except StoreError as exc:
            log.error("case number of application %s not recorded: %s", done.application_id, exc)

    def case_number(self, aid: str) -> str | None:
        """The case number the platform gave a delivered application (kept for the receipt)."""
        with self.store.read() as conn:
            text = cursors.get_meta(conn, DELIVERED_KEY)
        for a, number in json.loads(text) if text else []:
            if a == aid:
                return str(number)
        return None
