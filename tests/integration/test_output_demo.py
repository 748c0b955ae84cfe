"""The output devices as ``kiosk demo`` runs them: emulators started by the demo parts, the
real drivers configured from config/demo.toml + the parts' overrides, all on one
DeviceManager: a ticket is printed (and its PNG is where the docs say), a call reaches the
window screen, the call is announced to WAV. (Keys and ratings: test_rs485_bus.py.)"""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest

from devices.announcer import Announcement
from devices.base import DeviceEvent, DeviceState
from devices.manager import DeviceManager
from devices.printer import QueueTicket
from kiosk.cli.common import with_overrides
from kiosk.devtools import output_demo

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]


def test_demo_output_devices_end_to_end(tmp_path: Path, data_dir: Path, repo: Path) -> None:
    with ExitStack() as stack:
        overrides: dict = {}
        for part in (output_demo.printer_part, output_demo.led_bus_part, output_demo.voice_part):
            for key, value in part(stack, tmp_path).items():
                overrides.setdefault(key, {}).update(value)
        settings = with_overrides(str(repo / "config" / "demo.toml"), overrides, dict(os.environ))
        ours = {"printer", "window_screens", "keypads", "evaluation_pads", "voice"}
        mine = {k: v for k, v in settings.devices.items() if k in ours}
        assert set(mine) == ours
        events: list[DeviceEvent] = []
        cond = threading.Condition()

        def sink(ev: DeviceEvent) -> None:
            with cond:
                events.append(ev)
                cond.notify_all()

        mgr = DeviceManager(mine, sink)
        mgr.start()
        stack.callback(mgr.stop)
        for name in mine:
            assert mgr.wait_for(name, {DeviceState.IDLE}, 10), name
        ticket = QueueTicket(
            "示范县政务服务中心",
            "B003",
            "不动产登记",
            None,
            2,
            10,
            datetime(2026, 11, 23, 9, 0),
            qr_payload="HKT1.B003",
        )
        receipt = mgr.submit("printer", lambda d: d.print_document(ticket)).result(10)  # type: ignore[attr-defined]
        assert receipt.preview and Path(receipt.preview).exists()
        result = mgr.submit("window_screens", lambda d: d.show_call(3, "B003")).result(10)  # type: ignore[attr-defined]
        assert result.updated == ("screen-3",)
        mgr.submit("voice", lambda d: d.announce(Announcement("B003", 3))).result(10)  # type: ignore[attr-defined]
        with cond:
            assert cond.wait_for(lambda: any(e.type == "announced" for e in events), 20)
        assert (tmp_path / "voice" / "last.wav").exists()
        assert (tmp_path / "printer-preview" / "last-ticket.png").exists()
        printed = [e for e in events if e.type == "printed"]
        assert printed and printed[0].data["preview"] == receipt.preview
