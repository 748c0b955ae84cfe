"""Scanned payload classification: HK1 offline codes (Ed25519), case numbers, the rest."""

from __future__ import annotations

import base64
import json
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.identity.classify import KeyRing, Kind, classify, describe_masked, keys_from_platform, mask_payload

SUB = "a" * 64
NOW = 1_800_000_000


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_code(key: Ed25519PrivateKey, payload: dict[str, object]) -> str:
    part = b64u(json.dumps(payload).encode())
    sig = key.sign(("HK1." + part).encode())
    return f"HK1.{part}.{b64u(sig)}"


KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
RING = KeyRing(clock=lambda: NOW)
RING.add("k1", KEY.public_key())
APPT = {"kid": "k1", "typ": "appt", "sub": SUB, "appt": "AP-20261123-0001", "exp": NOW + 3600}


def test_valid_appointment_code() -> None:
    result = classify(make_code(KEY, APPT), RING, now=NOW)
    assert result.kind is Kind.OFFLINE_CODE and result.accepted
    assert result.offline is not None
    assert (result.offline.typ, result.offline.appt, result.offline.sub) == ("appt", "AP-20261123-0001", SUB)


def test_valid_person_code() -> None:
    code = make_code(KEY, {"kid": "k1", "typ": "person", "sub": SUB, "appt": None, "exp": NOW + 60})
    assert classify(code, RING, now=NOW).kind is Kind.OFFLINE_CODE


def test_rejections_name_their_reason() -> None:
    cases = {
        "bad_signature": make_code(OTHER, APPT),
        "unknown_key": make_code(KEY, {**APPT, "kid": "k9"}),
        "expired": make_code(KEY, {**APPT, "exp": NOW - 1}),
        "bad_payload": make_code(KEY, {**APPT, "typ": "admin"}),
        "malformed": "HK1.not-json!.sig",
    }
    for reason, code in cases.items():
        result = classify(code, RING, now=NOW)
        assert result.kind is Kind.NOT_RECOGNISED and result.reason == reason, reason
    part = make_code(KEY, APPT).split(".")
    tampered = b64u(json.dumps({**APPT, "appt": "AP-OTHER"}).encode())
    assert classify(f"HK1.{tampered}.{part[2]}", RING, now=NOW).reason == "bad_signature"
    assert classify(make_code(KEY, {**APPT, "appt": None}), RING, now=NOW).reason == "bad_payload"


def test_key_not_after_is_honoured() -> None:
    ring = keys_from_platform(
        {
            "keys": [
                {
                    "kid": "k1",
                    "alg": "Ed25519",
                    "public_key": base64.b64encode(KEY.public_key().public_bytes_raw()).decode(),
                    "not_after": "2020-01-01T00:00:00+08:00",
                },
                {"kid": "bad", "alg": "Ed25519", "public_key": "!!"},
                {"kid": "rsa", "alg": "RS256", "public_key": "AAAA"},
            ]
        },
        clock=lambda: NOW,
    )
    assert len(ring) == 1
    assert classify(make_code(KEY, APPT), ring, now=NOW).reason == "unknown_key"


def test_case_numbers() -> None:
    number = "11110000000000000X" + "3" * 13 + "20261123" + "0042"
    result = classify(number, RING)
    assert result.kind is Kind.CASE_NUMBER and result.case_number == number
    assert classify(number.lower(), RING).case_number == number
    assert classify(number.replace("20261123", "20261340"), RING).kind is Kind.NOT_RECOGNISED


def test_anything_else_is_not_recognised_and_never_echoed() -> None:
    for text in ["", "hello", "https://example.com/?q=1", "'; DROP TABLE tickets;--", "\x1b[2J", "HK1."]:
        result = classify(text, RING)
        assert result.kind is Kind.NOT_RECOGNISED
        assert "DROP" not in repr(result)
    assert mask_payload("'; DROP TABLE tickets;--") == "';********************--"
    assert mask_payload("\x1b[2Jabcdef") == "?[******ef"


def test_describe_masked_never_shows_content() -> None:
    class Ev:
        data = {"code": type("C", (), {"text": "110105198503072014", "raw": b"x" * 18, "source": "serial"})()}

    lines = describe_masked(Ev())
    assert all("110105198503072014" not in line for line in lines)


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=300))
def test_fuzz_any_text(text: str) -> None:
    assert classify(text, RING, now=NOW).kind in set(Kind)
    assert classify("HK1." + text, RING, now=NOW).kind is Kind.NOT_RECOGNISED


@settings(deadline=None, max_examples=100)
@given(
    st.dictionaries(
        st.sampled_from(["kid", "typ", "sub", "appt", "exp", "x"]),
        st.none() | st.integers() | st.text(max_size=70),
    )
)
def test_fuzz_signed_payloads(payload: dict[str, object]) -> None:
    """Even correctly signed nonsense payloads are rejected cleanly, never crash."""
    result = classify(make_code(KEY, {"kid": "k1", **payload}), RING, now=NOW)
    assert result.kind in (Kind.OFFLINE_CODE, Kind.NOT_RECOGNISED)
    if result.kind is Kind.OFFLINE_CODE:
        assert result.offline is not None and result.offline.exp > NOW


def test_time_default_is_now() -> None:
    code = make_code(KEY, {**APPT, "exp": int(time.time()) + 60})
    ring = KeyRing()
    ring.add("k1", KEY.public_key())
    assert classify(code, ring).kind is Kind.OFFLINE_CODE
