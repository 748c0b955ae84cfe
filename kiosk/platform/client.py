"""The platform client: signed requests over one ``requests`` session, every answer validated.

Failures come back as three kinds the sync engine acts on differently:

- ``Retryable``: 429, 5xx, timeouts, connection resets, and answers that make no sense (a body
  that is not the contract's shape). Retry later with backoff; ``retry_after`` when the
  platform said so.
- ``Rejected``: 400/403/404/409/422 — the same bytes will never succeed (log, surface,
  quarantine).
- ``AuthFailed``: 401 other than clock skew (bad signature, replayed nonce, unknown terminal) —
  the terminal's provisioning is wrong; retrying later cannot help until a technician acts,
  but nothing is the events' fault, so nothing is quarantined.

A 401 ``clock_skew`` answer corrects the client's clock offset from ``server_time`` and the
request is retried once, as the contract says.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3

from kiosk.platform import backoff, signing
from kiosk.platform.accept import one_line
from offline_cache import contract
from offline_cache import contract_selfservice as selfservice

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0


class PlatformError(Exception):
    """Base: ``message`` is a plain sentence for status screens and ``kiosk sync`` output."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Retryable(PlatformError):
    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class InvalidResponse(Retryable):
    """The platform answered with something that is not the contract's shape."""


class Rejected(PlatformError):
    def __init__(self, message: str, *, status: int, error: str = "", field: str = "") -> None:
        super().__init__(message, status=status)
        self.error = error
        self.field = field


class AuthFailed(PlatformError):
    pass


@dataclass(frozen=True)
class ClientConfig:
    url: str
    terminal_id: str
    hall_id: str
    secret: bytes
    ca_bundle: str = ""
    timeout_s: float = 10.0


