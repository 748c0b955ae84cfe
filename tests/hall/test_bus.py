"""Host and members over a real Mosquitto (started on a free loopback port with the ACL the
installer writes): one queue for the hall, the ACL, and what each member does when the host
is gone."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from kiosk.hall import contract as c
from kiosk.hall.member import BusHallQueue, HostUnreachable, member_usecases
from kiosk.hall.mqtt import close_sockets
from kiosk.hall_queue import CounterAction, HallQueue
from kiosk.queue.errors import QueueRefused
from kiosk.queue.events import HallDisplayChanged, TicketCalled
from tests.hall.harness import POLICY, start_host, start_member, wait_for
from tests.hall.mosquitto import Mosquitto

pytestmark = pytest.mark.timeout(120)


def raw_client(m: Mosquitto, terminal: str) -> mqtt.Client:
    t = m.terminals[terminal]
    cl = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=f"raw-{terminal}-{uuid.uuid4()}", protocol=mqtt.MQTTv5
    )
    cl.username_pw_set(t.id, t.password)
    cl.connect("127.0.0.1", m.port)
    cl.loop_start()
    return cl


def test_one_queue_for_the_hall(mosquitto: Mosquitto, tmp_path: Path) -> None:
    host = start_host(mosquitto, tmp_path)
    tm = start_member(mosquitto, tmp_path, "T-TM1")
    tm2 = start_member(mosquitto, tmp_path, "T-TM2")
    c1 = start_member(mosquitto, tmp_path, "T-C1")
    disp = start_member(mosquitto, tmp_path, "T-D1")
    try:
        numbers = []
        for q in (tm.queue, tm2.queue, tm.queue, tm2.queue):
            t = q.begin_issue("A")
            numbers.append(q.confirm_printed(t.ticket_id).number)
        assert numbers == ["A001", "A002", "A003", "A004"]  # two machines, one numbering
        wait_for(lambda: c1.queue.categories()[0].waiting == 4, what="the counter sees four waiting")
        # the counter's use cases behind HallQueue, as the UI uses them
        hq = BusHallQueue(member_usecases(c1.queue, store=c1.store))
        assert isinstance(hq, HallQueue)
        r = hq.counter_action(1, CounterAction.NEXT)
        assert r.ok and r.params["number"] == "A001"
        call = wait_for(
            lambda: [e for e in disp.events if isinstance(e, TicketCalled)], what="call on display"
        )
        assert call[0].call.number == "A001" and call[0].call.counter == 1
        wait_for(lambda: disp.queue.display_model().current is not None, what="display state")
        assert disp.queue.display_model().current.number == "A001"  # type: ignore[union-attr]
        assert disp.queue.display_model().categories[0].waiting == 3
        view = hq.counter_view(1)
        assert view.current is not None and view.current.number == "A001" and view.waiting_count == 3
        assert hq.counter_action(1, CounterAction.FINISH).ok
        assert hq.counter_action(2, CounterAction.RECALL).message == "no_open_ticket"  # the host's refusal
        with host.store.read() as conn:
            events = [r[0] for r in conn.execute("SELECT type FROM outbox ORDER BY rowid")]
        assert events.count("ticket.issued") == 4 and events.count("ticket.called") == 1
        for m in (tm, tm2, c1, disp):  # members keep no queue events of their own
            with m.store.read() as conn:
                assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
    finally:
        for m in (tm, tm2, c1, disp):
            m.stop()
        host.stop()


def test_acl_a_display_cannot_command_and_nobody_reads_anothers_answers(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    host = start_host(mosquitto, tmp_path)
    c1 = start_member(mosquitto, tmp_path, "T-C1")
    try:
        tm = start_member(mosquitto, tmp_path, "T-TM1")
        tm.queue.issue_unprinted("A")
        handled = host.host.handled
        disp = raw_client(mosquitto, "T-D1")
        payload = c.Request(
            "d-1",
            "T-D1",
            "call_next",
            {"counter": 1},
            time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        ).to_json()
        from kiosk.hall.mqtt import props

        disp.publish(
            c.req_topic(mosquitto.hall),
            payload,
            qos=1,
            properties=props(ResponseTopic=c.res_topic(mosquitto.hall, "T-D1")),
        ).wait_for_publish(5)
        # the member's own commands still go through after it; the display's never reached the host
        spy = raw_client(mosquitto, "T-C2")
        heard: list[bytes] = []
        got = threading.Event()

        def on_message(cl: object, ud: object, msg: mqtt.MQTTMessage) -> None:
            heard.append(msg.payload)
            got.set()

        spy.on_message = on_message
        spy.subscribe(c.res_topic(mosquitto.hall, "T-C1"), qos=1)
        spy.subscribe(c.res_topic(mosquitto.hall, "T-C2"), qos=1)
        time.sleep(0.3)
        t = c1.queue.call_next(1)
        assert t is not None and t.number == "A001"
        assert host.host.handled == handled + 1
        assert not got.wait(1.0) and heard == []  # T-C2 heard nothing of T-C1's answer
        for cl in (disp, spy):
            cl.disconnect()
            cl.loop_stop()
            close_sockets(cl)
        tm.stop()
    finally:
        c1.stop()
        host.stop()


def test_counter_says_host_unreachable_and_display_keeps_last_picture(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    host = start_host(mosquitto, tmp_path)
    c1 = start_member(mosquitto, tmp_path, "T-C1", give_up_s=1.5)
    disp = start_member(mosquitto, tmp_path, "T-D1", stale_s=2)
    try:
        c1.queue.issue_unprinted("A")
        wait_for(lambda: disp.queue.categories()[0].waiting == 1, what="display state")
        host.stop(clean=False)  # kill -9: the broker publishes its last will
        wait_for(lambda: not c1.queue.host_reachable(), timeout=30, what="last will")
        t0 = time.monotonic()
        with pytest.raises(HostUnreachable):
            c1.queue.call_next(1)
        assert time.monotonic() - t0 < 0.5  # at once, nothing queued
        hq = BusHallQueue(member_usecases(c1.queue, store=c1.store))
        r = hq.counter_action(1, CounterAction.NEXT)
        assert not r.ok and r.message == "host_unreachable"
        assert "host cannot be reached" in r.text("en") and "连不上" in r.text("zh")  # one plain sentence
        lost = wait_for(
            lambda: [
                e
                for e in disp.events
                if isinstance(e, HallDisplayChanged) and "connection lost" in e.model.notice
            ],
            timeout=10,
            what="connection lost notice",
        )
        assert lost[-1].model.categories[0].waiting == 1  # the last picture stays
    finally:
        c1.stop()
        disp.stop()


def test_ticket_machine_issues_from_its_lease_while_the_host_is_gone(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    host = start_host(mosquitto, tmp_path)
    tm = start_member(mosquitto, tmp_path, "T-TM1", lease_size=4, give_up_s=1.5)
    wait_for(
        lambda: (
            tm.store.read().__enter__().execute("SELECT COUNT(*) FROM hall_member_leases").fetchone()[0] == 5
        ),
        what="leases",
    )
    online = tm.queue.issue_unprinted("A").number
    assert online == "A005"  # 1-4 are the machine's lease
    host.stop(clean=False)
    wait_for(lambda: not tm.queue.host_reachable(), timeout=30, what="host gone")
    offline = []
    holder = {"holder_id_hash": "ab" * 32, "holder_masked": "李*华"}
    for _ in range(POLICY.real_name_limit):
        t = tm.queue.begin_issue("A", **holder)
        offline.append(tm.queue.confirm_printed(t.ticket_id).number)
    assert offline == ["A001", "A002", "A003"]
    # the same person once more: refused from this machine's own numbers; the lease keeps A004
    with pytest.raises(QueueRefused) as refused:
        tm.queue.begin_issue("A", **holder)
    assert refused.value.code == "real_name_limit"
    host = start_host(mosquitto, tmp_path)  # restarts from its ledger
    try:
        wait_for(lambda: len(host.service.engine.waiting("A")) == 4, timeout=20, what="merge")
        numbers = sorted(t.number for t in host.service.engine.waiting("A"))
        assert numbers == ["A001", "A002", "A003", "A005"]
        waiting = host.service.engine.waiting("A")
        assert [t.number for t in waiting] == ["A005", "A001", "A002", "A003"]  # issue-time order
        assert [t.issued_at for t in waiting] == sorted(t.issued_at for t in waiting)

        def unsubmitted() -> int:
            with tm.store.read() as conn:
                return int(
                    conn.execute(
                        "SELECT COUNT(*) FROM hall_offline_tickets WHERE submitted_at IS NULL"
                    ).fetchone()[0]
                )

        wait_for(lambda: unsubmitted() == 0, what="the machine's ledger marked submitted")
    finally:
        tm.stop()
        host.stop()
