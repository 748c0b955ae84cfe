"""Technician entry (PIN hashed, lockout after 5 wrong tries, admin card) and the idle wipe
over every view-model, through the QML screens."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kiosk.pin import hash_pin, verify_pin
from kiosk.settings import load_settings
from tests.ui.rig import visible_texts
from ui.context import UiContext
from ui.find import find_item
from ui.presenters.technician import TechnicianPresenter
from ui.screens import SCREENS, new_context
from ui.viewmodels.technician import MAX_TRIES, TechnicianViewModel


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_pin_hash_roundtrip_and_garbage() -> None:
    h = hash_pin("2468", iterations=1000)
    algo, iters, salt_hex, digest_hex = h.split("$")
    # Only salt and digest are stored (hex of 16 and 32 bytes), never the PIN itself; a fresh
    # salt each time, so two kiosks with the same PIN do not share a hash.
    assert (algo, iters, len(salt_hex), len(digest_hex)) == ("pbkdf2_sha256", "1000", 32, 64)
    assert hash_pin("2468", iterations=1000) != h
    assert verify_pin("2468", h)
    assert not verify_pin("2469", h)
    for bad in ("", "nonsense", "pbkdf2_sha256$x$zz$00", "md5$1$00$00"):
        assert not verify_pin("2468", bad)


def _enter(vm: TechnicianViewModel, pin: str) -> None:
    for d in pin:
        vm.pressDigit(d)
    vm.submitPin()


def test_pin_lockout_after_five_wrong_tries() -> None:
    clock = FakeClock()
    vm = TechnicianViewModel(hash_pin("2468", iterations=1000), lockout_s=300, clock=clock)
    for i in range(MAX_TRIES - 1):
        _enter(vm, "1111")
        assert vm.get("messageKey") == "tech.msg.wrong_pin" and vm.get("failures") == i + 1
    _enter(vm, "1111")
    assert vm.get("messageKey") == "tech.msg.locked" and vm.get("lockedFor") == 300
    _enter(vm, "2468")  # the right PIN is refused while locked
    assert not vm.get("unlocked") and vm.get("messageKey") == "tech.msg.locked"
    clock.t += 301
    _enter(vm, "2468")
    assert vm.get("unlocked") and vm.get("failures") == 0


def test_a_restart_does_not_buy_more_pin_tries(tmp_path: Path) -> None:
    from kiosk.pin import LockoutFile

    clock = FakeClock()
    store = LockoutFile(tmp_path / "data" / "technician-lockout.json")
    vm = TechnicianViewModel(
        hash_pin("2468", iterations=1000), lockout_s=300, clock=clock, lockout_file=store
    )
    for _ in range(3):
        _enter(vm, "1111")
    # power-cycled: the next kiosk process remembers three wrong tries
    vm = TechnicianViewModel(
        hash_pin("2468", iterations=1000), lockout_s=300, clock=clock, lockout_file=store
    )
    assert vm.get("failures") == 3
    _enter(vm, "1111")
    _enter(vm, "1111")
    assert vm.get("messageKey") == "tech.msg.locked"
    vm = TechnicianViewModel(
        hash_pin("2468", iterations=1000), lockout_s=300, clock=clock, lockout_file=store
    )
    _enter(vm, "2468")
    assert not vm.get("unlocked") and vm.get("messageKey") == "tech.msg.locked", "still locked after restart"
    clock.t += 301
    _enter(vm, "2468")
    assert vm.get("unlocked")
    assert store.load() == (0, clock.t - 1)  # the count starts again after a good PIN
    (tmp_path / "data" / "technician-lockout.json").write_text("garbage", encoding="utf-8")
    assert store.load() == (0, 0.0), "a damaged file never keeps a technician out"


def test_admin_card_and_exit_only_when_unlocked(qtbot: Any) -> None:
    vm = TechnicianViewModel("", admin_uids=["04A1B2C3"])
    with qtbot.assertNotEmitted(vm.exitRequested):
        vm.exitToDesktop()
    _enter(vm, "1234")
    assert vm.get("messageKey") == "tech.msg.no_pin"
    assert not vm.admin_card("DEADBEEF")
    assert vm.admin_card("04a1b2c3")
    with qtbot.waitSignal(vm.exitRequested):
        vm.exitToDesktop()


def test_serial_settings_saved_only_after_a_passed_test(qtbot: Any) -> None:
    vm = TechnicianViewModel("", admin_uids=["01"])
    vm.admin_card("01")
    with qtbot.assertNotEmitted(vm.portSaveRequested):
        vm.savePort()
    assert vm.get("messageKey") == "tech.msg.test_first"
    vm.testPort("scanner", "/dev/ttyUSB9", 9600)
    vm.port_test_result("scanner", "/dev/ttyUSB9", 9600, False, "no such port")
    with qtbot.assertNotEmitted(vm.portSaveRequested):
        vm.savePort()
    vm.port_test_result("scanner", "/dev/ttyUSB9", 9600, True, "ok")
    with qtbot.waitSignal(vm.portSaveRequested) as sig:
        vm.savePort()
    assert sig.args == ["scanner", "/dev/ttyUSB9", 9600]


@pytest.fixture
def ctx(qapp: Any, tmp_path: Path) -> Any:
    settings = load_settings(environ={"KIOSK_DATA_DIR": str(tmp_path)})  # the PIN lockout file goes there
    settings = replace(
        settings, ui=replace(settings.ui, technician_pin_hash=hash_pin("2468", iterations=1000))
    )
    c = new_context(settings, live_clock=False)
    c.load()
    yield c
    c.close()


def test_technician_pin_pad_through_qml(ctx: UiContext, qtbot: Any) -> None:
    ctx.ui.openTechnician()
    root = ctx.engine.rootObjects()[0]
    qtbot.waitUntil(lambda: find_item(root, "pinDots") is not None)
    for _ in range(MAX_TRIES):
        _enter(ctx.technician, "0000")
    msg = find_item(root, "pinMessage")
    qtbot.waitUntil(lambda: msg.property("visible") and "5" in msg.property("text"))
    assert not ctx.technician.get("unlocked")
    assert find_item(root, "techExit").property("visible") is False


def test_idle_wipe_leaves_no_personal_data_in_any_view_model(ctx: UiContext, qtbot: Any) -> None:
    for spec in SCREENS:
        spec.prepare(ctx)
    from ui.sample_data import LI_MINGHUA

    ctx.identify.accept(LI_MINGHUA)
    ctx.ui.go("ticket_printed")
    held = set(ctx.vm_holding_personal_data())
    assert {"identifyVm", "ticketVm", "appointmentVm", "caseVm", "evaluationVm", "counterVm"} <= held
    for _ in range(ctx.idle.limit()):
        ctx.idle.tick()
    assert ctx.ui.screen == "home"
    assert ctx.vm_holding_personal_data() == []
    # masked values only, ever: nothing in any view-model's state carries the raw name or number
    for spec in SCREENS:
        spec.prepare(ctx)
    for name, obj in ctx.context_objects().items():
        state = getattr(obj, "state", None)
        if isinstance(state, dict):
            text = repr(state)
            assert "李明华" not in text and "110105198503072014" not in text, name


def test_elderly_mode_doubles_the_idle_time(ctx: UiContext) -> None:
    ctx.ui.go("take_number")
    normal = ctx.idle.limit()
    ctx.ui.toggleElderly()
    assert ctx.idle.limit() == 2 * normal
    ctx.ui.go("home")
    for _ in range(5 * normal):
        ctx.idle.tick()
    assert not ctx.idle.warning  # no countdown on the home screen


def test_a_tested_serial_port_is_saved_into_the_terminal_file(tmp_path: Path, qtbot: Any) -> None:
    import tomllib

    from tests.ui.rig import kiosk_rig

    with kiosk_rig(tmp_path) as rig:
        cfg = tmp_path / "kiosk.toml"
        rig.app.demo = False  # a terminal with a file of its own (the rig is built on the demo hall)
        rig.app.config_file = str(cfg)
        restarts: list[str] = []
        rig.bridge.restart = lambda: restarts.append(rig.ctx.ui.screen)
        tech = rig.ctx.technician
        rig.bridge.presenter(TechnicianPresenter).save_port("idreader", "/dev/ttyUSB7", 57600)
        rig.wait(qtbot, lambda: tech.get("messageKey") == "tech.msg.saved")
        reader = tomllib.loads(cfg.read_text(encoding="utf-8"))["devices"]["idreader"]
        assert reader["port"] == "/dev/ttyUSB7" and reader["baudrate"] == 57600
        rig.wait(qtbot, lambda: restarts == ["home"])  # applied: the screen is on its start page

        before = cfg.read_text(encoding="utf-8")
        rig.bridge.presenter(TechnicianPresenter).save_port(
            "printer", "/dev/ttyUSB8", 9600
        )  # the ESC/POS driver has no such keys
        rig.wait(qtbot, lambda: tech.get("messageKey") == "tech.msg.save_failed")
        assert cfg.read_text(encoding="utf-8") == before

        # a config the service may not write (the installed /etc/hall-kiosk): say how, do not try
        rig.app.config_file = str(tmp_path / "read-only" / "terminal.toml")
        tech.update(messageKey="")
        rig.bridge.presenter(TechnicianPresenter).save_port("idreader", "/dev/ttyUSB7", 57600)
        assert tech.get("messageKey") == "tech.msg.save_manual"


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [("en", "out of paper", "纸尽"), ("zh", "缺纸", "paper out")],
)
def test_a_printer_fault_reads_in_the_screen_language(
    ctx: UiContext, qtbot: Any, lang: str, shown: str, hidden: str
) -> None:
    """A device's own fault message (any language its driver writes) is not what the screen
    shows for a known code: the screen's strings say it, in the screen's language."""
    from kiosk.technician import DeviceRow
    from ui.presenters.technician import device_rows

    root = ctx.engine.rootObjects()[0]
    for message in ("纸尽", "paper out"):
        ctx.tr.setLang(lang)
        ctx.technician.update(
            unlocked=True,
            page="devices",
            devices=device_rows(
                [DeviceRow("printer", "ticket_printer", "escpos", "error", f"09:12 paper_out: {message}", "",
                           error_code="paper_out", error_at="09:12")]
            ),
        )  # fmt: skip
        ctx.ui.go("technician")
        qtbot.waitUntil(lambda: any("09:12" in t for t in visible_texts(root)))
        line = next(t for t in visible_texts(root) if "09:12" in t)
        assert shown in line and hidden not in line and message not in line, line