class PlatformClient:
    """One per terminal; thread-safe for the engine's single thread plus occasional UI lookups."""

    def __init__(self, config: ClientConfig, session: requests.Session | None = None) -> None:
        self.config = config
        self.base = config.url.rstrip("/")
        self._base_path = urlsplit(self.base).path
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "hall-kiosk"
        # Passed on every request: a session-level ``verify`` loses to REQUESTS_CA_BUNDLE.
        self._verify: str | bool = config.ca_bundle or True
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    # -- plumbing --------------------------------------------------------------------------
    @property
    def clock_offset_s(self) -> float:
        return self._offset.total_seconds()

    def _now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, Any] | None = None,
        body: Any = None,
        raw: bytes | None = None,
        content_type: str = "",
    ) -> Any:
        """Send one signed request and return the decoded JSON body (or raise a PlatformError).

        ``raw`` (with its ``content_type``) sends bytes as they are instead of a JSON ``body``:
        a photographed page, which no JSON body carries."""
        q = {k: v for k, v in (query or {}).items() if v is not None}
        target = path + ("?" + urlencode(q) if q else "")
        data = b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        if raw is not None:
            data = raw
        for attempt in (1, 2):
            resp = self._send(method, target, data, content_type)
            if resp.status_code == 401 and attempt == 1 and self._maybe_fix_clock(resp):
                continue
            return self._decode(resp)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, target: str, data: bytes, content_type: str = "") -> _Answer:
        sign_path = self._base_path + target
        hdrs = signing.headers(
            self.config.secret, self.config.terminal_id, method, sign_path, data, self._now()
        )
        if data:
            hdrs["Content-Type"] = content_type or "application/json; charset=utf-8"
        try:
            resp = self.session.request(
                method,
                self.base + target,
                data=data or None,
                headers=hdrs,
                timeout=(CONNECT_TIMEOUT_S, self.config.timeout_s),
                allow_redirects=False,
                verify=self._verify,
                stream=True,
            )
            # The headers are in; the whole body must follow within the read timeout.
            deadline = time.monotonic() + self.config.timeout_s
            try:
                return _Answer(resp.status_code, resp.headers.get("Retry-After"), _read_body(resp, deadline))
            finally:
                resp.close()
        except requests.exceptions.SSLError as exc:
            raise Retryable(f"TLS verification failed: {_short(exc)}") from None
        except requests.Timeout:
            raise Retryable("the platform did not answer in time") from None
        except requests.ConnectionError as exc:
            raise Retryable(f"cannot reach the platform ({_why(exc)})") from None
        except requests.RequestException as exc:
            raise Retryable(f"request failed: {_short(exc)}") from None

    def _maybe_fix_clock(self, resp: _Answer) -> bool:
        body = resp.json()
        if not isinstance(body, dict) or body.get("error") != "clock_skew":
            return False
        try:
            server = signing.parse_timestamp(str(body.get("server_time", ""))[:64])
        except (ValueError, OverflowError):
            return False
        with self._lock:
            self._offset = server - datetime.now(UTC)
        log.warning("platform clock differs by %.0f s; corrected", self._offset.total_seconds())
        return True

    def _decode(self, resp: _Answer) -> Any:
        status = resp.status_code
        if 200 <= status < 300:
            try:
                return contract.loads(resp.body)
            except contract.ContractError as exc:
                why = one_line(exc, 240)
                raise InvalidResponse(
                    f"the platform answered {status} with a body that is not usable JSON: {why}",
                    status=status,
                ) from None
        body = resp.json()
        error = one_line(body.get("error", ""), 80) if isinstance(body, dict) else ""
        field = one_line(body.get("field", ""), 80) if isinstance(body, dict) else ""
        if status == 429 or status >= 500:
            retry_after = backoff.parse_retry_after(resp.retry_after)
            raise Retryable(
                f"platform busy or failing (HTTP {status})", status=status, retry_after=retry_after
            )
        if status == 401:
            raise AuthFailed(
                f"platform refused the terminal's credentials ({error or 'unauthorized'})", status=status
            )
        if status in (400, 403, 404, 409, 422):
            raise Rejected(
                f"platform rejected the request (HTTP {status} {error})".strip(),
                status=status,
                error=error,
                field=field,
            )
        raise Retryable(f"unexpected HTTP {status} from the platform", status=status)

    def _checked(self, body: Any, shape: Any, what: str) -> Any:
        try:
            contract.check(body, shape)
        except contract.ContractError as exc:
            raise InvalidResponse(
                f"the platform's {what} does not match the contract: {one_line(exc, 240)}"
            ) from None
        return body

    # -- endpoints -------------------------------------------------------------------------
    def hall(self) -> dict[str, Any]:
        body = self.request("GET", f"/v1/halls/{self.config.hall_id}")
        return dict(self._checked(body, contract.HALL, "hall profile"))

    def catalog(self, since: str | None = None, limit: int = 500) -> dict[str, Any]:
        body = self.request("GET", "/v1/catalog", query={"since": since, "limit": limit})
        return dict(self._checked(body, contract.CATALOG_PAGE, "catalog page"))

    def appointments(self, date: str, since: str | None = None) -> dict[str, Any]:
        body = self.request(
            "GET", f"/v1/halls/{self.config.hall_id}/appointments", query={"date": date, "since": since}
        )
        return dict(self._checked(body, contract.APPOINTMENTS_PAGE, "appointments"))

    def lookup_cases(
        self, *, case_number: str | None = None, id_number: str | None = None
    ) -> list[dict[str, Any]]:
        if (case_number is None) == (id_number is None):
            raise ValueError("give exactly one of case_number and id_number")
        req = {"case_number": case_number} if case_number is not None else {"id_number": id_number}
        body = self.request("POST", "/v1/cases/lookup", body=req)
        return list(self._checked(body, contract.CASES, "case lookup")["cases"])

    def push_encoded(self, ids: list[str], events: list[str]) -> dict[str, Any]:
        """Push 1-500 events, each already a JSON object as the outbox keeps it, and return
        the platform's answer (accepted / duplicates / rejected, checked against the ids sent).
        The body is put together from the stored JSON, not decoded and encoded again (that was
        a fifth of the outbox drain's time, tests/bench/bench_outbox_drain.py). ``ids``: the
        events' ids, in order."""
        if not 1 <= len(events) <= 500 or len(ids) != len(events):
            raise ValueError("a push carries 1-500 events, each with its id")
        data = ('{"events":[' + ",".join(events) + "]}").encode()
        body = self.request("POST", "/v1/events", raw=data, content_type="application/json; charset=utf-8")
        result = dict(self._checked(body, contract.EVENTS_RESPONSE, "events answer"))
        sent = set(ids)
        told = set(result["accepted"]) | set(result["duplicates"]) | {r["id"] for r in result["rejected"]}
        if not told <= sent:
            raise InvalidResponse("the platform's events answer names events that were not sent")
        return result

    def heartbeat(self, payload: dict[str, Any]) -> dict[str, Any]:
        body = self.request("POST", f"/v1/terminals/{self.config.terminal_id}/heartbeat", body=payload)
        return dict(self._checked(body, contract.HEARTBEAT_RESPONSE, "heartbeat answer"))

    def remote_tickets(self, since: str | None = None, limit: int = 200) -> dict[str, Any]:
        """A page of online ticket requests (each request is checked by the caller on its own)."""
        body = self.request(
            "GET", f"/v1/halls/{self.config.hall_id}/remote-tickets", query={"since": since, "limit": limit}
        )
        return dict(self._checked(body, contract.REMOTE_TICKETS_PAGE, "remote tickets"))

    def keys(self) -> list[dict[str, Any]]:
        body = self.request("GET", "/v1/keys")
        return list(self._checked(body, contract.KEYS, "keys")["keys"])

    # -- self-service (docs/platform-api.md "Self-service") -----------------------------------
    def licences(self, id_number: str) -> list[dict[str, Any]]:
        body = self.request("POST", "/v1/licences/lookup", body={"id_number": id_number})
        return list(self._checked(body, selfservice.LICENCES, "licences")["licences"])

    def forms(self) -> list[dict[str, Any]]:
        body = self.request("GET", "/v1/forms")
        return list(self._checked(body, selfservice.FORMS, "forms")["forms"])

    def upload_page(self, application_id: str, sha256: str, jpeg: bytes) -> None:
        body = self.request(
            "PUT", f"/v1/applications/{application_id}/pages/{sha256}", raw=jpeg, content_type="image/jpeg"
        )
        answer = self._checked(body, selfservice.PAGE_UPLOADED, "page answer")
        if answer["sha256"] != sha256 or answer["bytes"] != len(jpeg):
            raise InvalidResponse("the platform's page answer names another page")

    def submit_application(self, application: dict[str, Any]) -> dict[str, Any]:
        body = self.request("POST", "/v1/applications", body=application)
        answer = dict(self._checked(body, selfservice.APPLICATION_ANSWER, "application answer"))
        if answer["application_id"] != application["application_id"]:
            raise InvalidResponse("the platform answered for another application")
        return answer

    def close(self) -> None:
        self.session.close()


