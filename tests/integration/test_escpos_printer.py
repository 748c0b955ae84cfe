"""The ESC/POS printer driven through real transports: a file capture read back by the
independent decoder (the "must show"), and the emulator over TCP and a pty for status, paper
out, and unplug/replug through the DeviceManager."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from devices.base import DeviceError, DeviceEvent, DeviceState
from devices.escpos_printer import EscposPrinterOptions, EscposTicketPrinter
from devices.manager import Backoff, DeviceManager
from devices.printer import QueueTicket, TicketPrinter
from drivers.escpos.decoder import Cut, Line, QrCode, decode, plain_text
from drivers.escpos.emulator import EscposEmulator
from drivers.escpos.render import render_png
from kiosk.cli import main

TICKET = QueueTicket(
    hall_name="示范县政务服务中心",
    number="A023",
    category_name="综合受理",
    item_name="企业设立登记",
    people_ahead=4,
    est_wait_min=20,
    issued_at=datetime(2026, 11, 23, 9, 41),
    holder_name_masked="王*英",
    qr_payload="HKT1.A023.H-DEMO-001",
    footer="请留意叫号",
)
FAST = Backoff(initial=0.05, factor=2.0, maximum=0.2, jitter=0.1)


def _config(tmp_path: Path, connection: str) -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        '[terminal]\nid = "T-DEMO-001"\nhall_name = "示范县政务服务中心"\n'
        f'[devices.printer]\ndriver = "escpos"\nconnection = "{connection}"\n',
        encoding="utf-8",
    )
    return cfg


def test_devices_test_printer_file_capture_reads_back(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Must show: hall name, the number, a QR decoding to the ticket's code, a cut."""
    out = tmp_path / "t.bin"
    cfg = _config(tmp_path, f"file://{out}")
    assert main(["--config", str(cfg), "devices", "test", "printer", "--number", "A001"]) == 0
    printed = capsys.readouterr().out
    code = next(line.split(": ", 1)[1] for line in printed.splitlines() if line.startswith("qr: "))
    ops, warnings = decode(out.read_bytes())
    assert warnings == []
    text = plain_text(ops)
    assert "示范县政务服务中心" in text
    number = next(op for op in ops if isinstance(op, Line) and op.text == "A001")
    assert number.runs[0].width >= 4
    assert [op.payload for op in ops if isinstance(op, QrCode)] == [code]
    assert isinstance(ops[-1], Cut) and ops[-1].partial
    png = render_png(ops, tmp_path / "ticket.png", 576)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [code]


