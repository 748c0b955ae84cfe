"""Run core calls off the GUI thread; deliver each result back on the GUI thread.

Like Anki's taskman: ``run(fn, on_done, on_error)``; ``fn`` runs on a QThreadPool worker, the
callbacks run on the thread that owns the runner (the GUI thread) via a queued signal.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Job(QRunnable):
    def __init__(self, runner: TaskRunner, token: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._runner = runner
        self._token = token
        self._fn = fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 (handed to the GUI thread's callback)
            self._runner.finished_job.emit((self._token, False, exc))
        else:
            self._runner.finished_job.emit((self._token, True, result))


class TaskRunner(QObject):
    finished_job = Signal(object)
    """(token, ok, result or exception) from a worker; queued onto the GUI thread."""
    idle = Signal()

    def __init__(self, max_threads: int = 2) -> None:
        super().__init__()
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self.finished_job.connect(self._deliver)

    def run(self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None:
        token = next(self._ids)
        self._pending[token] = (on_done, on_error)
        self._pool.start(_Job(self, token, fn))

    def pending(self) -> int:
        return len(self._pending)

    def _deliver(self, payload: tuple[int, bool, Any]) -> None:
        token, ok, value = payload
        on_done, on_error = self._pending.pop(token, (None, None))
        try:
            if ok:
                if on_done is not None:
                    on_done(value)
            elif on_error is not None:
                on_error(value)
            else:
                log.error("background task failed: %s", type(value).__name__, exc_info=value)
        except Exception:
            log.exception("task callback failed")
        if not self._pending:
            self.idle.emit()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Wait for running jobs (shutdown); their callbacks are dropped if the loop stops."""
        return bool(self._pool.waitForDone(timeout_ms))
