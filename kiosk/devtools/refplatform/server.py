"""The reference platform's HTTP side (Flask): the v1 contract plus test/demo admin endpoints.

``/v1/...`` is the contract, authenticated exactly as specified (signature, ±300 s clock
window, nonces remembered 10 minutes). ``/admin/...`` is for tests and the demo only (fault
switches, statistics, queueing heartbeat commands, minting offline QR codes); it is served
only when ``admin=True`` and the server binds to loopback by default.

Fault switches (``Faults``): ``error_rate`` answers 503 with ``Retry-After``; ``latency_ms``
delays every answer; ``drop_rate`` commits a write (POST) and then drops the connection before
answering (the "applied but the response was lost" case); ``clock_skew_s`` shifts the server's
clock; ``nonsense_rate`` answers 200 with a body that is not the contract.
"""

from __future__ import annotations

import base64
import json
import random
import re
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask, Response, g, jsonify, request

from kiosk.devtools.refplatform import mobile, openapi, seed
from kiosk.devtools.refplatform.db import PlatformDB
from kiosk.devtools.refplatform.selfservice import SelfServiceDesk, register
from kiosk.platform import signing
from offline_cache import contract

SKEW_LIMIT_S = 300
NONCE_TTL_S = 600
_NONCE = re.compile(r"[0-9a-f]{32}")
_CURSOR = re.compile(r"c-(\d{1,12})")
_RT_CURSOR = re.compile(r"r-(\d{1,12})")
NONSENSE = [
    b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    b'{"items": "banana", "cursor": 7}',
    b'{"accepted": [',
    b"null",
    b'{"server_time": 12, "commands": {}}',
    b"[1, 2, 3]",
]


@dataclass
class Faults:
    error_rate: float = 0.0
    latency_ms: int = 0
    drop_rate: float = 0.0
    clock_skew_s: float = 0.0
    nonsense_rate: float = 0.0
    retry_after_s: int = 1

    def update(self, values: dict[str, Any]) -> None:
        names = {f.name: f.type for f in fields(self)}
        for key, value in values.items():
            if key not in names or isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"bad fault switch {key!r}")
            setattr(self, key, int(value) if key in ("latency_ms", "retry_after_s") else float(value))


def _error(status: int, error: str, field: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"error": error, **extra}
    if field:
        body["field"] = field
    resp = jsonify(body)
    resp.status_code = status
    return resp


