"""A hall's day through the real queue in virtual time (``kiosk queue simulate``).

The real ``QueueService`` runs against a real store (same migrations, same ledger rows, same
outbox events, ``synchronous=FULL``); only the clock is virtual and the arrivals, service
times, no-shows, transfers and ratings are drawn from a seeded random generator, so a hall
manager can compare counter assignments before a busy day and a run is reproducible.

What is not simulated: the printer (tickets go through ``printing`` → ``issued`` exactly as
with a printer that always works) and the card reader (appointment holders check in as the
check-in use case does: an appointment-priority ticket with the check-in time).

A day with more tickets than the hall's categories can number (999 per category) is spread
over extra categories (F, G, ...), and the simulation ignores daily limits, so a 10,000-ticket
day measures the engine rather than the hall's quotas.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.queue import ledger, stats
from kiosk.queue.errors import QueueRefused
from kiosk.queue.hall import DEMO_HALL
from kiosk.queue.model import HallProfile, Priority, QueuePolicy, Ticket

PRIORITY_MIX: tuple[tuple[Priority, float], ...] = (
    (Priority.ELDERLY, 0.08),
    (Priority.DISABILITY, 0.02),
    (Priority.MILITARY, 0.01),
    (Priority.VIP, 0.01),
)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class SimConfig:
    tickets: int = 500
    counters: int = 8
    seed: int = 1
    appointment_share: float = 0.10
    late_share: float = 0.05
    no_show_share: float = 0.04
    transfer_share: float = 0.03
    rating_share: float = 0.6
    service_min: float = 6.0
    open_minutes: int = 510
    """08:30-17:00 of the demo hall."""
    categories: int = 0
    """0 = as many as the ticket count needs (at least the hall's five)."""
    online_share: float = 0.0
    """Share of the walk-in arrivals that took their number from the phone 20-60 min before
    (held until they check in; ``no_show_share`` of them never come and expire)."""


@dataclass
class SimResult:
    stats: dict[str, Any]
    wall_s: float
    operations: int
    db: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def sim_profile(cfg: SimConfig) -> HallProfile:
    base = [dict(c) for c in DEMO_HALL["categories"]]
    need = cfg.categories or max(len(base), math.ceil(cfg.tickets / 800))
    if need > len(LETTERS):
        raise ValueError(f"at most {len(LETTERS) * 800} tickets can be simulated in one day")
    cats = base[:need]
    for letter in LETTERS[len(cats) : need]:
        cats.append({"code": letter, "name": f"业务{letter}", "prefix": letter, "priority_allowed": True})
    for c in cats:
        c["daily_limit"] = 0
    counters: list[dict[str, Any]] = [
        {"number": n, "name": f"{n}号窗口", "categories": [cats[(n - 1) % need]["code"]]}
        for n in range(1, cfg.counters + 1)
    ]
    # Every fourth window also helps the next category: halls keep some windows flexible.
    for c in counters[3::4]:
        nxt = cats[c["number"] % need]["code"]
        if nxt not in c["categories"]:
            c["categories"].append(nxt)
    return HallProfile.from_dict({**DEMO_HALL, "categories": cats, "counters": counters})


def _day_start(profile: HallProfile) -> datetime:
    """08:30 hall time on the coming Monday (a working day in the demo hall)."""
    tz = profile.tz
    today = datetime.now(tz).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return datetime(monday.year, monday.month, monday.day, 8, 30, tzinfo=tz).astimezone(UTC)


def run(cfg: SimConfig, db: Path, policy: QueuePolicy | None = None) -> SimResult:
    """Simulate one day into the store at ``db`` (created; must not hold another day)."""
    import time as _time

    from kiosk.queue.service import QueueService
    from offline_cache.store import Store

    rng = random.Random(cfg.seed)
    profile = sim_profile(cfg)
    policy = replace(policy or QueuePolicy(), enforce_hours=True)
    start = _day_start(profile)
    clock = [start]
    ids = (str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in itertools.count())
    store = Store.open(db)
    ops = 0
    refused: Counter[str] = Counter()
    wall0 = _time.perf_counter()
    try:
        svc = QueueService(
            store, profile, policy, terminal_id="T-SIM", clock=lambda: clock[0], new_id=lambda: next(ids)
        )
        svc.start()
        codes = [c.code for c in profile.categories]
        weights = [3.0 if i < 5 and len(codes) == 5 else 1.0 for i in range(len(codes))]
        events: list[tuple[datetime, int, str, Any]] = []
        seq = itertools.count()

        def at(when: datetime, kind: str, payload: Any) -> None:
            heapq.heappush(events, (when, next(seq), kind, payload))

        arrival_span = (cfg.open_minutes - 30) * 60.0
        appts: list[dict[str, Any]] = []
        for _ in range(cfg.tickets):
            arrival = start + timedelta(seconds=rng.random() * arrival_span)
            cat = rng.choices(codes, weights)[0]
            if rng.random() < cfg.appointment_share:
                late = rng.random() < cfg.late_share
                slot = arrival + timedelta(minutes=(-30 if late else rng.uniform(0, 20)))
                appt_id = f"SIM-{len(appts) + 1:05d}"
                appts.append({"id": appt_id, "category": cat, "slot": slot})
                at(arrival, "checkin", (cat, appt_id, slot))
            elif cfg.online_share > 0 and rng.random() < cfg.online_share:
                taken = max(start, arrival - timedelta(minutes=rng.uniform(20, 60)))
                rid = f"SIM-RT-{next(seq):06d}"
                comes = rng.random() >= cfg.no_show_share
                at(taken, "online", (cat, rid, taken, arrival if comes else None))
            else:
                prio = Priority.NORMAL
                r = rng.random()
                for p, share in PRIORITY_MIX:
                    if r < share:
                        prio = p
                        break
                    r -= share
                at(arrival, "arrive", (cat, prio))
        _insert_appointments(store, profile, appts)
        for c in profile.counters:
            at(start, "free", c.number)

        def service_minutes(category: str) -> float:
            mean = cfg.service_min * (1.5 if category == "B" else 1.0)
            return max(0.5, rng.lognormvariate(math.log(mean) - 0.18, 0.6))

        last_arrival = start + timedelta(seconds=arrival_span)
        # Nobody stands in front of a simulated kiosk: its writes go to disk in groups of
        # 2,048 changes (the 10,000-ticket day in 30 transactions; groups of 512 made it
        # 0.6 s slower in tests/bench/bench_queue_day.py: more fsyncs, rows written again)
        with svc.batched(2048):
            while events:
                when, _, kind, payload = heapq.heappop(events)
                clock[0] = when
                try:
                    if kind == "arrive":
                        cat, prio = payload
                        t = svc.begin_issue(cat, priority=prio)
                        svc.estimate_for(t.ticket_id)  # the wait printed: kept as told
                        svc.confirm_printed(t.ticket_id)
                        ops += 2
                    elif kind == "online":
                        cat, rid, taken, comes_at = payload
                        t = svc.issue_online(
                            request_id=rid,
                            category=cat,
                            holder_id_hash=f"{int(rid[7:]):064x}",
                            taken_at=taken,
                            arrive_by=taken + timedelta(minutes=90),
                        )
                        ops += 1
                        if comes_at is not None:
                            at(max(comes_at, when), "online_arrive", t.ticket_id)
                    elif kind == "online_arrive":
                        svc.arrive(payload, "id_card")  # no estimate told: it would run from arrival
                        ops += 1
                    elif kind == "checkin":
                        cat, appt_id, slot = payload
                        late = when > slot + timedelta(minutes=15)
                        t = svc.begin_issue(
                            cat,
                            priority=Priority.NORMAL if late else Priority.APPOINTMENT,
                            appointment_id=appt_id,
                            checked_in_at=when,
                            late_minutes=max(0, int((when - slot).total_seconds() // 60)),
                        )
                        svc.estimate_for(t.ticket_id)  # the wait printed: kept as told
                        svc.confirm_printed(t.ticket_id)
                        ops += 2
                    elif kind == "free":
                        counter = payload
                        called = svc.call_next(counter)
                        ops += 1
                        if called is None:
                            # idle windows keep looking while anything may still come their way
                            # (arrivals, waiting tickets, a call elsewhere that may be transferred)
                            pending = (
                                any(svc.engine.waiting_count(k) for k in codes)
                                or any(svc.engine.current(c.number) for c in profile.counters)
                                or bool(svc.engine.held())
                            )
                            if when < last_arrival or pending:
                                at(when + timedelta(seconds=30), "free", counter)
                            continue
                        _after_call(svc, rng, cfg, called, counter, when, at, service_minutes)
                    elif kind == "recall":
                        counter, left = payload
                        svc.recall(counter)
                        ops += 1
                        if left > 1:
                            at(when + timedelta(minutes=1), "recall", (counter, left - 1))
                        else:
                            at(when + timedelta(minutes=1), "skip", counter)
                    elif kind == "skip":
                        svc.skip(payload)
                        ops += 1
                        at(when, "free", payload)
                    elif kind == "transfer":
                        counter, target = payload
                        svc.transfer(counter, target)
                        ops += 1
                        at(when, "free", counter)
                    elif kind == "finish":
                        counter = payload
                        t = svc.finish(counter)
                        ops += 1
                        if rng.random() < cfg.rating_share:
                            level = rng.choices([5, 4, 3, 2, 1], [70, 18, 7, 3, 2])[0]
                            svc.evaluate(level, counter=counter, channel="window")
                            ops += 1
                        at(when + timedelta(seconds=rng.uniform(10, 60)), "free", counter)
                except QueueRefused as exc:
                    if kind in ("recall", "skip", "transfer", "finish"):
                        at(when, "free", payload if isinstance(payload, int) else payload[0])
                    elif kind in ("arrive", "checkin", "online", "online_arrive"):
                        refused[exc.code] += 1
                    else:
                        raise RuntimeError(f"simulation step {kind} refused: {exc}") from exc
        day = svc.engine.local_day(start)
        with store.read() as conn:
            tickets = ledger.tickets_of_day(conn, day)
            evals = ledger.evaluations_for(conn, [t.ticket_id for t in tickets])
            outbox_rows = int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])
    finally:
        store.close()
    wall = _time.perf_counter() - wall0
    told = {t.ticket_id: t.told_wait_min for t in tickets if t.told_wait_min is not None}
    result = stats.compute(tickets, evals, policy=policy, estimates=told)
    extra = {"outbox_events": outbox_rows, "day": day, "refused": dict(sorted(refused.items()))}
    extra["calling"] = policy.calling
    return SimResult(result, wall, ops, db, extra)


def _after_call(
    svc: Any,
    rng: random.Random,
    cfg: SimConfig,
    called: Ticket,
    counter: int,
    when: datetime,
    at: Any,
    service_minutes: Any,
) -> None:
    r = rng.random()
    absent: set[str] = svc.__dict__.setdefault("_sim_absent", set())
    if called.ticket_id in absent or (r < cfg.no_show_share and called.requeues == 0):
        absent.add(called.ticket_id)  # gone home: also absent when called again after a requeue
        recalls = svc.policy.recall_max
        if recalls > 0:
            at(when + timedelta(minutes=1), "recall", (counter, recalls))
        else:
            at(when + timedelta(minutes=1), "skip", counter)
        return
    r -= cfg.no_show_share
    if r < cfg.transfer_share and called.transfers == 0:
        others = [c.code for c in svc.profile.categories if c.code != called.category]
        at(when + timedelta(minutes=rng.uniform(1, 3)), "transfer", (counter, rng.choice(others)))
        return
    at(when + timedelta(minutes=service_minutes(called.category)), "finish", counter)


def _insert_appointments(store: Any, profile: HallProfile, appts: list[dict[str, Any]]) -> None:
    """The day's bookings in the store, as the sync engine would have pulled them."""
    if not appts:
        return
    from offline_cache import appointments as ap

    tz = profile.tz
    day = appts[0]["slot"].astimezone(tz).date().isoformat()
    items = [
        {
            "id": a["id"],
            "item_code": None,
            "category": a["category"],
            "slot_start": a["slot"].astimezone(tz).isoformat(),
            "slot_end": (a["slot"] + timedelta(minutes=30)).astimezone(tz).isoformat(),
            "holder_id_hash": f"{i:064x}",
            "holder_name_masked": "",
            "status": "booked",
        }
        for i, a in enumerate(appts, 1)
    ]
    store.write(lambda conn: ap.upsert(conn, profile.hall_id, day, items))


def summary(result: SimResult) -> dict[str, Any]:
    """The JSON the CLI prints (the issue's keys first, then detail)."""
    s = result.stats
    return {
        "issued": s["issued"],
        "served": s["served"],
        "no_show": s["no_show"],
        "avg_wait_min": s["avg_wait_min"],
        "p95_wait_min": s["p95_wait_min"],
        "max_wait_min": s["max_wait_min"],
        "max_wait_min_by_priority": s["max_wait_min_by_priority"],
        "appointment_called_within_10min_pct": s["appointment_called_within_10min_pct"],
        "calling": result.extra.get("calling"),
        "lanes": s["lanes"],
        "estimate_error": s["estimate_error"],
        "refused_day_full": result.extra.get("refused", {}).get("day_full", 0),
        "refused": result.extra.get("refused", {}),
        "no_show_rate": s["no_show_rate"],
        "transferred": s["transferred"],
        "evaluations": s["evaluations"],
        "evaluation_avg": s["evaluation_avg"],
        "waiting_at_end": s["waiting"],
        "expired_at_midnight": s["expired"],
        "operations": result.operations,
        "outbox_events": result.extra.get("outbox_events"),
        "wall_s": round(result.wall_s, 2),
        "day": result.extra.get("day"),
        "categories": s["categories"],
        "counters": s["counters"],
        "channels": s["channels"],
    }
