"""Runs the GUI around a started core: the window, signals for shutdown, the startup report."""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.app import App
from kiosk.ops.watchdog import Watchdog
from ui.bridge import Bridge
from ui.context import ensure_qapp
from ui.qt import Qt, QTimer
from ui.screens import new_context

if TYPE_CHECKING:
    from devices.a4printer import A4Document

log = logging.getLogger(__name__)


def _memory_mib() -> dict[str, float]:
    """Resident (``VmRSS``), peak resident (``VmHWM``) and private (``RssAnon``) memory in MiB,
    from /proc (Linux). Resident counts the pages of shared libraries as far as the page cache
    maps them (freshly installed ones show more); private is the process's own."""
    out = dict.fromkeys(("VmRSS", "VmHWM", "RssAnon"), 0.0)
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in out:
                out[key] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return out


def process_start_time() -> float:
    """Wall-clock time this process started (from /proc), so cold start includes imports.

    Measured back from now on the uptime clock (1/100 s): the boot time in /proc/stat is whole
    seconds, which made every start look up to a second slower."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - (uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.time()


def _write_startup_report(t0_process: float) -> None:
    shown = time.time()
    mem = _memory_mib()
    log.info("home screen shown %.2f s after start, %.0f MiB resident", shown - t0_process, mem["VmRSS"])
    target = os.environ.get("KIOSK_STARTUP_REPORT")
    if target:
        Path(target).write_text(
            json.dumps(
                {
                    "started_at": t0_process,
                    "shown_at": shown,
                    "rss_mib": round(mem["VmRSS"], 1),
                    "peak_rss_mib": round(mem["VmHWM"], 1),
                    "private_mib": round(mem["RssAnon"], 1),
                }
            )
        )


def _a4_layout(doc: A4Document, job_title: str) -> tuple[bytes, int]:
    """``ui.a4pdf.layout``, loaded at the first A4 page (Qt's PDF writer is not needed to
    reach the home screen: tests/bench/bench_startup.py)."""
    from ui import a4pdf

    return a4pdf.layout(doc, job_title)


def run_gui(app: App, *, fullscreen: bool, locked: bool, exit_after: float | None = None) -> int:
    """Start the core, show the window, run the event loop, shut down in reverse on exit."""
    t0 = process_start_time()
    qapp = ensure_qapp()
    quit_requested: list[int] = []
    """Signals received (a list, not an Event: a handler must take no lock, kiosk.stop_request)."""

    def request_quit(signum: int, _frame: object) -> None:
        log.info("signal %s received: shutting down", signal.Signals(signum).name)
        quit_requested.append(signum)
        qapp.exit(0)  # not quit(): Qt 6 lets a locked window veto quit() via onClosing

    # Installed before the core starts: a SIGTERM during start-up (systemd stopping a slow start)
    # still shuts down in order instead of killing the process mid-write.
    old = {s: signal.signal(s, request_quit) for s in (signal.SIGTERM, signal.SIGINT)}
    if app.a4_layout is None:
        app.a4_layout = _a4_layout  # the core's A4 pages are laid out by Qt, here in ui/
    try:
        app.start()
    except BaseException:
        _restore(old)
        raise
    try:
        ctx = new_context(app.settings, locked=locked)
        bridge = Bridge(app, ctx)
        window: Any = ctx.load()
        bridge.start()
        if fullscreen:
            window.setFlag(Qt.WindowType.FramelessWindowHint, True)
            window.showFullScreen()
        else:
            window.show()
        window.frameSwapped.connect(lambda: _write_startup_report(t0), Qt.ConnectionType.SingleShotConnection)
        # systemd: READY=1 at the first frame, WATCHDOG=1 while healthy
        watchdog = Watchdog.for_devices(app.services.devices)
        window.frameSwapped.connect(watchdog.ready, Qt.ConnectionType.SingleShotConnection)

        # Python runs signal handlers only when it gets control; a light timer gives it control.
        pulse = QTimer()
        pulse.start(200)
        pulse.timeout.connect(watchdog.tick)
        if exit_after is not None:
            QTimer.singleShot(int(exit_after * 1000), lambda: qapp.exit(0))
        # a signal that came before the loop ran: exit() was a no-op then, so do not enter it
        code = 0 if quit_requested else qapp.exec()
        pulse.stop()
        del window
        bridge.close()
        ctx.close()
        return int(code)
    finally:
        _restore(old)
        app.shutdown()


def _restore(handlers: dict[signal.Signals, Any]) -> None:
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
