"""Device events -> device.fault / device.recovered: once per fault, once per recovery, per unit."""

from __future__ import annotations

from devices.base import DeviceEvent
from kiosk.device_faults import FAULT, RECOVERED, FaultTracker
from offline_cache import contract

KINDS = {"printer": "ticket_printer", "window_screens": "led_screen", "voice": "announcer"}


def feed(tracker: FaultTracker, device: str, type_: str, **data: object) -> list[tuple[str, str, str]]:
    reports = tracker.feed(DeviceEvent(device, type_, data))
    for r in reports:  # every report is a valid platform event
        contract.check_event(
            {"id": "x", "type": r.type, "at": r.at, "terminal_id": "T", "hall_id": "H", "data": r.data}
        )
    return [(r.type, r.data["code"], r.data["detail"]) for r in reports]


def test_a_fault_is_reported_once_while_it_lasts_and_its_recovery_once() -> None:
    t = FaultTracker(KINDS.__getitem__)
    assert feed(t, "printer", "paper_out", code="paper_out") == [(FAULT, "paper_out", "paper_out")]
    assert feed(t, "printer", "paper_out", code="paper_out") == []
    assert feed(t, "printer", "cover_open", code="cover_open") == [(FAULT, "cover_open", "cover_open")]
    got = feed(t, "printer", "paper_ok")
    assert sorted(got) == [(RECOVERED, "cover_open", "paper_ok"), (RECOVERED, "paper_out", "paper_ok")]
    assert feed(t, "printer", "paper_ok") == [], "nothing open, nothing recovered"
    assert t.open_faults() == []


def test_disconnect_and_reconnect_with_the_drivers_message() -> None:
    t = FaultTracker(KINDS.__getitem__)
    got = feed(t, "printer", "disconnected", code="offline", message="/dev/kiosk-printer: no such device")
    assert got == [(FAULT, "offline", "/dev/kiosk-printer: no such device")]
    recovered = feed(t, "printer", "recovered", after_failures=3)
    assert recovered == [(RECOVERED, "offline", "recovered after_failures=3")]


def test_each_led_screen_on_the_bus_is_its_own_fault() -> None:
    t = FaultTracker(KINDS.__getitem__)
    assert feed(t, "window_screens", "screen_offline", screen="3", address=3)[0][1] == "screen_offline"
    assert len(feed(t, "window_screens", "screen_offline", screen="5", address=5)) == 1
    assert feed(t, "window_screens", "screen_offline", screen="3", address=3) == []
    assert [r[0] for r in feed(t, "window_screens", "screen_online", screen="5", address=5)] == [RECOVERED]
    assert t.open_faults() == [("window_screens", "screen_offline:3")]


def test_card_reads_and_other_events_are_not_faults() -> None:
    t = FaultTracker(KINDS.__getitem__)
    assert feed(t, "printer", "state_changed", old="idle", new="busy") == []
    assert feed(t, "idreader", "card_read", identity={"name": "李明华"}) == []


def test_a_device_the_manager_does_not_know_is_still_reported() -> None:
    t = FaultTracker(KINDS.__getitem__)
    reports = t.feed(DeviceEvent("ghost", "disconnected", {"code": "offline", "message": "gone"}))
    assert reports[0].data["kind"] == "unknown"


def test_a_voice_engine_faults_and_recovers_on_its_own() -> None:
    t = FaultTracker(KINDS.__getitem__)
    assert [r[0] for r in feed(t, "voice", "engine_fault", engine="clips", code="missing_clip")] == [FAULT]
    assert [r[0] for r in feed(t, "voice", "engine_fault", engine="output", code="failed")] == [FAULT]
    assert feed(t, "voice", "engine_ok", engine="clips") == [
        (RECOVERED, "missing_clip", "engine_ok engine=clips")
    ]
    assert t.open_faults() == [("voice", "engine_fault:output")]
