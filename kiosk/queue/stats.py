"""Statistics of a day's queue, computed from the ledger (the same numbers live or afterwards).

Wait = first call minus issue time (a transferred or requeued ticket keeps its first wait; the
hall's wait targets are about how long a citizen sat before a window first called them).
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kiosk.queue.model import Evaluation, Priority, QueuePolicy, Ticket, TicketState

APPOINTMENT_TARGET_MIN = 10.0


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation: the value some citizen actually waited)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def _summary(waits: list[float]) -> dict[str, float]:
    return {
        "avg_wait_min": round(sum(waits) / len(waits), 2) if waits else 0.0,
        "p95_wait_min": round(percentile(waits, 95), 2),
        "max_wait_min": round(max(waits), 2) if waits else 0.0,
    }


def _target_wait(t: Ticket) -> float | None:
    """Minutes from the start of the promise (check-in for an appointment, else issue) to the
    first call."""
    if t.first_called_at is None:
        return None
    return (t.first_called_at - (t.checked_in_at or t.issued_at)).total_seconds() / 60.0


def lanes(tickets: Iterable[Ticket], policy: QueuePolicy) -> dict[str, Any]:
    """Per priority lane: the wait distribution and the share called within the lane's target
    (per category, as configured); lanes with no target have ``target_min`` None."""
    out: dict[str, Any] = {}
    for p in Priority:
        ts = [t for t in tickets if t.priority is p]
        if not ts:
            continue
        judged = [(t, w) for t in ts if (w := _target_wait(t)) is not None]
        waits = [w for _, w in judged]
        targets = {policy.target_min(p, t.origin_category) for t in ts}
        row: dict[str, Any] = {
            "issued": len(ts),
            "called": len(waits),
            "avg_wait_min": round(sum(waits) / len(waits), 2) if waits else 0.0,
            "p50_wait_min": round(percentile(waits, 50), 2),
            "p90_wait_min": round(percentile(waits, 90), 2),
            "p95_wait_min": round(percentile(waits, 95), 2),
            "max_wait_min": round(max(waits), 2) if waits else 0.0,
            "target_min": targets.pop() if len(targets) == 1 else sorted(x or 0 for x in targets),
            "within_target_pct": None,
        }
        on_target = [
            w <= target for t, w in judged if (target := policy.target_min(p, t.origin_category)) is not None
        ]
        if on_target:
            row["within_target_pct"] = round(100.0 * sum(on_target) / len(on_target), 1)
        out[p.value] = row
    return out


def estimate_error(tickets: Iterable[Ticket], estimates: Mapping[str, int | None]) -> dict[str, Any]:
    """The wait told at issue against the real one (minutes; positive = waited longer than
    told): median and 90th percentile of the absolute error, the median signed error, and the
    share told within 20 % or 3 minutes of the truth."""
    errors: list[float] = []
    honest: list[bool] = []
    for t in tickets:
        told = estimates.get(t.ticket_id)
        real = t.wait_min
        if told is None or real is None:
            continue
        errors.append(real - told)
        honest.append(abs(real - told) <= max(3.0, 0.2 * real))
    absolute = [abs(e) for e in errors]
    return {
        "compared": len(errors),
        "median_abs_min": round(percentile(absolute, 50), 2),
        "p90_abs_min": round(percentile(absolute, 90), 2),
        "median_signed_min": round(_median(errors), 2),
        "within_20pct_or_3min_pct": round(100.0 * sum(honest) / len(honest), 1) if honest else None,
    }


def _median(values: Sequence[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def compute(
    tickets: Iterable[Ticket],
    evaluations: Iterable[Evaluation] = (),
    *,
    policy: QueuePolicy | None = None,
    estimates: Mapping[str, int | None] | None = None,
) -> dict[str, Any]:
    """The day's figures; ``policy`` gives the target waits judged per lane, ``estimates``
    (ticket id -> minutes told at issue) the estimate error."""
    tickets = list(tickets)
    evaluations = list(evaluations)
    real = [t for t in tickets if t.state is not TicketState.VOIDED]
    called = [t for t in real if t.wait_min is not None]
    waits = [t.wait_min for t in called if t.wait_min is not None]
    served = [t for t in real if t.state is TicketState.SERVED]
    no_show = [t for t in real if t.state is TicketState.NO_SHOW]

    by_cat: dict[str, list[Ticket]] = defaultdict(list)
    for t in real:
        by_cat[t.origin_category].append(t)
    categories: dict[str, Any] = {}
    for cat, ts in sorted(by_cat.items()):
        w = [t.wait_min for t in ts if t.wait_min is not None]
        categories[cat] = {
            "issued": len(ts),
            "waiting": sum(1 for t in ts if t.state is TicketState.WAITING),
            "served": sum(1 for t in ts if t.state is TicketState.SERVED),
            "no_show": sum(1 for t in ts if t.state is TicketState.NO_SHOW),
            **_summary(w),
        }
        if estimates is not None:
            err = estimate_error(ts, estimates)
            categories[cat].update(
                estimate_compared=err["compared"],
                estimate_median_abs_min=err["median_abs_min"],
                estimate_p90_abs_min=err["p90_abs_min"],
            )

    by_counter: dict[int, list[Ticket]] = defaultdict(list)
    for t in called:
        if t.first_counter is not None:
            by_counter[t.first_counter].append(t)
    served_at: dict[int, list[Ticket]] = defaultdict(list)
    for t in served:
        if t.counter is not None:
            served_at[t.counter].append(t)
    evals_at: dict[int, list[int]] = defaultdict(list)
    for e in evaluations:
        if e.counter is not None:
            evals_at[e.counter].append(e.level)
    counters: dict[str, Any] = {}
    for n in sorted(set(by_counter) | set(served_at) | set(evals_at)):
        w = [t.wait_min for t in by_counter.get(n, []) if t.wait_min is not None]
        svc = [t.service_min for t in served_at.get(n, []) if t.service_min is not None]
        levels = evals_at.get(n, [])
        counters[str(n)] = {
            "called": len(by_counter.get(n, [])),
            "served": len(served_at.get(n, [])),
            "avg_service_min": round(sum(svc) / len(svc), 2) if svc else 0.0,
            "evaluations": len(levels),
            "evaluation_avg": round(sum(levels) / len(levels), 2) if levels else None,
            **_summary(w),
        }

    max_by_priority: dict[str, float] = {}
    for p in Priority:
        w = [t.wait_min for t in called if t.priority is p and t.wait_min is not None]
        if w:
            max_by_priority[p.value] = round(max(w), 2)

    appt = [t for t in real if t.priority is Priority.APPOINTMENT and t.checked_in_at is not None]
    appt_called = [t for t in appt if t.first_called_at is not None]
    within = [
        t
        for t in appt_called
        if t.first_called_at is not None
        and t.checked_in_at is not None
        and (t.first_called_at - t.checked_in_at).total_seconds() <= APPOINTMENT_TARGET_MIN * 60
    ]
    levels = [e.level for e in evaluations]
    ended = len(served) + len(no_show)
    return {
        "issued": len(real),
        "voided": len(tickets) - len(real),
        "waiting": sum(1 for t in real if t.state is TicketState.WAITING),
        "served": len(served),
        "no_show": len(no_show),
        "no_show_rate": round(len(no_show) / ended, 4) if ended else 0.0,
        "expired": sum(1 for t in real if t.state is TicketState.EXPIRED),
        "transferred": sum(1 for t in real if t.transfers),
        **_summary(waits),
        "max_wait_min_by_priority": max_by_priority,
        "appointment_tickets": len(appt),
        "appointment_called_within_10min_pct": (
            round(100.0 * len(within) / len(appt_called), 1) if appt_called else None
        ),
        "evaluations": len(levels),
        "evaluation_avg": round(sum(levels) / len(levels), 2) if levels else None,
        "evaluation_bad": sum(1 for x in levels if x <= 2),
        "lanes": lanes(real, policy or QueuePolicy()),
        "estimate_error": estimate_error(real, estimates) if estimates is not None else None,
        "categories": categories,
        "counters": counters,
        "channels": channels(real),
    }


CHANNELS = ("kiosk", "online")


def channels(tickets: Iterable[Ticket]) -> dict[str, Any]:
    """Per channel (taken at a kiosk, taken from the phone) apart: what was issued and how it
    ended. An online ticket's ``wait`` runs from when it was taken; ``wait_after_arrival``
    from its holder's check-in (the part the hall controls); ``not_arrived`` expired unclaimed."""
    out: dict[str, Any] = {}
    ts_all = list(tickets)
    for ch in CHANNELS:
        ts = [t for t in ts_all if t.channel == ch]
        w = [t.wait_min for t in ts if t.wait_min is not None]
        row: dict[str, Any] = {
            "issued": len(ts),
            "called": sum(1 for t in ts if t.first_called_at is not None),
            "waiting": sum(1 for t in ts if t.state is TicketState.WAITING),
            "served": sum(1 for t in ts if t.state is TicketState.SERVED),
            "no_show": sum(1 for t in ts if t.state is TicketState.NO_SHOW),
            **_summary(w),
        }
        if ch == "online":
            after = [
                (t.first_called_at - t.checked_in_at).total_seconds() / 60.0
                for t in ts
                if t.first_called_at is not None and t.checked_in_at is not None
            ]
            row["arrived"] = sum(1 for t in ts if t.checked_in_at is not None)
            row["not_arrived"] = sum(1 for t in ts if t.note == "not_arrived")
            row["held"] = sum(1 for t in ts if t.state is TicketState.WAITING and t.checked_in_at is None)
            row["avg_wait_after_arrival_min"] = round(sum(after) / len(after), 2) if after else 0.0
        out[ch] = row
    return out


