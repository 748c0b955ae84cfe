"""The reference platform's mobile page in a real browser (Debian's headless Chromium), against
the running platform and a hall queue syncing with it (issue 18): take a number on the page,
the hall pulls and issues it, the holder checks in, a window calls it, and the page says
"please go to window N". Screenshots are written to the test's directory."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.identity.person import Identity
from kiosk.usecases import CheckInConfig, UseCases
from tests.integration.test_online_tickets import Rig, rig  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.timeout(120)]

BROWSER = shutil.which("chromium-headless-shell") or shutil.which("chromium")
ZHAO = Identity("id_card", "赵*", "11010519900101123X", None)


def browse(url: str, out: Path, name: str | None) -> str:
    """The page's DOM after its scripts ran (virtual time), and (``name``) a phone-sized
    screenshot first: each is a page load of its own, so an action link gets no screenshot."""
    assert BROWSER is not None, "Debian's chromium-headless-shell (installer/debian-packages.txt [dev])"
    common = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=6000"]
    if name is not None:
        shot = out / f"{name}.png"
        subprocess.run(
            [*common, "--window-size=390,844", f"--screenshot={shot}", url],
            check=True,
            capture_output=True,
            timeout=60,
        )
        assert shot.stat().st_size > 5000
    dom = subprocess.run([*common, "--dump-dom", url], check=True, capture_output=True, text=True, timeout=60)
    return dom.stdout


def text_of(dom: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', dom)
    return m.group(1) if m else ""


def test_take_a_number_on_the_page_and_follow_it_to_the_window(rig: Rig, tmp_path: Path) -> None:  # noqa: F811
    assert rig.engine.run_once().ok
    svc = rig.queue()
    svc.issue_unprinted("A")
    rig.engine.add_heartbeat_provider(lambda: {"queue": svc.heartbeat_queue()})
    assert rig.engine.heartbeat()

    base = rig.server.url + "/m/"
    dom = browse(base, tmp_path, "1-choose")
    assert "综合受理" in dom  # the hall's categories, the live waiting count from the heartbeat
    assert text_of(dom, "waitingNow").startswith("当前等候 1 人")

    dom = browse(f"{base}?category=A&id_number={ZHAO.id_number}", tmp_path, None)  # takes one number
    request_id = text_of(dom, "requestId")
    assert request_id.startswith("RT-"), dom[-2000:]
    assert "已提交" in text_of(dom, "state")
    assert [q["id"] for q in rig.client.remote_tickets()["requests"]] == [request_id]
    browse(f"{base}?request={request_id}", tmp_path, "2-taken")

    assert rig.engine.run_once().ok  # the hall pulls it and issues the number
    t = svc.ticket_for_request(request_id)
    assert t is not None and t.held
    dom = browse(f"{base}?request={request_id}", tmp_path, "3-waiting")
    assert text_of(dom, "number") == t.number and "排队中" in text_of(dom, "state")

    r = UseCases(svc, store=rig.store, devices=None, config=CheckInConfig()).check_in(identity=ZHAO)
    assert r.ok and r.message == "online_arrived"
    called = {c.ticket_id: n for n in (1, 2) if (c := svc.call_next(n)) is not None}
    assert rig.engine.run_once().ok
    dom = browse(f"{base}?request={request_id}", tmp_path, "4-called")
    go = text_of(dom, "go")
    assert f"Please go to window {called[t.ticket_id]}" in go and "请到" in go, go
