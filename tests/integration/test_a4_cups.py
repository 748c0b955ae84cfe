"""The A4 printer for real: pages laid out by Qt's PDF writer, printed through a private CUPS
scheduler to a cups-pdf queue, and read back with pdftotext."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from devices.a4_cups import CupsA4Printer
from kiosk.devtools.refplatform import seed, seed_selfservice
from kiosk.identity.person import Identity
from kiosk.selfservice.forms import Form
from kiosk.selfservice.printing import PrintRefused, licence_document, print_a4, receipt_document
from tests.integration.cups_rig import PrivateCups, missing, pdftotext
from ui import a4pdf

pytestmark = pytest.mark.skipif(bool(missing()), reason=missing() or "cups available")


@pytest.fixture(autouse=True)
def _qt_app(qapp: object) -> None:
    """Pages are laid out by Qt: the test session's one QApplication (pytest-qt) serves them,
    so the layout code does not make a QGuiApplication of its own that the UI tests then trip on."""


LI = Identity("id_card", "李明华", seed.LI_MINGHUA, date(1985, 3, 7))


@pytest.fixture(scope="module")
def cups() -> Iterator[PrivateCups]:
    rig = PrivateCups().start()
    yield rig
    rig.stop()


@pytest.fixture
def printer(cups: PrivateCups) -> CupsA4Printer:
    queue = cups.add_pdf_queue(f"hk-a4-{uuid.uuid4().hex[:8]}")
    return CupsA4Printer(queue, cups.server, layout=a4pdf.layout)


def _cleanup(path: Path) -> None:
    path.unlink(missing_ok=True)


def test_a_licence_prints_as_a_pdf_with_its_chinese_text(cups: PrivateCups, printer: CupsA4Printer) -> None:
    assert printer.status().ready, printer.status()
    marriage = next(
        lic
        for h, lic in seed_selfservice.licences()
        if h == seed.LI_MINGHUA and lic["type_code"] == "marriage"
    )
    receipt = print_a4(printer, licence_document(marriage, "示范县政务服务中心"), timeout_s=60)
    assert receipt.pages == 1 and receipt.pdf_bytes > 1000
    pdf = cups.pdf_titled(receipt.title)
    try:
        text = pdftotext(pdf)
    finally:
        _cleanup(pdf)
    for expected in (
        "结婚证",
        "李明华",
        "赵丽",
        "J110105-2012-004512",
        "北京市朝阳区民政局",
        "DZZZ-L-0001",
        "2012-05-20",
    ):
        assert expected in text, expected
    # The citizen's own licence printout is the one place the full ID number appears.
    assert seed.LI_MINGHUA in text


def test_a_receipt_carries_the_case_number_and_only_the_masked_id(
    cups: PrivateCups, printer: CupsA4Printer
) -> None:
    form = Form.from_json(seed_selfservice.forms()[0])
    doc = receipt_document(
        form, LI, hall_name="示范县政务服务中心", local_ref="ZZ1234567890",
        case_number="34112209CN002202611300001", materials={"contract": 2, "tax_receipt": 1},
    )  # fmt: skip
    receipt = print_a4(printer, doc)
    pdf = cups.pdf_titled(receipt.title)
    try:
        text = pdftotext(pdf)
    finally:
        _cleanup(pdf)
    assert "34112209CN002202611300001" in text and "申请受理回执" in text and "存量房买卖合同（2页）" in text
    assert seed.LI_MINGHUA not in text and "李明华" not in text
    assert "110105**********14" in text and "李*华" in text


def test_a_stopped_queue_is_refused_before_anything_is_sent(
    cups: PrivateCups, printer: CupsA4Printer
) -> None:
    cups.lp("cupsdisable", "-r", "paper jam being cleared", printer.cups.queue)
    st = printer.status()
    assert not st.ready and st.code == "stopped"
    doc = licence_document(seed_selfservice.licences()[0][1], "示范县政务服务中心")
    with pytest.raises(PrintRefused) as err:
        print_a4(printer, doc)
    assert err.value.message == "a4_unavailable" and err.value.code == "stopped"
    assert "request id" not in cups.lp("lpstat", "-o", printer.cups.queue)  # nothing queued
    cups.lp("cupsenable", printer.cups.queue)
    assert printer.status().ready


def test_no_queue_or_no_scheduler_reads_as_offline(cups: PrivateCups) -> None:
    assert CupsA4Printer("no-such-queue", cups.server, layout=a4pdf.layout).status().code == "offline"
    gone = CupsA4Printer("x", "127.0.0.1:9", layout=a4pdf.layout)
    with pytest.raises(PrintRefused) as err:
        print_a4(gone, licence_document(seed_selfservice.licences()[0][1], "H"))
    assert err.value.message == "a4_unavailable" and err.value.code == "offline"


def test_a_cancelled_job_is_not_taken_for_printed(cups: PrivateCups, printer: CupsA4Printer) -> None:
    """lpstat lists cancelled jobs as "completed"; the job's IPP state tells them apart."""
    from drivers.cups.transport import CupsError

    q = printer.cups
    cups.lp("cupsdisable", q.queue)  # the job waits in the queue
    job = q.submit(b"%PDF-1.4\n%%EOF\n", "hall-kiosk-test-cancel")
    cups.lp("cancel", job)
    with pytest.raises(CupsError) as err:
        q.wait(job, 10)
    assert err.value.code == "failed" and "canceled" in err.value.detail
    cups.lp("cupsenable", q.queue)