CSV_COLUMNS = (
    "scope",
    "key",
    "issued",
    "called",
    "waiting",
    "served",
    "no_show",
    "avg_wait_min",
    "p95_wait_min",
    "max_wait_min",
    "avg_service_min",
    "evaluations",
    "evaluation_avg",
    "p50_wait_min",
    "p90_wait_min",
    "target_min",
    "within_target_pct",
    "estimate_median_abs_min",
    "estimate_p90_abs_min",
)


def to_csv(stats: dict[str, Any]) -> str:
    """One row for the day, one per priority lane (target and share on it), one per category,
    one per counter, one per channel (spreadsheet-friendly, UTF-8)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    err = stats.get("estimate_error") or {}
    w.writerow(
        {
            "scope": "day",
            "key": "all",
            **stats,
            "estimate_median_abs_min": err.get("median_abs_min"),
            "estimate_p90_abs_min": err.get("p90_abs_min"),
        }
    )
    for lane, row in stats.get("lanes", {}).items():
        target = row["target_min"]
        w.writerow(
            {
                "scope": "lane",
                "key": lane,
                **row,
                "target_min": "/".join(str(x) for x in target) if isinstance(target, list) else target,
            }
        )
    for cat, row in stats["categories"].items():
        w.writerow({"scope": "category", "key": cat, **row})
    for n, row in stats["counters"].items():
        w.writerow({"scope": "counter", "key": n, **row})
    for ch, row in stats.get("channels", {}).items():
        w.writerow({"scope": "channel", "key": ch, **row})
    return buf.getvalue()
