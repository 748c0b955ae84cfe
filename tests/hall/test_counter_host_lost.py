"""A clerk's screen on a hall member while the queue host is gone: the buttons are greyed (a
press could only be refused) and a banner says why; when the host is back the window is read
again and the buttons work, with nothing to press first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.hall.broker import Terminal, new_password, write_credentials
from tests.hall.harness import start_host
from tests.hall.mosquitto import Mosquitto, hall_terminals
from tests.ui.rig import kiosk_rig
from ui.find import find_item

pytestmark = pytest.mark.timeout(150)

TERMINAL = "T-DEMO-001"  # the rig's terminal id, here a counter of the hall


def test_a_member_counter_greys_its_buttons_while_the_host_is_gone(tmp_path: Path, qtbot: Any) -> None:
    terminals = {**hall_terminals(), TERMINAL: Terminal(TERMINAL, "counter", new_password())}
    broker = Mosquitto(tmp_path / "broker", terminals)
    broker.start()
    host = start_host(broker, tmp_path)
    try:
        waiting = host.service.issue_unprinted("B")
        cred = tmp_path / "broker.toml"
        write_credentials(cred, TERMINAL, terminals[TERMINAL].password)
        member = (
            f'[hall]\nrole = "member"\nbroker_url = "{broker.url}"\ncredentials_file = "{cred}"\n'
            'hall_id = "H-DEMO-001"\nrequest_timeout_s = 1.0\ngive_up_s = 2.0\n'
        )
        (tmp_path / "kiosk").mkdir()
        with kiosk_rig(tmp_path / "kiosk", extra=member) as rig:
            ctx = rig.ctx
            root = ctx.engine.rootObjects()[0]

            def shown(name: str, prop: str = "visible") -> bool:
                item = find_item(root, name)
                assert item is not None, name
                return bool(item.property(prop))

            ctx.counter.update(counter=3)
            ctx.ui.go("counter")
            rig.wait(qtbot, lambda: ctx.counter.get("waitingCount") == 1)
            assert shown("act_next", "enabled") and shown("act_pause", "enabled")
            assert not shown("counterHostLost")

            host.stop(clean=False)  # its last will tells the hall it is gone
            rig.wait(qtbot, lambda: ctx.counter.get("hostLost") is True, timeout=40)
            rig.wait(qtbot, lambda: shown("counterHostLost"))
            assert not shown("act_next", "enabled") and not shown("act_pause", "enabled")
            text = find_item(root, "counterHostLostText")
            assert text is not None and ctx.tr.s["counter.host_lost"] in text.property("text")
            # a press that raced the banner: refused, and the banner is the one thing said
            ctx.counter.act("next")
            rig.wait(qtbot, lambda: not ctx.counter.get("busy"))
            assert ctx.counter.get("hostLost") is True and ctx.counter.get("messageKey") == ""

            host = start_host(broker, tmp_path)  # back, from its ledger
            rig.wait(qtbot, lambda: ctx.counter.get("hostLost") is False, timeout=40)
            rig.wait(qtbot, lambda: shown("act_next", "enabled") and not shown("counterHostLost"))
            rig.counter_act(qtbot, "next")
            rig.wait(qtbot, lambda: ctx.counter.get("current").get("number") == waiting.number)
    finally:
        host.stop()
        broker.stop()
