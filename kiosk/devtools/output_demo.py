"""Demo parts for the output devices (see ``kiosk.demo.DEMO_PARTS``): each starts an emulator
and returns the config overrides that point the real driver at it.

Where the demo's printed tickets are: the emulator renders every ticket it receives to
``<workdir>/printer/ticket-NNNN.png`` and ``<workdir>/printer/last.png``; the printer itself
renders what it sent to ``<workdir>/printer-preview/last-ticket.png`` and puts that path in
its ``printed`` event (``preview``), which is what the UI shows.

The hall's RS-485 bus (window screens 1-8 at addresses 1-8, caller keypads at 31-38,
evaluation pads at 41-48) runs on one pty; what the voice says is written to
``<workdir>/voice/announcement-NNNN.wav`` (no sound card needed), clips generated on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drivers.rs485.emulator import BusEmulator


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


DEMO_COUNTERS = range(1, 9)


def hall_bus(counters: Iterable[int] = DEMO_COUNTERS) -> BusEmulator:
    """The hall's RS-485 bus (not started): per window a screen at the window's number, a
    caller keypad at 30 + it and an evaluation pad at 40 + it."""
    from drivers.rs485.emulator import BusEmulator
    from drivers.rs485.presets import PRESETS

    windows = list(counters)
    return BusEmulator(
        PRESETS["hk-crc16"],
        screens=windows,
        keypads=[30 + c for c in windows],
        pads=[40 + c for c in windows],
    )


def hall_bus_devices(port: str, counters: Iterable[int] = DEMO_COUNTERS) -> dict[str, Any]:
    """The ``[devices.*]`` tables that drive ``hall_bus`` on ``port``."""
    windows = list(counters)
    common = {"port": port, "preset": "hk-crc16", "timeout_ms": 100}
    return {
        "window_screens": {
            "driver": "rs485_led",
            **common,
            "screens": [{"address": c, "counter": c} for c in windows],
        },
        "keypads": {
            "driver": "rs485_keypad",
            **common,
            "keypads": [{"address": 30 + c, "counter": c} for c in windows],
        },
        "evaluation_pads": {
            "driver": "rs485_evalpad",
            **common,
            "pads": [{"address": 40 + c, "counter": c} for c in windows],
        },
    }


def led_bus_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    emu = hall_bus()
    port = emu.start(workdir / "rs485-bus")
    stack.callback(emu.stop)
    return {"devices": hall_bus_devices(port)}


def voice_part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
    from drivers.voice.engine import EngineError

    try:
        _generate_demo_clips(workdir)
    except (EngineError, OSError):
        pass  # espeak-ng missing: the announcer falls back and reports it
    return {
        "devices": {
            "voice": {
                "driver": "voice",
                "engines": ["clips", "espeak"],
                "clip_dir": str(workdir / "voice-clips"),
                "output": f"file://{workdir / 'voice'}",
            }
        }
    }


def _generate_demo_clips(workdir: Path) -> None:
    """Clips for the demo hall (from espeak-ng); a real hall records its own."""
    from drivers.voice.clips import generate_clip_set

    generate_clip_set(workdir / "voice-clips")
