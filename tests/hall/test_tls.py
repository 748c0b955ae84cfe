"""The hall bus over mqtts with a real Mosquitto: members verify the broker against the
configured CA and talk to the host as over plain MQTT; a broker they cannot verify is never
connected to, and the log says why."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.hall.mqtt import Broker, Connection
from tests.hall.harness import start_host, start_member
from tests.hall.mosquitto import Mosquitto, hall_terminals
from tests.pki import make_pki

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def tls_broker(tmp_path: Path) -> Mosquitto:
    m = Mosquitto(tmp_path / "broker", hall_terminals(), tls=make_pki(tmp_path / "pki", "Hall CA"))
    m.start()
    yield m  # type: ignore[misc]
    m.stop()


def test_host_and_member_share_the_queue_over_mqtts(tls_broker: Mosquitto, tmp_path: Path) -> None:
    assert tls_broker.url.startswith("mqtts://")
    host = start_host(tls_broker, tmp_path)
    tm = start_member(tls_broker, tmp_path, "T-TM1")
    try:
        t = tm.queue.issue_unprinted("A")
        assert [w.number for w in host.service.engine.waiting("A")] == [t.number]
    finally:
        tm.stop()
        host.stop()


def test_a_broker_the_member_cannot_verify_is_never_joined(
    tls_broker: Mosquitto, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    other_ca, _, _ = make_pki(tmp_path / "other", "Someone else's CA")
    trusting_others = replace(tls_broker.broker("T-TM1"), ca_bundle=str(other_ca))
    plain = Broker("127.0.0.1", tls_broker.port, False, "T-TM1", tls_broker.terminals["T-TM1"].password)
    caplog.set_level(logging.WARNING, logger="kiosk.hall.mqtt")
    for broker, client_id in ((trusting_others, "T-TM1"), (plain, "T-TM1-plain")):
        conn = Connection(broker, client_id)
        conn.start()
        try:
            assert not conn.wait_connected(3)
        finally:
            conn.stop()
    assert "certificate verify failed" in caplog.text
