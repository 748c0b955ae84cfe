"""``kiosk queue simulate|status|stats``: try a busy day, look at the live queue, export figures."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk.cli.common import CliExit, load, start_logging


def register(sub: Any) -> None:
    p = sub.add_parser("queue", help="simulate a day, show the live queue, export statistics")
    qsub = p.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    sim = qsub.add_parser("simulate", help="run a day through the real queue engine in virtual time")
    sim.add_argument("--tickets", type=int, default=500, help="tickets issued in the day (default 500)")
    sim.add_argument("--counters", type=int, default=8, help="open windows (default 8)")
    sim.add_argument("--seed", type=int, default=1, help="random seed (same seed, same day)")
    sim.add_argument("--service-min", type=float, default=6.0, help="mean service minutes (default 6)")
    sim.add_argument(
        "--online-share",
        type=float,
        default=0.0,
        help="share of walk-ins who took their number from the phone beforehand (default 0)",
    )
    sim.add_argument("--db", metavar="FILE", help="keep the simulated store here (default: a temporary file)")
    sim.add_argument(
        "--policy",
        choices=("config", "service_level", "weighted", "both"),
        default="config",
        help="calling policy: as configured (default), one of them, or both on the same day side by side",
    )
    sim.add_argument(
        "--day-full",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="stop issuing for a category its windows cannot serve before closing (default: config)",
    )
    sim.add_argument("--json", action="store_true", help="print JSON")
    sim.set_defaults(func=cmd_simulate)
    st = qsub.add_parser("status", help="the live queue of the configured hall")
    st.add_argument("--json", action="store_true", help="print JSON")
    st.add_argument("--demo", action="store_true", help="use the built-in demo hall if none is synced")
    st.set_defaults(func=cmd_status)
    stats = qsub.add_parser("stats", help="statistics of a day (default today), optionally as CSV")
    stats.add_argument("--day", metavar="YYYY-MM-DD", help="local date in the hall's time zone")
    stats.add_argument("--csv", metavar="FILE", help="write CSV here ('-' = standard output)")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.add_argument("--demo", action="store_true", help="use the built-in demo hall if none is synced")
    stats.set_defaults(func=cmd_stats)


def cmd_simulate(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.queue.config import policy_from
    from kiosk.queue.simulate import SimConfig

    if args.tickets < 1 or args.counters < 1:
        print("--tickets and --counters must be at least 1", file=sys.stderr)
        return 2
    if args.db and args.policy == "both":
        print("--db keeps one store: choose one --policy", file=sys.stderr)
        return 2
    settings = load(args)
    if not 0.0 <= args.online_share <= 1.0:
        print("--online-share must be between 0 and 1", file=sys.stderr)
        return 2
    cfg = SimConfig(
        tickets=args.tickets,
        counters=args.counters,
        seed=args.seed,
        service_min=args.service_min,
        online_share=args.online_share,
    )
    policy = policy_from(settings.queue)
    if args.day_full is not None:
        policy = replace(policy, day_full=args.day_full)
    names = {"config": [policy.calling], "both": ["weighted", "service_level"]}.get(
        args.policy, [args.policy]
    )
    outs: dict[str, dict[str, Any]] = {}
    for name in names:
        out = _simulate_one(cfg, replace(policy, calling=name), args.db)
        if out is None:
            return 2
        outs[name] = out
    if args.json:
        doc = outs[names[0]] if len(names) == 1 else outs
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    first = outs[names[0]]
    print(f"simulated day {first['day']}: {args.tickets} arrivals, {args.counters} windows, seed {args.seed}")
    if len(outs) > 1:
        _print_side_by_side(outs)
        return 0
    out = first
    for key in ("issued", "served", "no_show", "transferred", "avg_wait_min", "p95_wait_min", "max_wait_min"):
        print(f"  {key:<38} {out[key]}")
    within = out["appointment_called_within_10min_pct"]
    print(f"  {'appointment_called_within_10min_pct':<38} {'-' if within is None else within}")
    print(f"  {'evaluation_avg':<38} {'-' if out['evaluation_avg'] is None else out['evaluation_avg']}")
    print(
        "  max wait by priority (min): "
        + ", ".join(f"{k} {v}" for k, v in out["max_wait_min_by_priority"].items())
    )
    print(f"  calling {out['calling']}; refused as day full: {out['refused_day_full']}")
    for lane, r in out["lanes"].items():
        on = "no target" if r["within_target_pct"] is None else f"{r['within_target_pct']} % within target"
        waits = f"p50 {r['p50_wait_min']}, p90 {r['p90_wait_min']}, p95 {r['p95_wait_min']}"
        print(f"  {lane:<12} {waits}, max {r['max_wait_min']} min; {on}")
    for ch, r in out.get("channels", {}).items():
        extra = ""
        if ch == "online":
            extra = (
                f"; arrived {r['arrived']}, expired unclaimed {r['not_arrived']}, "
                f"avg wait after arrival {r['avg_wait_after_arrival_min']} min"
            )
        print(
            f"  channel {ch:<8} issued {r['issued']}, served {r['served']}, no-show {r['no_show']}, "
            f"avg wait {r['avg_wait_min']} min{extra}"
        )
    err = out["estimate_error"] or {}
    print(
        f"  estimate error: median {err.get('median_abs_min')} min, p90 {err.get('p90_abs_min')} min, "
        f"{_pct(err.get('within_20pct_or_3min_pct'))} within 20 % or 3 min"
    )
    print(f"  {out['operations']} queue operations, {out['outbox_events']} outbox events, {out['wall_s']} s")
    if args.db:
        print(f"  store kept at {args.db}")
    return 0


def _simulate_one(cfg: Any, policy: Any, keep: str | None) -> dict[str, Any] | None:
    from kiosk.queue.simulate import run, summary

    tmp: str | None = None
    if keep:
        db = Path(keep)
        if db.exists():
            print(f"{db} exists; the simulation writes a fresh store", file=sys.stderr)
            return None
    else:
        # tmpfs when there is one: same SQLite code and durability settings, no disk wear
        base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        tmp = tempfile.mkdtemp(prefix="kiosk-sim-", dir=base)
        db = Path(tmp) / "sim.db"
    try:
        result = run(cfg, db, policy)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return summary(result)


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value} %"


def _print_side_by_side(outs: dict[str, dict[str, Any]]) -> None:
    """One column per policy: the day's figures, then per lane p95 / max / share on target."""
    names = list(outs)
    width = max(22, *(len(n) + 2 for n in names))

    def row(label: str, values: list[Any]) -> None:
        print(f"  {label:<40}" + "".join(f"{'-' if v is None else v!s:>{width}}" for v in values))

    row("", names)
    for key in (
        "issued",
        "served",
        "no_show",
        "transferred",
        "refused_day_full",
        "avg_wait_min",
        "p95_wait_min",
        "max_wait_min",
    ):
        row(key, [o[key] for o in outs.values()])
    row(
        "appointments called within 10 min",
        [_pct(o["appointment_called_within_10min_pct"]) for o in outs.values()],
    )
    lanes = [lane for lane in outs[names[0]]["lanes"]]
    for lane in lanes:
        cells = []
        for o in outs.values():
            r = o["lanes"].get(lane)
            if r is None:
                cells.append("-")
                continue
            on = "" if r["within_target_pct"] is None else f" {r['within_target_pct']}%"
            cells.append(f"{r['p95_wait_min']}/{r['max_wait_min']}{on}")
        row(f"{lane}: p95/max min, on target", cells)
    for key, label in (
        ("median_abs_min", "estimate error median (min)"),
        ("p90_abs_min", "estimate error p90 (min)"),
    ):
        row(label, [(o["estimate_error"] or {}).get(key) for o in outs.values()])
    row(
        "estimates within 20 % or 3 min",
        [_pct((o["estimate_error"] or {}).get("within_20pct_or_3min_pct")) for o in outs.values()],
    )
    row("queue operations", [o["operations"] for o in outs.values()])
    row("wall s", [o["wall_s"] for o in outs.values()])


