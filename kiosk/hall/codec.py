"""Queue objects on the wire: a ticket as the member sees it (never the holder's ID hash), an
estimate, an evaluation id; and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.hall.contract import VERSION, Arg, ContractError, check_fields, encode
from kiosk.queue.model import Priority, Ticket, TicketState, iso

_TICKET = {
    "ticket_id": Arg("str", max_len=64),
    "number": Arg("str", max_len=16),
    "day": Arg("str", max_len=10),
    "seq": Arg("int", min=0),
    "category": Arg("str", max_len=16),
    "origin_category": Arg("str", max_len=16),
    "item_code": Arg("str", required=False, nullable=True, max_len=64),
    "priority": Arg("str", max_len=16),
    "issued_at": Arg("str", max_len=40),
    "order": Arg("int"),
    "state": Arg("str", max_len=16),
    "appointment_id": Arg("str", required=False, nullable=True, max_len=64),
    "checked_in_at": Arg("str", required=False, nullable=True, max_len=40),
    "late_minutes": Arg("int", required=False, nullable=True),
    "counter": Arg("int", required=False, nullable=True),
    "called_at": Arg("str", required=False, nullable=True, max_len=40),
    "recalls": Arg("int", min=0),
    "holder_masked": Arg("str", required=False, nullable=True, max_len=32),
    "note": Arg("str", required=False, nullable=True, max_len=200),
    "channel": Arg("str", required=False, nullable=True, max_len=16),
    "request_id": Arg("str", required=False, nullable=True, max_len=64),
    "arrive_by": Arg("str", required=False, nullable=True, max_len=40),
}


def ticket_to_dict(t: Ticket) -> dict[str, Any]:
    return {
        "ticket_id": t.ticket_id,
        "number": t.number,
        "day": t.day,
        "seq": t.seq,
        "category": t.category,
        "origin_category": t.origin_category,
        "item_code": t.item_code,
        "priority": t.priority.value,
        "issued_at": iso(t.issued_at),
        "order": t.order,
        "state": t.state.value,
        "appointment_id": t.appointment_id,
        "checked_in_at": iso(t.checked_in_at),
        "late_minutes": t.late_minutes,
        "counter": t.counter,
        "called_at": iso(t.called_at),
        "recalls": t.recalls,
        "holder_masked": t.holder_masked,
        "note": t.note,
        "channel": t.channel,
        "request_id": t.request_id,
        "arrive_by": iso(t.arrive_by),
    }


def _dt(v: str | None) -> datetime | None:
    return None if v is None else datetime.fromisoformat(v)


def ticket_from_dict(data: Any) -> Ticket:
    d = check_fields(data, _TICKET, "bad_payload", "ticket")
    try:
        issued = datetime.fromisoformat(d["issued_at"])
        return Ticket(
            ticket_id=d["ticket_id"],
            number=d["number"],
            day=d["day"],
            seq=d["seq"],
            category=d["category"],
            origin_category=d["origin_category"],
            item_code=d["item_code"],
            priority=Priority(d["priority"]),
            issued_at=issued,
            order=d["order"],
            state=TicketState(d["state"]),
            appointment_id=d["appointment_id"],
            checked_in_at=_dt(d["checked_in_at"]),
            late_minutes=d["late_minutes"],
            counter=d["counter"],
            called_at=_dt(d["called_at"]),
            recalls=d["recalls"],
            holder_masked=d["holder_masked"],
            note=d["note"],
            channel=d["channel"] or "kiosk",
            request_id=d["request_id"],
            arrive_by=_dt(d["arrive_by"]),
        )
    except ValueError as exc:
        raise ContractError("bad_payload", f"ticket: {exc}") from None


def presence_payload(online: bool, role: str, since: datetime) -> bytes:
    """A terminal's retained presence (and its last will, ``online`` false)."""
    return encode({"v": VERSION, "online": online, "role": role, "since": iso(since)})


def call_payload(
    seq: int,
    number: str,
    counter: int,
    counter_name: str,
    category: str,
    at: str | None,
    *,
    recall: bool,
    channel: str | None = None,
) -> dict[str, Any]:
    """A call event as the host sends it (and keeps among the recent calls of its state)."""
    call: dict[str, Any] = {
        "v": VERSION,
        "seq": seq,
        "number": number,
        "counter": counter,
        "counter_name": counter_name,
        "category": category,
        "at": at,
        "recall": recall,
    }
    if channel is not None:
        call["channel"] = channel
    return call


def offline_ticket(d: dict[str, Any], number: str, day: str, **extra: Any) -> Ticket:
    """A ticket a machine issued from its lease (``d`` as it keeps and submits it), printing;
    ``extra`` sets further fields (the host adds the holder's hash and a note)."""
    return Ticket(
        ticket_id=d["ticket_id"],
        number=number,
        day=day,
        seq=int(d["seq"]),
        category=d["category"],
        origin_category=d["category"],
        item_code=d.get("item_code"),
        priority=_priority(d.get("priority")),
        issued_at=datetime.fromisoformat(d["issued_at"]),
        order=0,
        state=TicketState.PRINTING,
        holder_masked=d.get("holder_masked"),
        **extra,
    )


def _priority(value: str | None) -> Priority:
    try:
        return Priority(value or "normal")
    except ValueError:
        return Priority.NORMAL
