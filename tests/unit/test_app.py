from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.app import App
from kiosk.paths import Paths
from kiosk.settings import load_settings


def make_app(tmp_path: Path) -> App:
    settings = load_settings(environ={"KIOSK_DATA_DIR": str(tmp_path)})
    return App(settings, Paths.from_settings(settings.paths))


def test_components_stop_in_reverse_order(tmp_path: Path) -> None:
    calls: list[str] = []
    app = make_app(tmp_path)

    def builder(name: str):  # type: ignore[no-untyped-def]
        return lambda a: a.add(
            name, lambda: calls.append(f"start {name}"), lambda: calls.append(f"stop {name}")
        )

    app.start([builder("store"), builder("devices"), builder("services")])
    app.shutdown()
    app.shutdown()  # idempotent
    assert calls == [
        "start store",
        "start devices",
        "start services",
        "stop services",
        "stop devices",
        "stop store",
    ]


def test_failed_start_stops_what_was_started(tmp_path: Path) -> None:
    calls: list[str] = []
    app = make_app(tmp_path)

    def broken(a: App) -> None:
        raise RuntimeError("printer config unusable")

    with pytest.raises(RuntimeError):
        app.start(
            [lambda a: a.add("store", lambda: calls.append("start"), lambda: calls.append("stop")), broken]
        )
    assert calls == ["start", "stop"]


def test_paths_follow_data_dir(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    assert app.paths.data == tmp_path
    assert app.paths.logs == tmp_path / "logs"


def start_demo(tmp_path: Path) -> subprocess.Popen[str]:
    """``kiosk demo`` up to its home screen."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        KIOSK_DATA_DIR=str(tmp_path),
        KIOSK_STARTUP_REPORT=str(tmp_path / "startup.json"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "demo", "--exit-after", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not (tmp_path / "startup.json").exists():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "demo did not show its home screen within 30 s"
        time.sleep(0.1)
    return proc


def children(pid: int) -> dict[int, str]:
    """The processes ``pid`` started, with their command lines."""
    out: dict[int, str] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                out[int(child)] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except FileNotFoundError:
                pass
    return out


def gone(pids: dict[int, str], timeout: float = 15.0) -> list[str]:
    """The command lines of those still running after ``timeout`` (zombies count as gone)."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for pid, cmd in pids.items():
            try:
                if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z":
                    alive.append(cmd)
            except FileNotFoundError:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_demo_shuts_down_cleanly_on_signal(tmp_path: Path, sig: signal.Signals) -> None:
    proc = start_demo(tmp_path)
    kids = children(proc.pid)
    assert any("kiosk.devtools.refplatform" in cmd for cmd in kids.values()), kids  # its own process
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert gone(kids) == []
    assert "shutdown complete" in err
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "shutdown complete" in log
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_demo_killed_with_minus_9_leaves_no_platform_behind(tmp_path: Path) -> None:
    proc = start_demo(tmp_path)
    kids = children(proc.pid)
    platform = {pid: cmd for pid, cmd in kids.items() if "kiosk.devtools.refplatform" in cmd}
    assert platform
    proc.kill()
    proc.communicate(timeout=30)
    try:
        assert gone(platform) == []
    finally:
        for pid in kids:  # the pcscd a demo started stays after a kill -9: not left to the next test
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        gone(kids)


@pytest.mark.slow
def test_demo_exit_after(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(tmp_path))
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--exit-after", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - t0 < 30
    assert "TypeError" not in proc.stderr  # no QML binding errors at teardown
