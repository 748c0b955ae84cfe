"""Masking and redaction of personal data (PIPL; GB/T 35273-2020 display rules).

Every name and ID number shown on a screen or printed on paper goes through ``mask_name`` /
``mask_id_number``; every log line goes through ``redact`` (see ``kiosk.logs``).

ID and phone numbers have shapes a pattern finds; names do not. ``redact`` masks the names
it knows: every name read from a card in this process (``remember_names``, fed from
``card_read`` events), the names of the emulated cards the demo plays, and any value written
after a name label (``姓名：`` / ``name=``). Kept in memory only, the most recent few hundred.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections import OrderedDict
from pathlib import Path
from typing import Any

# 18-digit resident ID numbers (last char may be X), 15-digit first-generation numbers, and
# 9-character permit numbers that start with a letter are caught wherever they stand.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx](?![0-9A-Za-z])"
)
_ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])\d{2}\d{3}(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

_NAME_LABEL = re.compile(
    r"(?P<label>(?:姓名|名字|holder_name|english_name|chinese_name)\s*[:：=]\s*['\"]?)"
    r"(?P<value>[^\s'\",，;；)）]{1,40})"
)
KNOWN_NAMES_KEPT = 512
_known: OrderedDict[str, None] = OrderedDict()
_known_lock = threading.Lock()
_known_pattern: re.Pattern[str] | None = None

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


def remember_names(*names: object) -> None:
    """Names ``redact`` must mask from now on (a card holder's, in every script on the card).
    Single characters are skipped: masking every 李 in a log would mask place names too."""
    global _known_pattern
    added = False
    with _known_lock:
        for raw in names:
            name = str(raw or "").strip()
            if len(name) < 2 or len(name) > 60:
                continue
            for variant in {name, *name.split()} if name.isascii() else {name}:
                if len(variant) >= 2 and (not variant.isascii() or len(variant) >= 3):
                    if variant in _known:
                        _known.move_to_end(variant)  # kept longest; the pattern is the same
                    else:
                        _known[variant] = None
                        added = True
        while len(_known) > KNOWN_NAMES_KEPT:
            _known.popitem(last=False)
        if added:
            alternatives = sorted(_known, key=len, reverse=True)
            _known_pattern = re.compile("|".join(re.escape(n) for n in alternatives))


def remember_identity(identity: Any) -> None:
    """The names on an identity document (a ``card_read`` event's ``identity``)."""
    extra = getattr(identity, "extra", None) or {}
    remember_names(
        getattr(identity, "name", ""),
        *(v for k, v in dict(extra).items() if "name" in str(k) and isinstance(v, str)),
    )


def names_from_event(event: Any) -> None:
    """Bus subscriber: learn the names of every card read, before anything can log them."""
    if getattr(event, "type", None) != "card_read":
        return
    data = getattr(event, "data", None)
    if isinstance(data, dict) and data.get("identity") is not None:
        remember_identity(data["identity"])


def remember_card_file(path: Path) -> None:
    """The names of the cards an emulated reader plays (``config/demo-cards.toml``)."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return
    cards = doc.get("cards") if isinstance(doc, dict) else None
    for card in cards if isinstance(cards, list) else []:
        if isinstance(card, dict):
            remember_names(*(v for k, v in card.items() if str(k).endswith("name") and isinstance(v, str)))


def forget_names() -> None:
    global _known_pattern
    with _known_lock:
        _known.clear()
        _known_pattern = None


def redact(text: str) -> str:
    """Replace ID numbers, mobile numbers, the names this process knows and values after a
    name label."""
    text = _ID18.sub(REDACTED_ID, text)
    text = _ID15.sub(REDACTED_ID, text)
    text = _PHONE.sub(REDACTED_PHONE, text)
    pattern = _known_pattern
    if pattern is not None:
        text = pattern.sub(lambda m: mask_name(m.group(0)), text)
    return _NAME_LABEL.sub(lambda m: m.group("label") + mask_name(m.group("value")), text)
