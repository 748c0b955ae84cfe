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


def host_capacity(port: int, clients: list[Terminal], n: int, window: int = 20) -> float:
    """Commands/s the host answers when bare clients (no state parsing) keep ``window`` commands
    each in flight: what the host itself sustains, whatever the members' own CPUs could send."""
    sent_at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    per = n // len(clients)
    got = [0]
    lock = threading.Lock()
    finished = threading.Event()
    cls = []

    def run(t: Terminal) -> None:
        slots = threading.Semaphore(window)
        cl = raw(port, t)

        def on_message(cl: Any, ud: Any, msg: Any) -> None:
            slots.release()
            with lock:
                got[0] += 1
                if got[0] >= per * len(clients):
                    finished.set()

        cl.on_message = on_message
        cl.subscribe(c.res_topic(HALL, t.id), qos=1)
        cls.append(cl)
        time.sleep(0.5)
        counter = int(t.id[3:])
        p = props(ResponseTopic=c.res_topic(HALL, t.id))
        for i in range(per):
            if not slots.acquire(timeout=30):
                return
            op = "call_next" if i % 2 else "finish"
            req = c.Request(str(uuid.uuid4()), t.id, op, {"counter": counter}, sent_at)
            cl.publish(c.req_topic(HALL), req.to_json(), qos=1, properties=p)

    threads = [threading.Thread(target=run, args=(t,)) for t in clients]
    for th in threads:
        th.start()
    time.sleep(0.6)
    t0 = time.perf_counter()
    finished.wait(120)
    rate = got[0] / (time.perf_counter() - t0)
    for th in threads:
        th.join(10)
    for cl in cls:
        cl.disconnect()
        cl.loop_stop()
        close_sockets(cl)
    return rate


# -- members, in their own processes (the hall's boxes do not share one interpreter) -----------------
def members_child(port: int, terms_file: str, ids: list[str], counters: int) -> None:
    """Members ``ids``; on stdin: ``issue CAT``, ``call N``, ``finish N``, ``load S`` (every
    member of this process sends as fast as it can for S seconds), ``quit``. A display prints
    ``heard NUMBER COUNTER T`` (monotonic clock, system-wide on Linux) for every call."""
    import json

    terms = {k: Terminal(**v) for k, v in json.loads(Path(terms_file).read_text()).items()}
    profile = HallProfile.from_dict(profile_data(counters))
    policy = QueuePolicy(enforce_hours=False)
    out_lock = threading.Lock()

    def say(line: str) -> None:
        with out_lock:
            print(line, flush=True)

    def hook(e: object) -> None:
        if isinstance(e, TicketCalled):
            say(f"heard {e.call.number} {e.call.counter} {time.monotonic()}")

    qs: dict[str, RemoteQueue] = {}
    conns = []
    for tid in ids:
        t = terms[tid]
        conn = Connection(Broker("127.0.0.1", port, False, t.id, t.password), t.id)
        q = RemoteQueue(
            conn,
            store=None,
            profile=profile,
            policy=policy,
            hall_id=HALL,
            terminal_id=t.id,
            publish=hook if t.role == "display" else None,
            timeout_s=5,
            give_up_s=30,
        )
        q.attach()
        conn.start()
        qs[tid] = q
        conns.append(conn)
    for conn in conns:
        conn.wait_connected(30)
    time.sleep(0.5)
    say("ready")
    for line in sys.stdin:
        cmd, *rest = line.split()
        if cmd == "issue":
            next(q for tid, q in qs.items() if terms[tid].role == "ticket").issue_unprinted(rest[0])
            say("ok")
        elif cmd in ("call", "finish"):
            n = int(rest[0])
            q = qs[f"T-C{n:03d}"]
            if cmd == "finish":
                try:
                    q.finish(n)
                except QueueRefused:
                    pass
                say("ok")
                continue
            t0 = time.monotonic()
            t = q.call_next(n)
            say(f"called {t.number if t else '-'} {t0}")
        elif cmd == "load":
            say(" ".join(str(x) for x in load(qs, terms, float(rest[0]))))
        elif cmd == "quit":
            break
    for conn in conns:
        conn.stop()


def load(qs: dict[str, RemoteQueue], terms: dict[str, Terminal], seconds: float) -> tuple[int, int]:
    done = [0, 0]
    lock = threading.Lock()
    stop = threading.Event()

    def count(i: int) -> None:
        with lock:
            done[i] += 1

    def counter_loop(q: RemoteQueue, n: int) -> None:
        while not stop.is_set():
            try:
                q.finish(n)
                count(0)
            except QueueRefused:
                count(1)
            q.call_next(n)
            count(0)

    def machine_loop(q: RemoteQueue, k: int) -> None:
        i = 0
        while not stop.is_set():
            q.issue_unprinted(CATEGORIES[(k + i) % len(CATEGORIES)])
            count(0)
            i += 1

    threads = []
    for k, (tid, q) in enumerate(qs.items()):
        if terms[tid].role == "counter":
            threads.append(threading.Thread(target=counter_loop, args=(q, int(tid[3:]))))
        elif terms[tid].role == "ticket":
            threads.append(threading.Thread(target=machine_loop, args=(q, k)))
    for th in threads:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in threads:
        th.join(60)
    return done[0], done[1]


