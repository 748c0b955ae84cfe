"""The demo parts for the input devices: emulators on ptys, controlled through FIFOs, driven
by the real drivers from the overrides they return."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

from devices.base import DeviceState
from kiosk.devtools.input_demo import idreader_part, scanner_part
from tests.integration.input_helpers import start_app


def test_demo_parts_drive_the_real_drivers(tmp_path: Path) -> None:
    with ExitStack() as stack:
        reader = idreader_part(stack, tmp_path)["devices"]["idreader"]
        scanner = scanner_part(stack, tmp_path)["devices"]["scanner"]
        cfg = (
            f'[devices.idreader]\ndriver = "sam-serial"\nport = "{reader["port"]}"\npoll_interval_s = 0.1\n'
            f'[devices.scanner]\ndriver = "serial-scanner"\nport = "{scanner["port"]}"\n'
        )
        app, rec = start_app(tmp_path, cfg)
        try:
            mgr = app.services.devices
            assert mgr.wait_for("idreader", [DeviceState.IDLE], 5)
            assert mgr.wait_for("scanner", [DeviceState.IDLE], 5)
            fd = os.open(tmp_path / "idreader.ctl", os.O_WRONLY)
            os.write(fd, b"card 2\n")
            os.close(fd)
            got = rec.wait(lambda e: e.type == "card_read", timeout=5)
            assert got is not None and got[1].data["identity"].name == "王秀英"
            fd = os.open(tmp_path / "scanner.ctl", os.O_WRONLY)
            os.write(fd, b"scan demo-code\n")
            os.close(fd)
            code = rec.wait(lambda e: e.type == "code_scanned", timeout=5)
            assert code is not None and code[1].data["code"].text == "demo-code"
        finally:
            app.shutdown()
    assert not (tmp_path / "idreader.ctl").exists()
