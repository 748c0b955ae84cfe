"""Citizen use cases on the real store and the ESC/POS printer emulator, in virtual time:
appointment check-in (window, late, early, twice, offline QR), real-name and daily limits,
closing time, one rating per service, and recovery of a print interrupted by a crash."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from devices.base import DeviceState
from devices.manager import DeviceManager
from drivers.escpos.emulator import EscposEmulator
from kiosk.cli.common import with_overrides
from kiosk.identity.person import Identity, parse_birth_date
from kiosk.queue.hall import DEMO_HALL, demo_profile
from kiosk.queue.model import QueuePolicy, TicketState
from kiosk.queue.service import QueueService
from kiosk.usecases import CheckInConfig, UseCases
from offline_cache import appointments as ap
from offline_cache import signing_keys
from offline_cache.store import Store

pytestmark = [pytest.mark.timeout(60)]

SALT = DEMO_HALL["id_hash_salt"]
MONDAY_9 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, a Monday


def Person(id_number: str, name: str, birth_date: str | None = None) -> Identity:
    """An ID card's holder, as the core's one identity type."""
    return Identity("id_card", name, id_number, parse_birth_date(birth_date, id_number))


LI = Person("110105198503072014", "李明华", "1985-03-07")
WANG = Person("32050219480916402X", "王秀英", "1948-09-16")
CHEN = Person("440304199206111537", "陈志强", "1992-06-11")


@dataclass
class Env:
    store: Store
    printer: EscposEmulator
    devices: DeviceManager
    clock: list[datetime] = field(default_factory=lambda: [MONDAY_9])

    def service(self, policy: QueuePolicy | None = None) -> QueueService:
        svc = QueueService(
            self.store,
            demo_profile(),
            policy or QueuePolicy(real_name_limit=2),
            terminal_id="T-DEMO-001",
            clock=lambda: self.clock[0],
        )
        svc.start()
        return svc

    def usecases(self, svc: QueueService, **kw: Any) -> UseCases:
        return UseCases(svc, store=self.store, devices=self.devices, config=CheckInConfig(**kw))

    def book(self, appt_id: str, person: Identity, category: str, slot: datetime) -> None:
        item = {
            "id": appt_id,
            "item_code": None,
            "category": category,
            "slot_start": slot.isoformat(),
            "slot_end": (slot + timedelta(minutes=30)).isoformat(),
            "holder_id_hash": ap.holder_id_hash(SALT, person.id_number),
            "holder_name_masked": "李*华",
            "status": "booked",
        }
        self.store.write(lambda c: ap.upsert(c, "H-DEMO-001", "2026-11-23", [item]))

    def outbox(self) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            return [json.loads(r[0]) for r in conn.execute("SELECT payload FROM outbox ORDER BY seq")]


@pytest.fixture
def env(tmp_path: Path, repo: Path) -> Iterator[Env]:
    printer = EscposEmulator(render_dir=None, paper_dots=576)
    host, port = printer.start_tcp()
    settings = with_overrides(
        str(repo / "config" / "default.toml"),
        {"devices": {"printer": {"driver": "escpos", "connection": f"tcp://{host}:{port}"}}},
        {},
    )
    mgr = DeviceManager(settings.devices, lambda ev: None)
    mgr.start()
    assert mgr.wait_for("printer", {DeviceState.IDLE}, 10)
    store = Store.open(tmp_path / "kiosk.db")
    try:
        yield Env(store, printer, mgr)
    finally:
        store.close()
        mgr.stop()
        printer.stop()


def test_check_in_on_time_then_twice(env: Env) -> None:
    env.book("AP-1", LI, "B", MONDAY_9 + timedelta(minutes=20))
    uc = env.usecases(env.service())
    r = uc.check_in(identity=LI)
    assert r.ok and r.message == "checked_in", r.text("en")
    assert r.ticket.priority == "appointment" and r.ticket.number == "B001"
    again = uc.check_in(identity=LI)
    assert not again.ok and again.message == "already_checked_in" and again.params["number"] == "B001"
    assert "B001" in again.text("zh")
    events = [e for e in env.outbox() if e["type"] == "appointment.checked_in"]
    assert len(events) == 1 and events[0]["data"]["late_minutes"] == 0
    with env.store.read() as conn:
        assert ap.get(conn, "AP-1").ticket_id == r.ticket.ticket_id  # type: ignore[union-attr]


def test_late_check_in_gives_an_ordinary_ticket_with_the_reason(env: Env) -> None:
    env.book("AP-2", LI, "B", MONDAY_9 - timedelta(minutes=40))
    uc = env.usecases(env.service(), after_min=15)
    r = uc.check_in(identity=LI)
    assert r.ok and r.message == "checked_in_late" and r.params["late"] == 40
    assert r.ticket.priority == "normal"
    assert "40" in r.text("zh") and "ordinary" in r.text("en")
    ev = next(e for e in env.outbox() if e["type"] == "appointment.checked_in")
    assert ev["data"]["late_minutes"] == 40


def test_too_early_consumes_nothing(env: Env) -> None:
    env.book("AP-3", LI, "B", MONDAY_9 + timedelta(hours=2))
    uc = env.usecases(env.service(), before_min=30)
    r = uc.check_in(identity=LI)
    assert not r.ok and r.message == "checkin_too_early" and r.params["opens"] == "10:30"
    assert env.outbox() == []
    assert uc.check_in(identity=CHEN).message == "no_appointment"


def _signing_key(env: Env) -> Ed25519PrivateKey:
    """A platform key the terminal holds as ``k1`` (as if synced from ``GET /v1/keys``)."""
    key = Ed25519PrivateKey.generate()
    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    held = signing_keys.SigningKey("k1", "Ed25519", base64.b64encode(pub).decode(), None)
    env.store.write(lambda c: signing_keys.replace(c, [held]))
    return key


def _signed_code(key: Ed25519PrivateKey, payload: dict[str, Any]) -> str:
    part = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    sig = base64.urlsafe_b64encode(key.sign(f"HK1.{part}".encode())).rstrip(b"=").decode()
    return f"HK1.{part}.{sig}"


def test_offline_qr_check_in(env: Env) -> None:
    key = _signing_key(env)
    env.book("AP-4", LI, "B", MONDAY_9)
    payload = {
        "kid": "k1",
        "typ": "appt",
        "sub": ap.holder_id_hash(SALT, LI.id_number),
        "appt": "AP-4",
        "exp": int(MONDAY_9.timestamp()) + 10**9,
    }
    uc = env.usecases(env.service())
    assert uc.check_in(qr_payload="HK1.bm90.anVuaw").message == "qr_not_recognised"
    assert uc.check_in(qr_payload="'; DROP TABLE q_tickets; --").message == "qr_not_recognised"
    r = uc.check_in(qr_payload=_signed_code(key, payload))
    assert r.ok and r.message == "checked_in" and r.ticket.number == "B001"


def test_a_person_code_is_an_identity_and_shares_the_card_holders_limit(env: Env) -> None:
    key = _signing_key(env)
    exp = int(MONDAY_9.timestamp()) + 10**9
    person = {"kid": "k1", "typ": "person", "sub": ap.holder_id_hash(SALT, LI.id_number), "appt": None}
    uc = env.usecases(env.service())
    code = uc.identify_code(_signed_code(key, {**person, "exp": exp}))
    assert code is not None and code.sub == person["sub"]
    # an appointment code, an expired code, a forged one and plain text are not identities
    assert uc.identify_code(_signed_code(key, {**person, "typ": "appt", "appt": "AP-1", "exp": exp})) is None
    assert uc.identify_code(_signed_code(key, {**person, "exp": 1})) is None
    forged = _signed_code(Ed25519PrivateKey.generate(), {**person, "exp": exp})
    assert uc.identify_code(forged) is None
    assert uc.identify_code("110105198503072014") is None
    # the code and the card are the same person for the real-name limit (2 a day here)
    assert uc.take_ticket("C", identity=Identity.from_person_code(code.sub)).ok
    by_card = uc.take_ticket("C", identity=LI)
    assert by_card.ok
    with env.store.read() as conn:
        masked = conn.execute("SELECT holder_masked FROM q_tickets ORDER BY seq").fetchall()
    assert [r[0] for r in masked] == [None, "李*华"], "the card's name, masked, for the counter screen"
    third = uc.take_ticket("C", identity=Identity.from_person_code(code.sub))
    assert not third.ok and third.message == "real_name_limit"
    printed = env.printer.wait_for_tickets(2)[0]
    assert "李" not in printed.text, "a code carries no name: nothing to print but the number"


def test_real_name_limit_elderly_priority_and_closing_time(env: Env) -> None:
    uc = env.usecases(env.service())
    first = uc.take_ticket("C", identity=WANG)
    assert first.ok and first.ticket.priority == "elderly"
    assert uc.take_ticket("C", identity=WANG).ok
    third = uc.take_ticket("C", identity=WANG)
    assert not third.ok and third.message == "real_name_limit" and third.params["limit"] == 2
    assert uc.take_ticket("D", identity=WANG).ok  # the limit is per category
    assert uc.take_ticket("C", identity=LI).ticket.priority == "normal"
    env.clock[0] = MONDAY_9 + timedelta(hours=8, minutes=1)  # 17:01
    closed = uc.take_ticket("C")
    assert not closed.ok and closed.message == "hall_closed" and "17:00" in closed.text("zh")
    env.clock[0] = MONDAY_9 + timedelta(days=5)  # Saturday 09:00 is open, Sunday is not
    assert uc.take_ticket("C").ticket.number == "C001"
    env.clock[0] = MONDAY_9 + timedelta(days=6)
    assert uc.take_ticket("C").message == "hall_closed_today"


def test_daily_limit(env: Env) -> None:
    svc = env.service()
    for _ in range(200):
        svc.issue_unprinted("D")
    r = env.usecases(svc).take_ticket("D")
    assert not r.ok and r.message == "daily_limit_reached" and "税务" in r.text("zh")


def test_one_rating_per_service(env: Env) -> None:
    svc = env.service()
    uc = env.usecases(svc)
    t = uc.take_ticket("A").ticket
    assert uc.counter_action(1, "next").ticket.number == t.number
    assert uc.counter_action(1, "finish").ok
    assert uc.submit_evaluation(4, ("服务态度",), counter=1, channel="window").ok
    second = uc.submit_evaluation(5, counter=1, channel="window")
    assert not second.ok and second.message == "nothing_to_rate"
    dup = uc.submit_evaluation(5, ticket_id=t.ticket_id, channel="kiosk")
    assert not dup.ok and dup.message == "already_rated"
    assert uc.submit_evaluation(9, channel="kiosk").message == "bad_level"


def test_a_ticket_looks_the_same_to_the_citizen_and_at_the_window(env: Env) -> None:
    """One view of a ticket: waiting, its place and the windows serving its category; called to
    a window, that window only and nobody ahead."""
    svc = env.service()
    uc = env.usecases(svc)
    first, second = uc.take_ticket("A").ticket, uc.take_ticket("A").ticket
    assert first is not None and second is not None
    assert (first.people_ahead, second.people_ahead) == (0, 1)
    assert first.category_name == second.category_name != "A"
    serving = tuple(c.number for c in svc.profile.counters if "A" in c.categories)
    assert second.counters == serving and 1 in serving
    called = uc.counter_action(1, "next").ticket
    assert called is not None
    assert (called.ticket_id, called.number, called.category_name) == (
        first.ticket_id, first.number, first.category_name
    )  # fmt: skip
    assert called.people_ahead == 0 and called.est_wait_min is None and called.counters == (1,)


def test_interrupted_print_is_reprinted_or_voided_on_start(env: Env) -> None:
    svc = env.service()
    recent = svc.begin_issue("A")  # the process dies here, before or during printing
    env.clock[0] += timedelta(minutes=10)
    old = svc.begin_issue("A")
    # "restart": a new service over the same store
    env.clock[0] += timedelta(seconds=30)
    svc2 = env.service(QueuePolicy())
    uc = env.usecases(svc2, reprint_within_s=120)
    outcome = dict(uc.recover_interrupted_prints())
    assert outcome == {recent.number: "voided", old.number: "reprinted"}
    printed = env.printer.wait_for_tickets(1, timeout=10)
    assert old.number in printed[-1].text
    assert svc2.ticket(old.ticket_id).state is TicketState.WAITING  # type: ignore[union-attr]
    voided = svc2.ticket(recent.ticket_id)
    assert voided is not None and voided.state is TicketState.VOIDED and voided.note == "interrupted_print"
    # numbers are never reused: the next ticket continues the sequence
    assert svc2.issue_unprinted("A").number == "A003"
    issued = [e["data"]["number"] for e in env.outbox() if e["type"] == "ticket.issued"]
    assert issued == ["A002", "A003"]


def test_the_hall_queue_protocol_over_the_local_queue(env: Env) -> None:
    """What every screen, keypad and pad uses: the same rules through ``HallQueue``, answers as
    plain data (the status is JSON as it is; a view crosses a wire as it is)."""
    from devices.base import DeviceEvent
    from kiosk.counter_devices import on_device_event
    from kiosk.hall_queue import CounterAction, HallQueue, LocalHallQueue
    from kiosk.queue.events import QueueNotice

    q: HallQueue = LocalHallQueue(env.usecases(env.service()))
    assert isinstance(q, HallQueue)
    assert q.estimate("C", WANG).priority == "elderly" and q.estimate("C", LI).priority == "normal"
    assert (
        q.estimate("C", claim="vip").priority == "vip"
        and q.estimate("C", claim="appointment").priority == "normal"
    )
    first = q.take_ticket("C", identity=WANG, language="en")
    assert first.ok and first.ticket is not None and first.ticket.priority == "elderly"
    assert first.text("en").startswith("Your number is C001 (priority)")
    q.take_ticket("C")
    # the card's number crosses no wire: the same limit holds for the hash alone
    wire = WANG.for_wire(SALT)
    assert wire.id_number == "" and wire.name == "王*英" and "32050219" not in repr(wire)
    q.take_ticket("C", identity=wire)
    assert q.take_ticket("C", identity=WANG).message == "real_name_limit"

    called = q.counter_action(5, CounterAction.NEXT)
    assert called.ok and called.ticket is not None and called.ticket.number == "C001"
    view = q.counter_view(5)
    assert (
        view.current is not None and view.current.number == "C001" and view.current.holder_masked == "王*英"
    )
    assert [t.number for t in view.waiting] == ["C002", "C003"] and view.waiting_count == 2
    assert q.display_model().current is not None
    assert {c.code: c.waiting for c in q.categories()}["C"] == 2
    assert any(c.counter == 5 and c.current_number == "C001" for c in q.counters())
    assert q.hall().category_name("C") and q.hall().counter(5) is not None
    json.dumps(q.status())

    # a keypad and a pad at window 5 go through the same interface
    notices: list[object] = []
    assert on_device_event(
        q, DeviceEvent("keypad5", "key", {"counter": 5, "action": "finish"}), notices.append
    ).ok
    rated = on_device_event(q, DeviceEvent("pad5", "rating", {"counter": 5, "level": 5}), notices.append)
    assert rated is not None and rated.ok and rated.message == "evaluation_thanks"
    again = on_device_event(q, DeviceEvent("pad5", "rating", {"counter": 5, "level": 4}), notices.append)
    assert again is not None and not again.ok
    assert notices == [QueueNotice(5, again.message, dict(again.params))]
    assert (
        on_device_event(q, DeviceEvent("keypad5", "key", {"counter": True, "action": "next"}), notices.append)
        is None
    )
    assert q.counter_action(5, CounterAction.TOGGLE_PAUSE).message == "paused"
    assert q.counter_action(5, CounterAction.TOGGLE_PAUSE).message == "resumed"


def test_a_full_day_is_refused_in_time_and_a_long_wait_is_quoted_first(env: Env) -> None:
    svc = env.service(QueuePolicy(day_full=True, default_service_min=10.0, confirm_wait_over_min=60))
    uc = env.usecases(svc)
    quote = uc.wait_quote("B")
    assert quote.ok and quote.message == "wait_quote"
    assert quote.data == {"confirm": False, "minutes": 0, "ahead": 0}
    for _ in range(14):
        svc.issue_unprinted("B")
    quote = uc.wait_quote("B")
    assert quote.ok and quote.message == "long_wait_confirm" and quote.data["confirm"]
    assert quote.data["minutes"] > 60 and f"{quote.data['minutes']}分钟" in quote.text("zh")
    assert not uc.wait_quote("B", claim="disability").data["confirm"]  # due first: a short wait
    env.clock[0] = MONDAY_9 + timedelta(hours=7)  # 16:00, 14 waiting for two windows
    full = uc.take_ticket("B")
    assert not full.ok and full.message == "day_full" and "网上预约" in full.text("zh")
    assert uc.wait_quote("B").message == "day_full"
    assert uc.take_ticket("A").ok  # other categories still have room
    with env.store.read() as conn:
        assert conn.execute("SELECT COUNT(*) FROM q_tickets WHERE category = 'B'").fetchone()[0] == 14


def test_a_refused_code_says_why(env: Env) -> None:
    """An expired, a forged and an unknown-key code each have their own reason (the screen
    tells the citizen which: refresh the code, or use the card)."""
    key = _signing_key(env)
    exp = int(MONDAY_9.timestamp()) + 10**9
    person = {"kid": "k1", "typ": "person", "sub": ap.holder_id_hash(SALT, LI.id_number), "appt": None}
    uc = env.usecases(env.service())
    assert uc.code_reason(_signed_code(key, {**person, "exp": exp})) == ""
    assert uc.code_reason(_signed_code(key, {**person, "exp": 1})) == "expired"
    forged = _signed_code(Ed25519PrivateKey.generate(), {**person, "exp": exp})
    assert uc.code_reason(forged) == "bad_signature"
    assert uc.code_reason(_signed_code(key, {**person, "kid": "k-gone", "exp": exp})) == "unknown_key"
    assert uc.code_reason("110105198503072014") == "not_recognised"


def test_the_hall_screen_shows_the_days_last_calls_again_after_a_restart(env: Env) -> None:
    """A standalone box restarted at noon: the hall TV must not go blank until the next call."""
    svc = env.service()
    b1, b2 = svc.issue_unprinted("B"), svc.issue_unprinted("B")
    c1 = svc.issue_unprinted("C")
    called = []
    for step in (
        lambda: svc.call_next(3),
        lambda: svc.finish(3),
        lambda: svc.call_next(5),
        lambda: svc.call_next(3),
    ):
        env.clock[0] += timedelta(minutes=2)
        called.append(step())
    assert [t.number for t in called if t is not None] == [b1.number] * 2 + [c1.number, b2.number]
    before = [(e.number, e.counter, e.counter_name, e.at) for e in svc.display_model().recent]

    assert len(before) == 3
    after = env.service().display_model()
    assert [(e.number, e.counter, e.counter_name, e.at) for e in after.recent] == before
    assert after.current is not None and after.current.number == b2.number