class RefPlatform:
    def __init__(
        self, data_dir: Path, *, faults: Faults | None = None, rng: random.Random | None = None
    ) -> None:
        self.data_dir = Path(data_dir)
        self.db = PlatformDB(self.data_dir / "platform.db")
        self.faults = faults or Faults()
        self.rng = rng or random.Random()
        self._lock = threading.Lock()
        self._key = self._signing_key()
        self.selfservice = SelfServiceDesk(self)

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.faults.clock_skew_s)

    def _signing_key(self) -> Ed25519PrivateKey:
        stored = self.db.meta("ed25519_private")
        if stored:
            return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored))
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes_raw().hex()
        with self.db.tx() as c:
            c.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('ed25519_private', ?)", (raw,))
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(self.db.meta("ed25519_private") or raw))

    @property
    def kid(self) -> str:
        pub = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return "demo-" + pub.hex()[:8]

    def mint_code(self, typ: str, sub: str, appt: str | None, ttl_s: int = 86400) -> str:
        """An offline QR code ``HK1.<payload>.<signature>`` as the contract describes."""
        payload = {"kid": self.kid, "typ": typ, "sub": sub, "appt": appt, "exp": int(time.time()) + ttl_s}
        part = (
            base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
            .rstrip(b"=")
            .decode()
        )
        sig = self._key.sign(("HK1." + part).encode())
        return f"HK1.{part}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"

    # -- auth ------------------------------------------------------------------------------
    def authenticate(self) -> Response | None:
        h = request.headers
        terminal_id = h.get("X-Terminal-Id", "")
        ts, nonce, sig = h.get("X-Timestamp", ""), h.get("X-Nonce", ""), h.get("X-Signature", "")
        if not (terminal_id and ts and nonce and sig):
            return _error(401, "bad_signature", "X-Signature")
        row = (
            self.db.conn()
            .execute("SELECT hall_id, secret_hex FROM terminals WHERE id = ?", (terminal_id,))
            .fetchone()
        )
        if row is None:
            return _error(401, "unknown_terminal", "X-Terminal-Id")
        try:
            sent = signing.parse_timestamp(ts)
        except ValueError:
            return _error(400, "bad_timestamp", "X-Timestamp")
        server_now = self.now()
        if abs((sent - server_now).total_seconds()) > SKEW_LIMIT_S:
            return _error(401, "clock_skew", server_time=signing.timestamp(server_now))
        if not _NONCE.fullmatch(nonce):
            return _error(400, "bad_nonce", "X-Nonce")
        if not signing.verify(
            bytes.fromhex(row[1]), sig, request.method, _target(), ts, nonce, request.get_data()
        ):
            return _error(401, "bad_signature")
        cutoff = time.time() - NONCE_TTL_S
        with self.db.tx() as c:
            if c.execute("SELECT 1 FROM nonces WHERE nonce = ? AND seen_at > ?", (nonce, cutoff)).fetchone():
                return _error(401, "replayed_nonce")
            c.execute("INSERT OR REPLACE INTO nonces (nonce, seen_at) VALUES (?, ?)", (nonce, time.time()))
            if self.rng.random() < 0.01:
                c.execute("DELETE FROM nonces WHERE seen_at <= ?", (cutoff,))
        g.terminal_id, g.hall_id = terminal_id, row[0]
        return None

    # -- handlers --------------------------------------------------------------------------
    def hall(self, hall_id: str) -> Response:
        profile = self.db.hall(hall_id)
        if profile is None:
            return _error(404, "unknown_hall", "hall_id")
        return jsonify(profile)

    def catalog(self) -> Response:
        since = request.args.get("since")
        try:
            limit = int(request.args.get("limit", "500"))
        except ValueError:
            return _error(400, "bad_limit", "limit")
        if not 1 <= limit <= 1000:
            return _error(400, "bad_limit", "limit")
        conn = self.db.conn()
        if since is None:
            rows = conn.execute(
                "SELECT payload, seq, deleted FROM items WHERE deleted = 0 ORDER BY seq LIMIT ?", (limit + 1,)
            ).fetchall()
        else:
            m = _CURSOR.fullmatch(since)
            if not m:
                return _error(400, "bad_cursor", "since")
            rows = conn.execute(
                "SELECT payload, seq, deleted FROM items WHERE seq > ? ORDER BY seq LIMIT ?",
                (int(m.group(1)), limit + 1),
            ).fetchall()
        has_more = len(rows) > limit
        rows = rows[:limit]
        items = [json.loads(r[0]) for r in rows if not r[2]]
        deleted = [json.loads(r[0])["code"] for r in rows if r[2]]
        if rows:
            last = rows[-1][1]
        else:
            m2 = _CURSOR.fullmatch(since or "")
            last = (
                int(m2.group(1))
                if m2
                else int(conn.execute("SELECT coalesce(max(seq), 0) FROM items").fetchone()[0])
            )
        if since is None and not has_more:
            # A full snapshot ends at the newest change, deleted items included.
            last = max(last, int(conn.execute("SELECT coalesce(max(seq), 0) FROM items").fetchone()[0]))
        return jsonify({"items": items, "deleted": deleted, "cursor": f"c-{last}", "has_more": has_more})

    def appointments(self, hall_id: str) -> Response:
        if hall_id != g.hall_id:
            return _error(404, "unknown_hall", "hall_id")
        raw = request.args.get("date", "")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return _error(400, "bad_date", "date")
        booked = seed.appointments_for(day, self.now())
        digest = "a-" + uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(booked, sort_keys=True)).hex[:16]
        if request.args.get("since") == digest:
            booked = []
        return jsonify({"appointments": booked, "cursor": digest, "has_more": False})

    def remote_tickets(self, hall_id: str) -> Response:
        """Online ticket requests of the signed terminal's hall after the cursor, oldest first."""
        if hall_id != g.hall_id:
            return _error(404, "unknown_hall", "hall_id")
        since = request.args.get("since")
        after = 0
        if since is not None:
            m = _RT_CURSOR.fullmatch(since)
            if not m:
                return _error(400, "bad_cursor", "since")
            after = int(m.group(1))
        try:
            limit = int(request.args.get("limit", "200"))
        except ValueError:
            return _error(400, "bad_limit", "limit")
        if not 1 <= limit <= 500:
            return _error(400, "bad_limit", "limit")
        rows = (
            self.db.conn()
            .execute(
                "SELECT seq, payload FROM remote_tickets WHERE hall_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (hall_id, after, limit + 1),
            )
            .fetchall()
        )
        has_more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1][0] if rows else after
        return jsonify(
            {"requests": [json.loads(r[1]) for r in rows], "cursor": f"r-{last}", "has_more": has_more}
        )

    def take_remote_ticket(self, body: Any) -> tuple[Any, str | None]:
        """A citizen takes a number online (the app's side, for the demo and tests): the request
        as the hall will pull it, or a reason it is refused here. ``raw`` stores a request as
        given, unchecked, any JSON value (tests of the hall's own checks)."""
        if not isinstance(body, dict):
            return {}, "expected an object"
        req: Any
        if "raw" in body:
            req = body["raw"]
        else:
            now = self.now().astimezone(seed.TZ)
            holder = body.get("holder_id_hash")
            id_number = body.get("id_number")
            if not isinstance(holder, str) and isinstance(id_number, str):
                holder = seed.holder_hash(id_number.strip())
            within = body.get("arrive_within_min", 60)
            if not isinstance(within, int) or isinstance(within, bool) or not 1 <= within <= 24 * 60:
                return {}, "arrive_within_min: must be an integer 1-1440"
            req = {
                "id": body.get("id") or f"RT-{uuid.uuid4().hex[:16]}",
                "category": body.get("category"),
                "item_code": body.get("item_code"),
                "holder_id_hash": holder,
                "holder_name_masked": body.get("holder_name_masked"),
                "taken_at": now.isoformat(timespec="seconds"),
                "arrive_by": (now + timedelta(minutes=within)).isoformat(timespec="seconds"),
            }
            problem = contract.remote_ticket_problem(req)
            if problem:
                return {}, problem
            hall = self.db.hall(seed.HALL_ID) or {}
            if req["category"] not in {c["code"] for c in hall.get("categories", [])}:
                return {}, "category: unknown in this hall"
        given_id = req.get("id") if isinstance(req, dict) else None
        rid = given_id if isinstance(given_id, str) else f"RAW-{uuid.uuid4().hex[:12]}"
        with self.db.tx() as c:
            c.execute(
                "INSERT INTO remote_tickets (id, hall_id, payload) VALUES (?, ?, ?)",
                (rid, body.get("hall_id", seed.HALL_ID), json.dumps(req, ensure_ascii=False)),
            )
        return req, None

    def remote_ticket_status(self, request_id: str) -> dict[str, Any] | None:
        """What the platform knows of one online ticket from the events it received: how the
        contract says a platform computes the live position (``docs/platform-api.md``)."""
        conn = self.db.conn()
        row = conn.execute("SELECT payload FROM remote_tickets WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            return None
        events = [json.loads(r[0]) for r in conn.execute("SELECT payload FROM events ORDER BY arrival")]
        return live_position(json.loads(row[0]), events)

    def lookup_cases(self) -> Response:
        body = _json_body()
        if not isinstance(body, dict):
            return _error(400, "invalid_json")
        case_number, id_number = body.get("case_number"), body.get("id_number")
        if not isinstance(case_number, str) and not isinstance(id_number, str):
            return _error(400, "missing", "case_number")
        found = []
        for holder, case in seed.cases(self.now().astimezone(seed.TZ).date()):
            by_number = isinstance(case_number, str) and case["case_number"] == case_number.strip().upper()
            by_holder = isinstance(id_number, str) and holder == id_number.strip().upper()
            if by_number or by_holder:
                found.append(case)
        if isinstance(id_number, str):
            found += self.selfservice.cases_of(id_number)
        elif isinstance(case_number, str):
            found += [c for c in self.selfservice.cases_by_number(case_number) if c not in found]
        return jsonify({"cases": found})

    def events(self) -> Response:
        body = _json_body()
        if not isinstance(body, dict) or not isinstance(body.get("events"), list):
            return _error(400, "missing", "events")
        events = body["events"]
        if not 1 <= len(events) <= 500:
            return _error(400, "batch_size", "events")
        accepted: list[str] = []
        duplicates: list[str] = []
        rejected: list[dict[str, str]] = []
        now = time.time()
        with self.db.tx() as c:
            arrival = int(c.execute("SELECT coalesce(max(arrival), 0) FROM events").fetchone()[0])
            for i, ev in enumerate(events):
                eid = ev.get("id") if isinstance(ev, dict) else None
                if not isinstance(eid, str):
                    return _error(400, "missing", f"events[{i}].id")
                c.execute(
                    "INSERT INTO receipts (id, times) VALUES (?, 1) "
                    "ON CONFLICT(id) DO UPDATE SET times = times + 1",
                    (eid,),
                )
                try:
                    contract.check_event(ev)
                    uuid.UUID(eid)
                except (contract.ContractError, ValueError) as exc:
                    rejected.append({"id": eid, "reason": str(exc)})
                    continue
                if ev["terminal_id"] != g.terminal_id or ev["hall_id"] != g.hall_id:
                    rejected.append(
                        {"id": eid, "reason": "terminal_id/hall_id do not match the signed terminal"}
                    )
                    continue
                arrival += 1
                cur = c.execute(
                    "INSERT OR IGNORE INTO events "
                    "(id, type, at, terminal_id, hall_id, payload, received_at, arrival)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (
                        eid,
                        ev["type"],
                        ev["at"],
                        ev["terminal_id"],
                        ev["hall_id"],
                        json.dumps(ev, ensure_ascii=False),
                        now,
                        arrival,
                    ),
                )
                (accepted if cur.rowcount else duplicates).append(eid)
        return jsonify({"accepted": accepted, "duplicates": duplicates, "rejected": rejected})

    def heartbeat(self, terminal_id: str) -> Response:
        if terminal_id != g.terminal_id:
            return _error(403, "terminal_mismatch", "terminal_id")
        body = _json_body()
        try:
            contract.check(body, contract.HEARTBEAT_REQUEST)
        except contract.ContractError as exc:
            return _error(400, exc.reason, exc.field)
        with self.db.tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO heartbeats (terminal_id, payload, at) VALUES (?, ?, ?)",
                (terminal_id, json.dumps(body, ensure_ascii=False), time.time()),
            )
            rows = c.execute(
                "SELECT id, name, args FROM commands WHERE terminal_id = ? AND delivered = 0", (terminal_id,)
            ).fetchall()
            c.execute("UPDATE commands SET delivered = 1 WHERE terminal_id = ?", (terminal_id,))
            version = c.execute(
                "SELECT coalesce(max(version), 0) FROM halls WHERE hall_id = ?", (g.hall_id,)
            ).fetchone()[0]
        commands = [{"id": r[0], "name": r[1], "args": json.loads(r[2])} for r in rows]
        return jsonify(
            {
                "server_time": signing.timestamp(self.now()),
                "config_version": int(version),
                "commands": commands,
            }
        )

    def keys(self) -> Response:
        pub = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return jsonify(
            {
                "keys": [
                    {
                        "kid": self.kid,
                        "alg": "Ed25519",
                        "public_key": base64.b64encode(pub).decode(),
                        "not_after": None,
                    }
                ]
            }
        )

    # -- admin (tests and demo) ------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        conn = self.db.conn()
        events = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        receipts = int(conn.execute("SELECT coalesce(sum(times), 0) FROM receipts").fetchone()[0])
        by_type = dict(conn.execute("SELECT type, count(*) FROM events GROUP BY type").fetchall())
        hb = conn.execute("SELECT payload FROM heartbeats ORDER BY at DESC LIMIT 1").fetchone()
        return {
            "events": events,
            "receipts": receipts,
            "by_type": by_type,
            "last_heartbeat": json.loads(hb[0]) if hb else None,
            "faults": asdict(self.faults),
            **self.selfservice.stats(),
        }


