"""An ID card read through the app (emulated reader -> device manager -> bus -> a subscriber
that logs carelessly) leaves neither the number nor the name in the log file."""

from __future__ import annotations

import logging
from pathlib import Path

from devices.base import DeviceState
from drivers.sam.emulator import SamEmulator, load_cards
from kiosk.logs import LOG_FILE, close_logging, setup_logging
from kiosk.settings.load import shipped_config_dir
from tests.integration.input_helpers import start_app

ID_NUMBER = "110105198503072014"
NAME = "李明华"


def test_id_number_read_through_the_app_never_reaches_the_log(tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    setup_logging("DEBUG", log_dir=log_dir, stderr=False)
    emulator = SamEmulator(load_cards(shipped_config_dir() / "demo-cards.toml"), present=None).start()
    app = None
    try:
        careless = logging.getLogger("kiosk.careless_subscriber")
        app, rec = start_app(
            tmp_path,
            f'[devices.idreader]\ndriver = "sam-serial"\nport = "{emulator.path}"\npoll_interval_s = 0.1\n',
        )
        app.bus.subscribe(lambda ev: careless.info("event %r / %s", ev, ev))
        assert app.services.devices.wait_for("idreader", [DeviceState.IDLE], 5)
        emulator.place(0)
        got = rec.wait(lambda e: e.type == "card_read", timeout=5)
        assert got is not None
        identity = got[1].data["identity"]
        assert identity.id_number == ID_NUMBER  # the core did get it
        careless.info("identity %r, health %r", identity, app.services.devices.health())
        emulator.remove()
        assert rec.wait(lambda e: e.type == "card_removed", timeout=5)
    finally:
        if app is not None:
            app.shutdown()
        emulator.stop()
        close_logging()
    text = (log_dir / LOG_FILE).read_text(encoding="utf-8")
    assert "card_read" in text  # the events were logged...
    assert ID_NUMBER not in text and NAME not in text  # ...without personal data
    assert "[ID-REDACTED]" not in text  # nothing even tried: the redaction filter had no work
