"""Demo parts for the output devices (see ``kiosk.demo.DEMO_PARTS``): each starts an emulator
and returns the config overrides that point the real driver at it.

Where the demo's printed tickets are: the emulator renders every ticket it receives to
``<workdir>/printer/ticket-NNNN.png`` and ``<workdir>/printer/last.png``; the printer itself
renders what it sent to ``<workdir>/printer-preview/last-ticket.png`` and puts that path in
its ``printed`` event (``preview``), which is what the UI shows.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any


def printer_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    from drivers.escpos.emulator import EscposEmulator

    emu = EscposEmulator(render_dir=workdir / "printer", paper_dots=576)
    host, port = emu.start_tcp()
    stack.callback(emu.stop)
    return {
        "devices": {
            "printer": {
                "driver": "escpos",
                "connection": f"tcp://{host}:{port}",
                "preview_dir": str(workdir / "printer-preview"),
            }
        }
    }
