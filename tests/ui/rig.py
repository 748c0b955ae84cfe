"""A whole kiosk for UI flow tests: the real App (store, devices, queue, sync) with the
emulated ID-card reader (pty) and ESC/POS printer (loopback TCP), optionally the reference
platform on loopback, and the QML UI with its bridge on top."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.escpos.emulator import EscposEmulator
from drivers.sam.emulator import SamEmulator, load_cards
from kiosk.app import App
from kiosk.paths import Paths
from kiosk.settings import load_settings
from kiosk.settings.load import shipped_config_dir
from kiosk.wiring import devices as devices_wiring
from kiosk.wiring import queue as queue_wiring
from kiosk.wiring import store as store_wiring
from kiosk.wiring import sync as sync_wiring
from ui import a4pdf
from ui.bridge import Bridge
from ui.context import UiContext
from ui.find import find_item
from ui.screens import new_context

CARDS = load_cards(shipped_config_dir() / "demo-cards.toml")
LI_MINGHUA, WANG_XIUYING, CHEN_ZHIQIANG = 0, 1, 2


def item(rig: Rig, name: str) -> Any:
    """The QML item named ``name`` in the rig's window (it must be there)."""
    found = find_item(rig.ctx.engine.rootObjects()[0], name)
    assert found is not None, name
    return found


def visible_texts(root: Any) -> list[str]:
    """The non-empty ``text`` of every visible item under ``root`` (a window: its content)."""
    out, stack = [], [root.contentItem() if hasattr(root, "contentItem") else root]
    while stack:
        it = stack.pop()
        stack.extend(it.childItems())
        text = it.property("text")
        if isinstance(text, str) and text and it.isVisible():
            out.append(text)
    return out


def _bus(app: App) -> Any:
    return app.add("event bus", app.bus.start, app.bus.stop)


@dataclass
class Rig:
    app: App
    ctx: UiContext
    bridge: Bridge
    reader: SamEmulator
    printer: EscposEmulator
    platform_url: str | None
    events: list[str]

    def remove_card(self, qtbot: Any) -> None:
        """Take the card away and wait until the reader has noticed (the next card is new)."""
        before = self.events.count("card_removed")
        self.reader.remove()
        self.wait(qtbot, lambda: self.events.count("card_removed") > before)

    def wait(self, qtbot: Any, pred: Callable[[], bool], timeout: float = 10.0) -> None:
        qtbot.waitUntil(pred, timeout=int(timeout * 1000))

    def counter_act(self, qtbot: Any, action: str) -> None:
        """A clerk's press once the window's last action has ended: its buttons are off while one
        runs, and the queue's refresh can show that action's result before its own reply lands."""
        self.wait(qtbot, lambda: not self.ctx.counter.get("busy"))
        self.ctx.counter.act(action)


@contextmanager
def kiosk_rig(
    tmp_path: Path,
    *,
    platform: bool = False,
    extra: str = "",
    render_tickets: bool = True,
    enforce_hours: bool = False,
) -> Iterator[Rig]:
    with ExitStack() as stack:
        reader = SamEmulator(CARDS, present=None).start()
        stack.callback(reader.stop)
        printer = EscposEmulator(render_dir=tmp_path / "tickets" if render_tickets else None)
        host, port = printer.start_tcp()
        stack.callback(printer.stop)
        platform_toml = ""
        url = None
        if platform:
            from kiosk.devtools.refplatform import seed
            from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare

            pdata = tmp_path / "platform"
            server = ServerThread(prepare(pdata), "127.0.0.1", 0).start()
            stack.callback(server.stop)
            url = server.url
            platform_toml = (
                f'[platform]\nurl = "{url}"\nterminal_id = "{seed.TERMINAL_ID}"\n'
                f'hall_id = "{seed.HALL_ID}"\nsecret_file = "{pdata / SECRET_NAME}"\n'
            )
        cfg = tmp_path / "kiosk.toml"
        cfg.write_text(
            '[terminal]\nid = "T-DEMO-001"\nhall_name = "示范县政务服务中心"\n'
            'hall_name_en = "Demo County Government Service Centre"\n'
            f"{platform_toml}"
            f'[devices.idreader]\ndriver = "sam-serial"\nport = "{reader.path}"\npoll_interval_s = 0.1\n'
            f'[devices.printer]\ndriver = "escpos"\nconnection = "tcp://{host}:{port}"\n'
            f'preview_dir = "{tmp_path / "preview"}"\n'
            # the demo hall, opening hours not enforced: the tests run at any hour (a test that
            # enforces them sets the queue's clock)
            f"[queue]\nenforce_hours = {str(enforce_hours).lower()}\n" + extra,
            encoding="utf-8",
        )
        settings = load_settings(cfg, environ={"KIOSK_DATA_DIR": str(tmp_path / "data")})
        app = App(settings, Paths.from_settings(settings.paths), demo=True)
        app.a4_layout = a4pdf.layout  # as ui.app.run_gui hands it in
        events: list[str] = []
        app.bus.subscribe(lambda ev: events.append(str(getattr(ev, "type", type(ev).__name__))))
        app.start([_bus, store_wiring.build, devices_wiring.build, queue_wiring.build, sync_wiring.build])
        stack.callback(app.shutdown)
        ctx = new_context(settings, live_clock=False)
        bridge = Bridge(app, ctx)
        ctx.load()
        bridge.start()
        stack.callback(ctx.close)
        stack.callback(bridge.close)
        devices = app.services.devices
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and str(devices.state("idreader")) != "idle":
            time.sleep(0.05)
        yield Rig(app, ctx, bridge, reader, printer, url, events)
