"""Self-service end to end with emulators, in the running App (store, devices, queue, sync):

- ID card (SAM reader emulator on a pty) → the holder's e-licences from the reference platform →
  one printed through a private CUPS to cups-pdf → the PDF's text checked;
- card → service guide → apply: the form prefilled (≥ 70%), completed, two materials photographed
  from a recorded document-camera stream → submitted while the platform is down → platform back
  → case number; the application is on the platform once, and nothing personal is left at the
  terminal (database, WAL, spool, logs).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devices.idcard import IdentityDocument
from drivers.sam.emulator import SamEmulator, load_cards
from kiosk.app import App, _event_bus
from kiosk.devtools import doccam_emu as emu
from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.facade import Kiosk
from kiosk.identity.person import Identity
from kiosk.paths import Paths
from kiosk.selfservice.service import LicencesUnavailable
from kiosk.settings import load_settings
from kiosk.settings.load import shipped_config_dir
from kiosk.wiring import devices as devices_wiring
from kiosk.wiring import queue as queue_wiring
from kiosk.wiring import store as store_wiring
from kiosk.wiring import sync as sync_wiring
from tests.integration.cups_rig import PrivateCups, missing, pdftotext
from tests.integration.platform_helpers import admin
from ui import a4pdf

pytestmark = pytest.mark.skipif(bool(missing()), reason=missing() or "cups available")


@pytest.fixture(autouse=True)
def _qt_app(qapp: object) -> None:
    """Pages are laid out by Qt: the test session's one QApplication (pytest-qt) serves them,
    so the layout code does not make a QGuiApplication of its own that the UI tests then trip on."""


CARDS = load_cards(shipped_config_dir() / "demo-cards.toml")
PHONE = "13912345678"


@dataclass
class Station:
    app: App
    kiosk: Kiosk
    reader: SamEmulator
    server: ServerThread
    cups: PrivateCups
    cards: list[IdentityDocument]
    data: Path

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return admin(self.server.url, path, body)

    def read_card(self, index: int) -> Identity:
        before = len(self.cards)
        self.reader.place(index)
        deadline = time.monotonic() + 10
        while len(self.cards) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.cards) > before, "no card read"
        return Identity.from_card(self.cards[-1])


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    with ExitStack() as stack:
        reader = SamEmulator(CARDS, present=None).start()
        stack.callback(reader.stop)
        pdata = tmp_path / "platform"
        server = ServerThread(prepare(pdata)).start()
        stack.callback(server.stop)
        cups = PrivateCups().start()
        stack.callback(cups.stop)
        queue = cups.add_pdf_queue("hk-selfservice-a4")
        pages = [emu.original(7, "SALE CONTRACT"), emu.original(8, "TAX RECEIPT")]
        stream = emu.record_stream(
            tmp_path / "doccam.avi", [emu.photograph(p, 20 + i, (3264, 2448)) for i, p in enumerate(pages)]
        )
        cfg = tmp_path / "kiosk.toml"
        cfg.write_text(
            '[terminal]\nid = "T-DEMO-001"\n'
            f'[platform]\nurl = "{server.url}"\nterminal_id = "{seed.TERMINAL_ID}"\n'
            f'hall_id = "{seed.HALL_ID}"\nsecret_file = "{pdata / SECRET_NAME}"\n'
            f'[devices.idreader]\ndriver = "sam-serial"\nport = "{reader.path}"\npoll_interval_s = 0.1\n'
            f'[selfservice]\na4_queue = "{queue}"\ncups_server = "{cups.server}"\ncamera = "{stream}"\n'
            "[queue]\nenforce_hours = false\n",
            encoding="utf-8",
        )
        settings = load_settings(cfg, environ={"KIOSK_DATA_DIR": str(tmp_path / "data")})
        app = App(settings, Paths.from_settings(settings.paths), demo=True)
        app.a4_layout = a4pdf.layout  # as ui.app.run_gui hands it in
        cards: list[IdentityDocument] = []

        def on_event(ev: Any) -> None:
            if getattr(ev, "type", "") == "card_read":
                cards.append(ev.data["identity"])

        app.bus.subscribe(on_event)

        app.start(
            [_event_bus, store_wiring.build, devices_wiring.build, queue_wiring.build, sync_wiring.build]
        )
        stack.callback(app.shutdown)
        devices = app.services.devices
        assert devices is not None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and str(devices.state("idreader")) != "idle":
            time.sleep(0.05)
        assert app.services.sync is not None
        result = app.services.sync.run_once()
        assert result.ok, result.reason
        yield Station(app, Kiosk.of(app), reader, server, cups, cards, tmp_path / "data")


def test_card_then_licences_then_one_printed_to_cups_pdf(station: Station) -> None:
    identity = station.read_card(0)
    ss = station.kiosk.selfservice()
    lics = ss.licences(identity)
    assert {lic["type_name"] for lic in lics} == {"结婚证", "不动产权证书"}
    deed = next(lic for lic in lics if lic["type_code"] == "property")
    receipt = ss.print_licence(deed)
    pdf = station.cups.pdf_titled(receipt.title)
    try:
        text = pdftotext(pdf)
    finally:
        pdf.unlink(missing_ok=True)
    deed_lines = ("不动产权证书", "李明华", "示范县人民路18号3幢2单元502室", "341122001001GB00012F00030052")
    for expected in (
        *deed_lines,
        "皖（2021）示范县不动产权第0012345号",
        "示范县不动产登记中心",
        "DZZZ-L-0002",
    ):
        assert expected in text, expected
    # Licences need the platform and say so plainly when it is gone.
    station.admin("/admin/faults", {"error_rate": 1.0})
    with pytest.raises(LicencesUnavailable) as err:
        ss.licences(identity)
    assert err.value.reason == "licences_need_platform"


def test_apply_offline_with_photographed_materials_then_delivered_once(station: Station) -> None:
    identity = station.read_card(0)
    ss = station.kiosk.selfservice()
    code = seed.item_code("二手房买卖")
    guide = station.kiosk.item(code)  # the service guide the citizen applies from
    assert guide["name"] == "房屋所有权转移登记（二手房买卖）"
    form = ss.form(code)
    assert form is not None
    lics = ss.licences(identity)
    filled = ss.prefill(form, identity, lics)
    assert filled.share(form) >= 0.7
    assert (
        filled.values["address"] == "北京市朝阳区建国路88号"
        and filled.values["office"] == "示范县政务服务中心"
    )
    values = filled.values | {"phone": PHONE, "reason": "买卖", "price": "185"}  # typed on the keyboard
    photos = [ss.photograph(), ss.photograph()]
    assert all(p.found and p.legible for p in photos), photos
    # The platform goes away; the citizen still applies and gets a receipt.
    station.admin("/admin/faults", {"error_rate": 1.0})
    pages = {"contract": [photos[0].jpeg], "tax_receipt": [photos[1].jpeg]}
    sub = ss.submit(form, identity, values, pages)
    assert sub.ok and sub.message == "application_queued", sub
    receipt = ss.print_receipt(form, identity, sub, {"contract": 1, "tax_receipt": 1})
    pdf = station.cups.pdf_titled(receipt.title)
    try:
        text = pdftotext(pdf)
    finally:
        pdf.unlink(missing_ok=True)
    assert sub.local_ref in text and seed.LI_MINGHUA not in text and "110105**********14" in text
    assert ss.waiting() == 1
    # The platform comes back: the sync delivers it, once.
    station.admin("/admin/faults", {"error_rate": 0.0})
    sync = station.app.services.sync
    assert sync is not None
    result = sync.run_once()
    assert result.ok, result.reason
    case = ss.case_number(sub.application_id)
    assert case is not None and case.startswith(code)
    assert sync.run_once().ok
    stats = station.admin("/admin/applications")
    assert stats["applications"] == 1 and stats["pages"] == 2
    kept = station.server.platform.selfservice.application(sub.application_id)
    assert kept is not None and kept["application"]["data"]["phone"] == PHONE
    assert kept["application"]["applicant_id_number"] == seed.LI_MINGHUA
    # Nothing personal is left at the terminal: not in the database, its WAL, the spool or logs.
    assert ss.waiting() == 0
    station.app.shutdown()
    secrets = [seed.LI_MINGHUA.encode(), "李明华".encode(), PHONE.encode(), "建国路88号".encode()]
    leaks = []
    for f in station.data.rglob("*"):
        if f.is_file():
            blob = f.read_bytes()
            leaks += [f"{f.relative_to(station.data)}: {s.decode()}" for s in secrets if s in blob]
    assert leaks == []
