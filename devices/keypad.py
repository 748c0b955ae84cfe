"""The clerk's caller keypad (叫号器) interface.

A keypad device stands for every keypad on one bus. It has no methods the core calls; it
emits ``key`` events the queue engine consumes:

``key`` ``{"counter": int, "action": "next|recall|skip|transfer|pause|finish", "keypad": int,
"target": int | None}`` (``target`` = the window a ticket is transferred to, when the keypad
sends one).
"""

from __future__ import annotations

from typing import Literal

from devices.base import Device, DeviceKind

KeyAction = Literal["next", "recall", "skip", "transfer", "pause", "finish"]
KEY_ACTIONS: tuple[KeyAction, ...] = ("next", "recall", "skip", "transfer", "pause", "finish")


class CallerKeypad(Device):
    kind = DeviceKind.CALLER_KEYPAD
