"""A scanned code cannot make the classifier raise, and only ASCII digits make a case number
(issue 15, finding 6)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from kiosk.identity.classify import Kind, classify


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _deep_in_the_stack(depth: int, fn: Any) -> Any:
    """Scans are classified inside Qt callbacks and device threads, far from the stack's bottom."""
    return fn() if depth == 0 else _deep_in_the_stack(depth - 1, fn)


@pytest.mark.parametrize("nesting", [600, 700])
@pytest.mark.parametrize("stack", [0, 400, 800])
def test_a_deeply_nested_payload_is_malformed_not_an_exception(nesting: int, stack: int) -> None:
    payload = b"[" * nesting + b"]" * nesting
    code = f"HK1.{_b64(payload)}.{_b64(b'x' * 64)}"
    assert len(code) <= 2048
    result = _deep_in_the_stack(stack, lambda: classify(code, lambda kid: None))
    assert result.kind == Kind.NOT_RECOGNISED and result.reason == "malformed"


@pytest.mark.parametrize(
    "text",
    [
        "1" * 31
        + "\u0662\u0660\u0662\u0666\u0661\u0661\u0663\u0660"
        + "\u0660\u0660\u0660\u0661",  # Arabic-Indic
        "1" * 31 + "２０２６１１３００００１",  # full-width
        "1" * 30 + "ß" + "202611300001",  # upper() -> "SS" would make 32 ASCII characters
    ],
)
def test_a_case_number_needs_ascii_digits(text: str) -> None:
    assert classify(text, lambda kid: None).kind == Kind.NOT_RECOGNISED


def test_a_real_case_number_still_matches() -> None:
    got = classify("1" * 31 + "20261130" + "0001", lambda kid: None)
    assert got.kind == Kind.CASE_NUMBER