def _json_body() -> Any:
    """The request's JSON inside the contract's bounds, or None (a 400 for the caller): a
    deeply nested body must not reach a recursive parser or the shape check."""
    try:
        return contract.loads(request.get_data(), text=False)
    except contract.ContractError:
        return None


def live_position(req: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """An online ticket's state and live position from the hall's events alone.

    Its ``ticket.issued`` (by ``request_id``) names the ticket; the tickets of its category
    issued before it (``issued_at``; an online ticket's is when it was taken) that have had no
    ``ticket.called``/``ticket.expired`` yet are ahead of it. The hall's own count, which also
    weighs priority lanes, arrives in ``ticket.near_turn`` and wins once it is newer.
    """
    rid = req["id"]
    status: dict[str, Any] = {"request": req, "state": "requested", "ticket_id": None, "number": None}
    issued: dict[str, dict[str, Any]] = {}
    done: set[str] = set()
    near: int | None = None
    calls = 0
    for ev in events:
        d = ev.get("data", {})
        typ = ev.get("type")
        if typ == "ticket.issued":
            issued[d["ticket_id"]] = d
            if d.get("request_id") == rid:
                status.update(state="waiting", ticket_id=d["ticket_id"], number=d["number"])
        elif typ == "remote_ticket.refused" and d.get("request_id") == rid:
            status.update(state="refused", reason=d["reason"])
        elif typ in ("ticket.called", "ticket.expired", "ticket.served"):
            done.add(d["ticket_id"])
            if d["ticket_id"] == status["ticket_id"]:
                if typ == "ticket.called":
                    status.update(state="called", counter=d["counter"])
                elif typ == "ticket.expired":
                    status.update(state="expired", reason=d["reason"])
                elif typ == "ticket.served":
                    status.update(state="served")
            elif typ == "ticket.called":
                calls += 1
        elif typ == "ticket.near_turn" and d.get("request_id") == rid:
            near, calls = int(d["ahead"]), 0
        elif typ == "ticket.arrived" and d.get("request_id") == rid and status["state"] == "waiting":
            status["arrived"] = True
    mine = issued.get(status["ticket_id"] or "")
    if mine is not None and status["state"] == "waiting":
        ahead = sum(
            1
            for tid, d in issued.items()
            if tid not in done
            and d["category"] == mine["category"]
            and datetime.fromisoformat(d["issued_at"]) < datetime.fromisoformat(mine["issued_at"])
        )
        status["ahead"] = min(ahead, max(0, near - calls)) if near is not None else ahead
    status["near_turn"] = near is not None
    return status


def _target() -> str:
    """The request target exactly as sent (what the terminal signed)."""
    env = request.environ
    raw = env.get("RAW_URI") or env.get("REQUEST_URI")
    if raw:
        return str(raw)
    path = quote(env.get("SCRIPT_NAME", "") + env.get("PATH_INFO", ""))
    qs = env.get("QUERY_STRING", "")
    return path + ("?" + qs if qs else "")


def create_app(platform: RefPlatform, *, admin: bool = True) -> Flask:
    app = Flask("kiosk.devtools.refplatform")
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    p = platform

    @app.before_request
    def _before() -> Response | None:
        if not request.path.startswith("/v1/"):
            return None
        f = p.faults
        if f.latency_ms:
            time.sleep(f.latency_ms / 1000)
        if f.error_rate and p.rng.random() < f.error_rate:
            resp = _error(503, "unavailable")
            resp.headers["Retry-After"] = str(f.retry_after_s)
            return resp
        return p.authenticate()

    @app.after_request
    def _after(resp: Response) -> Response:
        if not request.path.startswith("/v1/"):
            return resp
        f = p.faults
        if f.drop_rate and request.method == "POST" and p.rng.random() < f.drop_rate:
            sock = request.environ.get("werkzeug.socket")
            if isinstance(sock, socket.socket):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        elif f.nonsense_rate and resp.status_code == 200 and p.rng.random() < f.nonsense_rate:
            resp.set_data(p.rng.choice(NONSENSE))
        return resp

    app.add_url_rule("/v1/halls/<hall_id>", "hall", p.hall, methods=["GET"])
    app.add_url_rule("/v1/catalog", "catalog", p.catalog, methods=["GET"])
    app.add_url_rule("/v1/halls/<hall_id>/appointments", "appointments", p.appointments, methods=["GET"])
    app.add_url_rule(
        "/v1/halls/<hall_id>/remote-tickets", "remote_tickets", p.remote_tickets, methods=["GET"]
    )
    app.add_url_rule("/v1/cases/lookup", "cases", p.lookup_cases, methods=["POST"])
    app.add_url_rule("/v1/events", "events", p.events, methods=["POST"])
    app.add_url_rule("/v1/terminals/<terminal_id>/heartbeat", "heartbeat", p.heartbeat, methods=["POST"])
    app.add_url_rule("/v1/keys", "keys", p.keys, methods=["GET"])
    register(app, p.selfservice, admin=admin)

    @app.get("/openapi.json")
    def _openapi() -> Response:
        return jsonify(openapi.document(request.host_url.rstrip("/")))

    @app.get("/health")
    def _health() -> Response:
        return jsonify({"ok": True})

    if admin:

        @app.route("/admin/faults", methods=["GET", "POST"])
        def _faults() -> Response:
            if request.method == "POST":
                try:
                    p.faults.update(request.get_json(force=True) or {})
                except (ValueError, AttributeError) as exc:
                    return _error(400, str(exc))
            return jsonify(asdict(p.faults))

        @app.get("/admin/stats")
        def _stats() -> Response:
            return jsonify(p.stats())

        @app.get("/admin/events")
        def _events() -> Response:
            rows = p.db.conn().execute("SELECT payload FROM events ORDER BY arrival").fetchall()
            receipts = dict(p.db.conn().execute("SELECT id, times FROM receipts").fetchall())
            return jsonify({"events": [json.loads(r[0]) for r in rows], "receipts": receipts})

        @app.post("/admin/commands")
        def _commands() -> Response:
            body = request.get_json(force=True) or {}
            if body.get("name") not in contract.COMMAND_NAMES:
                return _error(400, "unknown command", "name")
            cid = str(uuid.uuid4())
            with p.db.tx() as c:
                c.execute(
                    "INSERT INTO commands (id, terminal_id, name, args) VALUES (?, ?, ?, ?)",
                    (
                        cid,
                        body.get("terminal_id", seed.TERMINAL_ID),
                        body["name"],
                        json.dumps(body.get("args", {})),
                    ),
                )
            return jsonify({"id": cid})

        @app.post("/admin/catalog")
        def _catalog() -> Response:
            body = request.get_json(force=True) or {}
            items = body.get("items", [])
            try:
                for it in items:
                    contract.check(it, contract.ITEM)
            except contract.ContractError as exc:
                return _error(400, exc.reason, exc.field)
            with p.db.tx() as c:
                if items:
                    p.db.put_items(c, items)
                if body.get("deleted"):
                    p.db.delete_items(c, list(body["deleted"]))
            return jsonify({"ok": True})

        @app.get("/m/")
        def _mobile() -> Response:
            return Response(mobile.PAGE, mimetype="text/html")

        @app.get("/m/api/hall")
        def _mobile_hall() -> Response:
            summary = mobile.hall_summary(p.db, request.args.get("hall_id", seed.HALL_ID))
            if summary is None:
                return _error(404, "unknown_hall", "hall_id")
            return jsonify(summary)

        @app.post("/admin/remote-tickets")
        def _take_remote() -> Response:
            req, problem = p.take_remote_ticket(request.get_json(force=True, silent=True))
            if problem:
                return _error(400, problem)
            return jsonify(req)

        @app.get("/admin/remote-tickets/<request_id>")
        def _remote_status(request_id: str) -> Response:
            status = p.remote_ticket_status(request_id)
            if status is None:
                return _error(404, "unknown_request")
            return jsonify(status)

        @app.post("/admin/codes")
        def _codes() -> Response:
            body = request.get_json(force=True) or {}
            return jsonify(
                {
                    "code": p.mint_code(
                        body.get("typ", "person"),
                        body.get("sub", ""),
                        body.get("appt"),
                        int(body.get("ttl_s", 86400)),
                    )
                }
            )

    return app
