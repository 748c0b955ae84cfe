"""``kiosk devices test printer``: print a test queue ticket on the configured printer.

Prints the paper status first, then a ticket with the hall's name, a test number and a QR code
holding a test code, and says what was sent. ``--connection URL`` tries another connection
before saving it in the config (technician mode tests hardware before saving).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from typing import Any, cast

from devices.base import DeviceError, DeviceKind
from devices.printer import PrintReceipt, TicketPrinter
from kiosk.devtools.output_common import configured, elapsed_ms, fail, no_device, run_on_device
from kiosk.printer_test_ticket import printer_test_ticket
from kiosk.settings.schema import DeviceSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", metavar="NAME", help="which printer (default: the first configured)")
    parser.add_argument("--connection", metavar="URL", help="override the printer's connection URL")
    parser.add_argument("--number", default="A001", help="number printed on the test ticket")
    parser.add_argument("--language", choices=["zh", "en"], default="zh")


def run(args: argparse.Namespace) -> int:
    found = configured(args, DeviceKind.TICKET_PRINTER)
    if found is None:
        return no_device("printer")
    settings, name, conf = found
    if args.connection:
        conf = DeviceSettings(
            conf.driver, True, dataclasses.replace(conf.options, connection=args.connection)
        )
    hall = settings.terminal.hall_name if args.language == "zh" else settings.terminal.hall_name_en
    ticket = printer_test_ticket(hall, settings.terminal.id, args.number, args.language)

    def job(dev: Any) -> tuple[str, PrintReceipt]:
        printer = cast(TicketPrinter, dev)
        status = printer.paper_status()
        paper = (
            "unknown (connection cannot report status)"
            if not status.known
            else (", ".join(k for k, v in status.as_dict().items() if v and k != "known") or "ok")
        )
        return paper, printer.print_document(ticket)

    started = time.monotonic()
    try:
        paper, receipt = run_on_device(name, conf, job)
    except DeviceError as err:
        return fail(f"{name}: not printed ({err.code}): {err.message}")
    except TimeoutError:
        return fail(f"{name}: not printed (timeout): the printer did not finish in time")
    print(f"{name}: status {paper}")
    print(
        f"{name}: printed test ticket {ticket.number}, "
        f"{receipt.bytes_sent} bytes in {elapsed_ms(started):.0f} ms"
    )
    print(f"qr: {ticket.qr_payload}")
    for warning in receipt.warnings:
        print(f"warning: {warning}")
    if receipt.preview:
        print(f"preview: {receipt.preview}")
    return 0
