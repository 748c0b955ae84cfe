"""Children a demo starts (its platform, pcscd): they end with it, even when it is killed
with -9, and a part that starts one hands back the wait for it to serve."""

from __future__ import annotations

import signal

READY = "_ready"
"""Key of a demo part's answer: waits (callables) that ``kiosk.demo`` runs once every part has
started, so a child boots while the others start."""


def die_with_parent() -> None:
    """``preexec_fn``: the child gets SIGTERM when the thread that started it ends (Linux
    ``PR_SET_PDEATHSIG``; start it from the main thread). Elsewhere nothing happens."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
