"""The one slip every printer test prints: from ``kiosk devices test printer``, from technician
mode and from the platform's ``print_test`` command.

One layout so hall staff learn one thing: a "测试打印" ticket that says it is not valid for
service, with a QR code (the printer's QR path is tested too) and, when it was not asked for at
the kiosk itself, who asked for it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any, cast

from devices.printer import QueueTicket


def printer_test_ticket(
    hall_name: str,
    terminal: str,
    number: str = "T000",
    language: str = "zh",
    origin: str = "",
    tz: tzinfo | None = None,
) -> QueueTicket:
    """``tz``: the hall's time zone (tickets and the clock on screen use it); the machine's
    when no hall profile is known."""
    footer = "此票为测试票，不能办理业务" if language == "zh" else "Test ticket, not valid for service"
    return QueueTicket(
        hall_name=hall_name,
        number=number,
        category_name="测试打印" if language == "zh" else "Printer test",
        item_name=None,
        people_ahead=0,
        est_wait_min=0,
        issued_at=datetime.now(tz).astimezone(tz).replace(second=0, microsecond=0),
        qr_payload=f"HK-TEST:{terminal}:{number}",
        footer=f"{footer} ({origin})" if origin else footer,
        language=cast(Any, language),
    )