def _open(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Settings, the terminal's store and the queue service loaded from it (read side only)."""
    from kiosk.queue import hall
    from kiosk.queue.config import policy_from
    from kiosk.queue.service import QueueService
    from kiosk.wiring.store import open_store
    from offline_cache.errors import StoreError

    settings = load(args)
    paths = start_logging(args, settings, to_file=False)
    try:
        store = open_store(paths, settings.store)
    except StoreError as exc:
        print(f"local database unavailable: {exc}", file=sys.stderr)
        raise CliExit(1) from None
    with store.read() as conn:
        profile = hall.resolve(conn, settings.platform.hall_id, demo=bool(args.demo))
    if profile is None:
        store.close()
        print("hall profile not synced yet: run `kiosk sync` once the platform is reachable", file=sys.stderr)
        raise CliExit(1)
    svc = QueueService(store, profile, policy_from(settings.queue), terminal_id=settings.terminal.id)
    svc.load()
    return settings, store, svc


def cmd_status(args: argparse.Namespace) -> int:
    _, store, svc = _open(args)
    try:
        status = svc.status()
    finally:
        store.close()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    print(f"{svc.profile.name} ({status['hall_id']}), {status['day']}")
    for code, c in status["categories"].items():
        est = "no window open" if c["est_wait_min"] is None else f"~{c['est_wait_min']} min"
        numbers = " ".join(w["number"] for w in status["waiting"][code][:12])
        more = " ..." if len(status["waiting"][code]) > 12 else ""
        print(f"  {code} {c['name']:<8} waiting {c['waiting']:>3}  {est:<16} {numbers}{more}")
    for n, c in status["counters"].items():
        state = "paused" if c["paused"] else (f"serving {c['serving']}" if c["serving"] else "free")
        print(f"  window {n:>3}: {state}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kiosk.queue import ledger, stats

    _, store, svc = _open(args)
    try:
        day = args.day or svc.engine.local_day(svc.now())
        with store.read() as conn:
            tickets = ledger.tickets_of_day(conn, day)
            evals = ledger.evaluations_for(conn, [t.ticket_id for t in tickets])
    finally:
        store.close()
    told = {t.ticket_id: t.told_wait_min for t in tickets if t.told_wait_min is not None}
    figures = stats.compute(tickets, evals, policy=svc.policy, estimates=told)
    if args.csv:
        text = stats.to_csv(figures)
        if args.csv == "-":
            sys.stdout.write(text)
        else:
            Path(args.csv).write_text(text, encoding="utf-8-sig")
            print(f"wrote {args.csv}")
        return 0
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    for line in stats_text(day, figures):
        print(line)
    return 0


def stats_text(day: str, figures: dict[str, Any]) -> list[str]:
    """The day's figures as lines for a person: a figure that does not exist (no appointment
    checked in, no rating) is said in words, never printed as "None"."""
    lines = [f"{day}: issued {figures['issued']}, served {figures['served']}, no-show {figures['no_show']}"]
    lines.append(f"  wait avg {figures['avg_wait_min']} min, p95 {figures['p95_wait_min']} min")
    within = figures["appointment_called_within_10min_pct"]
    if within is None:
        lines.append("  appointments called within 10 min: no appointment checked in and called")
    else:
        lines.append(f"  appointments called within 10 min: {within} %")
    for lane, r in figures["lanes"].items():
        on = "no target" if r["within_target_pct"] is None else f"{r['within_target_pct']} % within target"
        wait = f"p95 {r['p95_wait_min']} min, max {r['max_wait_min']} min"
        lines.append(f"  {lane:<12} called {r['called']:>4}, {wait}, {on}")
    err = figures.get("estimate_error") or {}
    if not err.get("compared"):
        lines.append("  estimates: no ticket told a wait has been called yet")
    else:
        lines.append(
            f"  estimates: median error {err['median_abs_min']} min, p90 {err['p90_abs_min']} min "
            f"({err['compared']} called)"
        )
        for code, c in figures["categories"].items():
            if c.get("estimate_compared"):
                lines.append(
                    f"    {code}: median error {c['estimate_median_abs_min']} min, "
                    f"p90 {c['estimate_p90_abs_min']} min ({c['estimate_compared']} called)"
                )
    average = figures["evaluation_avg"]
    rated = "" if average is None else f", average {average}"
    lines.append(f"  evaluations {figures['evaluations']}{rated}")
    return lines
