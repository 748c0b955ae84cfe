"""The clerk's caller at a window: next, recall, skip, transfer, pause, finish, rating request."""

from __future__ import annotations

from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel

ACTIONS = ("next", "recall", "skip", "transfer", "pause", "resume", "finish", "rate")


class CounterViewModel(StateViewModel):
    actionRequested = Signal(str, str)
    """(action, argument): argument is the target category for ``transfer``, else ""."""

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "counter": 0,
        "categories": [],  # the categories this window serves [{code, name, nameEn}]
        "paused": False,
        "busy": False,
        "hostLost": False,  # a hall member that cannot reach the queue host: nothing can be done
        "current": {},
        # {number, categoryName, categoryNameEn, holder (masked), item, itemEn, appointment,
        #  priority, calledAt, recalls, waitedMin}
        "waiting": [],  # [{number, categoryCode, waitedMin, priority}]
        "waitingCount": 0,
        "servedToday": 0,
        "rating": "",  # "" | requested | received
        "ratingLevel": 0,
        "messageKey": "",
        "messageText": "",  # the core's own sentence for a refusal (kiosk.usecases.messages)
        "transferTargets": [],  # [{code, name, nameEn}]
    }
    PERSONAL = frozenset({"current", "rating", "ratingLevel"})

    @Slot(str)
    def act(self, action: str) -> None:
        self.request(action, "")

    @Slot(str, str)
    def request(self, action: str, arg: str) -> None:
        if action not in ACTIONS or self._state["busy"]:
            return
        if action in ("recall", "skip", "transfer", "finish", "rate") and not self._state["current"]:
            self.update(messageKey="counter.msg.no_current", messageText="")
            return
        self.update(busy=True, messageKey="", messageText="")
        self.actionRequested.emit(action, arg)

    def done(self, message_key: str = "", text: str = "") -> None:
        """``message_key``: one of the screen's own strings; ``text``: the core's sentence."""
        self.update(busy=False, messageKey=message_key, messageText=text)

    def set_current(self, current: dict[str, Any]) -> None:
        self.update(current=dict(current), rating="", ratingLevel=0)

    def set_rating(self, status: str, level: int = 0) -> None:
        self.update(rating=status, ratingLevel=level)
