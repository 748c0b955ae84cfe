"""install.sh / uninstall.sh staged under a prefix: the tree, the units, the rules, idempotence,
update, rollback, and ``systemd-analyze verify`` on the units exactly as installed."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.installer.conftest import INSTALLER, Staged, install_args, run_script

pytestmark = pytest.mark.slow

OPT = "opt/hall-kiosk"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def changes(output: str) -> list[str]:
    """The actions a run took (install.sh prints each as '+ command')."""
    return [line for line in output.splitlines() if line.startswith("+ ")]


def test_lays_out_the_versioned_tree(staged: Staged) -> None:
    root = staged.prefix
    current = root / OPT / "current"
    assert current.is_symlink()
    version = os.readlink(current)
    assert "/" not in version, "current must be a relative link (it works under any prefix)"
    vdir = root / OPT / version
    assert version.startswith("0.") and (vdir / ".installed").is_file()
    assert os.access(vdir / "venv/bin/kiosk", os.X_OK)
    assert os.access(vdir / "venv/bin/python", os.X_OK)
    assert (vdir / "bin/kiosk-session").read_bytes() == (INSTALLER / "kiosk-session").read_bytes()
    assert mode(vdir / "bin/kiosk-session") == 0o755
    assert (vdir / "installer/install.sh").is_file(), "a kiosk can roll back without the source tree"
    # The venv really holds this checkout's app.
    proc = subprocess.run(
        [str(vdir / "venv/bin/python"), "-c", "import kiosk; print(kiosk.__file__, kiosk.__version__)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=vdir,
    )
    assert str(vdir / "venv") in proc.stdout
    assert os.readlink(root / "usr/local/bin/kiosk") == "/opt/hall-kiosk/current/venv/bin/kiosk"


def test_config_data_and_system_files(staged: Staged) -> None:
    root = staged.prefix
    assert mode(root / "etc/hall-kiosk") == 0o750
    assert mode(root / "var/lib/hall-kiosk") == 0o700
    terminal = root / "etc/hall-kiosk/terminal.toml"
    assert mode(terminal) == 0o640 and 'profile = "self_service"' in terminal.read_text()
    assert (root / "etc/hall-kiosk/devices.conf").read_text() == (INSTALLER / "devices.conf").read_text()
    for path, source in {
        "etc/systemd/system/hall-kiosk.service": "systemd/hall-kiosk.service",
        "etc/pam.d/hall-kiosk": "pam/hall-kiosk",
        "etc/polkit-1/rules.d/49-hall-kiosk-pcscd.rules": "polkit/49-hall-kiosk-pcscd.rules",
        "etc/systemd/journald.conf.d/50-hall-kiosk.conf": "journald/50-hall-kiosk.conf",
    }.items():
        assert (root / path).read_bytes() == (INSTALLER / source).read_bytes(), path
        assert mode(root / path) == 0o644, path


def test_udev_rules_give_stable_names_to_the_kiosk_group(staged: Staged) -> None:
    rules = (staged.prefix / "etc/udev/rules.d/70-hall-kiosk.rules").read_text()
    lines = [ln for ln in rules.splitlines() if ln and not ln.startswith("#")]
    assert len(lines) == 6
    assert all('GROUP="kiosk", MODE="0660"' in ln for ln in lines)
    by_name = {ln.split('SYMLINK+="')[1].split('"')[0]: ln for ln in lines}
    assert set(by_name) == {
        "kiosk-idreader", "kiosk-scanner", "kiosk-rs485", "kiosk-printer",
        "kiosk-idreader-usb", "kiosk-idreader-usb2",  # USB readers driven through vendor libraries
    }  # fmt: skip
    assert 'ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60"' in by_name["kiosk-idreader"]
    assert by_name["kiosk-printer"].startswith('SUBSYSTEM=="usbmisc", KERNEL=="lp[0-9]*"')


def test_second_run_changes_nothing(staged: Staged) -> None:
    proc = staged.run(*install_args(staged.wheelhouse))
    assert changes(proc.stdout) == []
    assert "already installed" in proc.stdout


def test_systemd_analyze_verify_passes_on_the_installed_unit(staged: Staged, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    # A staging root has no systemd of its own: give it the distribution's unit files, so the
    # units ours depend on (sysinit.target, getty@.service, pcscd.socket...) resolve. Nothing
    # needs a running systemd; --root makes verify resolve ExecStart= inside the staged tree.
    root = tmp_path / "root"
    shutil.copytree(staged.prefix, root, symlinks=True)
    system_units = Path("/usr/lib/systemd/system")
    if not system_units.is_dir():
        system_units = Path("/lib/systemd/system")
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    proc = subprocess.run(
        [analyze, "verify", f"--root={root}", "/etc/systemd/system/hall-kiosk.service"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # verify exits 0 on unknown keys and only warns: any output at all is a failure here.
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")

    # And it does look: a unit whose ExecStart= is missing from the tree fails.
    os.unlink(root / OPT / "current")
    proc = subprocess.run(
        [analyze, "verify", f"--root={root}", "/etc/systemd/system/hall-kiosk.service"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0 and "kiosk-session" in proc.stderr


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    prefix = tmp_path / "never"
    proc = run_script("install.sh", "--prefix", str(prefix), "--dry-run")
    assert not prefix.exists()
    acted = changes(proc.stdout)
    assert any("-m venv" in a for a in acted) and any("70-hall-kiosk.rules" in a for a in acted)


def test_update_rollback_and_uninstall(tmp_path: Path, wheelhouse: Path) -> None:
    prefix = tmp_path / "root"
    first = run_script("install.sh", "--prefix", str(prefix), *install_args(wheelhouse), "--version", "1.0")
    assert "current: none -> 1.0" in first.stdout
    (prefix / "etc/hall-kiosk/terminal.toml").write_text('[terminal]\nprofile = "ticket"\n')
    (prefix / "var/lib/hall-kiosk/kiosk.db").write_bytes(b"tickets")

    run_script("install.sh", "--prefix", str(prefix), *install_args(wheelhouse), "--version", "1.1")
    assert os.readlink(prefix / OPT / "current") == "1.1"
    assert os.readlink(prefix / OPT / "previous") == "1.0"
    assert (prefix / "etc/hall-kiosk/terminal.toml").read_text().endswith('"ticket"\n'), "config kept"

    listed = run_script("install.sh", "--prefix", str(prefix), "--list").stdout
    assert "1.0 (previous)" in listed and "1.1 (current)" in listed

    back = run_script("install.sh", "--prefix", str(prefix), "--rollback")
    assert "rolled back to 1.0" in back.stdout
    assert os.readlink(prefix / OPT / "current") == "1.0"
    assert os.readlink(prefix / OPT / "previous") == "1.1"
    missing = run_script("install.sh", "--prefix", str(prefix), "--rollback", "9.9", check=False)
    assert missing.returncode == 1 and "9.9 is not installed" in missing.stderr

    run_script("uninstall.sh", "--prefix", str(prefix))
    assert not (prefix / OPT).exists()
    assert not (prefix / "etc/systemd/system/hall-kiosk.service").exists()
    assert not (prefix / "etc/udev/rules.d/70-hall-kiosk.rules").exists()
    assert not (prefix / "usr/local/bin/kiosk").is_symlink()
    assert (prefix / "var/lib/hall-kiosk/kiosk.db").read_bytes() == b"tickets", "data kept"
    run_script("uninstall.sh", "--prefix", str(prefix), "--purge")
    assert not (prefix / "var/lib/hall-kiosk").exists()
    assert not (prefix / "etc/hall-kiosk").exists()


def test_a_bad_device_list_stops_the_install_before_rules_are_written(
    tmp_path: Path, wheelhouse: Path
) -> None:
    bad = tmp_path / "devices.conf"
    bad.write_text("printer usblp any\nscanner tty 1a86:75\n")
    prefix = tmp_path / "root"
    proc = run_script(
        "install.sh", "--prefix", str(prefix), *install_args(wheelhouse), "--devices", str(bad), check=False
    )
    assert proc.returncode == 1
    assert f"{bad}:2: match '1a86:75' must be VID:PID" in proc.stderr
    assert not (prefix / "etc/udev/rules.d/70-hall-kiosk.rules").exists()
