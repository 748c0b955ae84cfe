"""Online tickets from the platform (issue 18): pull the requests, issue each exactly once.

At each sync (and at once on the heartbeat's ``sync_now``) the box that runs the hall's queue
(a standalone box, or the hall host; never a member) pulls ``GET /v1/halls/{id}/remote-tickets``
after its cursor and hands every request to the queue under the kiosk's rules. The outcome —
the ticket, or the refusal with its reason — is written in the same transaction as the ticket
and its ``ticket.issued`` event (or as the ``remote_ticket.refused`` event), so a request id
is handled at most once: a repeated pull, a cursor lost, or a restart between pull and issue
finds the outcome and does nothing. The cursor moves only after a whole page is handled.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.platform.client import PlatformClient, Rejected
from kiosk.queue.errors import QueueRefused
from kiosk.queue.service import QueueService
from offline_cache import contract, cursors, outbox, remote_requests

log = logging.getLogger(__name__)

CURSOR = "remote_tickets"
MAX_PAGES = 100
REASONS = {
    "unknown_category": "unknown_category",
    "hall_closed_today": "hall_closed",
    "hall_not_open_yet": "hall_closed",
    "hall_closed": "hall_closed",
    "daily_limit_reached": "daily_limit_reached",
    "day_full": "day_full",
    "real_name_limit": "real_name_limit",
    "arrive_by_passed": "arrive_by_passed",
    "already_issued": "already_issued",
}
"""The queue's refusal codes as the contract's ``remote_ticket.refused`` reasons."""


class RemoteTickets:
    def __init__(
        self, store: Any, queue: Callable[[], QueueService | None], *, terminal_id: str, hall_id: str
    ) -> None:
        self.store = store
        self.queue = queue
        self.terminal_id = terminal_id
        self.hall_id = hall_id

    def pull(self, client: PlatformClient) -> str:
        """One pull (a ``SyncEngine`` puller): the text says what it did."""
        queue = self.queue()
        if queue is None:
            return " (no queue yet)"
        with self.store.read() as conn:
            cursor = cursors.get(conn, CURSOR)
        counts = {"issued": 0, "refused": 0, "seen": 0}
        for _ in range(MAX_PAGES):
            try:
                page = client.remote_tickets(since=cursor)
            except Rejected as exc:
                if exc.status == 404 and exc.field != "hall_id":
                    return " (the platform offers no online tickets)"
                raise
            for raw in page["requests"]:
                counts[self.handle(queue, raw)] += 1
            cursor = page["cursor"]
            self.store.write(lambda c, cur=cursor: cursors.put(c, CURSOR, cur))
            if not page["has_more"]:
                break
        queue.tick()
        return f" ({counts['issued']} issued, {counts['refused']} refused, {counts['seen']} already handled)"

    def handle(self, queue: QueueService, raw: Any) -> str:
        """Issue or refuse one request; "seen" when its id was handled before."""
        rid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(rid, str) or not rid:
            rid = ""
        rid = rid[: contract.REQUEST_ID_MAX]
        # a request with no id is remembered by its content, so a repeated pull refuses it once
        key = (
            rid
            or "#" + hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()[:32]
        )
        with self.store.read() as conn:
            if remote_requests.outcome(conn, key) is not None:
                return "seen"
        problem = contract.remote_ticket_problem(raw)
        if problem:
            log.warning("online ticket request refused as malformed: %s", problem.split(":")[0])
            return self._refuse(key, rid, "malformed", problem[:200])
        try:
            with queue.recording(
                lambda conn, t: remote_requests.record(conn, rid, "issued", ticket_id=t.ticket_id)
            ):
                t = queue.issue_online(
                    request_id=rid,
                    category=raw["category"],
                    holder_id_hash=raw["holder_id_hash"],
                    taken_at=datetime.fromisoformat(raw["taken_at"]),
                    arrive_by=datetime.fromisoformat(raw["arrive_by"]),
                    item_code=raw.get("item_code"),
                    holder_masked=raw.get("holder_name_masked"),
                )
        except QueueRefused as exc:
            return self._refuse(rid, rid, REASONS.get(exc.code, "refused"), exc.code)
        log.info("online ticket %s issued for request %s", t.number, rid)
        return "issued"

    def _refuse(self, key: str, rid: str, reason: str, detail: str) -> str:
        data = {"request_id": rid, "reason": reason, "detail": detail}

        def tx(conn: Any) -> None:
            remote_requests.record(conn, key, "refused", reason=reason)
            outbox.enqueue(
                conn, "remote_ticket.refused", data, terminal_id=self.terminal_id, hall_id=self.hall_id
            )

        self.store.write(tx)
        return "refused"
