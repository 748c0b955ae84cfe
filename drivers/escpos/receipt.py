"""Receipt blocks: the driver-level vocabulary a template uses (lines, sizes, QR, rules),
turned into ESC/POS bytes by ``builder``. Drivers know nothing of tickets; the device layer
maps a ``QueueTicket`` to these blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    text: str
    align: Align = "left"
    width: int = 1
    """Character width multiplier 1..8 (``GS !``)."""
    height: int = 1
    bold: bool = False


@dataclass(frozen=True)
class Columns:
    """Label on the left, value on the right, on one line when it fits."""

    left: str
    right: str
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class Qr:
    payload: str
    size: int = 6
    """Module size in dots (``GS ( k`` function 167), 1..16."""


@dataclass(frozen=True)
class Feed:
    lines: int = 1


Block = Text | Columns | Rule | Qr | Feed
