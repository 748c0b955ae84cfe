"""The installer's pieces on their own: shellcheck, the udev rule generator, the session
script's clean stop, and the service unit's promises (restart, watchdog, hardening)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.installer.conftest import INSTALLER, REPO, run_script

UNIT = INSTALLER / "systemd/hall-kiosk.service"


def shell_scripts() -> list[Path]:
    found = [REPO / "dev.sh"]
    for path in sorted(INSTALLER.rglob("*")):
        if path.is_file() and path.read_bytes()[:2] == b"#!" and b"sh" in path.read_bytes().split(b"\n")[0]:
            found.append(path)
    return found


def test_every_script_is_shellcheck_clean() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    scripts = shell_scripts()
    names = {p.name for p in scripts}
    assert {"install.sh", "uninstall.sh", "udev-rules.sh", "kiosk-session", "build-wheelhouse.sh"} <= names
    proc = subprocess.run(
        [shellcheck, "--severity=style", *map(str, scripts)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def unit_entries(path: Path) -> dict[str, list[str]]:
    """``Section.Key`` -> every value (units repeat keys such as Environment=)."""
    out: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.setdefault(f"{section}.{key}", []).append(value)
    return out


def test_service_restarts_watches_and_is_hardened() -> None:
    u = unit_entries(UNIT)
    want = {
        "Service.Type": ["notify"],
        "Service.NotifyAccess": ["all"],
        "Service.Restart": ["always"],
        "Service.WatchdogSec": ["30"],
        "Service.User": ["kiosk"],
        "Service.ProtectSystem": ["strict"],
        "Service.ReadWritePaths": ["/var/lib/hall-kiosk"],
        "Service.PrivateTmp": ["yes"],
        "Service.NoNewPrivileges": ["yes"],
        "Service.ProtectHome": ["yes"],
        "Service.StandardOutput": ["journal"],
        "Service.TTYPath": ["/dev/tty1"],
        "Service.ExecStart": ["/opt/hall-kiosk/current/bin/kiosk-session"],
        "Service.ExecStop": ["/opt/hall-kiosk/current/bin/kiosk-session stop"],
        "Unit.Conflicts": ["getty@tty1.service"],
    }
    for key, value in want.items():
        assert u.get(key) == value, key
    env = u["Service.Environment"]
    assert "KIOSK_DATA_DIR=/var/lib/hall-kiosk" in env
    assert "KIOSK_CONFIG=/etc/hall-kiosk/terminal.toml" in env
    # These would restrict /dev (GPU, input, serial, printer) or break the QML JIT.
    for banned in ("PrivateDevices", "DevicePolicy", "DeviceAllow", "ProtectClock", "MemoryDenyWriteExecute"):
        assert f"Service.{banned}" not in u, banned


def test_the_session_runs_cage_around_kiosk_run(tmp_path: Path) -> None:
    """kiosk-session execs cage with the app as its only client, in the version it lives in."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    record = tmp_path / "cage-args"
    fake_cage = bindir / "cage"
    fake_cage.write_text(f'#!/bin/sh\nprintf "%s\\n" "$XDG_RUNTIME_DIR" "$QT_QPA_PLATFORM" "$@" > {record}\n')
    fake_cage.chmod(0o755)
    version = tmp_path / "opt/1.0"
    (version / "bin").mkdir(parents=True)
    shutil.copy(INSTALLER / "kiosk-session", version / "bin/kiosk-session")
    (tmp_path / "opt/current").symlink_to("1.0")
    runtime = tmp_path / "run"
    runtime.mkdir()
    subprocess.run(
        [str(tmp_path / "opt/current/bin/kiosk-session")],
        env={"PATH": f"{bindir}:/usr/bin:/bin", "RUNTIME_DIRECTORY": str(runtime)},
        check=True,
        timeout=30,
    )
    lines = record.read_text().splitlines()
    assert lines[:3] == [str(runtime), "wayland", "-d"]
    assert lines[3] == "--"
    assert lines[-3:] == [str(runtime / "kiosk.pid"), str(version / "venv/bin/kiosk"), "run"]


