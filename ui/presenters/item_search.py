"""Search the service catalog; a result opens its guide or leads to a number for it."""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.catalog import ItemSummary
from ui.presenters.base import Presenter


def result_rows(found: Iterable[ItemSummary]) -> list[dict[str, object]]:
    """The result rows (the screenshots use this too). An item the platform sent no English
    name for says so (``nameEnMissing``): English mode marks its Chinese name "Chinese only"."""
    return [
        {"code": r.code, "name": r.name, "nameEn": r.name_en or r.name, "nameEnMissing": not r.name_en,
         "department": r.department, "departmentEn": r.department, "category": r.category}
        for r in found
    ]  # fmt: skip


class ItemSearchPresenter(Presenter):
    screen = "item_search"
    card_purpose = "take_number"

    def connect(self) -> None:
        s = self.ctx.search
        s.searchRequested.connect(self.search)
        s.itemOpened.connect(self.open_guide)
        s.itemChosenForNumber.connect(self.number_for_item)

    def search(self, text: str) -> None:
        self.run(
            lambda: result_rows(self.kiosk.search(text)),
            lambda r: self.ctx.search.set_results(text, r),
            lambda exc: self.ctx.search.fail("search.error.failed"),
        )

    def open_guide(self, code: str) -> None:
        self.ctx.guide.openItem(code)
        self.ctx.ui.go("service_guide")

    def number_for_item(self, code: str) -> None:
        row = next((r for r in self.ctx.search.get("results") if r.get("code") == code), None)
        self.ctx.ui.go("take_number")
        if row is not None and row.get("category"):
            self.ctx.take_number.choose(str(row["category"]))
