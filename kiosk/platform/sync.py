"""The background sync engine: delivers the outbox exactly once and keeps local copies fresh.

Push: the outbox goes out oldest first in batches (at most 500). Accepted and duplicate ids
leave the outbox; rejected ones move to quarantine with the platform's reason; a batch the
platform refuses as a whole (400/404/409/422) is split to isolate the bad event, since only
the same bytes must not be retried. A transient failure (timeout, reset, 429/5xx, nonsense)
holds the whole remaining outbox with exponential backoff and jitter (``Retry-After`` wins
when longer), so a later event never overtakes an earlier one. Because ids are made by the
terminal and the platform deduplicates them, a push whose answer was lost (or a kiosk killed
mid-push) is simply sent again and comes back as duplicates: exactly-once in effect.

Pull: hall profile, catalog delta (cursor; a full snapshot removes items the platform no
longer has), appointments for today and tomorrow in the hall's timezone, QR keys.

Heartbeat every ``heartbeat_s`` with device health, queue snapshot and outbox depth (plus any
fields from registered providers); the answer's commands run once each.

The UI sees ``SyncStatus`` events on the bus and can call ``status()`` at any time.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from kiosk import __version__
from kiosk.platform import accept, backoff
from kiosk.platform.client import AuthFailed, PlatformClient, PlatformError, Rejected, Retryable
from kiosk.platform.status import SyncStatus
from offline_cache import appointments, catalog, cursors, hall, outbox, quarantine, signing_keys
from offline_cache.errors import StoreError
from offline_cache.outbox import Pending
from offline_cache.store import Store

log = logging.getLogger(__name__)

MAX_PAGES = 10_000
CATALOG_CHUNK = 100
COMMANDS_REMEMBERED = 200
REFUSED_KEPT = 20
REFUSED_META = "refused_platform_data"


@dataclass
class CycleResult:
    """What one ``run_once`` did; ``ok`` only when the outbox is empty and every pull succeeded."""

    ok: bool = False
    reason: str = ""
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    outbox_depth: int = 0
    pulls: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _PushOutcome:
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    error: str = ""


HeartbeatProvider = Callable[[], dict[str, Any]]
Pusher = Callable[[bool], str]
CommandHandler = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class PlatformCommand:
    """Published on the bus for a heartbeat command the engine does not run itself."""

    id: str
    name: str
    args: dict[str, Any]


def load_refused(conn: Any) -> dict[str, str]:
    """The platform data the engine refused, as it keeps them in the store (``what: why``,
    at most ``REFUSED_KEPT``); raises ``ValueError`` when the record is unreadable."""
    text = cursors.get_meta(conn, REFUSED_META)
    try:
        data = json.loads(text) if text else {}
    except RecursionError as exc:
        raise ValueError("the record of refused data is nested too deep") from exc
    if not isinstance(data, dict):
        return {}
    return {str(k)[:100]: str(v)[:300] for k, v in list(data.items())[:REFUSED_KEPT]}


def _upsert_rows(conn: Any, rows: list[tuple[Any, ...]]) -> int:
    return catalog.upsert_rows(conn, rows)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: PlatformClient | None,
        *,
        terminal_id: str,
        hall_id: str,
        publish: Callable[[Any], None] | None = None,
        batch_size: int = 500,
        sync_interval_s: float = 15.0,
        heartbeat_s: float = 30.0,
        profile: str = "self_service",
        rng: random.Random | None = None,
        problem: str = "",
    ) -> None:
        self.store = store
        self.client = client
        self.terminal_id = terminal_id
        self.hall_id = hall_id
        self.publish = publish or (lambda _e: None)
        self.batch_size = max(1, min(500, batch_size))
        self.sync_interval_s = sync_interval_s
        self.heartbeat_s = heartbeat_s
        self.profile = profile
        self.rng = rng or random.Random()
        self.providers: list[HeartbeatProvider] = []
        self.command_handlers: dict[str, CommandHandler] = {}
        self._state = "offline_mode" if client is None else "offline"
        self._detail = problem or ("" if client is not None else "no platform configured")
        self._last_sync_at: str | None = None
        self._pull_failures = 0
        self._next_pull = 0.0
        self._next_heartbeat = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._force = False
        self._thread: threading.Thread | None = None
        self._unlisten: Callable[[], None] | None = None
        self._last_published: SyncStatus | None = None
        self._cycle_lock = threading.Lock()
        self._refused: dict[str, str] = self._load_refused()
        self._refused_over: set[str] = set()
        self._removing: Future[None] | None = None
        self.extra_pulls: list[tuple[str, Callable[[], str]]] = []
        self.pushers: list[Pusher] = []

    # -- public ----------------------------------------------------------------------------
    def add_pull(self, name: str, fn: Callable[[], str]) -> None:
        """Pull one more stream each cycle (self-service forms): ``fn()`` returns the "ok ..."
        detail or raises a ``PlatformError``/``StoreError`` like the built-in pulls."""
        self.extra_pulls.append((name, fn))

    def add_pusher(self, fn: Pusher) -> None:
        """Deliver one more kind of outbox after the events (applications with their pages):
        ``fn(force)`` returns "" when nothing is left to send, else why not."""
        self.pushers.append(fn)

    def add_heartbeat_provider(self, fn: HeartbeatProvider) -> None:
        """``fn()`` returns fields merged into each heartbeat (``devices``, ``queue``, or extras
        such as version/uptime/disk/memory); a failing provider is logged and skipped."""
        self.providers.append(fn)

    def status(self) -> SyncStatus:
        try:
            with self.store.read() as conn:
                depth = outbox.depth(conn)
                held = quarantine.count(conn)
                last = self._last_sync_at or cursors.get_meta(conn, "last_sync_at")
        except StoreError:
            depth, held, last = -1, -1, self._last_sync_at
        refused = tuple(f"{what}: {why}" for what, why in list(self._refused.items()))
        if self._refused_over:
            refused += (f"and {len(self._refused_over)} more records",)
        detail = self._detail
        if refused:
            # The technician's sync page shows ``detail``: name what was refused there too.
            named = "refused platform data (the last good copy is kept): " + "; ".join(refused[:3])
            detail = f"{detail} · {named}" if detail else named
        return SyncStatus(
            state=self._state,
            online=self._state == "online",
            last_sync_at=last,
            outbox_depth=depth,
            quarantined=held,
            detail=detail,
            refused=refused,
        )

    def wake(self, force: bool = False) -> None:
        """Sync as soon as possible (new outbox events, or ``sync_now`` with ``force``)."""
        if force:
            self._force = True
        self._wake.set()

    def start(self) -> None:
        self.check_stored()
        if self.client is None:
            self._publish_status()
            return
        self._unlisten = self.store.add_commit_listener(self._wake.set)
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._unlisten is not None:
            self._unlisten()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self, *, force: bool = True) -> CycleResult:
        """One full cycle now: push everything due (all of it with ``force``), then every pull."""
        result = CycleResult()
        if self.client is None:
            result.reason = "no platform configured (offline mode)"
            result.outbox_depth = self.status().outbox_depth
            return result
        with self._cycle_lock:
            push = self.push(force=force)
            result.accepted, result.duplicates, result.quarantined = (
                push.accepted,
                push.duplicates,
                push.quarantined,
            )
            result.pulls = self.pull()
            if not push.error:
                # a pull may have recorded events (online tickets issued or refused): out at once
                more = self.push(force=force)
                push.error = more.error
                result.accepted += more.accepted
                result.duplicates += more.duplicates
                result.quarantined += more.quarantined
            st = self.status()
            result.outbox_depth, result.refused = st.outbox_depth, list(st.refused)
        failed = {k: v for k, v in result.pulls.items() if not v.startswith("ok")}
        if push.error:
            result.reason = f"push: {push.error}"
        elif result.outbox_depth:
            result.reason = f"{result.outbox_depth} events still in the outbox"
        elif failed:
            messages = list(dict.fromkeys(failed.values()))
            result.reason = f"{', '.join(failed)} not pulled: " + "; ".join(messages)
        else:
            result.ok = True
            self._mark_synced()
        self._publish_status()
        return result

    # -- push ------------------------------------------------------------------------------
    def push(self, *, force: bool = False) -> _PushOutcome:
        out = _PushOutcome()
        assert self.client is not None
        after = 0
        try:
            while not self._stop.is_set():
                with self.store.read() as conn:
                    now = float("inf") if force else time.time()
                    batch = outbox.due(conn, self.batch_size, now=now, after_seq=after)
                if not batch:
                    break
                if not self._push_batch(batch, out):
                    break
                after = batch[-1].seq
        finally:
            self._settle()
        for pusher in self.pushers:
            try:
                error = pusher(force)
            except Exception:
                log.exception("pusher %r failed", pusher)
                error = "delivery failed"
            out.error = out.error or error
        return out

    def _settle(self) -> None:
        """Wait for the last delivered batch's removal from the outbox (raises its error).

        The removal is written while the next batch is on the wire: the platform already holds
        those events, so a removal lost to a crash only means they are sent again and reported
        as duplicates. One removal is in flight at most."""
        fut, self._removing = self._removing, None
        if fut is not None:
            fut.result()

    def _push_batch(self, batch: list[Pending], out: _PushOutcome) -> bool:
        assert self.client is not None
        try:
            res = self.client.push_encoded([p.id for p in batch], [p.payload for p in batch])
        except Retryable as exc:
            self._hold(batch, exc.message, exc.retry_after)
            self._set_state("offline", exc.message)
            out.error = exc.message
            return False
        except AuthFailed as exc:
            self._hold(batch, exc.message, None)
            self._set_state("error", exc.message)
            out.error = exc.message
            return False
        except Rejected as exc:
            if len(batch) > 1:
                half = len(batch) // 2
                return self._push_batch(batch[:half], out) and self._push_batch(batch[half:], out)
            reason = f"HTTP {exc.status} {exc.error} {exc.field}".strip()
            self.store.write(lambda c: quarantine.move_from_outbox(c, batch[0].id, reason))
            log.warning("event %s (%s) quarantined: %s", batch[0].id, batch[0].type, reason)
            out.quarantined += 1
            return True
        done = list(res["accepted"]) + list(res["duplicates"])
        rejected = {r["id"]: r["reason"] for r in res["rejected"]}
        answered = set(done) | rejected.keys()
        missing = [p for p in batch if p.id not in answered]

        def apply(conn: Any) -> None:
            outbox.mark_done(conn, done)
            for eid, reason in rejected.items():
                quarantine.move_from_outbox(conn, eid, reason)

        self._settle()
        self._removing = self.store.submit(apply)
        out.accepted += len(res["accepted"])
        out.duplicates += len(res["duplicates"])
        out.quarantined += len(rejected)
        for eid, reason in rejected.items():
            log.warning("event %s rejected by the platform and quarantined: %s", eid, reason[:200])
        self._set_state("online", "")
        if missing:
            self._hold(missing, "the platform did not answer for these events", None)
            out.error = "the platform's answer left events out"
            return False
        return True

    def _hold(self, batch: list[Pending], error: str, retry_after: float | None) -> None:
        attempts = max(p.attempts for p in batch) + 1
        wait = backoff.delay(attempts, rng=self.rng)
        if retry_after is not None:
            wait = max(wait, retry_after)
        until = time.time() + wait
        ids = [p.id for p in batch]
        try:
            self.store.write(lambda c: outbox.mark_failed(c, ids, error, until))
        except StoreError as exc:
            log.error("cannot record the push failure: %s", exc)
        log.info("push failed (%s); retrying in %.0f s", error, wait)

    # -- pull ------------------------------------------------------------------------------
    def pull(self) -> dict[str, str]:
        results: dict[str, str] = {}
        steps: list[tuple[str, Callable[[], str]]] = [
            ("hall", self._pull_hall),
            ("catalog", self._pull_catalog),
            ("appointments", self._pull_appointments),
            ("keys", self._pull_keys),
            *self.extra_pulls,
        ]
        for name, fn in steps:
            try:
                results[name] = "ok" + fn()
            except (PlatformError, StoreError) as exc:
                msg = getattr(exc, "message", str(exc))
                results[name] = msg
                if isinstance(exc, AuthFailed):
                    self._set_state("error", msg)
                elif isinstance(exc, PlatformError):
                    self._set_state("offline" if isinstance(exc, Retryable) else self._state, msg)
                log.warning("pull %s failed: %s", name, msg)
        if all(v.startswith("ok") for v in results.values()):
            self._set_state("online", "")
        return results

    def _pull_hall(self) -> str:
        assert self.client is not None
        profile = self.client.hall()
        if profile["hall_id"] != self.hall_id:
            raise Retryable(f"the platform sent the profile of hall {str(profile['hall_id'])[:64]!r}")
        version = str(profile["version"])[:24]
        try:
            accept.hall_profile(profile)
        except accept.Refused as exc:
            self._refuse("hall profile", f"version {version} refused: {exc}")
            return f" (version {version} refused: {exc}; the last good copy stays)"
        self.store.write(lambda c: hall.save(c, profile))
        self._accepted("hall profile")
        return f" (version {version})"

    def _pull_catalog(self) -> str:
        # the pinyin of new items comes from a worker process: pypinyin stays out of the kiosk
        with catalog.PinyinProcess() as pinyin:
            return self._pull_catalog_pages(pinyin)

    def _pull_catalog_pages(self, pinyin: catalog.PinyinProcess) -> str:
        assert self.client is not None
        with self.store.read() as conn:
            cursor = cursors.get(conn, "catalog")
        snapshot = cursor is None
        seen: set[str] = set()
        changed = refused = 0
        for _ in range(MAX_PAGES):
            try:
                page = self.client.catalog(since=cursor, limit=500)
            except Rejected as exc:
                if exc.field == "since" and cursor is not None:
                    log.warning("platform refused the catalog cursor; fetching a full snapshot")
                    cursor, snapshot = None, True
                    continue
                raise
            # A refused item keeps its last good copy: its code counts as seen (a snapshot does
            # not delete it) but nothing of the refused version is stored.
            seen.update(it["code"] for it in page["items"])
            items = self._acceptable("catalog item", "code", page["items"], accept.catalog_item)
            refused += len(page["items"]) - len(items)
            changed += len(items) + len(page["deleted"])
            last = not page["has_more"]
            rows = pinyin.prepare(items)
            # Big pages go in small transactions so the writer is never held for long; the
            # cursor moves only with the page's last chunk (a crash re-fetches the page).
            chunks = [rows[i : i + CATALOG_CHUNK] for i in range(0, len(rows), CATALOG_CHUNK)] or [[]]
            for chunk in chunks[:-1]:
                self.store.write(partial(_upsert_rows, rows=chunk))
            tail = chunks[-1]

            def apply(
                conn: Any,
                page: dict[str, Any] = page,
                last: bool = last,
                snapshot: bool = snapshot,
                tail: list[tuple[Any, ...]] = tail,
            ) -> None:
                catalog.upsert_rows(conn, tail)
                catalog.delete(conn, page["deleted"])
                if snapshot and last:
                    stale = [r[0] for r in conn.execute("SELECT code FROM catalog_items") if r[0] not in seen]
                    catalog.delete(conn, stale)
                cursors.put(conn, "catalog", page["cursor"])

            self.store.write(apply)
            if not last and page["cursor"] == cursor:
                raise Retryable("the platform's catalog cursor did not move (has_more with the same cursor)")
            cursor = page["cursor"]
            if last:
                return f" ({changed} changes" + (f", {refused} items refused)" if refused else ")")
        raise Retryable("the platform's catalog never ended (too many pages)")

    def _hall_tz(self) -> ZoneInfo:
        with self.store.read() as conn:
            profile = hall.load(conn, self.hall_id)
        if profile is None:
            return ZoneInfo("Asia/Shanghai")
        try:
            return accept.hall_profile(profile).tz
        except accept.Refused:
            return ZoneInfo("Asia/Shanghai")

    def _pull_appointments(self) -> str:
        assert self.client is not None
        today = datetime.now(self._hall_tz()).date()
        total = 0
        for day in (today, today + timedelta(days=1)):
            key = f"appointments:{day.isoformat()}"
            with self.store.read() as conn:
                cursor = cursors.get(conn, key)
            for _ in range(MAX_PAGES):
                page = self.client.appointments(day.isoformat(), since=cursor)
                booked = self._acceptable("appointment", "id", page["appointments"], accept.appointment)

                def apply(
                    conn: Any,
                    page: dict[str, Any] = page,
                    day_s: str = day.isoformat(),
                    key: str = key,
                    booked: list[dict[str, Any]] = booked,
                ) -> None:
                    appointments.upsert(conn, self.hall_id, day_s, booked)
                    cursors.put(conn, key, page["cursor"])

                self.store.write(apply)
                total += len(booked)
                if page["has_more"] and page["cursor"] == cursor:
                    raise Retryable(
                        "the platform's appointments cursor did not move (has_more with the same cursor)"
                    )
                cursor = page["cursor"]
                if not page["has_more"]:
                    break
        return f" ({total} changes)"

    def _pull_keys(self) -> str:
        assert self.client is not None
        keys = [
            signing_keys.SigningKey.from_platform(k)
            for k in self._acceptable("signing key", "kid", self.client.keys(), accept.signing_key)
        ]
        self.store.write(lambda conn: signing_keys.replace(conn, keys))
        return f" ({len(keys)} keys)"

    # -- heartbeat -------------------------------------------------------------------------
    def heartbeat_payload(self) -> dict[str, Any]:
        st = self.status()
        payload: dict[str, Any] = {
            "version": __version__,
            "profile": self.profile,
            "state": "degraded" if self.store.unavailable is not None else "ok",
            "devices": [],
            "queue": {},
            "outbox_depth": max(0, st.outbox_depth),
            "last_sync_at": st.last_sync_at,
        }
        for fn in self.providers:
            try:
                extra = fn()
            except Exception:
                log.exception("heartbeat provider %r failed", fn)
                continue
            payload.update(extra)
        return payload

    def heartbeat(self) -> bool:
        assert self.client is not None
        try:
            answer = self.client.heartbeat(self.heartbeat_payload())
        except PlatformError as exc:
            self._set_state("error" if isinstance(exc, AuthFailed) else "offline", exc.message)
            return False
        self._set_state("online", "")
        for cmd in self._acceptable("command", "id", answer["commands"][:50], accept.command):
            self._run_command(cmd)
        return True

    def _run_command(self, cmd: dict[str, Any]) -> None:
        try:
            seen_text = self.store.write(lambda c: cursors.get_meta(c, "commands_done"))
            seen: list[str] = json.loads(seen_text) if seen_text else []
            if cmd["id"] in seen:
                return
            seen = [*seen, cmd["id"]][-COMMANDS_REMEMBERED:]
            self.store.write(lambda c: cursors.put_meta(c, "commands_done", json.dumps(seen)))
        except StoreError as exc:
            log.error("cannot record heartbeat command: %s", exc)
            return
        name, args = cmd["name"], dict(cmd.get("args") or {})
        log.info("platform command %s", name)
        if name == "sync_now":
            self.store.write(lambda c: outbox.reschedule_all(c))
            self.wake(force=True)
        handler = self.command_handlers.get(name)
        if handler is not None:
            try:
                handler(args)
            except Exception:
                log.exception("command %s failed", name)
        elif name != "sync_now":
            self.publish(PlatformCommand(cmd["id"], name, args))

    # -- loop ------------------------------------------------------------------------------
    def _run(self) -> None:
        self._publish_status()
        while not self._stop.is_set():
            now = time.time()
            with self._cycle_lock:
                force, self._force = self._force, False
                self._guarded("push", partial(self._push_due, now, force))
                if now >= self._next_pull or force:
                    # Scheduled before the pull runs: whatever happens in it, the next one
                    # waits at least its backoff (never a tight loop of requests).
                    self._pull_failures += 1
                    self._next_pull = now + max(
                        self.sync_interval_s, backoff.delay(self._pull_failures, rng=self.rng)
                    )
                    self._guarded("pull", partial(self._pull_due, now))
                if now >= self._next_heartbeat:
                    # Apart from the rest of the cycle: a failed pull never stops heartbeats.
                    self._next_heartbeat = now + self.heartbeat_s
                    self._guarded("heartbeat", self.heartbeat)
            self._publish_status()
            self._wake.wait(1.0)
            self._wake.clear()

    def _guarded(self, what: str, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except StoreError as exc:
            log.error("sync %s paused: the local store is unavailable (%s)", what, exc)
        except Exception:
            log.exception("sync %s failed", what)

    def _push_due(self, now: float, force: bool) -> None:
        with self.store.read() as conn:
            due_at = outbox.next_due_at(conn)
        if (due_at is not None and (due_at <= now or force)) or self.pushers:
            self.push(force=force)

    def _pull_due(self, now: float) -> None:
        results = self.pull()
        if not all(v.startswith("ok") for v in results.values()):
            return
        self._pull_failures = 0
        self._next_pull = now + self.sync_interval_s
        with self.store.read() as conn:
            if outbox.depth(conn) == 0:
                self._mark_synced()

    # -- refused data ----------------------------------------------------------------------
    def _acceptable(self, what: str, key: str, records: list[Any], check: Callable[[Any], Any]) -> list[Any]:
        """The records that pass ``check``; each refused one is recorded by name."""
        good = []
        for record in records:
            name = f"{what} {str(record.get(key, '?'))[:64]}"
            try:
                check(record)
            except accept.Refused as exc:
                self._refuse(name, str(exc))
                continue
            if name in self._refused:
                self._accepted(name)
            good.append(record)
        return good

    def check_stored(self) -> None:
        """Name a stored hall profile this software refuses (written before these checks, or
        damaged on disk): the queue starts without it rather than not at all."""
        try:
            with self.store.read() as conn:
                profile = hall.load(conn, self.hall_id)
        except (StoreError, ValueError) as exc:
            self._refuse("stored hall profile", f"unreadable: {str(exc)[:120]}")
            return
        if profile is None:
            if self._stored_hall_row():
                self._refuse("stored hall profile", "not a JSON object (damaged on disk)")
            return
        try:
            accept.hall_profile(profile)
        except accept.Refused as exc:
            self._refuse("stored hall profile", str(exc))

    def _stored_hall_row(self) -> bool:
        with self.store.read() as conn:
            return (
                conn.execute("SELECT 1 FROM hall_profile WHERE hall_id = ?", (self.hall_id,)).fetchone()
                is not None
            )

    def _refuse(self, what: str, why: str) -> None:
        why = accept.one_line(why, 300)
        if self._refused.get(what) == why:
            return
        if what not in self._refused and len(self._refused) >= REFUSED_KEPT:
            if what not in self._refused_over and len(self._refused_over) < 100_000:
                self._refused_over.add(what)
                log.warning("refused platform data: %s: %s", what, why)
            return
        log.warning("refused platform data: %s: %s", what, why)
        self._refused[what] = why
        self._save_refused()

    def _accepted(self, what: str) -> None:
        self._refused_over.discard(what)
        names = (what, "stored hall profile") if what == "hall profile" else (what,)
        if [n for n in names if self._refused.pop(n, None) is not None]:
            log.info("platform data accepted: %s", what)
            self._save_refused()

    def _load_refused(self) -> dict[str, str]:
        try:
            with self.store.read() as conn:
                return load_refused(conn)
        except (StoreError, ValueError):
            return {}

    def _save_refused(self) -> None:
        text = json.dumps(self._refused, ensure_ascii=False)
        try:
            self.store.write(lambda c: cursors.put_meta(c, REFUSED_META, text))
        except StoreError as exc:
            log.error("cannot record refused platform data: %s", exc)

    # -- status ----------------------------------------------------------------------------
    def _mark_synced(self) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self._last_sync_at = stamp
        try:
            self.store.write(lambda c: cursors.put_meta(c, "last_sync_at", stamp))
        except StoreError:
            pass

    def _set_state(self, state: str, detail: str) -> None:
        if state != self._state:
            log.info("platform %s%s", state, f": {detail}" if detail else "")
        self._state, self._detail = state, detail

    def _publish_status(self) -> None:
        st = self.status()
        if st != self._last_published:
            self._last_published = st
            self.publish(st)
