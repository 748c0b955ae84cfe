"""kill -9 in the middle of printing a ticket, then start the kiosk again: the ticket ledger
and the printer's output tell one consistent story.

The kiosk runs as separate processes over the real stack: store, device manager with the real
ESC/POS driver, queue, use cases, sync against the reference platform (which supplies the hall
profile, as on a fresh terminal). Between the driver and the ESC/POS emulator sits a TCP "cable"
that can hold the printer's answer: with it held, the kiosk has committed the number as
``printing`` and is waiting on the printer inside ``print_document`` when the test kills it.

1. first run (the core without GUI, taking a number on request): killed with SIGKILL mid-print;
2. second run is the production entry, ``kiosk run`` (offscreen): on start it finds the ticket
   left ``printing`` and reprints it marked 补打; then it gets SIGTERM and stops cleanly;
3. third run takes the next number: the sequence continues, nothing reused.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
import requests

from drivers.escpos.emulator import EscposEmulator
from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from offline_cache.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

REPO = Path(__file__).resolve().parents[2]
DLE_EOT = b"\x10\x04"
GS_V = b"\x1dV"


class Cable:
    """A TCP relay between the kiosk's printer driver and the emulator. Armed with a condition,
    it holds the first status query sent while the condition is true: the printer went silent
    while the kiosk waits on it. ``held`` is set then."""

    def __init__(self, printer: tuple[str, int]) -> None:
        self.printer = printer
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held = threading.Event()
        self.cut_passed = threading.Event()
        """Set when a paper cut (GS V: the end of a ticket) has gone through to the printer."""
        self._when: Callable[[], bool] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def hold_when(self, condition: Callable[[], bool]) -> None:
        with self._lock:
            self._when = condition
            self.held.clear()

    def release(self) -> None:
        with self._lock:
            self._when = None

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe, args=(conn,), daemon=True).start()

    def _pass(self, data: bytes) -> tuple[bytes, bool]:
        """The part of ``data`` to forward, and whether to hold from here on."""
        with self._lock:
            i = data.find(DLE_EOT)
            if self._when is None or i < 0 or not self._when():
                return data, False
            self.held.set()
            return data[:i], True

    def _pipe(self, kiosk: socket.socket) -> None:
        printer = socket.create_connection(self.printer)
        holding = False
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([kiosk, printer], [], [], 0.2)
                if kiosk in ready:
                    data = kiosk.recv(65536)
                    if not data:
                        return
                    if not holding:
                        out, holding = self._pass(data)
                        if out:
                            printer.sendall(out)
                            if GS_V in out:
                                self.cut_passed.set()
                if printer in ready:
                    data = printer.recv(65536)
                    if not data:
                        return
                    kiosk.sendall(data)
        except OSError:
            return
        finally:
            kiosk.close()
            printer.close()

    def close(self) -> None:
        self._stop.set()
        self.server.close()


class Child:
    def __init__(self, config: Path, env: dict[str, str], log: Path) -> None:
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.crash_child", str(config)],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )

    def line(self, timeout: float = 60) -> str:
        out: IO[str] = self.proc.stdout  # type: ignore[assignment]
        ready, _, _ = select.select([out], [], [], timeout)
        assert ready, "the kiosk did not answer in time"
        return out.readline().strip()

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(30)
        for f in (self.proc.stdin, self.proc.stdout):
            if f is not None:
                f.close()
        self.log.close()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[dict[str, Any]]:
    platform = ServerThread(prepare(tmp_path / "platform")).start()
    emulator = EscposEmulator(render_dir=tmp_path / "paper")
    cable = Cable(emulator.start_tcp())
    config = tmp_path / "terminal.toml"
    config.write_text(
        f'[terminal]\nid = "{seed.TERMINAL_ID}"\nprofile = "ticket"\n'
        f'[platform]\nurl = "{platform.url}"\nterminal_id = "{seed.TERMINAL_ID}"\n'
        f'hall_id = "{seed.HALL_ID}"\nsecret_file = "{tmp_path / "platform" / SECRET_NAME}"\n'
        "[queue]\nenforce_hours = false\n"
        f'[devices.printer]\ndriver = "escpos"\nconnection = "tcp://127.0.0.1:{cable.port}"\n'
        "poll_s = 60\n"  # no background status polls in the middle of the scenario
    )
    env = {
        **os.environ,
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    env.pop("KIOSK_CONFIG", None)
    try:
        yield {
            "config": config,
            "env": env,
            "emulator": emulator,
            "cable": cable,
            "tmp": tmp_path,
            "platform": platform.url,
        }
    finally:
        cable.close()
        emulator.stop()
        platform.stop()


def ledger(data: Path) -> tuple[dict[str, tuple[str, str, str | None]], list[dict[str, Any]]]:
    store = Store.open(data / "kiosk.db")
    try:
        with store.read() as conn:
            tickets = {
                r[0]: (r[1], r[2], r[3])
                for r in conn.execute("SELECT ticket_id, number, state, note FROM q_tickets ORDER BY seq")
            }
            events = [json.loads(r[0]) for r in conn.execute("SELECT payload FROM outbox ORDER BY seq")]
    finally:
        store.close()
    return tickets, events


def printing(data: Path) -> bool:
    """A ticket committed as ``printing`` (read-only, beside the kiosk's own connections)."""
    try:
        conn = sqlite3.connect(f"file:{data / 'kiosk.db'}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("SELECT 1 FROM q_tickets WHERE state = 'printing'").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def all_events(data: Path, platform_url: str) -> list[dict[str, Any]]:
    """What the platform received plus what still waits in the outbox (delivered events leave it)."""
    delivered = requests.get(platform_url + "/admin/events", timeout=10).json()["events"]
    _, pending = ledger(data)
    ids = [e["id"] for e in delivered + pending]
    assert len(ids) == len(set(ids)), "an event both delivered and still pending"
    return [*delivered, *pending]


def restart_with_kiosk_run(rig: dict[str, Any], *, wait_tickets: int) -> str:
    """`kiosk run` until its queue is up and the printer has ``wait_tickets`` in all, then
    SIGTERM (the queue's stop waits for the recovery thread); returns its log."""
    emulator: EscposEmulator = rig["emulator"]
    env = {**rig["env"], "KIOSK_CONFIG": str(rig["config"])}
    log_path = rig["tmp"] / "run2.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run"], cwd=REPO, env=env, stdout=log, stderr=log
        )
        try:
            wait_for(lambda: "queue started" in log_path.read_text(), 60, "kiosk run never started its queue")
            emulator.wait_for_tickets(wait_tickets, timeout=60)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = log_path.read_text()
    assert "shutdown complete" in text
    return text


