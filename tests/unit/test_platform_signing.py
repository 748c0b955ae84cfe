"""Signature test vectors (published in kiosk/platform/signing.py) and backoff rules."""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.platform import backoff, signing

VECTORS = [
    ("GET", "/v1/halls/H-DEMO-001", b"", "853041a509f372499415a2f641c16c244e86d62289c978a2c1719e59f7e99505"),
    (
        "POST",
        "/v1/events",
        b'{"events":[]}',
        "d1af4e7fbd26e67527f44caf28ab98bc33def877249e279940f6207df3aa1eb7",
    ),
    (
        "GET",
        "/v1/catalog?since=c-17&limit=500",
        b"",
        "64e8afb91a6826b8261499e7a44260102c4b59e0cfa0fb7a459d3dca1f86f1ac",
    ),
]


@pytest.mark.parametrize(("method", "target", "body", "expected"), VECTORS)
def test_vectors(method: str, target: str, body: bytes, expected: str) -> None:
    secret = bytes(range(32))
    ts, nonce = "2026-11-22T08:00:00Z", "0123456789abcdef0123456789abcdef"
    assert signing.sign(secret, method, target, ts, nonce, body) == expected
    # Independently, straight from the contract's formula.
    text = f"{method}\n{target}\n{ts}\n{nonce}\n{hashlib.sha256(body).hexdigest()}".encode()
    assert hmac.new(secret, text, hashlib.sha256).hexdigest() == expected
    assert signing.verify(secret, expected.upper(), method, target, ts, nonce, body)
    assert not signing.verify(secret, expected, method, target, ts, nonce, body + b" ")
    assert not signing.verify(secret, expected, method.lower() + "x", target, ts, nonce, body)


def test_docstring_publishes_the_vectors() -> None:
    doc = signing.__doc__ or ""
    for *_, expected in VECTORS:
        assert expected in doc


def test_headers_shape() -> None:
    h = signing.headers(
        bytes(32), "T-DEMO-001", "GET", "/v1/keys", b"", datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    )
    assert h["X-Timestamp"] == "2026-11-22T08:00:00Z"
    assert len(h["X-Nonce"]) == 32 and int(h["X-Nonce"], 16) >= 0
    assert h["X-Nonce"] != signing.headers(bytes(32), "T", "GET", "/", b"")["X-Nonce"]


def test_secret_file(tmp_path: Path) -> None:
    p = tmp_path / "s"
    p.write_text(bytes(range(32)).hex() + "\n")
    assert signing.load_secret(p) == bytes(range(32))
    p.write_text("abcd")
    with pytest.raises(signing.SecretError, match="32"):
        signing.load_secret(p)
    p.write_text("zz" * 40)
    with pytest.raises(signing.SecretError, match="hex"):
        signing.load_secret(p)
    with pytest.raises(signing.SecretError):
        signing.load_secret(tmp_path / "missing")


def test_backoff_grows_to_the_cap_with_jitter() -> None:
    rng = random.Random(1)
    delays = [backoff.delay(n, rng=rng) for n in range(1, 15)]
    assert 0.5 <= delays[0] <= 1.0
    assert all(150 <= d <= 300 for d in delays[9:])
    assert len({round(d, 3) for d in delays}) == len(delays)


def test_retry_after_parsing() -> None:
    now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert backoff.parse_retry_after("120", now) == 120
    assert backoff.parse_retry_after("Sun, 22 Nov 2026 08:01:00 GMT", now) == 60
    assert backoff.parse_retry_after("soon", now) is None
    assert backoff.parse_retry_after(None, now) is None


def test_published_contract_documents_are_current(repo: Path) -> None:
    import json

    from kiosk.devtools.refplatform import openapi

    doc = (repo / "docs" / "platform-api.md").read_text(encoding="utf-8")
    for *_, expected in VECTORS:
        assert expected in doc
    published = json.loads((repo / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert published == openapi.document("http://127.0.0.1:8700"), (
        "regenerate docs/openapi.json (see kiosk/devtools/refplatform/openapi.py)"
    )
