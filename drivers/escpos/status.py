"""Real-time status (``DLE EOT n``, hex ``10 04 n``) as defined in the ESC/POS command
reference (Epson TM series; the same bit layout on Bixolon/Samsung SRP, Xprinter, GP clones).

Each query answers one byte; bits 1 and 4 are always on and bit 7 always off, which is how an
answer is told apart from noise. ``n``: 1 printer status (bit 3 off-line), 2 off-line cause
(bit 2 cover open, bit 5 stopped by paper end, bit 6 error), 3 error cause (bit 2 cutter,
bit 3 unrecoverable, bit 5 auto-recoverable), 4 paper roll sensor (bits 2+3 near end, bits 5+6
paper not present).
"""

from __future__ import annotations

from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, ROLL_SENSOR = 1, 2, 3, 4
FIXED_ON = 0x12


def query(n: int) -> bytes:
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n must be 1..4")
    return DLE_EOT + bytes([n])


def is_status_byte(b: int) -> bool:
    return (b & 0x93) == 0x12


@dataclass(frozen=True)
class RawStatus:
    """The four answers, or None for a query the printer did not answer."""

    printer: int | None
    offline: int | None
    error: int | None
    roll: int | None

    @property
    def online(self) -> bool:
        return self.printer is not None and not self.printer & 0x08

    @property
    def cover_open(self) -> bool:
        return self.offline is not None and bool(self.offline & 0x04)

    @property
    def paper_out(self) -> bool:
        by_roll = self.roll is not None and (self.roll & 0x60) == 0x60
        by_stop = self.offline is not None and bool(self.offline & 0x20)
        return by_roll or by_stop

    @property
    def paper_near_end(self) -> bool:
        return self.roll is not None and (self.roll & 0x0C) == 0x0C

    @property
    def failed(self) -> bool:
        """An error that stops printing (cutter jam, unrecoverable, overheating)."""
        by_offline = self.offline is not None and bool(self.offline & 0x40)
        by_error = self.error is not None and bool(self.error & 0x2C)
        return by_offline or by_error

    @property
    def answered(self) -> bool:
        return self.printer is not None


# --- the printer side (used by the emulator) ---------------------------------------------


@dataclass(frozen=True)
class PaperState:
    """What an emulated printer answers: a configurable paper/cover/error situation."""

    paper: str = "ok"
    """``ok`` | ``near_end`` | ``out``"""
    cover_open: bool = False
    cutter_error: bool = False


def answer(n: int, state: PaperState) -> int:
    """The status byte a printer in ``state`` sends for ``DLE EOT n``."""
    paper_out = state.paper == "out"
    stopped = paper_out or state.cover_open or state.cutter_error
    if n == PRINTER:
        return FIXED_ON | (0x08 if stopped else 0)
    if n == OFFLINE_CAUSE:
        return (
            FIXED_ON
            | (0x04 if state.cover_open else 0)
            | (0x20 if paper_out else 0)
            | (0x40 if state.cutter_error else 0)
        )
    if n == ERROR_CAUSE:
        return FIXED_ON | (0x04 if state.cutter_error else 0)
    if n == ROLL_SENSOR:
        near = state.paper in ("near_end", "out")
        return FIXED_ON | (0x0C if near else 0) | (0x60 if paper_out else 0)
    raise ValueError("DLE EOT n must be 1..4")
