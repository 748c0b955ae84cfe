"""Caller keypads and evaluation pads at the windows: their ``key`` and ``rating`` events become
calls on the hall's queue (``HallQueue``), the same calls the counter screen makes, so a keypad
follows the same rules on a standalone box and on a hall-bus member.

A refused key press (nobody waiting, recall limit) is published as a ``QueueNotice`` for the
window's screen; the keypad itself has no display worth the sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from devices.base import DeviceEvent
from kiosk.hall_queue import CounterAction, HallQueue
from kiosk.queue.events import QueueNotice
from kiosk.usecases.results import Result

log = logging.getLogger(__name__)

KEY_ACTIONS = frozenset(a.value for a in CounterAction)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def on_device_event(queue: HallQueue, event: DeviceEvent, publish: Callable[[object], None]) -> Result | None:
    """``key`` events from caller keypads and ``rating`` events from evaluation pads; anything
    else (or malformed) is None."""
    if event.type not in ("key", "rating"):
        return None
    data = event.data
    counter = _int(data.get("counter"))
    if counter is None:
        return None
    if event.type == "key":
        action = data.get("action")
        if action == "pause":
            action = "toggle_pause"  # a keypad's one pause key
        if action not in KEY_ACTIONS:
            return None
        result = queue.counter_action(
            counter, CounterAction(str(action)), to_counter=_int(data.get("target"))
        )
    else:
        level = _int(data.get("level"))
        if level is None:
            return None
        result = queue.submit_evaluation(level, counter=counter, channel="window")
    if not result.ok:
        publish(QueueNotice(counter, result.message, dict(result.params)))
    log.info("counter %s %s: %s", counter, data.get("action", "rating"), result.message)
    return result
