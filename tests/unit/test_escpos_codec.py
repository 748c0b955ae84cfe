"""ESC/POS bytes: builder (over python-escpos) read back by the independent decoder, byte for
byte where the spec fixes the bytes, and status bytes per the DLE EOT tables."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from devices.printer import CaseSlip, CaseStep, CheckInSlip, ChecklistMaterial, ChecklistSlip, QueueTicket
from devices.ticket_templates import blocks_for, number_size
from drivers.escpos import status as st
from drivers.escpos.builder import FS_CHINESE_OFF, FS_CHINESE_ON, PrinterModel, build
from drivers.escpos.decoder import Cut, Line, QrCode, Raster, StatusQuery, decode, plain_text
from drivers.escpos.layout import justify, text_width, wrap
from drivers.escpos.receipt import Columns, Qr, Rule, Text

TICKET = QueueTicket(
    hall_name="示范县政务服务中心",
    number="B007",
    category_name="不动产登记",
    item_name="不动产转移登记",
    people_ahead=3,
    est_wait_min=15,
    issued_at=datetime(2026, 11, 23, 9, 30),
    holder_name_masked="李*华",
    qr_payload="HKT1.B007.20261123",
    footer="请留意叫号，过号请重新取号。",
)


def test_cjk_counts_two_columns() -> None:
    assert text_width("示范A1，") == 2 + 2 + 1 + 1 + 2
    lines = wrap("示范县政务服务中心示范县政务服务中心", 16)
    assert lines == ["示范县政务服务中", "心示范县政务服务", "中心"]
    assert all(text_width(x) <= 16 for x in lines)
    assert justify("前面等候", "3 人", 20) == ["前面等候" + " " * 8 + "3 人"]


@given(hs.text(alphabet="示范中心 AB1，。xyz", max_size=80), hs.integers(min_value=4, max_value=48))
@settings(deadline=None, max_examples=60)
def test_wrap_never_overflows(text: str, columns: int) -> None:
    for line in wrap(text, columns):
        assert text_width(line) <= columns


def test_chinese_line_is_wrapped_in_fs_mode() -> None:
    data = build([Text("示范县 A1")], PrinterModel(chinese="fs"))
    assert FS_CHINESE_ON + "示范县 A1".encode("gb18030") + FS_CHINESE_OFF + b"\n" in data
    assert data.startswith(b"\x1b@")


def test_raw_mode_writes_bare_gb18030_for_printers_that_boot_in_chinese() -> None:
    data = build([Text("政务，")], PrinterModel(chinese="raw"))
    assert FS_CHINESE_ON not in data
    assert "政务，".encode("gb18030") + b"\n" in data
    ops, _ = decode(data, chinese_at_start=True)
    assert "政务，" in plain_text(ops)


def test_without_chinese_mode_an_epson_style_printer_prints_garbage() -> None:
    """What the issue describes: python-escpos's plain text() on a printer not in Chinese mode."""
    data = build([Text("政务服务")], PrinterModel(chinese="off"))
    ops, _ = decode(data, chinese_at_start=False)
    assert "政务服务" not in plain_text(ops)


def test_partial_cut_and_native_qr_bytes() -> None:
    data = build([Qr("HKT1.X", size=5)], PrinterModel(profile="TM-T88V", qr="auto"))
    # GS ( k: store data (cn 49, fn 80, m 48) then print (fn 81)
    payload = b"HKT1.X"
    n = len(payload) + 3
    assert b"\x1d(k" + bytes([n & 0xFF, n >> 8]) + b"1P0" + payload in data
    assert b"\x1d(k\x03\x001Q0" in data
    assert data.endswith(b"\x1dV\x01")
    ops, warnings = decode(data)
    assert warnings == []
    assert [op for op in ops if isinstance(op, QrCode)] == [QrCode("HKT1.X", 5, "M", "center")]
    assert ops[-1] == Cut(partial=True)


def test_raster_qr_for_profiles_without_native_qr() -> None:
    data = build([Qr("HKT1.X")], PrinterModel(profile="POS-5890", paper_mm=58))
    assert b"\x1d(k" not in data
    ops, _ = decode(data)
    images = [op for op in ops if isinstance(op, Raster)]
    assert len(images) == 1 and images[0].width <= 384


def test_number_is_printed_in_the_largest_size_that_fits() -> None:
    model = PrinterModel(paper_mm=58, profile="POS-5890")
    assert model.cols() == 32
    assert number_size("A023", 32) == 6
    assert number_size("A0231234", 32) == 4
    data = build(blocks_for(TICKET, model.cols()), model)
    ops, _ = decode(data)
    number_line = next(op for op in ops if isinstance(op, Line) and op.text == "B007")
    assert number_line.runs[0].width == 6 and number_line.runs[0].height == 6
    assert number_line.align == "center"


@pytest.mark.parametrize("profile,paper", [("default", 80), ("TM-T88V", 80), ("POS-5890", 58), ("P822D", 80)])
def test_every_template_decodes_back(profile: str, paper: int) -> None:
    model = PrinterModel(profile=profile, paper_mm=paper)
    at = datetime(2026, 11, 23, 10, 0)
    docs = [
        TICKET,
        CheckInSlip(
            "示范县政务服务中心", "B001", "不动产转移登记", "09:00-09:30", at, "李*华", "3-4号窗口", 5
        ),
        CaseSlip(
            "示范县政务服务中心",
            "11440300MB2C9012345202611230001",
            "不动产转移登记",
            "待补办",
            at,
            "陈*强",
            (CaseStep("受理", True, "11-20"), CaseStep("审核", False)),
            "请携带房产证原件到5号窗口补交材料",
        ),
        ChecklistSlip(
            "示范县政务服务中心",
            "企业设立登记",
            (
                ChecklistMaterial("身份证", "原件", 1),
                ChecklistMaterial("公司章程", "复印件", 2, False, "需签字"),
            ),
            at,
            location="一楼A区1-2号窗口",
            phone="0755-12345678",
        ),
    ]
    for doc in docs:
        data = build(blocks_for(doc, model.cols()), model)
        ops, warnings = decode(data)
        text = plain_text(ops)
        assert "示范县政务服务中心" in text
        assert [w for w in warnings if "code page" not in w] == []
        assert isinstance(ops[-1], Cut) or profile == "POS-5890"
        for line in ops:
            if isinstance(line, Line) and line.runs and line.runs[0].width == 1:
                assert text_width(line.text) <= model.cols()
    assert "待补办" in plain_text(decode(build(blocks_for(docs[2], 42), model))[0])


def test_english_ticket() -> None:
    doc = QueueTicket(
        "Demo County Government Service Centre",
        "E002",
        "Consultation",
        None,
        0,
        0,
        datetime(2026, 1, 1, 8, 0),
        language="en",
    )
    ops, _ = decode(build(blocks_for(doc, 48), PrinterModel()))
    assert "People ahead" in plain_text(ops)


def test_decoder_is_streaming_and_survives_garbage() -> None:
    data = build([Text("示范县"), Rule(), Columns("a", "b")], PrinterModel())
    from drivers.escpos.decoder import Decoder

    d = Decoder()
    ops = []
    for i in range(len(data)):
        ops += d.feed(data[i : i + 1])
    assert "示范县" in plain_text(ops)
    _junk, warnings = decode(b"\x1b\xff\x1d\xfe\x07abc\x1d(k\x05", chinese_at_start=True)
    assert any("unknown" in w for w in warnings)
    assert any("truncated" in w for w in warnings)


@given(hs.binary(max_size=300))
@settings(deadline=None, max_examples=150)
def test_decoder_never_raises(data: bytes) -> None:
    decode(data)
    decode(data, chinese_at_start=True)


def test_status_queries_in_a_stream() -> None:
    ops, _ = decode(st.query(1) + b"x\n" + st.query(4))
    assert ops[0] == StatusQuery(1) and ops[-1] == StatusQuery(4)


@pytest.mark.parametrize(
    "state,online,cover,near,out",
    [
        (st.PaperState(), True, False, False, False),
        (st.PaperState("near_end"), True, False, True, False),
        (st.PaperState("out"), False, False, True, True),
        (st.PaperState(cover_open=True), False, True, False, False),
    ],
)
def test_status_bytes_round_trip(
    state: st.PaperState, online: bool, cover: bool, near: bool, out: bool
) -> None:
    answers = [st.answer(n, state) for n in (1, 2, 3, 4)]
    assert all(st.is_status_byte(a) for a in answers)
    raw = st.RawStatus(*answers)
    assert (raw.online, raw.cover_open, raw.paper_near_end, raw.paper_out) == (online, cover, near, out)


def test_spec_values() -> None:
    # Epson DLE EOT tables: n=4 near end 0x0C + fixed 0x12; paper end 0x60
    assert st.answer(4, st.PaperState("out")) == 0x7E
    assert st.answer(2, st.PaperState(cover_open=True)) == 0x16
    assert st.answer(1, st.PaperState()) == 0x12


@given(hs.text(alphabet="示范县政务服务中心，。！？（）“”·—A0 z9𠀀€", min_size=1, max_size=60))
@settings(deadline=None, max_examples=80)
def test_any_chinese_text_round_trips_through_fs_mode(text: str) -> None:
    """GB18030 two- and four-byte characters and full-width punctuation come back intact."""
    ops, warnings = decode(build([Text(text)], PrinterModel(chinese="fs")))
    assert warnings == []
    printed = "".join(op.text for op in ops if isinstance(op, Line))
    assert printed.replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("impl", ["bitImageRaster", "graphics", "bitImageColumn"])
def test_every_python_escpos_image_method_decodes(impl: str) -> None:
    from escpos.printer import Dummy
    from PIL import Image, ImageDraw

    img = Image.new("1", (64, 48), 1)
    ImageDraw.Draw(img).rectangle((8, 8, 40, 30), fill=0)
    p = Dummy(profile="TM-T88V")
    p.image(img, impl=impl)
    ops, warnings = decode(p.output)
    rasters = [op for op in ops if isinstance(op, Raster)]
    assert warnings == [] and rasters
    assert sum(bin(b).count("1") for r in rasters for b in r.data) > 500  # the black box is there
