"""好差评 at the kiosk: five levels with faces and words, optional tags, thank-you.

Rating is voluntary ("一次一评", never forced); 2 and 1 are 差评 and ask what went wrong.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel

GOOD_TAGS = ("fast", "friendly", "clear", "professional", "convenient")
BAD_TAGS = ("slow", "unclear", "attitude", "many_trips", "system")


class EvaluationViewModel(StateViewModel):
    submitRequested = Signal(int, list)

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "level": 0,
        "tags": [],
        "options": list(GOOD_TAGS),
        "step": "rate",  # rate | sending | thanks | failed
        "ticketNumber": "",
        "counter": 0,
        "item": "",
        "itemEn": "",
        "serviceNotFound": False,  # a card or ticket laid here matched no service of today
    }
    PERSONAL = frozenset(
        {"level", "tags", "options", "step", "ticketNumber", "counter", "item", "itemEn", "serviceNotFound"}
    )
    ticket_id: str | None = None
    """The ticket the rating is for (from the citizen's card or ticket QR); never shown."""

    def wipe_personal_data(self) -> None:
        self.ticket_id = None
        super().wipe_personal_data()

    def reset(self) -> None:
        self.ticket_id = None
        super().reset()

    def for_ticket(self, ticket_id: str, number: str, counter: int, item: str, item_en: str) -> None:
        """The rating is for this service (the citizen's own ticket today)."""
        self.ticket_id = ticket_id
        self.update(ticketNumber=number, counter=counter, item=item, itemEn=item_en, serviceNotFound=False)

    def no_service_found(self) -> None:
        self.update(serviceNotFound=True)

    def tag_options(self) -> tuple[str, ...]:
        return BAD_TAGS if 0 < self._state["level"] <= 2 else GOOD_TAGS

    @Slot(int)
    def setLevel(self, level: int) -> None:
        if 1 <= level <= 5:
            was_bad = 0 < self._state["level"] <= 2
            tags = self._state["tags"] if was_bad == (level <= 2) else []
            options = list(BAD_TAGS if level <= 2 else GOOD_TAGS)
            self.update(level=level, tags=tags, options=options)

    @Slot(str)
    def toggleTag(self, tag: str) -> None:
        if tag not in self.tag_options():
            return
        tags = list(self._state["tags"])
        if tag in tags:
            tags.remove(tag)
        else:
            tags.append(tag)
        self.update(tags=tags)

    def for_service(self, ticket_number: str, counter: int, item: str = "", item_en: str = "") -> None:
        self.update(ticketNumber=ticket_number, counter=counter, item=item, itemEn=item_en)

    @Slot()
    def submit(self) -> None:
        if self._state["level"] and self._state["step"] == "rate":
            self.update(step="sending")
            self.submitRequested.emit(self._state["level"], list(self._state["tags"]))

    def submitted(self, ok: bool) -> None:
        self.update(step="thanks" if ok else "failed")
