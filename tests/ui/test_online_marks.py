"""Online tickets are marked on the clerk's screen and the hall display (issue 18)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from offline_cache.appointments import holder_id_hash
from tests.ui.rig import CHEN_ZHIQIANG, kiosk_rig
from ui.find import find_item


def test_counter_and_hall_display_mark_an_online_ticket(tmp_path: Path, qtbot: Any) -> None:
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        queue = rig.app.services.queue
        now = queue.now()
        t = queue.issue_online(
            request_id="RT-UI-1",
            category="B",
            holder_id_hash="cd" * 32,
            taken_at=now,
            arrive_by=now + timedelta(minutes=30),
        )
        kiosk = queue.issue_unprinted("B")
        ctx.counter.update(counter=3)
        ctx.ui.go("counter")
        # not arrived: not in the window's list, not called
        rig.wait(qtbot, lambda: ctx.counter.get("waitingCount") == 1)
        assert [w["online"] for w in ctx.counter.get("waiting")] == [False]
        queue.arrive(t.ticket_id, "id_card")
        ctx.go_home()  # the window's list is read when its screen opens (or after its own actions)
        ctx.ui.go("counter")
        rig.wait(qtbot, lambda: ctx.counter.get("waitingCount") == 2)
        assert [w["online"] for w in ctx.counter.get("waiting")] == [True, False]
        rig.counter_act(qtbot, "next")
        rig.wait(qtbot, lambda: ctx.counter.get("current").get("number") == t.number)
        assert ctx.counter.get("current")["online"] is True
        mark = find_item(ctx.engine.rootObjects()[0], "counterOnline")
        assert mark is not None and mark.property("visible")
        rig.wait(qtbot, lambda: ctx.hall.get("current").get("number") == t.number)
        assert ctx.hall.get("current")["online"] is True
        rig.counter_act(qtbot, "next")
        rig.wait(qtbot, lambda: ctx.counter.get("current").get("number") == kiosk.number)
        assert ctx.counter.get("current")["online"] is False
        rig.wait(qtbot, lambda: ctx.hall.get("recent") and ctx.hall.get("recent")[0]["online"] is True)

        # the manager's statistics count the channels apart
        ctx.ui.go("statistics")
        rig.wait(
            qtbot,
            lambda: (
                {c["channel"]: c["issued"] for c in ctx.statistics.get("channels")}
                == {"kiosk": 1, "online": 1}
            ),
        )
        online = next(c for c in ctx.statistics.get("channels") if c["channel"] == "online")
        assert online["arrived"] == 1 and online["notArrived"] == 0
        line = find_item(ctx.engine.rootObjects()[0], "statsChannels")
        assert line is not None and line.property("visible") and "1" in line.property("text")


def test_the_emulated_id_card_checks_in_an_online_number_on_the_check_in_screen(
    tmp_path: Path, qtbot: Any
) -> None:
    """The same check-in screen as appointments: the holder's card (SAM reader emulator) puts
    the number taken on the phone into the queue; no slip is printed (it is on the phone)."""
    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        queue = rig.app.services.queue
        now = queue.now()
        t = queue.issue_online(
            request_id="RT-UI-CARD",
            category="A",
            holder_id_hash=holder_id_hash(queue.profile.id_hash_salt, "440304199206111537"),
            taken_at=now,
            arrive_by=now + timedelta(minutes=30),
        )
        assert queue.ticket(t.ticket_id).held  # type: ignore[union-attr]
        ctx.ui.go("appointment")
        rig.reader.place(CHEN_ZHIQIANG)
        rig.wait(qtbot, lambda: ctx.appointment.get("step") in ("done", "refused"), timeout=15)
        assert ctx.appointment.get("step") == "done", ctx.appointment.get("refusal")
        assert ctx.appointment.get("ticket")["number"] == t.number
        assert not queue.ticket(t.ticket_id).held  # type: ignore[union-attr]
        assert queue.call_next(1).ticket_id == t.ticket_id  # type: ignore[union-attr]
        rig.remove_card(qtbot)


def test_a_window_never_shows_a_view_read_before_the_one_it_shows(tmp_path: Path, qtbot: Any) -> None:
    """Two workers: a refresh started before the clerk's "next" can come back after it. The
    view read first must not replace the newer one (the window would show the ticket it just
    finished and nothing would correct it)."""
    from ui.presenters.counter import CounterPresenter

    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        queue = rig.app.services.queue
        first = queue.issue_unprinted("B")
        second = queue.issue_unprinted("B")
        ctx.counter.update(counter=3)
        presenter = rig.bridge.presenter(CounterPresenter)
        queue.call_next(3)
        older = presenter.newest.ask()
        before = presenter.read_view(3)
        queue.call_next(3)
        newer = presenter.newest.ask()
        after = presenter.read_view(3)
        presenter.apply(after, newer)
        presenter.apply(before, older)  # the late one
        assert ctx.counter.get("current").get("number") == second.number != first.number


def test_the_hall_display_never_shows_a_picture_read_before_a_pushed_call(tmp_path: Path, qtbot: Any) -> None:
    """A refresh asked before a call is pushed can come back after it: the TV keeps the call."""
    from ui.presenters.hall_display import HallDisplayPresenter

    with kiosk_rig(tmp_path) as rig:
        ctx = rig.ctx
        queue = rig.app.services.queue
        first = queue.issue_unprinted("B")
        second = queue.issue_unprinted("B")
        presenter = rig.bridge.presenter(HallDisplayPresenter)
        queue.call_next(3)
        asked = presenter.newest.ask()
        before = rig.app.services.queue.display_model()
        queue.call_next(4)
        presenter.apply(rig.app.services.queue.display_model(), presenter.newest.ask())  # the pushed call
        presenter.apply(before, asked)  # the late refresh
        assert ctx.hall.get("current").get("number") == second.number != first.number
