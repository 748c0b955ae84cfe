"""Said once: the first of each kind of refusal is a WARNING, later ones are only counted."""

from __future__ import annotations

import logging
from collections import Counter


class OnceLog:
    """Each kind of refusal is logged once at WARNING, then only counted (a flood of bad
    payloads must not flood the log); ``counts`` is what the status shows."""

    def __init__(self, logger: logging.Logger) -> None:
        self.log = logger
        self.counts: Counter[str] = Counter()

    def __call__(self, kind: str, message: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] == 1:
            self.log.warning("hall bus: %s: %s (further ones are counted, not logged)", kind, message)
