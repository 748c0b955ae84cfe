"""A whole hall as separate processes on a real Mosquitto: the reference platform, ``kiosk hall
host``, two ticket machines, two counters and a hall display, each built by the app's wiring.

The chaos test (seeded, bounded) kills the host with SIGKILL at random points, restarts the
broker, and cuts a ticket machine off while it issues from its lease; afterwards no number was
issued twice, no ticket is lost, the host's ledger has every ticket once in issue-time order,
the platform got every queue event once, and the display converges within 2 s."""

from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from drivers.rs485.emulator import BusEmulator
from drivers.rs485.presets import PRESETS
from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from tests.hall.harness import wait_for
from tests.hall.mosquitto import Mosquitto, hall_terminals
from tests.hall.procs import Child, kill9, start_host, start_member, write_config

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]
HOST = seed.TERMINAL_ID


class Hall:
    def __init__(self, tmp: Path, lease_size: int = 5) -> None:
        self.tmp = tmp
        self.lease_size = lease_size
        self.members: dict[str, Child] = {}
        self.host: Any = None
        self.server: Any = None
        self.broker: Any = None
        self.leds: Any = None

    def start(self) -> None:
        tmp, lease_size = self.tmp, self.lease_size
        self.platform = prepare(tmp / "platform")
        self.server = ServerThread(self.platform).start()
        self.broker = Mosquitto(tmp / "broker", hall_terminals(host=HOST))
        self.broker.start()
        secret = tmp / "platform" / SECRET_NAME
        self.host_cfg = write_config(
            tmp, self.broker, HOST, profile="ticket", role="host", platform=self.server.url, secret=secret
        )
        self.host = start_host(self.host_cfg, tmp / "host.log")
        # the window LED screens hang off the display box's RS-485 bus: they follow the call events
        self.leds = BusEmulator(PRESETS["hk-crc16"], screens=[1, 2, 3])
        led_port = self.leds.start(tmp / "rs485")
        leds = (
            f'[devices.window_screens]\ndriver = "rs485_led"\nport = "{led_port}"\npreset = "hk-crc16"\n'
            "timeout_ms = 100\nscreens = [{address = 1, counter = 1}, {address = 2, counter = 2},"
            " {address = 3, counter = 3}]\n"
        )
        for name, profile, lease, counter in (
            ("T-TM1", "ticket", lease_size, 0),
            ("T-TM2", "ticket", lease_size, 0),
            ("T-C1", "counter", 0, 1),
            ("T-C2", "counter", 0, 2),
            ("T-D1", "hall_display", 0, 0),
        ):
            cfg = write_config(
                tmp,
                self.broker,
                name,
                profile=profile,
                role="member",
                lease_size=lease,
                counter=counter,
                extra=leds if name == "T-D1" else "",
            )
            self.members[name] = start_member(cfg, name, tmp / f"{name}.log")

    def restart_host(self) -> None:
        kill9(self.host)
        self.host = start_host(self.host_cfg, self.tmp / "host.log")

    def ledger(self) -> list[sqlite3.Row]:
        conn = sqlite3.connect(self.tmp / HOST / "data" / "kiosk.db")
        conn.row_factory = sqlite3.Row
        try:
            return list(conn.execute("SELECT * FROM q_tickets ORDER BY queue_order"))
        finally:
            conn.close()

    def outbox_depth(self) -> int:
        conn = sqlite3.connect(self.tmp / HOST / "data" / "kiosk.db")
        try:
            return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])
        finally:
            conn.close()

    def platform_events(self) -> list[dict[str, Any]]:
        return list(requests.get(self.server.url + "/admin/events", timeout=10).json()["events"])

    def close(self) -> None:
        for m in self.members.values():
            m.stop()
        if self.host is not None:
            kill9(self.host)
        if self.broker is not None:
            self.broker.stop()
        if self.server is not None:
            self.server.stop()
        if self.leds is not None:
            self.leds.stop()


@pytest.fixture
def hall(tmp_path: Path) -> Any:
    h = Hall(tmp_path)
    try:
        h.start()
        yield h
    finally:
        h.close()


def test_a_hall_of_separate_processes(hall: Hall) -> None:
    tm1, tm2, c1, c2, d1 = (hall.members[k] for k in ("T-TM1", "T-TM2", "T-C1", "T-C2", "T-D1"))
    issued = [m.ask("issue A")["number"] for m in (tm1, tm2, tm1, tm2, tm1, tm2)]
    issued += [tm1.ask("issue B")["number"], tm2.ask("issue B")["number"]]
    assert len(set(issued)) == len(issued), issued
    called = []
    counters = [1, 2, 1, 3, 2]
    for counter, child in zip(counters, (c1, c2, c1, c2, c2), strict=True):
        r = child.ask(f"call {counter}")
        assert r["ok"], r
        called.append(r["number"])
    assert len(set(called)) == len(called)

    def display_caught_up() -> dict[str, Any] | None:
        r = d1.ask("calls")
        return r if len(r["calls"]) == len(called) and r["recent"][:1] == called[-1:] else None

    seen = wait_for(display_caught_up, 10, "calls and state on the display")
    assert [c["number"] for c in seen["calls"]] == called  # every call shown, in order
    assert seen["recent"][: len(called)] == called[::-1]

    def on_leds() -> bool:
        shown = {a: " ".join(s.history) for a, s in hall.leds.screens.items()}
        return all(number in shown[counter] for number, counter in zip(called, counters, strict=True))

    assert hall.leds.wait_until(on_leds, 10), {a: s.history for a, s in hall.leds.screens.items()}
    wait_for(lambda: hall.outbox_depth() == 0, 30, "host outbox drained")
    events = hall.platform_events()
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))
    kinds = Counter(e["type"] for e in events)
    assert kinds["ticket.issued"] == len(issued) and kinds["ticket.called"] == len(called)
    assert {e["terminal_id"] for e in events} == {HOST}  # queue events come from the host only


