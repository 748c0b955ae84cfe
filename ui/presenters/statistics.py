"""Today's statistics of the hall: per category, per counter, evaluations; CSV export."""

from __future__ import annotations

from datetime import datetime

from kiosk.facade import DayStatistics, Unavailable
from ui.presenters.base import Presenter


def stats_view(s: DayStatistics) -> dict[str, object]:
    f = s.figures
    cats = f.get("categories")
    counters = f.get("counters")
    channels = f.get("channels")
    return {
        "date": s.day,
        "categories": [
            {"code": code, "name": s.hall.category_name(code), "nameEn": s.hall.category_name_en(code),
             "issued": row["issued"], "served": row["served"], "waiting": row["waiting"],
             "avgWait": row["avg_wait_min"], "p95Wait": row["p95_wait_min"]}
            for code, row in (cats.items() if isinstance(cats, dict) else [])
        ],
        "counters": [
            {"counter": int(n), "served": row["served"], "avgWait": row["avg_wait_min"],
             "avgService": row["avg_service_min"]}
            for n, row in (counters.items() if isinstance(counters, dict) else [])
        ],
        "channels": [
            {"channel": ch, "issued": row["issued"], "served": row["served"], "avgWait": row["avg_wait_min"],
             "arrived": row.get("arrived", 0), "notArrived": row.get("not_arrived", 0)}
            for ch, row in (channels.items() if isinstance(channels, dict) else [])
        ],
        "appointmentPct": float(f.get("appointment_called_within_10min_pct") or 0.0),  # type: ignore[arg-type]
        "appointmentCount": f.get("appointment_tickets"),
        "evaluations": list(s.evaluation_levels),
        "evaluationAvg": float(f.get("evaluation_avg") or 0.0),  # type: ignore[arg-type]
    }  # fmt: skip


class StatisticsPresenter(Presenter):
    screen = "statistics"

    def connect(self) -> None:
        self.ctx.statistics.refreshRequested.connect(self.refresh)
        self.ctx.statistics.exportRequested.connect(self.export)

    def shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.kiosk.has_queue():
            self.run(
                lambda: stats_view(self.kiosk.statistics()),
                lambda s: self.ctx.statistics.update(**s),
                self.log_failure("statistics"),
            )

    def export(self) -> None:
        out = self.kiosk.exports_dir()

        def export() -> str:
            try:
                text = self.kiosk.statistics().csv
            except Unavailable:
                text = self.ctx.statistics.csv_text()
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"statistics-{datetime.now().strftime('%Y%m%d-%H%M%S')}.csv"
            path.write_text(text, encoding="utf-8-sig")
            return str(path)

        self.run(
            export,
            lambda p: self.ctx.statistics.update(exportPath=p),
            lambda e: self.ctx.statistics.update(exportError=type(e).__name__),
        )
