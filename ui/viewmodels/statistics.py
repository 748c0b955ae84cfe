"""Hall manager statistics for today: waits per category and counter, the appointment
10-minute target, evaluations; CSV export of what is shown."""

from __future__ import annotations

import csv
import io
from typing import Any, ClassVar

from ui.qt import Signal, Slot
from ui.viewmodels.base import StateViewModel


class StatisticsViewModel(StateViewModel):
    refreshRequested = Signal()
    exportRequested = Signal()

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "date": "",
        "categories": [],  # [{code, name, nameEn, issued, served, waiting, avgWait, p95Wait}]
        "counters": [],  # [{counter, served, avgWait, avgService}]
        "channels": [],  # [{channel, issued, served, avgWait, arrived, notArrived}]: kiosk and online apart
        "appointmentPct": 0.0,
        "appointmentTargetMin": 10,
        "appointmentCount": 0,
        "evaluations": [0, 0, 0, 0, 0],  # counts for levels 1..5
        "evaluationAvg": 0.0,
        "exportPath": "",
        "exportError": "",
    }
    PERSONAL = frozenset()

    @Slot()
    def refresh(self) -> None:
        self.refreshRequested.emit()

    @Slot()
    def exportCsv(self) -> None:
        self.update(exportPath="", exportError="")
        self.exportRequested.emit()

    def csv_text(self) -> str:
        """The figures on screen as CSV (one table per section), for the export task."""
        out = io.StringIO()
        w = csv.writer(out)
        s = self._state
        w.writerow(["section", "key", "issued", "served", "waiting", "avg_wait_min", "p95_wait_min"])
        for c in s["categories"]:
            w.writerow(
                [
                    "category",
                    c["code"],
                    c.get("issued", 0),
                    c.get("served", 0),
                    c.get("waiting", 0),
                    c.get("avgWait", 0),
                    c.get("p95Wait", 0),
                ]
            )
        for c in s["counters"]:
            w.writerow(["counter", c["counter"], "", c.get("served", 0), "", c.get("avgWait", 0), ""])
        w.writerow(
            [
                "appointment_within_target_pct",
                s["appointmentTargetMin"],
                "",
                s["appointmentCount"],
                "",
                s["appointmentPct"],
                "",
            ]
        )
        for level, count in enumerate(s["evaluations"], start=1):
            w.writerow(["evaluation", level, "", count, "", "", ""])
        return out.getvalue()
