"""A stop asked for by a signal (or another thread) and waited for on the main thread.

No lock is taken in the signal handler. A Python handler runs between two bytecodes of the
main thread, maybe while that thread holds a ``threading.Event``'s lock (inside its ``wait`` or
``set``, or inside the handler of the signal before), and ``Event.set`` there waits for itself
for ever: a ``kiosk platform serve`` under ``kiosk demo`` once ignored every SIGTERM that way.
The handler sets a flag and writes one byte to a pipe; ``wait`` selects on the pipe.

And ``wait`` never blocks for long in one call. The kernel hands a process signal to any of its
threads; Python runs the handler on the main thread only, when that thread next runs bytecode.
A main thread blocked without a timeout (``Event.wait()``, ``select`` with none) while the
signal went to a server thread never runs it: the same commands sometimes ignored one SIGTERM.
"""

from __future__ import annotations

import os
import select
import signal
import time

SLICE_S = 0.2
"""Longest single block in ``wait``: a handler left pending by another thread runs by then."""


class StopRequest:
    def __init__(self) -> None:
        self._asked = False
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)

    def on_signals(self, *signums: signal.Signals) -> StopRequest:
        """Ask for the stop on these signals (default SIGTERM and SIGINT); main thread only."""
        for signum in signums or (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: self.set())
        return self

    def set(self) -> None:
        self._asked = True
        try:
            os.write(self._write, b"!")
        except OSError:
            pass  # the pipe is full of earlier requests (or closed): the flag is what counts

    def is_set(self) -> bool:
        return self._asked

    def wait(self, timeout: float | None = None) -> bool:
        """True once the stop is asked for; False after ``timeout`` seconds without."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._asked:
            left = SLICE_S if deadline is None else min(SLICE_S, deadline - time.monotonic())
            if left <= 0:
                break
            select.select([self._read], [], [], left)
        return self._asked

    def close(self) -> None:
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass
