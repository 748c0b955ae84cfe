"""The self-service screens driven like a citizen would, on the whole kiosk with emulators:
the card on the emulated reader, the reference platform, a private CUPS printing to cups-pdf,
and the document camera playing a recorded stream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.devtools import doccam_emu as emu
from kiosk.devtools.refplatform import seed
from kiosk.usecases.messages import text as text_of
from tests.integration.cups_rig import PrivateCups, missing, pdftotext
from tests.ui.rig import LI_MINGHUA, kiosk_rig
from ui.find import find_item
from ui.viewmodels.selfservice import ApplyViewModel, LicencesViewModel

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(missing()), reason=missing() or "cups available")]


@pytest.fixture(scope="module")
def cups() -> Iterator[PrivateCups]:
    rig = PrivateCups().start()
    yield rig
    rig.stop()


def _extra(tmp_path: Path, cups: PrivateCups, queue: str) -> str:
    pages = [emu.original(5, "SALE CONTRACT"), emu.original(6, "TAX RECEIPT")]
    stream = emu.record_stream(
        tmp_path / "cam.avi", [emu.photograph(p, 30 + i, (3264, 2448)) for i, p in enumerate(pages)]
    )
    return f'[selfservice]\na4_queue = "{queue}"\ncups_server = "{cups.server}"\ncamera = "{stream}"\n'


def test_my_licences_after_the_card_prints_one(tmp_path: Path, qtbot: Any, cups: PrivateCups) -> None:
    queue = cups.add_pdf_queue("hk-ui-licences")
    with kiosk_rig(tmp_path, platform=True, extra=_extra(tmp_path, cups, queue)) as rig:
        ctx = rig.ctx
        vm = ctx.vm(LicencesViewModel)
        ctx.ui.go("my_licences")  # no card yet: the screen asks for it
        rig.wait(qtbot, lambda: ctx.ui.screen == "identify")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.ui.screen == "my_licences" and vm.get("step") == "list")
        names = [x["typeName"] for x in vm.get("licences")]
        assert names == ["结婚证", "不动产权证书"]
        root = ctx.engine.rootObjects()[0]
        button = find_item(root, "printLicence_L-0001")
        assert button is not None
        vm.print("L-0001")
        rig.wait(qtbot, lambda: vm.get("printing") in ("printed", "failed"), timeout=60)
        assert vm.get("printing") == "printed", vm.get("printMsg")
        assert vm.get("printMsg")["zh"] and vm.get("printMsg")["en"]  # the screen says where to take it
        pdfs = sorted((Path.home() / "PDF").glob("hall-kiosk-licence-*.pdf"), key=lambda p: p.stat().st_mtime)
        text = pdftotext(pdfs[-1])
        for p in pdfs:
            p.unlink()
        assert "结婚证" in text and seed.LI_MINGHUA in text
        cups.lp("cupsdisable", "-r", "paper jam being cleared", queue)  # a printer that cannot print
        vm.print("L-0001")
        rig.wait(qtbot, lambda: vm.get("printing") in ("printed", "failed"), timeout=60)
        assert vm.get("printing") == "failed"  # shown in red, with the sentence why
        assert vm.get("printMsg") == {lang: text_of("a4_unavailable", lang) for lang in ("zh", "en")}
        assert "110105198503072014" not in repr(ctx.vm(LicencesViewModel).state)
        for _ in range(ctx.idle.limit() + 1):
            ctx.idle.tick()
        assert ctx.ui.screen == "home" and ctx.vm_holding_personal_data() == []


def test_apply_from_the_guide_to_the_receipt(tmp_path: Path, qtbot: Any, cups: PrivateCups) -> None:
    queue = cups.add_pdf_queue("hk-ui-apply")
    with kiosk_rig(tmp_path, platform=True, extra=_extra(tmp_path, cups, queue)) as rig:
        ctx = rig.ctx
        sync = rig.app.services.sync
        assert sync.run_once().ok
        vm = ctx.vm(ApplyViewModel)
        code = seed.item_code("二手房买卖")
        ctx.guide.openRequested.emit(code)
        ctx.ui.go("service_guide")
        rig.wait(qtbot, lambda: ctx.guide.get("item").get("code") == code)
        button = find_item(ctx.engine.rootObjects()[0], "guideApply")
        assert button is not None and button.property("visible")
        vm.start(code)
        ctx.ui.go("apply")
        rig.wait(qtbot, lambda: ctx.ui.screen == "identify")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: ctx.ui.screen == "apply" and vm.get("step") == "form", timeout=20)
        assert vm.get("share") >= 70
        fields = {f["key"]: f for f in vm.get("fields")}
        assert fields["id_number"]["shown"] == "110105**********14" and fields["id_number"]["prefilled"]
        assert fields["phone"]["editable"] and not fields["location"]["editable"]
        for key, value in (("phone", "13800138000"), ("reason", "买卖"), ("price", "185")):
            vm.setValue(key, value)
        vm.toSummary()
        vm.toPhotos()
        vm.photograph("contract")
        rig.wait(
            qtbot, lambda: vm.get("camera") != "busy" and vm.get("materials")[0]["pages"] == 1, timeout=30
        )
        vm.photograph("tax_receipt")
        rig.wait(
            qtbot, lambda: vm.get("camera") != "busy" and vm.get("materials")[1]["pages"] == 1, timeout=30
        )
        vm.submit()
        rig.wait(qtbot, lambda: vm.get("step") == "receipt", timeout=30)
        assert vm.get("caseNumber").startswith(code)
        rig.wait(qtbot, lambda: vm.get("printing") in ("printed", "failed"), timeout=60)
        assert vm.get("printing") == "printed"
        receipt = find_item(ctx.engine.rootObjects()[0], "applyReceipt")
        assert receipt is not None and receipt.property("visible")
        text = repr(vm.state)
        assert "110105198503072014" not in text and "李明华" not in text
        for p in (Path.home() / "PDF").glob("hall-kiosk-receipt-*.pdf"):
            p.unlink()
        for _ in range(ctx.idle.limit() + 1):
            ctx.idle.tick()
        assert ctx.vm_holding_personal_data() == [] and vm.pages == {} and vm.values == {}


def test_licences_say_plainly_that_they_need_the_platform(tmp_path: Path, qtbot: Any) -> None:
    import requests

    with kiosk_rig(tmp_path, platform=True) as rig:
        ctx = rig.ctx
        vm = ctx.vm(LicencesViewModel)
        requests.post(
            rig.platform_url + "/admin/faults", json={"error_rate": 1.0}, timeout=5
        ).raise_for_status()
        ctx.ui.go("my_licences")
        rig.wait(qtbot, lambda: ctx.ui.screen == "identify")
        rig.reader.place(LI_MINGHUA)
        rig.wait(qtbot, lambda: vm.get("step") == "unavailable", timeout=30)
        assert "政务服务平台" in vm.get("message")["zh"] and "platform" in vm.get("message")["en"]
        card = find_item(ctx.engine.rootObjects()[0], "licencesUnavailable")
        assert card is not None and card.property("visible")
        assert vm.get("licences") == [] and vm.raw == {}
