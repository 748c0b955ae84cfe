"""What the host does with one command: the ops of the contract run through the local queue,
each state-changing answer stored with its change (``QueueService.recording``), reads answered
from memory, number leases granted and tickets issued from them merged, past leases closed.

A mixin of ``HallHost``: it needs the host's ``service``, ``store``, ``wall`` clock and
``refused`` log, and nothing of the bus.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from kiosk.hall import contract as c
from kiosk.hall.codec import offline_ticket, ticket_to_dict
from kiosk.hall.oncelog import OnceLog
from kiosk.queue.engine import Mutation, QueueEngine
from kiosk.queue.errors import QueueRefused
from kiosk.queue.model import Priority, Ticket, TicketState, iso
from kiosk.queue.service import QueueService
from offline_cache import hallbus


class HostCommands:
    service: QueueService
    store: Any
    wall: Callable[[], datetime]
    refused: OnceLog
    _purged_on: str | None = None

    def _too_old(self, req: c.Request) -> bool:
        try:
            sent = datetime.fromisoformat(req.sent_at.replace("Z", "+00:00"))
        except ValueError:
            return True
        return self.wall() - sent > timedelta(seconds=c.COMMAND_MAX_AGE_S)

    def _stored(self, req: c.Request) -> c.Response | None:
        with self.store.read() as conn:
            row = hallbus.command(conn, req.id)
        if row is None:
            return None
        terminal, response = row
        if terminal != req.terminal:
            self.refused("not_allowed", "a command id used by another terminal")
            return c.error(req.id, "not_allowed", "command id already used by another terminal")
        self.refused("duplicate", f"repeat of {req.op} {req.id} answered from the ledger")
        return c.parse_response(response)

    def _record(self, req: c.Request, resp: c.Response) -> Callable[[Any], None]:
        def write(conn: Any) -> None:
            hallbus.record_command(
                conn, req.id, req.terminal, req.op, iso(self.wall()) or "", resp.to_json().decode()
            )

        return write

    # -- the ops ---------------------------------------------------------------------------------
    def _run(self, req: c.Request) -> c.Response:
        """Every op runs through ``QueueService.run`` (or is refused): the answer is made and
        stored in the transaction of its change, a lease granted first."""
        result_of = self._result_for(req.op)
        box: dict[str, c.Response] = {}

        def write(conn: Any, result: Any) -> None:
            if req.op == "lease":
                hallbus.grant_lease(conn, result, iso(self.wall()) or "")
            resp = c.Response(req.id, True, result_of(result))
            self._record(req, resp)(conn)
            box["resp"] = resp

        try:
            with self.service.recording(write):
                self._dispatch(req.op, req.args, req.terminal)
        except QueueRefused as exc:
            resp = c.Response(req.id, False, code=exc.code, message=exc.code, params=_plain(exc.params))
            self.store.write(self._record(req, resp))
            return resp
        return box["resp"]

    def _result_for(self, op: str) -> Callable[[Any], dict[str, Any]]:
        svc = self.service

        def ticket(t: Any) -> dict[str, Any]:
            if t is None:
                return {"ticket": None}
            out: dict[str, Any] = {"ticket": ticket_to_dict(t)}
            if t.state in (TicketState.PRINTING, TicketState.WAITING):
                # the wait the member prints: the ticket's own estimate, as a standalone box's
                # (read here, under the queue's lock already held by the op being recorded)
                est = svc.engine.estimate_ticket(t, svc.clock())
                out.update(ahead=est.ahead, est_wait_min=est.minutes)
            return out

        if op == "evaluate":
            return lambda ev: {"evaluation_id": ev.evaluation_id}
        if op in ("pause", "resume"):
            return lambda _: {}
        if op == "lease":
            return lambda lease: {
                "lease_id": lease.lease_id,
                "day": lease.day,
                "category": lease.category,
                "first": lease.first,
                "last": lease.last,
            }
        if op == "submit_offline_tickets":
            return lambda ids: {"accepted": ids}
        return ticket

    def _dispatch(self, op: str, a: dict[str, Any], terminal: str) -> None:
        svc = self.service
        if op == "issue":
            kw = {
                "item_code": a["item_code"],
                "priority": Priority(a["priority"] or "normal"),
                "holder_id_hash": a["holder_id_hash"],
                "holder_masked": a["holder_masked"],
                "appointment_id": a["appointment_id"],
                "checked_in_at": None
                if a["checked_in_at"] is None
                else datetime.fromisoformat(a["checked_in_at"]),
                "late_minutes": a["late_minutes"],
            }
            if a["printing"]:
                svc.begin_issue(a["category"], **kw)
            else:
                svc.issue_unprinted(a["category"], **kw)
        elif op == "confirm_printed":
            svc.confirm_printed(a["ticket_id"])
        elif op == "arrive":
            svc.arrive(a["ticket_id"], a["by"])
        elif op == "void":
            svc.void(a["ticket_id"], a["reason"])
        elif op == "call_next":
            svc.call_next(a["counter"])
        elif op == "recall":
            svc.recall(a["counter"])
        elif op == "skip":
            svc.skip(a["counter"])
        elif op == "transfer":
            svc.transfer(a["counter"], a["to_category"])
        elif op == "finish":
            svc.finish(a["counter"], a["case_number"])
        elif op == "pause":
            svc.pause(a["counter"])
        elif op == "resume":
            svc.resume(a["counter"])
        elif op == "evaluate":
            svc.evaluate(
                a["level"],
                tags=tuple(a["tags"]),
                ticket_id=a["ticket_id"],
                counter=a["counter"],
                channel=a["channel"],
                case_number=a["case_number"],
                comment=a["comment"],
            )
        elif op == "lease":
            self._lease(a["category"], a["count"], terminal)
        elif op == "submit_offline_tickets":
            self._merge(a["tickets"], terminal)
        else:  # parse_request let through an op this host does not serve
            raise QueueRefused("unknown_op")

    def _lease(self, category: str, count: int, terminal: str) -> None:
        def op(e: QueueEngine, now: datetime) -> tuple[hallbus.Lease, Mutation]:
            (day, first, last), mut = e.reserve(now, category, count)
            return hallbus.Lease(f"L-{uuid.uuid4()}", terminal, day, category, first, last), mut

        self.service.run(op)

    def _merge(self, tickets: list[dict[str, Any]], terminal: str) -> None:
        """Tickets issued from leases while the host was unreachable, in issue-time order; each
        must lie in a lease this terminal holds, and one already merged is skipped."""
        svc = self.service
        todo = sorted(tickets, key=lambda t: (t["issued_at"], t["seq"]))
        ids = [t["ticket_id"] for t in todo]
        with self.store.read() as conn:
            known = (
                {
                    r[0]
                    for r in conn.execute(
                        f"SELECT ticket_id FROM q_tickets WHERE ticket_id IN ({','.join('?' * len(ids))})",  # noqa: S608
                        ids,
                    )
                }
                if ids
                else set()
            )
            leases = {t["lease_id"]: hallbus.lease(conn, t["lease_id"]) for t in todo}
        merged: list[Ticket] = []
        for t in todo:
            lease = leases.get(t["lease_id"])
            if lease is None or lease.terminal != terminal or lease.category != t["category"]:
                raise QueueRefused("lease_unknown", ticket=t["ticket_id"])
            if not lease.first <= t["seq"] <= lease.last:
                raise QueueRefused("lease_out_of_range", ticket=t["ticket_id"])
            if t["ticket_id"] in known:
                continue
            cat = svc.profile.category(t["category"])
            if cat is None:
                raise QueueRefused("unknown_category", category=t["category"])
            merged.append(
                offline_ticket(
                    t,
                    f"{cat.prefix}{t['seq']:03d}",
                    lease.day,
                    holder_id_hash=t["holder_id_hash"],
                    note=f"offline:{terminal}",
                )
            )

        def op(e: QueueEngine, now: datetime) -> tuple[list[str], Mutation]:
            total = Mutation()
            for t in merged:
                m = e.merge_issued(t, now)
                total.tickets.update(m.tickets)
                total.sequences.update(m.sequences)
                total.events.extend(m.events)
                if m.next_order is not None:
                    total.next_order = m.next_order
            return ids, total

        svc.run(op)
        svc._announce_state()

    # -- reads -----------------------------------------------------------------------------------
    def _read(self, req: c.Request) -> c.Response:
        svc = self.service
        a = req.args
        if req.op == "profile":
            with self.store.read() as conn:
                from offline_cache import hall as hall_rows

                data = hall_rows.load(conn, svc.profile.hall_id)
            if data is None:
                from kiosk.queue.hall import DEMO_HALL

                data = dict(DEMO_HALL) if svc.profile.hall_id == DEMO_HALL["hall_id"] else None
            if data is None:
                return c.error(req.id, "host_unavailable", "hall profile not available")
            return c.Response(req.id, True, {"profile": data, "policy": self._policy()})
        if req.op == "invite":
            t = svc.invite_evaluation(a["counter"])
            return c.Response(req.id, True, {"ticket": None if t is None else ticket_to_dict(t)})
        what = a["what"]
        if what == "ticket" and a["ticket_id"]:
            t = svc.ticket(a["ticket_id"])
        elif what == "appointment" and a["appointment_id"]:
            t = svc.ticket_for_appointment(a["appointment_id"])
        elif what == "printing":
            mine = self._issued_by(req.terminal)
            rows = [ticket_to_dict(t) for t in svc.printing() if t.ticket_id in mine][:50]
            return c.Response(req.id, True, {"tickets": rows})
        elif what == "held" and a["holder_id_hash"]:
            rows = [ticket_to_dict(t) for t in svc.online_for_holder(a["holder_id_hash"])][:20]
            return c.Response(req.id, True, {"tickets": rows})
        elif what == "counter" and a["counter"]:
            cur = svc.current(a["counter"])
            view = svc.counter_view(a["counter"], a["limit"] or 30)
            return c.Response(
                req.id,
                True,
                {"ticket": None if cur is None else ticket_to_dict(cur), "view": _plain(asdict(view))},
            )
        elif what == "estimate" and a["category"]:
            est = svc.estimate(a["category"])
            return c.Response(req.id, True, {"ahead": est.ahead, "est_wait_min": est.minutes})
        elif what == "quote" and a["category"]:
            try:
                q = svc.quote(a["category"], Priority(a["priority"] or Priority.NORMAL.value))
            except ValueError:
                return c.error(req.id, "bad_args", f"view quote: unknown priority {a['priority']!r}")
            except QueueRefused as exc:  # day_full, hall_closed: the member says the host's sentence
                return c.error(req.id, exc.code, str(exc), **_plain(exc.params))
            return c.Response(
                req.id, True, {"ahead": q.ahead, "est_wait_min": q.minutes, "confirm": q.confirm}
            )
        else:
            return c.error(req.id, "bad_args", f"view {what}: missing its id")
        out: dict[str, Any] = {"ticket": None if t is None else ticket_to_dict(t)}
        if t is not None and t.state in (TicketState.PRINTING, TicketState.WAITING):
            est = svc.estimate_for(t.ticket_id)
            out.update(ahead=est.ahead, est_wait_min=est.minutes)
        return c.Response(req.id, True, out)

    def _issued_by(self, terminal: str) -> set[str]:
        """Ids of the tickets a terminal's ``issue`` commands took today (from the answers)."""
        now = self.wall()
        local = now.astimezone(self.service.profile.tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        since = iso(midnight.astimezone(now.tzinfo)) or ""  # as the ledger writes ``at``
        with self.store.read() as conn:
            answers = hallbus.issue_answers(conn, terminal, since)
        out = set()
        for resp in answers:
            ticket = json.loads(resp).get("result", {}).get("ticket") or {}
            if ticket.get("ticket_id"):
                out.add(str(ticket["ticket_id"]))
        return out

    def _policy(self) -> dict[str, Any]:
        p = self.service.policy
        return {"elderly_age": p.elderly_age, "real_name_limit": p.real_name_limit}

    # -- day end ---------------------------------------------------------------------------------
    def day_end(self) -> None:
        """Past leases closed; command answers older than any member still retries (a day) dropped."""
        self.close_past_leases()
        today = self.service.engine.local_day(self.service.now())
        if today == self._purged_on:  # the job runs every few seconds; one purge a day
            return
        before = iso(self.wall() - timedelta(days=1)) or ""
        self.store.write(lambda conn: hallbus.purge_commands(conn, before))
        self._purged_on = today

    def close_past_leases(self) -> int:
        """Leases of past days: the numbers no ticket came back for are voided (recorded on the
        lease; the engine's sequence never gives them out again)."""
        today = self.service.engine.local_day(self.service.now())
        with self.store.read() as conn:
            leases = hallbus.open_leases_before(conn, today)
        for lease in leases:

            def close(conn: Any, lease: hallbus.Lease = lease) -> None:
                used = {
                    int(r[0])
                    for r in conn.execute(
                        "SELECT seq FROM q_tickets WHERE day = ? AND origin_category = ?"
                        " AND seq BETWEEN ? AND ?",
                        (lease.day, lease.category, lease.first, lease.last),
                    )
                }
                voided = [n for n in range(lease.first, lease.last + 1) if n not in used]
                hallbus.close_lease(conn, lease.lease_id, iso(self.wall()) or "", voided)

            self.store.write(close)
        return len(leases)


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy (datetimes as ISO text)."""

    def default(o: Any) -> Any:
        return o.isoformat() if isinstance(o, datetime) else str(o)

    return dict(json.loads(json.dumps(params, default=default)))
