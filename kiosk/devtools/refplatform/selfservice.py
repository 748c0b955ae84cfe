"""The reference platform's self-service endpoints: e-licences, forms, applications and pages.

Licences and forms are served from ``seed_selfservice``; applications and their pages are kept
in the platform's database. An application is idempotent on its terminal-made id: the same id
again answers the same case number with ``duplicate: true`` and is never stored twice. Pages are
uploaded first (``PUT .../pages/<sha256>``, the body is the JPEG), so no JSON body carries a
photograph; the application then names its pages by hash and is refused while one is missing.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any, Protocol

from flask import Flask, Response, g, jsonify, request

from kiosk.devtools.refplatform import seed, seed_selfservice
from kiosk.devtools.refplatform.db import PlatformDB
from kiosk.platform import signing
from kiosk.selfservice.forms import Form, id_number_ok, validate
from offline_cache import contract
from offline_cache.contract_selfservice import (
    APPLICATION,
    LICENCES_REQUEST,
    MAX_PAGE_BYTES,
    SHA256,
    UUID,
)


class RefPlatform(Protocol):
    """What the desk needs of the platform (``server.RefPlatform``): its database and clock."""

    @property
    def db(self) -> PlatformDB: ...

    def now(self) -> datetime: ...


SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    application_id TEXT PRIMARY KEY, case_number TEXT NOT NULL UNIQUE, item_code TEXT NOT NULL,
    holder TEXT NOT NULL, terminal_id TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS application_pages (
    application_id TEXT NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (application_id, sha256));
CREATE TABLE IF NOT EXISTS application_receipts (application_id TEXT PRIMARY KEY, times INTEGER NOT NULL);
"""


def _error(status: int, error: str, field: str | None = None) -> Response:
    body: dict[str, Any] = {"error": error}
    if field:
        body["field"] = field
    resp = jsonify(body)
    resp.status_code = status
    return resp


def forms() -> dict[str, Form]:
    return {f["item_code"]: Form.from_json(f) for f in seed_selfservice.forms()}


