"""A pcscd with vsmartcard's vpcd reader for the PC/SC tests.

Reuses a running pcscd that already offers the virtual reader; otherwise starts
``pcscd --foreground`` for the test session (it serves /run/pcscd/pcscd.comm, so only one
can run) and stops it afterwards. Skips, saying why, when pcscd or vpcd are not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

VPCD_CONF = Path("/etc/reader.conf.d/vpcd")
READER = "Virtual PCD 00 00"


def virtual_readers() -> list[str]:
    from smartcard import scard

    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return []
    try:
        hr, readers = scard.SCardListReaders(ctx, [])
        return [r for r in readers if r.startswith("Virtual PCD")] if hr == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(ctx)


def pcscd_session() -> Iterator[str]:
    if shutil.which("pcscd") is None or not VPCD_CONF.exists():
        pytest.skip("pcscd or vsmartcard-vpcd not installed (see installer/debian-packages.txt)")
    if READER in virtual_readers():
        yield READER
        return
    proc = subprocess.Popen(["pcscd", "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while READER not in virtual_readers():
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace")[-300:] if proc.stderr else ""
                pytest.skip(f"pcscd could not start here: {err.strip() or proc.returncode}")
            if time.monotonic() > deadline:
                pytest.fail("pcscd started but the vpcd reader did not appear within 15 s")
            time.sleep(0.1)
        yield READER
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stderr is not None:
            proc.stderr.close()


def wait_until_no_card(reader: str, timeout: float = 10.0, *, present: bool = False) -> None:
    """Until pcscd itself sees no card (or, with ``present``, a card) in ``reader``: a virtual
    card comes and goes on its socket at once, but pcscd notices on its next poll of the vpcd
    reader."""
    from smartcard.scard import (
        SCARD_SCOPE_USER,
        SCARD_STATE_PRESENT,
        SCARD_STATE_UNAWARE,
        SCardEstablishContext,
        SCardGetStatusChange,
        SCardReleaseContext,
    )

    _, ctx = SCardEstablishContext(SCARD_SCOPE_USER)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, states = SCardGetStatusChange(ctx, 0, [(reader, SCARD_STATE_UNAWARE)])
            if bool(states[0][1] & SCARD_STATE_PRESENT) == present:
                return
            time.sleep(0.05)
    finally:
        SCardReleaseContext(ctx)
    raise AssertionError(f"pcscd does not see {'a' if present else 'no'} card in {reader} after {timeout} s")
