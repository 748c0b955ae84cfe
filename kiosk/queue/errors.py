"""Refusals the queue gives for a reason a person can act on (not bugs, not device faults).

``code`` doubles as the message key (``kiosk.usecases.messages``); ``params`` fill the sentence.
"""

from __future__ import annotations

from typing import Any


class QueueRefused(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.code}({extra})" if extra else self.code
