"""Bytes and milliseconds to build each printed document, and to print a queue ticket end to
end (status check + send) on the ESC/POS emulator over TCP.

Run: .venv/bin/python tests/bench/bench_printer.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from devices.escpos_printer import EscposPrinterOptions, EscposTicketPrinter
from devices.printer import (
    CaseSlip,
    CaseStep,
    CheckInSlip,
    ChecklistMaterial,
    ChecklistSlip,
    PrintDocument,
    QueueTicket,
)
from drivers.escpos.emulator import EscposEmulator

AT = datetime(2026, 11, 23, 9, 30)
DOCS: list[PrintDocument] = [
    QueueTicket(
        "示范县政务服务中心",
        "A023",
        "综合受理",
        "企业设立登记",
        4,
        20,
        AT,
        "李*华",
        "HKT1.A023.H-DEMO-001",
        "请留意叫号",
    ),
    CheckInSlip(
        "示范县政务服务中心",
        "B001",
        "不动产转移登记",
        "09:00-09:30",
        AT,
        "李*华",
        "3-4号窗口",
        0,
        "HKT1.B001",
    ),
    CaseSlip(
        "示范县政务服务中心",
        "11440300MB2C9012345202611230001",
        "不动产转移登记",
        "待补办",
        AT,
        "陈*强",
        (CaseStep("受理", True, "11-20"), CaseStep("审核", False)),
        "请携带房产证原件到5号窗口",
    ),
    ChecklistSlip(
        "示范县政务服务中心",
        "企业设立登记",
        tuple(ChecklistMaterial(f"材料{i}", "原件", 1) for i in range(8)),
        AT,
        location="一楼A区",
    ),
]


def ms(fn: object, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    for profile, paper in (("TM-T88V", 80), ("POS-5890", 58)):
        printer = EscposTicketPrinter(
            "bench", EscposPrinterOptions(connection="file:///dev/null", profile=profile, paper_mm=paper)
        )  # type: ignore[arg-type]
        for doc in DOCS:
            size = len(printer.render(doc))
            med, worst = ms(lambda d=doc, p=printer: p.render(d), args.runs)
            print(f"build {doc.document_kind:15s} {profile:9s} {size:6d} bytes", end="  ")
            print(f"median {med:6.2f} ms  max {worst:6.2f} ms")
    with EscposEmulator() as emu:
        host, port = emu.start_tcp()
        printer = EscposTicketPrinter("bench", EscposPrinterOptions(connection=f"tcp://{host}:{port}"))  # type: ignore[arg-type]
        printer.open()
        med, worst = ms(lambda: printer.print_document(DOCS[0]), args.runs)
        printer.close()
        print(f"print queue_ticket over TCP (DLE EOT x4 + send): median {med:.2f} ms  max {worst:.2f} ms")


if __name__ == "__main__":
    main()
