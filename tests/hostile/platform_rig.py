"""Contract-valid extremes for a reference platform to serve (the terminal's side of it:
``tests.integration.platform_helpers``)."""

from __future__ import annotations

from typing import Any

from kiosk.devtools.refplatform import seed

HOSTILE_HALLS: dict[str, dict[str, Any]] = {
    "timezone of 300 characters": {**seed.HALL, "timezone": "A" * 300, "version": 90},
    "timezone that is a path": {**seed.HALL, "timezone": "../../etc/passwd", "version": 91},
    "version 2**70": {**seed.HALL, "version": 2**70},
    "daily_limit 2**62": {
        **seed.HALL,
        "version": 92,
        "categories": [{**seed.HALL["categories"][0], "daily_limit": 2**62}, *seed.HALL["categories"][1:]],
    },
    "a name of 60,000 characters": {**seed.HALL, "name": "厅" * 60_000, "version": 93},
}
"""Each passes the contract's shapes (``contract.HALL``); none is usable by a terminal."""


def hostile_items() -> dict[str, dict[str, Any]]:
    base = seed.items()[0]
    return {
        "legal_days 2**70": {**base, "code": "X-LEGAL", "legal_days": 2**70},
        "promised_days -1": {**base, "code": "X-PROMISED", "promised_days": -1},
        "a step of 50,000 characters": {**base, "code": "X-STEP", "steps": ["步" * 50_000]},
        "a name with control bytes": {**base, "code": "X-CTRL", "name": "办\x00理\x1b[2J"},
        "updated_at not a date": {**base, "code": "X-DATE", "updated_at": "yesterday-ish"},
    }