def test_chaos_kill_the_host_restart_the_broker_cut_a_ticket_machine(hall: Hall) -> None:
    rng = random.Random(20261130)
    tm1, tm2, c1, c2, d1 = (hall.members[k] for k in ("T-TM1", "T-TM2", "T-C1", "T-C2", "T-D1"))
    steps = 30
    kills = set(rng.sample(range(3, steps), 2))
    broker_restart = rng.choice([i for i in range(3, steps) if i not in kills])
    cut = rng.choice([i for i in range(3, steps) if i not in kills and i != broker_restart])
    printed: dict[str, str] = {}  # ticket id -> number, as the machines printed them
    offline: list[str] = []

    def issue(m: Child) -> None:
        r = m.ask(f"issue {rng.choice('AB')}")
        if r["ok"]:
            assert r["ticket_id"] not in printed
            printed[r["ticket_id"]] = r["number"]
            if r["offline"]:
                offline.append(r["number"])

    for i in range(steps):
        if i in kills:
            # SIGKILL while a ticket machine's command is in flight, then start again from the
            # ledger: the machine resends the same id (answered from the ledger if it was done)
            # or, after give_up_s, prints from its lease; either way one ticket
            tm1.send("issue A")
            time.sleep(rng.uniform(0.0, 0.05))
            hall.restart_host()
            r = tm1.recv()
            if r["ok"]:
                printed[r["ticket_id"]] = r["number"]
                if r["offline"]:
                    offline.append(r["number"])
        if i == broker_restart:
            hall.broker.restart()
        if i == cut:
            assert tm2.ask("cut 6")["ok"]
            wait_for(lambda: not tm2.ask("reachable")["ok"], 5, "machine cut off")
            for _ in range(3):
                r = tm2.ask("issue A")
                assert r["ok"] and r["offline"], r  # printed from its lease
                printed[r["ticket_id"]] = r["number"]
                offline.append(r["number"])
        action = rng.choice(["tm1", "tm2", "tm1", "tm2", "c1", "c2", "fin"])
        if action in ("tm1", "tm2"):
            issue(tm1 if action == "tm1" else tm2)
        elif action == "c1":
            c1.ask("call 1")
        elif action == "c2":
            c2.ask(f"call {rng.choice([2, 3])}")
        else:
            c1.ask("finish 1")
    assert len(offline) >= 3

    # the hall settles: the cut machine is back and hands in its ledger, the outbox drains
    for m in (tm1, tm2, c1, c2, d1):
        wait_for(lambda m=m: m.ask("reachable")["ok"], 60, f"{m.name} back")
    for m in (tm1, tm2):
        wait_for(
            lambda m=m: all(t["submitted_at"] or t["state"] != "printed" for t in m.ask("ledger")["ledger"]),
            60,
            f"{m.name} ledger submitted",
        )
    ledger = hall.ledger()
    numbers = [(r["day"], r["number"]) for r in ledger]
    assert len(numbers) == len(set(numbers)), "a number was issued twice"
    by_id = {r["ticket_id"]: r for r in ledger}
    lost = [n for tid, n in printed.items() if tid not in by_id]
    assert lost == [], f"printed but not in the host's ledger: {lost}"
    assert all(
        by_id[tid]["number"] == n and by_id[tid]["state"] not in ("printing", "voided")
        for tid, n in printed.items()
    )
    for cat in "AB":
        rows = [r for r in ledger if r["category"] == cat and r["state"] not in ("printing", "voided")]
        issued_at = [r["issued_at"] for r in rows]  # rows are in queue order
        assert issued_at == sorted(issued_at), f"{cat}: ledger not in issue-time order"
    # the platform got every queue event once, from the host
    wait_for(lambda: hall.outbox_depth() == 0, 60, "host outbox drained")
    events = hall.platform_events()
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))
    issued_events = [e["data"]["ticket_id"] for e in events if e["type"] == "ticket.issued"]
    assert sorted(issued_events) == sorted(
        r["ticket_id"] for r in ledger if r["state"] not in ("printing", "voided")
    )
    called_events = Counter(e["data"]["ticket_id"] for e in events if e["type"] == "ticket.called")
    assert set(called_events) == {r["ticket_id"] for r in ledger if r["first_called_at"]}
    # a display converges to the host's state within 2 s of reconnecting after a broker restart
    hall.broker.restart()
    wait_for(lambda: d1.ask("reachable")["ok"], 30, "display reconnected")
    t0 = time.monotonic()
    ledger = hall.ledger()
    want = {
        cat: sum(1 for r in ledger if r["category"] == cat and r["state"] == "waiting") for cat in "ABCDE"
    }
    last_call = max((r for r in ledger if r["called_at"]), key=lambda r: r["called_at"], default=None)

    def converged() -> bool:
        r = d1.ask("calls")
        return r["waiting"] == want and (last_call is None or r["recent"][:1] == [last_call["number"]])

    try:
        wait_for(converged, 2.0, "display converged to the host's state")
    except AssertionError:
        raise AssertionError((d1.ask("calls"), want, last_call and last_call["number"])) from None
    assert time.monotonic() - t0 <= 2.0
