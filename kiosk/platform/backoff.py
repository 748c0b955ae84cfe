"""Retry timing for the platform: exponential backoff with jitter, honouring ``Retry-After``.

Base 1 s, cap 5 min (the contract). "Equal jitter": half the step is fixed, half random, so
retries spread out after an outage (thousands of terminals must not come back in lock-step)
but never collapse to zero.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_SECONDS = re.compile(r"[0-9]{1,12}")
BASE_S = 1.0
CAP_S = 300.0


def delay(
    attempt: int, *, base: float = BASE_S, cap: float = CAP_S, rng: random.Random | None = None
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 = first retry)."""
    step = min(cap, base * (2.0 ** max(0, min(attempt - 1, 30))))
    r = rng.random() if rng is not None else random.random()
    return step / 2 + r * step / 2


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date; None if absent/garbage."""
    if not value or len(value) > 64:
        return None
    v = value.strip()
    # ASCII digits only: str.isdigit() also takes "²" or "٣", which float() then refuses.
    if _SECONDS.fullmatch(v):
        return min(float(v), 24 * 3600.0)
    if not v.isascii():
        return None
    try:
        when = parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    secs = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, min(secs, 24 * 3600.0))