def wait_for(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_kill_9_mid_print_then_restart_tells_one_story(rig: dict[str, Any]) -> None:
    emulator: EscposEmulator = rig["emulator"]
    cable: Cable = rig["cable"]
    data = rig["tmp"] / "data"

    # 1. The first run takes a number; the printer goes silent inside print_document; kill -9.
    first = Child(rig["config"], rig["env"], rig["tmp"] / "run1.log")
    try:
        assert first.line() == "READY"
        # take_ticket asks the paper status, commits the number as `printing`, then
        # print_document asks the status again: that query is held.
        cable.hold_when(lambda: printing(data))
        first.send("take A")
        assert cable.held.wait(30), "the kiosk never reached the printer for the ticket"
        first.proc.send_signal(signal.SIGKILL)
        assert first.proc.wait(30) == -signal.SIGKILL
    finally:
        first.close()
        cable.release()
    tickets, _ = ledger(data)
    assert [(n, s) for n, s, _ in tickets.values()] == [("A001", "printing")], tickets
    (ticket_id,) = tickets
    events = all_events(data, rig["platform"])
    assert [e for e in events if e["type"] == "ticket.issued"] == [], "nothing issued before printing"
    assert emulator.tickets == [], "no paper came out"

    # 2. `kiosk run` (the production entry) starts, settles the interrupted print, gets SIGTERM.
    run2 = restart_with_kiosk_run(rig, wait_tickets=1)
    assert "ticket A001 interrupted by a restart: reprinted" in run2

    # 3. One more number: the sequence continues.
    third = Child(rig["config"], rig["env"], rig["tmp"] / "run3.log")
    try:
        assert third.line() == "READY"
        third.send("take A")
        result = json.loads(third.line())
        assert result["ok"] and result["number"] == "A002", result
        third.proc.stdin.close()  # type: ignore[union-attr]
        assert third.proc.wait(60) == 0
    finally:
        third.close()
    printed = emulator.wait_for_tickets(2, timeout=30)

    # The story: A001 was interrupted and reprinted once (marked 补打), then A002; the ledger,
    # the outbox and the paper agree, ticket by ticket, through the QR code on the paper.
    tickets, _ = ledger(data)
    events = all_events(data, rig["platform"])
    assert [(n, s) for n, s, _ in tickets.values()] == [("A001", "waiting"), ("A002", "waiting")]
    by_number = {n: tid for tid, (n, _, _) in tickets.items()}
    assert by_number["A001"] == ticket_id
    issued = [e["data"]["ticket_id"] for e in events if e["type"] == "ticket.issued"]
    assert issued == [by_number["A001"], by_number["A002"]], "one ticket.issued per ticket"
    assert len(printed) == 2
    assert printed[0].qr_payloads == [f"HKT:{by_number['A001']}"]
    assert "A001" in printed[0].text and "补打" in printed[0].text
    assert printed[1].qr_payloads == [f"HKT:{by_number['A002']}"]
    assert "A002" in printed[1].text and "补打" not in printed[1].text
    assert emulator.discarded == 0


def test_kill_9_as_the_ticket_comes_out_is_never_silent(rig: dict[str, Any]) -> None:
    """Killed the moment the whole ticket has gone to the printer: either the kiosk had already
    recorded it (one ticket on paper, nothing to do on restart) or it had not (the restart
    reprints it, marked 补打, so the second slip is recognisably a reprint). Either way the
    ledger has the number once, issued once, and the next number continues."""
    emulator: EscposEmulator = rig["emulator"]
    cable: Cable = rig["cable"]
    data = rig["tmp"] / "data"
    first = Child(rig["config"], rig["env"], rig["tmp"] / "run1.log")
    try:
        assert first.line() == "READY"
        first.send("take A")
        assert cable.cut_passed.wait(30), "the ticket never reached the printer"
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(30)
    finally:
        first.close()
    emulator.wait_for_tickets(1, timeout=10)
    tickets, _ = ledger(data)
    [(number, state, _)] = tickets.values()
    assert number == "A001" and state in ("printing", "waiting"), state
    interrupted = state == "printing"

    run2 = restart_with_kiosk_run(rig, wait_tickets=2 if interrupted else 1)
    assert ("ticket A001 interrupted by a restart: reprinted" in run2) == interrupted

    tickets, _ = ledger(data)
    (ticket_id,) = tickets
    assert [(n, s) for n, s, _ in tickets.values()] == [("A001", "waiting")]
    events = all_events(data, rig["platform"])
    assert [e["data"]["ticket_id"] for e in events if e["type"] == "ticket.issued"] == [ticket_id]
    paper = emulator.tickets
    assert [t.qr_payloads for t in paper] == [[f"HKT:{ticket_id}"]] * (2 if interrupted else 1)
    assert "补打" not in paper[0].text
    if interrupted:
        assert "补打" in paper[1].text
