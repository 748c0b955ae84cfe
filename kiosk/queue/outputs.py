"""Calls reach people through the devices: the window LED screens, the voice announcer and the
evaluation pad, each on its own DeviceManager worker (``submit`` never blocks the queue).

A device that is down does not stop a call: the call is recorded and shown on the hall
display; the failure is logged once per job and visible in the device's health report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol

from devices.announcer import Announcement, AnnouncementLanguage, Announcer
from devices.base import DeviceKind
from devices.display import CallDisplay
from devices.evalpad import EvaluationPad
from kiosk.queue.events import CallEntry

log = logging.getLogger(__name__)


class Manager(Protocol):
    def by_kind(self, kind: DeviceKind) -> list[str]: ...

    def submit(self, name: str, fn: Callable[[Any], Any]) -> Future[Any]: ...


def _log_failure(what: str, name: str) -> Callable[[Future[Any]], None]:
    def done(fut: Future[Any]) -> None:
        exc = fut.exception()
        if exc is not None:
            log.warning("%s on %s failed: %s", what, name, getattr(exc, "code", type(exc).__name__))

    return done


class CallOutputs:
    def __init__(self, manager: Manager | None, *, language: str = "zh") -> None:
        self.manager = manager
        self.language = language

    def _each(self, kind: DeviceKind, what: str, fn: Callable[[Any], Any]) -> list[Future[Any]]:
        if self.manager is None:
            return []
        futures = []
        for name in self.manager.by_kind(kind):
            fut = self.manager.submit(name, fn)
            fut.add_done_callback(_log_failure(what, name))
            futures.append(fut)
        return futures

    def call(self, entry: CallEntry) -> list[Future[Any]]:
        """LED screen of the window (and hall strips) + a queued announcement."""
        text = entry.text_zh

        def show(d: CallDisplay) -> Any:
            return d.show_call(entry.counter, entry.number, text)

        lang: AnnouncementLanguage = "en" if self.language == "en" else "zh"

        def say(d: Announcer) -> Any:
            return d.announce(Announcement(number=entry.number, counter=entry.counter, language=lang))

        return self._each(DeviceKind.CALL_DISPLAY, "show_call", show) + self._each(
            DeviceKind.ANNOUNCER, "announce", say
        )

    def counter_text(self, counter: int, text: str) -> list[Future[Any]]:
        def show(d: CallDisplay) -> Any:
            return d.show_text(counter, text)

        return self._each(DeviceKind.CALL_DISPLAY, "show_text", show)

    def clear(self, counter: int) -> list[Future[Any]]:
        def clear(d: CallDisplay) -> Any:
            return d.clear(counter)

        return self._each(DeviceKind.CALL_DISPLAY, "clear", clear)

    def invite(self, counter: int) -> list[Future[Any]]:
        def invite(d: EvaluationPad) -> Any:
            return d.invite(counter)

        return self._each(DeviceKind.EVALUATION_PAD, "invite", invite)
