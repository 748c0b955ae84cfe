"""Typed jobs for the device manager: print a document, announce a sentence, show a text.

``DeviceManager.submit`` hands a job the device as the base ``Device``; these jobs check the
kind they need, so a misconfigured name fails with a ``DeviceError`` a technician can read
instead of an ``AttributeError`` on a worker thread. Every front end (screens, remote commands,
technician tests) prints and speaks through here, never by reaching for a device itself.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from devices.announcer import Announcement, Announcer
from devices.base import Device, DeviceError, DeviceKind
from devices.display import CallDisplay, ShowResult
from devices.printer import PrintDocument, PrintReceipt, TicketPrinter

if TYPE_CHECKING:
    from devices.manager import DeviceManager


def _wrong_kind(device: Device, want: str) -> DeviceError:
    return DeviceError("wrong_kind", f"device is a {device.kind}, not a {want}", transient=False)


def print_document(devices: DeviceManager, name: str, doc: PrintDocument) -> Future[PrintReceipt]:
    def job(d: Device) -> PrintReceipt:
        if not isinstance(d, TicketPrinter):
            raise _wrong_kind(d, "ticket printer")
        return d.print_document(doc)

    return devices.submit(name, job)


def first_printer(devices: DeviceManager | None) -> str | None:
    names = devices.by_kind(DeviceKind.TICKET_PRINTER) if devices is not None else []
    return names[0] if names else None


def print_on_first_printer(devices: DeviceManager | None, doc: PrintDocument) -> Future[PrintReceipt]:
    """Raises ``LookupError`` when this terminal has no ticket printer."""
    name = first_printer(devices)
    if devices is None or name is None:
        raise LookupError("no ticket printer configured on this terminal")
    return print_document(devices, name, doc)


def announce(devices: DeviceManager, name: str, item: Announcement) -> Future[int]:
    def job(d: Device) -> int:
        if not isinstance(d, Announcer):
            raise _wrong_kind(d, "announcer")
        return d.announce(item)

    return devices.submit(name, job)


def announce_everywhere(devices: DeviceManager | None, item: Announcement) -> list[Future[int]]:
    if devices is None:
        return []
    return [announce(devices, name, item) for name in devices.by_kind(DeviceKind.ANNOUNCER)]


def show_text(devices: DeviceManager, name: str, counter: int, text: str) -> Future[ShowResult]:
    def job(d: Device) -> ShowResult:
        if not isinstance(d, CallDisplay):
            raise _wrong_kind(d, "call display")
        return d.show_text(counter, text)

    return devices.submit(name, job)