def test_cli_reports_a_missing_printer_plainly(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = _config(tmp_path, "tcp://127.0.0.1:9")
    assert main(["--config", str(cfg), "devices", "test", "printer"]) == 1
    err = capsys.readouterr().err
    assert "not printed (offline)" in err and "Traceback" not in err


def _printer(connection: str, **kw: object) -> EscposTicketPrinter:
    return EscposTicketPrinter("printer", EscposPrinterOptions(connection=connection, **kw))  # type: ignore[arg-type]


def test_status_and_paper_out_over_tcp(tmp_path: Path) -> None:
    with EscposEmulator(render_dir=tmp_path / "png") as emu:
        host, port = emu.start_tcp()
        events: list[DeviceEvent] = []
        p = _printer(f"tcp://{host}:{port}")
        p.attach(events.append)
        p.open()
        try:
            assert p.paper_status().ready
            receipt = p.print_document(TICKET)
            ticket = emu.wait_for_tickets(1)[0]
            assert "A023" in ticket.text and ticket.qr_payloads == [TICKET.qr_payload]
            assert ticket.png is not None and ticket.png.exists()
            assert receipt.bytes_sent > 100

            emu.set_paper("near_end")
            receipt = p.print_document(TICKET)
            assert receipt.warnings == ("paper_near_end",)
            emu.wait_for_tickets(2)

            emu.set_paper("out")
            with pytest.raises(DeviceError) as exc:
                p.print_document(TICKET)
            assert exc.value.code == "paper_out"
            assert "service desk" in exc.value.message
            emu.set_paper("ok", cover_open=True)
            with pytest.raises(DeviceError) as exc:
                p.print_document(TICKET)
            assert exc.value.code == "cover_open"
            assert len(emu.tickets) == 2 and emu.discarded == 0  # refused before a byte was sent
            types = [e.type for e in events]
            assert "paper_low" in types and "paper_out" in types and "cover_open" in types
            emu.set_paper("ok")
            p.poll()
            assert events[-1].type == "paper_ok"
        finally:
            p.close()


def test_pty_serial_printer(tmp_path: Path) -> None:
    with EscposEmulator() as emu:
        path = emu.start_pty(tmp_path / "printer")
        p = _printer(f"serial://{path}?baudrate=115200", profile="POS-5890", paper_mm=58)
        p.open()
        try:
            p.print_document(TICKET)
            ticket = emu.wait_for_tickets(1)[0]
            assert "示范县政务服务中心" in ticket.text
            assert ticket.qr_payloads == [] and len(ticket.images) == 1  # raster QR on this profile
            assert p.paper_status().ready
        finally:
            p.close()


def test_printer_unplugged_and_replugged_comes_back_by_itself(tmp_path: Path) -> None:
    emu = EscposEmulator()
    host, port = emu.start_tcp()
    events: list[DeviceEvent] = []
    seen = threading.Condition()

    def sink(ev: DeviceEvent) -> None:
        with seen:
            events.append(ev)
            seen.notify_all()

    printer = _printer(f"tcp://{host}:{port}", poll_s=0.2, status_timeout_s=0.2)
    mgr = DeviceManager.from_devices([printer], sink, backoff=FAST)
    mgr.start()
    try:
        assert mgr.wait_for("printer", {DeviceState.IDLE}, 5)
        mgr.submit(
            "printer", lambda d: d.print_document(TICKET) if isinstance(d, TicketPrinter) else None
        ).result(5)
        emu.stop()  # unplugged
        with seen:
            assert seen.wait_for(lambda: any(e.type == "disconnected" for e in events), 5)
        fut = mgr.submit(
            "printer", lambda d: d.print_document(TICKET) if isinstance(d, TicketPrinter) else None
        )
        with pytest.raises(DeviceError):
            fut.result(5)
        emu = EscposEmulator()
        emu.start_tcp(host, port)  # replugged
        with seen:
            assert seen.wait_for(lambda: any(e.type == "recovered" for e in events), 10)
        assert mgr.wait_for("printer", {DeviceState.IDLE}, 5)
        mgr.submit(
            "printer", lambda d: d.print_document(TICKET) if isinstance(d, TicketPrinter) else None
        ).result(5)
        assert emu.wait_for_tickets(1)[0].qr_payloads == [TICKET.qr_payload]
    finally:
        mgr.stop()
        emu.stop()


def test_serial_printer_replugged_on_a_new_pty_comes_back(tmp_path: Path) -> None:
    """A USB-serial printer re-enumerates on replug; udev's stable symlink points at the new tty."""
    link = tmp_path / "ttyPRINTER"
    emu = EscposEmulator()
    emu.start_pty(link)
    events: list[DeviceEvent] = []
    seen = threading.Condition()

    def sink(ev: DeviceEvent) -> None:
        with seen:
            events.append(ev)
            seen.notify_all()

    printer = _printer(f"serial://{link}?baudrate=115200", poll_s=0.2, status_timeout_s=0.2)
    mgr = DeviceManager.from_devices([printer], sink, backoff=FAST)
    mgr.start()
    try:
        assert mgr.wait_for("printer", {DeviceState.IDLE}, 5)
        emu.stop()
        with seen:
            assert seen.wait_for(lambda: any(e.type == "disconnected" for e in events), 5)
        emu = EscposEmulator()
        emu.start_pty(link)
        with seen:
            assert seen.wait_for(lambda: any(e.type == "recovered" for e in events), 10)
        assert mgr.wait_for("printer", {DeviceState.IDLE}, 5)
        mgr.submit(
            "printer", lambda d: d.print_document(TICKET) if isinstance(d, TicketPrinter) else None
        ).result(5)
        assert "A023" in emu.wait_for_tickets(1)[0].text
    finally:
        mgr.stop()
        emu.stop()
