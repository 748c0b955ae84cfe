"""Heartbeat commands from the platform that the sync engine hands to the kiosk: ``print_test``
and ``reload_config`` (``sync_now`` the engine runs itself).

Hall IT uses them from the platform's console: "print a test slip on the kiosk by the door" to
check paper and printer without a visit, and "reload config" after changing a terminal's file
over the management network. A reload never applies half a config: the file is validated
exactly as at start; an invalid file is refused with its errors logged and the kiosk keeps
running on what it has; a valid, changed file asks the front end for a clean restart (systemd
starts the service again), which the GUI takes only when no citizen is in the middle of a flow.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kiosk.device_jobs import print_on_first_printer
from kiosk.printer_test_ticket import printer_test_ticket
from kiosk.settings import ConfigInvalid, load_settings
from kiosk.settings.schema import Settings

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from devices.printer import PrintReceipt
    from kiosk.platform.sync import CommandHandler

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestartRequested:
    """On the bus: the configuration on disk changed and is valid; restart to apply it."""

    reason: str


def print_test(devices: DeviceManager | None, settings: Settings) -> Future[PrintReceipt]:
    """Queue a test slip on the first ticket printer; returns the printer job's future."""
    doc = printer_test_ticket(
        settings.terminal.hall_name, settings.terminal.id, origin="平台远程测试 / remote printer test"
    )
    return print_on_first_printer(devices, doc)


class CommandHost(Protocol):
    """Where heartbeat commands are registered (``SyncEngine``)."""

    command_handlers: dict[str, CommandHandler]


def install(
    engine: CommandHost,
    *,
    devices: DeviceManager | None,
    settings: Settings,
    config_file: str | None,
    demo: bool,
    publish: Callable[[object], None],
) -> None:
    """Register the handlers on the sync engine (they run on its thread, so they never wait
    for a printer: the result is logged when the job ends). Takes only what the commands use:
    the devices (print_test), the running settings and their file (reload_config) and the bus
    (to ask the front end for a restart)."""

    def on_print_test(_args: Mapping[str, object]) -> None:
        try:
            job = print_test(devices, settings)
        except LookupError as exc:
            log.warning("platform command print_test: %s", exc)
            return

        def done(f: Future[PrintReceipt]) -> None:
            exc = f.exception()
            if exc is None:
                log.info("platform command print_test: test slip printed (%d bytes)", f.result().bytes_sent)
            else:
                log.warning("platform command print_test failed: %s", exc)

        job.add_done_callback(done)

    def on_reload_config(_args: Mapping[str, object]) -> None:
        if config_file is None and demo:
            log.info("platform command reload_config: ignored by the demo kiosk")
            return
        try:
            fresh = load_settings(config_file)
        except ConfigInvalid as exc:
            log.error(
                "platform command reload_config refused, the kiosk keeps its running config: %s",
                "; ".join(str(e) for e in exc.errors),
            )
            return
        if fresh == settings:
            log.info("platform command reload_config: configuration unchanged")
            return
        log.info("platform command reload_config: configuration changed; restarting to apply it")
        publish(RestartRequested("reload_config"))

    engine.command_handlers["print_test"] = on_print_test
    engine.command_handlers["reload_config"] = on_reload_config
