"""pcscd with vsmartcard's vpcd reader, for ``kiosk demo``: found running, or started here
for the demo's lifetime when this user may (root, or a writable /run/pcscd), or else one line
saying exactly what to run. The demo's social-security card needs nothing else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

VPCD_CONF = Path("/etc/reader.conf.d/vpcd")
READER = "Virtual PCD 00 00"
RUN_DIR = Path("/run/pcscd")
INSTALL = "sudo apt-get install pcscd vsmartcard-vpcd"


def readers() -> list[str] | None:
    """The PC/SC readers pcscd offers; None when no pcscd answers (or pyscard is missing)."""
    try:
        from smartcard import scard
    except ImportError:
        return None
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return None
    try:
        hr, names = scard.SCardListReaders(ctx, [])
        return list(names) if hr == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(ctx)


def vpcd_reader_present(wait: float = 0.0) -> bool:
    deadline = time.monotonic() + wait
    while True:
        if READER in (readers() or []):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def _may_start_pcscd() -> bool:
    if os.geteuid() == 0:
        return True
    return RUN_DIR.is_dir() and os.access(RUN_DIR, os.W_OK)


def ensure_vpcd_reader(
    stack: ExitStack, timeout: float = 10.0, say: Callable[[str], None] | None = None
) -> str | None:
    """None when the vpcd reader is there (running already, or pcscd started here and stopped
    when ``stack`` closes; ``say`` is told which); otherwise the one line a presenter needs."""
    if vpcd_reader_present():
        return None
    pcscd = shutil.which("pcscd") or ("/usr/sbin/pcscd" if Path("/usr/sbin/pcscd").exists() else None)
    try:
        import smartcard  # noqa: F401
    except ImportError:
        return "pyscard is missing: run ./dev.sh (or pip install pyscard), then kiosk demo again"
    if pcscd is None or not VPCD_CONF.exists():
        return f"pcscd or the vpcd reader is not installed: run `{INSTALL}`, then kiosk demo again"
    if readers() is not None:
        # a pcscd answers (maybe just socket-activated): give it a moment to load vpcd
        if vpcd_reader_present(wait=3.0):
            return None
        return "pcscd runs without the vpcd reader: run `sudo systemctl restart pcscd`, then kiosk demo again"
    if not _may_start_pcscd():
        return "pcscd is not running: run `sudo systemctl start pcscd` (or `sudo pcscd`), then the demo again"
    proc = subprocess.Popen([pcscd, "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stderr is not None:
            proc.stderr.close()

    deadline = time.monotonic() + timeout
    while not vpcd_reader_present():
        if proc.poll() is not None or time.monotonic() > deadline:
            err = ""
            if proc.poll() is not None and proc.stderr is not None:
                last = proc.stderr.read().decode(errors="replace").strip().splitlines()[-1:]
                err = f" ({last[0].strip()})" if last else ""
            stop()
            return f"pcscd did not start here{err}: run `sudo systemctl start pcscd`, then kiosk demo again"
        time.sleep(0.1)
    stack.callback(stop)
    if say is not None:
        say(f"demo: started pcscd (pid {proc.pid}) with the vpcd reader; it stops with the demo")
    return None