class SelfServiceDesk:
    def __init__(self, platform: RefPlatform) -> None:
        self.p = platform
        with platform.db.tx() as c:
            for stmt in SCHEMA.strip().split(";"):
                if stmt.strip():
                    c.execute(stmt)
        self.forms = forms()

    def licences(self) -> Response:
        body: Any = request.get_json(silent=True)
        try:
            contract.check(body, LICENCES_REQUEST)
        except contract.ContractError as exc:
            return _error(400, exc.reason, exc.field)
        number = body["id_number"].upper()
        # A number with a wrong check digit has no holder, hence no licences (not an error:
        # the shape was right).
        found = [lic for holder, lic in seed_selfservice.licences() if holder == number]
        return jsonify({"licences": found})

    def all_forms(self) -> Response:
        return jsonify({"forms": [f.to_json() for f in self.forms.values()]})

    def form(self, code: str) -> Response:
        f = self.forms.get(code)
        if f is None:
            return _error(404, "no_form", "item_code")
        return jsonify(f.to_json())

    def put_page(self, application_id: str, sha256: str) -> Response:
        for name, value, spec in (("application_id", application_id, UUID), ("sha256", sha256, SHA256)):
            if not re.fullmatch(spec, value):
                return _error(400, "bad_path", name)
        data = request.get_data()
        if not data or len(data) > MAX_PAGE_BYTES:
            return _error(400, "page_size", "body")
        if hashlib.sha256(data).hexdigest() != sha256:
            return _error(409, "sha256_mismatch", "sha256")  # the name says other content
        if not data.startswith(b"\xff\xd8\xff"):
            return _error(422, "not_jpeg", "body")
        with self.p.db.tx() as c:
            c.execute(
                "INSERT OR IGNORE INTO application_pages (application_id, sha256, data) VALUES (?, ?, ?)",
                (application_id, sha256, data),
            )
        return jsonify({"sha256": sha256, "bytes": len(data)})

    def submit(self) -> Response:
        body: Any = request.get_json(silent=True)
        try:
            contract.check(body, APPLICATION)
        except contract.ContractError as exc:
            return _error(400, exc.reason, exc.field)
        aid = body["application_id"]
        with self.p.db.tx() as c:
            c.execute(
                "INSERT INTO application_receipts (application_id, times) VALUES (?, 1) "
                "ON CONFLICT(application_id) DO UPDATE SET times = times + 1",
                (aid,),
            )
            row = c.execute(
                "SELECT case_number, received_at FROM applications WHERE application_id = ?", (aid,)
            ).fetchone()
            if row is not None:
                return jsonify(self._answer(aid, row[0], row[1], True))
            form = self.forms.get(body["item_code"])
            if form is None:
                return _error(404, "no_form", "item_code")
            if (body["form_id"], body["form_version"]) != (form.form_id, form.version):
                return _error(409, "form_outdated", "form_version")
            if not id_number_ok(body["applicant_id_number"]):
                return _error(422, "bad_id_number", "applicant_id_number")
            pages = {m["key"]: len(m["pages"]) for m in body["materials"]}
            problems = validate(form, body["data"], pages)
            if problems:
                where = "data." + problems[0].key if form.field(problems[0].key) else "materials"
                return _error(422, problems[0].code, where)
            have = {r[0] for r in c.execute(
                "SELECT sha256 FROM application_pages WHERE application_id = ?", (aid,))}  # fmt: skip
            for i, m in enumerate(body["materials"]):
                for j, page in enumerate(m["pages"]):
                    if page["sha256"] not in have:
                        return _error(409, "missing_page", f"materials[{i}].pages[{j}]")
            now = self.p.now().astimezone(seed.TZ)
            day = f"{now:%Y%m%d}"
            n = c.execute(
                "SELECT count(*) FROM applications WHERE case_number LIKE ?", (f"%{day}____",)
            ).fetchone()[0]
            case_number = f"{form.item_code}{day}{int(n) + 1:04d}"
            received = signing.timestamp(self.p.now())
            c.execute(
                "INSERT INTO applications (application_id, case_number, item_code, holder, terminal_id, "
                "payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (aid, case_number, form.item_code, body["applicant_id_number"].upper(), g.terminal_id,
                 json.dumps(body, ensure_ascii=False), received),
            )  # fmt: skip
        return jsonify(self._answer(aid, case_number, received, False))

    @staticmethod
    def _answer(aid: str, case_number: str, received: str, duplicate: bool) -> dict[str, Any]:
        return {
            "application_id": aid,
            "case_number": case_number,
            "status": "submitted",
            "received_at": received,
            "duplicate": duplicate,
        }

    def cases_of(self, id_number: str) -> list[dict[str, Any]]:
        """The holder's applications as cases (status ``submitted``) for ``/v1/cases/lookup``."""
        return self._cases("holder", id_number)

    def cases_by_number(self, case_number: str) -> list[dict[str, Any]]:
        return self._cases("case_number", case_number)

    def _cases(self, column: str, value: str) -> list[dict[str, Any]]:
        sql = {
            "holder": "SELECT case_number, item_code, received_at FROM applications WHERE holder = ?",
            "case_number": "SELECT case_number, item_code, received_at FROM applications "
            "WHERE case_number = ?",
        }[column]
        rows = self.p.db.conn().execute(sql, (value.strip().upper(),)).fetchall()
        out = []
        for case_number, code, received in rows:
            form = self.forms.get(code)
            out.append({
                "case_number": case_number, "item_code": code,
                "item_name": form.title if form else code, "status": "submitted", "updated_at": received,
                "timeline": [{"at": received, "step": "自助终端申报", "status": "submitted", "note": None}],
                "pickup": None,
            })  # fmt: skip
        return out

    def stats(self) -> dict[str, Any]:
        conn = self.p.db.conn()
        return {
            "applications": int(conn.execute("SELECT count(*) FROM applications").fetchone()[0]),
            "application_receipts": dict(
                conn.execute("SELECT application_id, times FROM application_receipts").fetchall()
            ),
            "pages": int(conn.execute("SELECT count(*) FROM application_pages").fetchone()[0]),
        }

    def application(self, aid: str) -> dict[str, Any] | None:
        """An application as the platform keeps it, with its pages' sizes (tests, demo)."""
        conn = self.p.db.conn()
        row = conn.execute(
            "SELECT case_number, payload FROM applications WHERE application_id = ?", (aid,)
        ).fetchone()
        if row is None:
            return None
        pages = conn.execute(
            "SELECT sha256, length(data) FROM application_pages WHERE application_id = ?", (aid,)
        ).fetchall()
        return {"case_number": row[0], "application": json.loads(row[1]), "pages": dict(pages)}

    def page(self, aid: str, sha256: str) -> bytes | None:
        row = (
            self.p.db.conn()
            .execute(
                "SELECT data FROM application_pages WHERE application_id = ? AND sha256 = ?", (aid, sha256)
            )
            .fetchone()
        )
        return None if row is None else bytes(row[0])


def register(app: Flask, desk: SelfServiceDesk, *, admin: bool) -> None:
    app.add_url_rule("/v1/licences/lookup", "licences", desk.licences, methods=["POST"])
    app.add_url_rule("/v1/forms", "forms", desk.all_forms, methods=["GET"])
    app.add_url_rule("/v1/items/<code>/form", "form", desk.form, methods=["GET"])
    app.add_url_rule(
        "/v1/applications/<application_id>/pages/<sha256>", "page", desk.put_page, methods=["PUT"]
    )
    app.add_url_rule("/v1/applications", "applications", desk.submit, methods=["POST"])
    if admin:

        @app.get("/admin/applications")
        def _applications() -> Response:
            return jsonify(desk.stats())
