"""Masking and redaction of personal data (PIPL; GB/T 35273-2020 display rules).

Every name and ID number shown on a screen or printed on paper goes through ``mask_name`` /
``mask_id_number``; every log line goes through ``redact`` (see ``kiosk.logs``).
"""

from __future__ import annotations

import re

# 18-digit resident ID numbers (last char may be X), 15-digit first-generation numbers, and
# 9-character permit numbers that start with a letter are caught wherever they stand.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx](?![0-9A-Za-z])"
)
_ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])\d{2}\d{3}(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

REDACTED_ID = "[ID-REDACTED]"
REDACTED_PHONE = "[PHONE-REDACTED]"


def mask_id_number(value: str) -> str:
    """110105199001011234 -> 110105**********34 style: first 6 and last 2 kept."""
    v = value.strip()
    if len(v) <= 4:
        return "*" * len(v)
    if len(v) < 10:
        return v[:1] + "*" * (len(v) - 2) + v[-1:]
    return v[:6] + "*" * (len(v) - 8) + v[-2:]


def mask_name(value: str) -> str:
    """张三 -> 张*, 张小三 -> 张*三, 欧阳小明 -> 欧**明, John Smith -> J*** S****."""
    v = value.strip()
    if not v:
        return v
    if v.isascii():
        return " ".join(w[:1] + "*" * (len(w) - 1) for w in v.split())
    if len(v) == 1:
        return "*"
    if len(v) == 2:
        return v[0] + "*"
    return v[0] + "*" * (len(v) - 2) + v[-1]


def mask_phone(value: str) -> str:
    v = value.strip()
    return v[:3] + "****" + v[-4:] if len(v) == 11 else "*" * len(v)


def redact(text: str) -> str:
    """Replace anything that looks like an ID number or a mobile number."""
    text = _ID18.sub(REDACTED_ID, text)
    text = _ID15.sub(REDACTED_ID, text)
    return _PHONE.sub(REDACTED_PHONE, text)
