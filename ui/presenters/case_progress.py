"""Case progress (办件进度): by case number or by the citizen's card; online, else the cache."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from kiosk.facade import Cases, Offline
from kiosk.platform.accept import NAME_MAX
from ui.presenters.base import Presenter

log = logging.getLogger(__name__)


def case_view(c: Mapping[str, object]) -> dict[str, object]:
    raw = c.get("timeline")
    steps = [s for s in (raw if isinstance(raw, Sequence) else []) if isinstance(s, Mapping)]
    timeline = []
    for i, s in enumerate(steps):
        label = str(s.get("step") or s.get("status") or "")
        timeline.append(
            {"at": str(s.get("at") or "").replace("T", " ")[:16], "status": str(s.get("status") or ""),
             "label": label, "labelEn": label, "done": True, "current": i == len(steps) - 1}
        )  # fmt: skip
    # The platform's English name where it sends one within the contract's name bound.
    raw_en = c.get("item_name_en")
    name_en = raw_en if isinstance(raw_en, str) and len(raw_en) <= NAME_MAX and raw_en.isprintable() else ""
    pickup = c.get("pickup")
    note = str(pickup.get("where") or "") if isinstance(pickup, Mapping) else ""
    return {
        "number": str(c.get("case_number") or ""),
        "item": str(c.get("item_name") or ""),
        "itemEn": name_en or str(c.get("item_name") or ""),
        "itemEnMissing": not name_en,
        "department": "",
        "departmentEn": "",
        "status": str(c.get("status") or ""),
        "promisedDate": "",
        "note": note,
        "noteEn": note,
        "timeline": timeline,
    }


class CaseProgressPresenter(Presenter):
    screen = "case_progress"
    card_purpose = "case_progress"

    def connect(self) -> None:
        self.ctx.case_progress.lookupRequested.connect(self.lookup)

    def lookup(self, number: str) -> None:
        identity = self.ctx.identify.identity
        vm = self.ctx.case_progress

        def done(found: Cases) -> None:
            if found.cases:
                vm.found(case_view(found.cases[0]), from_cache=found.from_cache)
            else:
                vm.not_found()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Offline):
                vm.offline()
            else:
                log.warning("case lookup failed: %s", type(exc).__name__)
                vm.failed()

        self.run(lambda: self.kiosk.lookup_cases(case_number=number, identity=identity), done, failed)
