"""The platform client turns every answer into data or a PlatformError, never anything else
(issue 15, finding 7); the reference platform answers 4xx to hostile requests (finding 10)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.platform import backoff, signing
from kiosk.platform.client import (
    AuthFailed,
    ClientConfig,
    InvalidResponse,
    PlatformClient,
    PlatformError,
    Rejected,
    Retryable,
)
from kiosk.platform.sync import SyncEngine
from offline_cache.store import Store
from tests.hostile.hostile_http import hostile_server

SECRET = bytes(range(32))
DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000


def _client(url: str, timeout_s: float = 2.0) -> PlatformClient:
    return PlatformClient(ClientConfig(url, "T-1", "H-1", SECRET, timeout_s=timeout_s))


@pytest.mark.parametrize(
    ("status", "body", "headers", "kind"),
    [
        (200, DEEP, {}, InvalidResponse),
        (200, DEEP_OBJECT, {}, InvalidResponse),
        (200, b'{"hall_id": NaN}', {}, InvalidResponse),
        (200, b"1" * 5000, {}, InvalidResponse),
        (200, b"\xff\xfe garbage", {}, InvalidResponse),
        (500, DEEP, {}, Retryable),
        (503, b"{}", {"Retry-After": "\u00b2"}, Retryable),
        (503, b"{}", {"Retry-After": "\u0663"}, Retryable),
        (429, b"{}", {"Retry-After": "9" * 400}, Retryable),
        (401, DEEP, {}, AuthFailed),
        (401, b'{"error": "clock_skew", "server_time": "99999-01-01T00:00:00Z"}', {}, AuthFailed),
        (400, DEEP_OBJECT, {}, Rejected),
        (422, json.dumps({"error": "x" * 100_000, "field": ["a"]}).encode(), {}, Rejected),
    ],
)
def test_hostile_answers_become_platform_errors(
    status: int, body: bytes, headers: dict[str, str], kind: type
) -> None:
    with hostile_server() as server:
        server.set(status=status, body=body, headers=headers)
        client = _client(server.url)
        with pytest.raises(kind) as info:
            client.hall()
        assert len(info.value.message) < 400 and "\n" not in info.value.message
        client.close()


def test_retry_after_takes_ascii_digits_only() -> None:
    assert backoff.parse_retry_after("\u00b2") is None
    assert backoff.parse_retry_after("\u0663") is None
    assert backoff.parse_retry_after("9" * 400) is None
    assert backoff.parse_retry_after(" 30 ") == 30


def test_a_platform_that_trickles_its_answer_meets_an_overall_deadline() -> None:
    with hostile_server() as server:
        server.set(body=b" " * 400 + b"{}", drip_s=0.02)  # each byte well inside the read timeout
        client = _client(server.url, timeout_s=1.0)
        started = time.monotonic()
        with pytest.raises(Retryable, match="in time"):
            client.hall()
        assert time.monotonic() - started < 3.0
        client.close()


def test_sync_once_on_a_hostile_platform_ends_in_one_line_not_a_traceback(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "kiosk.db")
    try:
        with hostile_server() as server:
            server.set(status=200, body=DEEP)
            client = _client(server.url)
            engine = SyncEngine(store, client, terminal_id="T-1", hall_id="H-1")
            result = engine.run_once()
            assert not result.ok
            assert all("not usable JSON" in v for v in result.pulls.values()), result.pulls
            client.close()
    finally:
        store.close()


@pytest.fixture
def refplatform(tmp_path: Path):  # type: ignore[no-untyped-def]
    server = ServerThread(prepare(tmp_path / "platform")).start()
    yield server, signing.load_secret(tmp_path / "platform" / SECRET_NAME)
    server.stop()


def test_the_reference_platform_answers_4xx_to_a_non_ascii_signature(refplatform) -> None:  # type: ignore[no-untyped-def]
    server, _secret = refplatform
    hdrs = {
        "X-Terminal-Id": seed.TERMINAL_ID,
        "X-Timestamp": signing.timestamp(),
        "X-Nonce": signing.new_nonce(),
        "X-Signature": "é" * 64,
    }
    r = requests.get(f"{server.url}/v1/keys", headers={k: v.encode() for k, v in hdrs.items()}, timeout=5)  # type: ignore[misc]
    assert r.status_code == 401, r.text


@pytest.mark.parametrize(
    "path", ["/v1/events", f"/v1/terminals/{seed.TERMINAL_ID}/heartbeat", "/v1/cases/lookup"]
)
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, b'{"events": [' + b"[" * 5000 + b"]" * 5000 + b"]}"])
def test_the_reference_platform_answers_4xx_to_a_signed_deeply_nested_body(
    refplatform, path: str, body: bytes
) -> None:  # type: ignore[no-untyped-def]
    server, secret = refplatform
    hdrs = signing.headers(secret, seed.TERMINAL_ID, "POST", path, body)
    hdrs["Content-Type"] = "application/json"
    r = requests.post(server.url + path, data=body, headers=hdrs, timeout=10)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:200])


def test_platform_error_is_the_only_kind_the_client_raises() -> None:
    assert issubclass(InvalidResponse, PlatformError)
