"""The demo hall's profile, read from ``config/demo-hall.toml``.

One file for both ends of the wire: the reference platform serves it and a kiosk in demo mode
queues with it before its first sync. Two copies in code had drifted apart (address, hours,
daily limits), so a demo kiosk and the platform it synced from disagreed about the same hall.
"""

from __future__ import annotations

import tomllib
from typing import Any

from kiosk.settings.load import shipped_config_dir

FILE_NAME = "demo-hall.toml"


def load() -> dict[str, Any]:
    """A fresh copy each call: callers adapt theirs (the simulator replaces the categories)."""
    with (shipped_config_dir() / FILE_NAME).open("rb") as f:
        return tomllib.load(f)