MAX_ERROR_BODY = 64 * 1024


@dataclass(frozen=True)
class _Answer:
    """What the client keeps of a response: read whole, bounded in size and time."""

    status_code: int
    retry_after: str | None
    body: bytes

    def json(self) -> Any:
        """The decoded body, or None when it is not bounded JSON (error answers may be HTML)."""
        try:
            return contract.loads(self.body[:MAX_ERROR_BODY] if self.status_code >= 300 else self.body)
        except contract.ContractError:
            return None


def _read_body(resp: requests.Response, deadline: float) -> bytes:
    """At most ``MAX_BODY_BYTES``, all of it before ``deadline``: the per-read timeout alone
    lets a platform that drips one byte every few seconds hold the sync thread forever."""
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            # read1: what has arrived (iter_content would wait for a whole chunk's worth)
            chunk = resp.raw.read1(64 * 1024, decode_content=True)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise Retryable(f"the platform's answer broke off ({type(exc).__name__})") from None
        if not chunk:
            break
        size += len(chunk)
        if size > contract.MAX_BODY_BYTES:
            raise InvalidResponse(f"the platform's answer is larger than {contract.MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise Retryable("the platform did not finish its answer in time")
    return b"".join(chunks)


def _why(exc: BaseException) -> str:
    """A few plain words for a connection failure (the urllib3 text is long and technical)."""
    text = str(exc).lower()
    for needle, words in (
        ("refused", "connection refused"),
        ("remotedisconnected", "connection dropped"),
        ("aborted", "connection dropped"),
        ("reset by peer", "connection reset"),
        ("name or service not known", "host name not found"),
        ("temporary failure in name resolution", "host name not found"),
        ("no route to host", "no route to host"),
        ("network is unreachable", "network unreachable"),
    ):
        if needle in text:
            return words
    return _short(exc)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."