def test_session_stop_terminates_the_app_and_waits_for_it(tmp_path: Path) -> None:
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time\n"
            "signal.signal(signal.SIGTERM, lambda *a: (time.sleep(0.5), sys.exit(3)))\n"
            "print('up', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    # Reap it the moment it exits, as systemd reaps the session's main process.
    codes: list[int] = []
    reaper = threading.Thread(target=lambda: codes.append(app.wait()))
    try:
        assert app.stdout is not None and app.stdout.readline() == "up\n"
        reaper.start()
        (tmp_path / "kiosk.pid").write_text(f"{app.pid}\n")
        # The app stands in for the whole session here (MAINPID): stop returns once it is gone.
        subprocess.run(
            [str(INSTALLER / "kiosk-session"), "stop"],
            env={**os.environ, "RUNTIME_DIRECTORY": str(tmp_path), "MAINPID": str(app.pid)},
            check=True,
            timeout=30,
        )
        assert app.poll() is not None, "stop returned only after the app had exited"
        reaper.join(timeout=10)
        assert codes == [3], "the app got SIGTERM and ran its shutdown"
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        assert app.stdout is not None
        app.stdout.close()


def test_session_stop_without_a_running_app_is_a_no_op(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(INSTALLER / "kiosk-session"), "stop"],
        env={**os.environ, "RUNTIME_DIRECTORY": str(tmp_path)},
        capture_output=True,
        check=False,
        timeout=30,
    )
    assert proc.returncode == 0


def rules_for(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    conf = tmp_path / "devices.conf"
    conf.write_text(text)
    return run_script("udev-rules.sh", str(conf), check=False)


def test_udev_rules_for_each_kind_of_match(tmp_path: Path) -> None:
    proc = rules_for(
        tmp_path,
        "# comment\n"
        "idreader tty 10C4:EA60 serial=0001   # upper-case hex is fine\n"
        "scanner  tty 1a86:7523 port=1-1.4\n"
        "rs485    tty kernel=ttyS1\n"
        "printer  usb 0483:5720\n",
    )
    assert proc.returncode == 0, proc.stderr
    rules = [ln for ln in proc.stdout.splitlines() if not ln.startswith("#")]
    assert rules == [
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", ATTRS{serial}=="0001", '
        'SYMLINK+="kiosk-idreader", GROUP="kiosk", MODE="0660"',
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", KERNELS=="1-1.4", '
        'SYMLINK+="kiosk-scanner", GROUP="kiosk", MODE="0660"',
        'SUBSYSTEM=="tty", KERNEL=="ttyS1", SYMLINK+="kiosk-rs485", GROUP="kiosk", MODE="0660"',
        'SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="0483", ATTR{idProduct}=="5720", '
        'SYMLINK+="kiosk-printer", GROUP="kiosk", MODE="0660"',
    ]


def test_udev_rules_report_every_problem_and_write_nothing(tmp_path: Path) -> None:
    proc = rules_for(
        tmp_path,
        "scanner tty 1a86:7523\n"
        "scanner2 tty 1a86:7523\n"
        "Bad_Name tty 1a86:7523\n"
        "x serial 1a86:7523\n"
        "y usb any\n"
        'z tty 0403:6001 serial=A"B\n'
        "w tty\n"
        "scanner tty 0403:6001\n",
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    conf = tmp_path / "devices.conf"
    for expected in (
        f"{conf}:2: matches the same devices as line 1",
        f"{conf}:3: name 'Bad_Name'",
        f"{conf}:4: subsystem 'serial' unknown",
        f"{conf}:5: match 'any' must be VID:PID",
        f"{conf}:6: serial must be",
        f"{conf}:7: expected NAME SUBSYSTEM MATCH",
        f"{conf}:8: name 'scanner' already used on line 1",
        "7 problem(s); no rules written",
    ):
        assert expected in proc.stderr


def test_shipped_devices_conf_gives_the_vendor_library_readers_their_usb_nodes(tmp_path: Path) -> None:
    proc = rules_for(tmp_path, (INSTALLER / "devices.conf").read_text())
    assert proc.returncode == 0, proc.stderr
    for vid, pid, name in (("0400", "c35a", "idreader-usb"), ("0316", "5020", "idreader-usb2")):
        assert (
            f'SUBSYSTEM=="usb", ENV{{DEVTYPE}}=="usb_device", ATTR{{idVendor}}=="{vid}", '
            f'ATTR{{idProduct}}=="{pid}", SYMLINK+="kiosk-{name}", GROUP="kiosk", MODE="0660"'
        ) in proc.stdout.splitlines()
