"""The hall bus at hall scale on one local Mosquitto: 100 counters, 5 ticket machines and 5
displays (every one its own MQTT connection, as separate boxes would have), one host process.

Prints, beside the floors a bare paho client gets from the same broker:
- call -> every display: time from a counter sending ``call_next`` to each display hearing the
  call event (p50/p95 over calls x displays); floor: a bare QoS 1 publish -> receive;
- commands per second the host sustains with every counter and ticket machine sending at once
  (issue, call_next, finish); floor: a bare request -> response echo (no queue, no SQLite);
- the host process's CPU (share of one core) and resident memory while doing so.

Run: .venv/bin/python tests/bench/bench_hall_bus.py [--counters 100] [--calls 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import paho.mqtt.client as mqtt

from kiosk.hall import contract as c
from kiosk.hall.broker import Terminal, new_password
from kiosk.hall.member import RemoteQueue
from kiosk.hall.mqtt import Broker, Connection, close_sockets, no_delay, props
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import TicketCalled
from kiosk.queue.model import HallProfile, QueuePolicy

HALL = "H-BENCH"
CATEGORIES = "ABCDE"


def profile_data(counters: int) -> dict[str, Any]:
    return {
        "hall_id": HALL,
        "name": "bench hall",
        "timezone": "Asia/Shanghai",
        "categories": [
            {"code": k, "name": k, "prefix": k, "daily_limit": 0, "priority_allowed": True}
            for k in CATEGORIES
        ],
        "counters": [
            {"number": n, "name": f"{n}号窗口", "categories": [CATEGORIES[(n - 1) % len(CATEGORIES)]]}
            for n in range(1, counters + 1)
        ],
        "version": 1,
    }


# -- the host, in its own process ------------------------------------------------------------------
def host_child(directory: str, port: int, password: str, counters: int) -> None:
    from kiosk.hall.host import HallHost
    from kiosk.queue.service import QueueService
    from offline_cache.store import Store

    store = Store.open(Path(directory) / "host.db")
    box: dict[str, HallHost] = {}

    def publish(e: object) -> None:
        if "h" in box:
            box["h"].on_queue_event(e)

    svc = QueueService(
        store,
        HallProfile.from_dict(profile_data(counters)),
        QueuePolicy(enforce_hours=False, real_name_limit=0),
        terminal_id="HOST",
        publish=publish,
    )
    svc.start()
    host = HallHost(svc, None, hall_id=HALL, terminal_id="HOST")
    host.conn = Connection(
        Broker("127.0.0.1", port, False, "HOST", password),
        "HOST",
        will=host.presence_will(),
        session_expiry_s=600,
    )
    box["h"] = host
    host.start()
    host.conn.wait_connected(10)
    print("ready", flush=True)
    sys.stdin.read()
    host.stop()
    store.close()


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


# -- floors ------------------------------------------------------------------------------------------
def raw(port: int, t: Terminal) -> mqtt.Client:
    cl = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=f"floor-{uuid.uuid4()}", protocol=mqtt.MQTTv5
    )
    cl.username_pw_set(t.id, t.password)
    cl.on_socket_open = no_delay  # the floor gets the same TCP_NODELAY as the hall bus
    cl.connect("127.0.0.1", port)
    cl.loop_start()
    return cl


def floor_publish_receive(port: int, host: Terminal, display: Terminal, n: int) -> list[float]:
    """Bare QoS 1 publish (as the host) -> receive (as a display) on the calls topic."""
    got: dict[int, float] = {}
    ev = threading.Event()
    rx = raw(port, display)

    def on_message(cl: Any, ud: Any, msg: Any) -> None:
        got[int(msg.payload)] = time.perf_counter()
        ev.set()

    rx.on_message = on_message
    rx.subscribe(c.calls_topic(HALL), qos=1)
    tx = raw(port, host)
    time.sleep(0.5)
    out = []
    for i in range(n):
        ev.clear()
        t0 = time.perf_counter()
        tx.publish(c.calls_topic(HALL), str(i).encode(), qos=1)
        ev.wait(5)
        if i in got:
            out.append((got[i] - t0) * 1000)
    for cl in (rx, tx):
        cl.disconnect()
        cl.loop_stop()
        close_sockets(cl)
    return out


def floor_echo(port: int, host: Terminal, member: Terminal, seconds: float) -> float:
    """Bare request -> response round trips per second (one echoing 'host', one member)."""
    srv = raw(port, host)

    def echo(cl: Any, ud: Any, msg: Any) -> None:
        cl.publish(msg.properties.ResponseTopic, msg.payload, qos=1)

    srv.on_message = echo
    srv.subscribe(c.req_topic(HALL), qos=1)
    cli = raw(port, member)
    ev = threading.Event()
    cli.on_message = lambda cl, ud, msg: ev.set()
    cli.subscribe(c.res_topic(HALL, member.id), qos=1)
    time.sleep(0.5)
    p = props(ResponseTopic=c.res_topic(HALL, member.id))
    n = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        ev.clear()
        cli.publish(c.req_topic(HALL), b"{}", qos=1, properties=p)
        if ev.wait(5):
            n += 1
    for cl in (srv, cli):
        cl.disconnect()
        cl.loop_stop()
        close_sockets(cl)
    return n / seconds


# -- the bench ---------------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--counters", type=int, default=100)
    ap.add_argument("--tickets", type=int, default=5, help="ticket machines")
    ap.add_argument("--displays", type=int, default=5)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument(
        "--host-child", nargs=4, metavar=("DIR", "PORT", "PASSWORD", "COUNTERS"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.host_child:
        d, port, pw, n = args.host_child
        host_child(d, int(port), pw, int(n))
        return 0

    from tests.hall.mosquitto import Mosquitto

    tmp = Path(tempfile.mkdtemp(prefix="bench-hall-"))
    terms = {"HOST": Terminal("HOST", "host", new_password())}
    counters = [Terminal(f"T-C{i:03d}", "counter", new_password()) for i in range(1, args.counters + 1)]
    machines = [Terminal(f"T-TM{i}", "ticket", new_password()) for i in range(1, args.tickets + 1)]
    displays = [Terminal(f"T-D{i}", "display", new_password()) for i in range(1, args.displays + 1)]
    for t in counters + machines + displays:
        terms[t.id] = t
    broker = Mosquitto(tmp / "broker", terms, hall=HALL)
    broker.start()
    host = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--host-child",
            str(tmp),
            str(broker.port),
            terms["HOST"].password,
            str(args.counters),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert host.stdout is not None and host.stdin is not None
    assert host.stdout.readline().strip() == "ready"
    profile = HallProfile.from_dict(profile_data(args.counters))
    policy = QueuePolicy(enforce_hours=False)
    members: list[tuple[RemoteQueue, Connection]] = []
    heard: dict[str, dict[int, float]] = {t.id: {} for t in displays}

    def member(t: Terminal, on: Any = None) -> RemoteQueue:
        conn = Connection(Broker("127.0.0.1", broker.port, False, t.id, t.password), t.id)
        q = RemoteQueue(
            conn,
            store=None,
            profile=profile,
            policy=policy,
            hall_id=HALL,
            terminal_id=t.id,
            publish=on,
            timeout_s=5,
            give_up_s=30,
        )
        q.attach()
        conn.start()
        members.append((q, conn))
        return q

    def display_hook(tid: str) -> Any:
        def on(e: object) -> None:
            if isinstance(e, TicketCalled):
                heard[tid][int(e.call.number[1:]) * 1000 + e.call.counter] = time.perf_counter()

        return on

    try:
        cq = [member(t) for t in counters]
        tq = [member(t) for t in machines]
        for t in displays:
            member(t, display_hook(t.id))
        for _, conn in members:
            conn.wait_connected(30)
        time.sleep(1.0)

        # call -> every display
        n_cat = len(CATEGORIES)
        for i in range(args.calls):
            tq[i % len(tq)].issue_unprinted(CATEGORIES[i % n_cat])
        lat: list[float] = []
        for i in range(args.calls):
            q = cq[i % len(cq)]
            counter = (i % len(cq)) + 1
            if i >= len(cq):
                q.finish(counter)
            t0 = time.perf_counter()
            t = q.call_next(counter)
            assert t is not None
            key = int(t.number[1:]) * 1000 + counter
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline and not all(key in heard[d.id] for d in displays):
                time.sleep(0.0005)
            lat += [(heard[d.id][key] - t0) * 1000 for d in displays if key in heard[d.id]]
        missing = args.calls * len(displays) - len(lat)

        # commands per second, everyone at once
        done = [0]
        errors = [0]
        lock = threading.Lock()
        stop = threading.Event()

        def counter_loop(q: RemoteQueue, counter: int) -> None:
            while not stop.is_set():
                try:
                    q.finish(counter)
                except QueueRefused:
                    pass
                try:
                    q.call_next(counter)
                    with lock:
                        done[0] += 2
                except QueueRefused:
                    with lock:
                        errors[0] += 1

        def machine_loop(q: RemoteQueue, k: int) -> None:
            i = 0
            while not stop.is_set():
                try:
                    q.issue_unprinted(CATEGORIES[(k + i) % n_cat])
                    with lock:
                        done[0] += 1
                except QueueRefused:
                    with lock:
                        errors[0] += 1
                i += 1

        threads = [threading.Thread(target=counter_loop, args=(q, i + 1)) for i, q in enumerate(cq)]
        threads += [threading.Thread(target=machine_loop, args=(q, i)) for i, q in enumerate(tq)]
        cpu0, w0, d0 = cpu_s(host.pid), time.perf_counter(), done[0]
        for th in threads:
            th.start()
        time.sleep(args.seconds)
        stop.set()
        cpu1, w1, d1 = cpu_s(host.pid), time.perf_counter(), done[0]
        for th in threads:
            th.join(30)
        rate = (d1 - d0) / (w1 - w0)
        cpu = (cpu1 - cpu0) / (w1 - w0) * 100
        rss = rss_mb(host.pid)
    finally:
        for _q, conn in members:
            conn.stop()
        host.stdin.close()
        host.wait(30)

    floor = floor_publish_receive(broker.port, terms["HOST"], displays[0], args.calls)
    echo = floor_echo(broker.port, terms["HOST"], counters[0], min(args.seconds, 5.0))
    broker.stop()
    print(
        f"hall bus on one Mosquitto: {args.counters} counters, {args.tickets} ticket machines, "
        f"{args.displays} displays, host in its own process ({os.cpu_count()} CPUs)"
    )
    print(
        f"  call -> every display     p50 {statistics.median(lat):6.2f} ms   p95 {pct(lat, 0.95):6.2f} ms"
        f"   ({len(lat)} deliveries, {missing} missing)   goal p95 <= 100 ms"
    )
    print(
        f"    floor: bare QoS1 publish -> receive   p50 {statistics.median(floor):6.2f} ms"
        f"   p95 {pct(floor, 0.95):6.2f} ms"
    )
    print(
        f"  commands/s the host sustains  {rate:7.1f}/s  ({errors[0]} refused: queue empty)   goal >= 300/s"
    )
    print(f"    floor: bare request -> response echo, one client   {echo:7.1f}/s")
    print(f"  host CPU {cpu:5.1f}% of one core, resident memory {rss:6.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