class Group:
    def __init__(self, port: int, terms_file: Path, ids: list[str], counters: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--members-child", str(port), str(terms_file), str(counters), *ids],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.readline() == "ready"

    def readline(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def ask(self, line: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.readline()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait(60)


# -- the bench ---------------------------------------------------------------------------------------
def main() -> int:
    import json

    ap = argparse.ArgumentParser()
    ap.add_argument("--counters", type=int, default=100)
    ap.add_argument("--tickets", type=int, default=5, help="ticket machines")
    ap.add_argument("--displays", type=int, default=5)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument(
        "--groups", type=int, default=4, help="processes the counters and machines are spread over"
    )
    ap.add_argument("--host-child", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--members-child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.host_child:
        d, port, pw, n = args.host_child
        host_child(d, int(port), pw, int(n))
        return 0
    if args.members_child:
        port, terms_file, n, *ids = args.members_child
        members_child(int(port), terms_file, ids, int(n))
        return 0

    from tests.hall.mosquitto import Mosquitto

    tmp = Path(tempfile.mkdtemp(prefix="bench-hall-"))
    terms = {"HOST": Terminal("HOST", "host", new_password())}
    counters = [Terminal(f"T-C{i:03d}", "counter", new_password()) for i in range(1, args.counters + 1)]
    machines = [Terminal(f"T-TM{i}", "ticket", new_password()) for i in range(1, args.tickets + 1)]
    displays = [Terminal(f"T-D{i}", "display", new_password()) for i in range(1, args.displays + 1)]
    for t in counters + machines + displays:
        terms[t.id] = t
    terms_file = tmp / "terms.json"
    terms_file.write_text(json.dumps({k: vars(v) for k, v in terms.items()}))
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
    workers = [t.id for t in counters + machines]
    groups: list[Group] = []
    heard: dict[tuple[str, int], list[float]] = {}
    try:
        for g in range(args.groups):
            groups.append(Group(broker.port, terms_file, workers[g :: args.groups], args.counters))
        disp = Group(broker.port, terms_file, [t.id for t in displays], args.counters)

        def listen() -> None:
            while True:
                line = disp.readline()
                if not line:
                    return
                _, number, counter, t = line.split()
                heard.setdefault((number, int(counter)), []).append(float(t))

        threading.Thread(target=listen, daemon=True).start()
        by_counter = {int(t.id[3:]): next(g for g in groups if t.id in g.proc.args) for t in counters}
        tm_group = next(g for g in groups if machines[0].id in g.proc.args)

        # call -> every display
        for i in range(args.calls):
            tm_group.ask(f"issue {CATEGORIES[i % len(CATEGORIES)]}")
        lat: list[float] = []
        for i in range(args.calls):
            n = (i % args.counters) + 1
            g = by_counter[n]
            if i >= args.counters:
                g.ask(f"finish {n}")
            _, number, t0 = g.ask(f"call {n}").split()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and len(heard.get((number, n), [])) < len(displays):
                time.sleep(0.0005)
            lat += [(t - float(t0)) * 1000 for t in heard.get((number, n), [])]
        missing = args.calls * len(displays) - len(lat)

        # commands per second, everyone at once
        cpu0, w0 = cpu_s(host.pid), time.perf_counter()
        for g in groups:
            assert g.proc.stdin is not None
            g.proc.stdin.write(f"load {args.seconds}\n")
            g.proc.stdin.flush()
        results = [g.readline().split() for g in groups]
        cpu1, w1 = cpu_s(host.pid), time.perf_counter()
        done = sum(int(r[0]) for r in results)
        refused = sum(int(r[1]) for r in results)
        rate = (done + refused) / args.seconds
        cpu = (cpu1 - cpu0) / (w1 - w0) * 100
        for g in [*groups, disp]:
            g.close()
        cap_cpu0, cap_w0 = cpu_s(host.pid), time.perf_counter()
        capacity = host_capacity(broker.port, counters[:10], 3000)
        cap_cpu = (cpu_s(host.pid) - cap_cpu0) / (time.perf_counter() - cap_w0) * 100
        rss = rss_mb(host.pid)
    finally:
        for g in groups:
            if g.proc.poll() is None:
                g.proc.kill()
        host.stdin.close()
        host.wait(30)

    floor = floor_publish_receive(broker.port, terms["HOST"], displays[0], args.calls)
    echo = floor_echo(broker.port, terms["HOST"], counters[0], min(args.seconds, 5.0))
    broker.stop()
    print(
        f"hall bus on one Mosquitto: {args.counters} counters + {args.tickets} ticket machines"
        f" in {args.groups} "
        f"processes, {args.displays} displays in one, host in its own ({os.cpu_count()} CPUs)"
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
        f"  commands/s answered, every member sending at once  {rate:7.1f}/s  ({refused} of them refusals:"
        f" finish with nothing open)   host CPU {cpu:5.1f}%"
    )
    print(
        f"  commands/s the host sustains (3000 pipelined from 10 bare clients)  {capacity:7.1f}/s"
        f"   host CPU {cap_cpu:5.1f}%   goal >= 300/s"
    )
    print(f"    floor: bare request -> response echo, one client   {echo:7.1f}/s")
    print(f"  host resident memory {rss:6.1f} MB (CPU above: share of one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
