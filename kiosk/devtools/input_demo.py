"""Demo parts for the input devices: the ID-card reader (and scanner) emulated on ptys.

Each part starts its emulator, returns the config override pointing the real driver at it,
and opens a control FIFO in the demo's data dir so a presenter can lay a card or scan a
code from another terminal, e.g. ``echo "card 2" > ~/.local/share/hall-kiosk/demo/idreader.ctl``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from drivers.sam.emulator import SamEmulator, load_cards
from drivers.scanner.emulator import ScannerEmulator
from kiosk.settings.load import shipped_config_dir

log = logging.getLogger(__name__)


def _hint(text: str) -> None:
    """The demo starts its emulators before logging is set up: tell the presenter directly."""
    print(text, file=sys.stderr, flush=True)


def control_fifo(stack: ExitStack, path: Path, handle: Callable[[str], str]) -> None:
    """Lines written to the FIFO at ``path`` go to ``handle`` until the stack closes."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    os.mkfifo(path, 0o600)
    # O_RDWR keeps a writer open ourselves, so the FIFO never reports end-of-file
    fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
    stop = threading.Event()

    def loop() -> None:
        buf = b""
        while not stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                buf += os.read(fd, 4096)
            except BlockingIOError:
                continue
            except OSError:
                return
            *lines, buf = buf.split(b"\n")
            for line in lines:
                reply = handle(line.decode("utf-8", errors="replace"))
                if reply:
                    log.info("demo control %s: %s", path.name, reply)

    thread = threading.Thread(target=loop, name=f"demo-{path.stem}", daemon=True)
    thread.start()

    def close() -> None:
        stop.set()
        thread.join(2)
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    stack.callback(close)


def idreader_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    cards = load_cards(shipped_config_dir() / "demo-cards.toml")
    emulator = SamEmulator(cards, present=None).start()
    stack.callback(emulator.stop)
    fifo = workdir / "idreader.ctl"
    control_fifo(stack, fifo, emulator.command)
    _hint(
        f"demo ID-card reader on {emulator.path}; lay a card: echo 'card 1' > {fifo}  (cards 1-3, 'remove')"
    )
    return {"devices": {"idreader": {"driver": "sam-serial", "port": emulator.path}}}


def scanner_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    emulator = ScannerEmulator().start()
    stack.callback(emulator.stop)
    fifo = workdir / "scanner.ctl"
    control_fifo(stack, fifo, emulator.command)
    _hint(f"demo QR scanner on {emulator.path}; scan a code: echo 'scan TEXT' > {fifo}")
    return {"devices": {"scanner": {"driver": "serial-scanner", "port": emulator.path}}}


def cardreader_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    """Only where pcscd with vsmartcard-vpcd runs (it is a system service); otherwise the demo
    goes without a card reader and says so."""
    from drivers.pcsc.vicc import SocialSecurityCard, VpcdCard
    from kiosk.devtools.pcsc_emulator import DEMO_SSC, card_command

    if not _vpcd_reader_present():
        _hint("demo: no pcscd with the vpcd reader here; running without the card reader")
        return {}
    card = VpcdCard(SocialSecurityCard(DEMO_SSC["card_number"], DEMO_SSC["name"], DEMO_SSC["ssn"]))
    stack.callback(card.remove)

    def handle(line: str) -> str:
        return card_command(card, line) or ("commands: insert | remove" if line.strip() else "")

    fifo = workdir / "cardreader.ctl"
    control_fifo(stack, fifo, handle)
    _hint(f"demo card reader (vpcd): insert the social-security card: echo insert > {fifo}")
    return {"devices": {"cardreader": {"driver": "pcsc", "reader": "Virtual PCD 00 00"}}}


def _vpcd_reader_present() -> bool:
    try:
        from smartcard import scard
    except ImportError:
        return False
    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return False
    try:
        hr, readers = scard.SCardListReaders(ctx, [])
        return hr == scard.SCARD_S_SUCCESS and "Virtual PCD 00 00" in readers
    finally:
        scard.SCardReleaseContext(ctx)
