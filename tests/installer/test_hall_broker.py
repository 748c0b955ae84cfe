"""``installer/hall-broker.sh``: Mosquitto for the hall bus from a terminal list, staged under a
prefix (config with persistence, one user per terminal, the ACL, the systemd drop-in)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kiosk.hall.broker import PBKDF2_ITERATIONS
from tests.installer.conftest import INSTALLER, REPO

TERMINALS = """
hall = "H-0001"
[[terminal]]
id = "T-0001"
role = "host"
password = "p-host"
[[terminal]]
id = "T-0002"
role = "ticket"
password = "p-ticket"
[[terminal]]
id = "T-0003"
role = "counter"
password = "p-counter"
[[terminal]]
id = "T-0004"
role = "display"
password = "p-display"
"""


def kiosk_exe() -> str:
    exe = REPO / ".venv" / "bin" / "kiosk"
    return str(exe) if exe.exists() else str(shutil.which("kiosk"))


def test_staged_broker_setup(tmp_path: Path) -> None:
    terms = tmp_path / "terminals.toml"
    terms.write_text(TERMINALS, encoding="utf-8")
    prefix = tmp_path / "root"
    proc = subprocess.run(
        ["bash", str(INSTALLER / "hall-broker.sh"), str(terms), "--prefix", str(prefix), "--port", "1884"],
        env={"KIOSK": kiosk_exe(), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    conf_dir = prefix / "etc/mosquitto/hall-kiosk"
    conf = (conf_dir / "mosquitto.conf").read_text()
    assert "persistence true" in conf
    assert f"persistence_location {prefix}/var/lib/mosquitto/hall-kiosk/" in conf
    assert "allow_anonymous false" in conf and "listener 1884 0.0.0.0" in conf and "log_dest" not in conf
    users = [line.split(":")[0] for line in (conf_dir / "passwd").read_text().splitlines()]
    assert users == ["T-0001", "T-0002", "T-0003", "T-0004"]
    assert all(f"$7${PBKDF2_ITERATIONS}$" in line for line in (conf_dir / "passwd").read_text().splitlines())
    assert "p-host" not in (conf_dir / "passwd").read_text()
    acl = (conf_dir / "acl").read_text().split("\n\n")
    display = next(block for block in acl if "user T-0004" in block)
    assert "host/req" not in display  # a display cannot command
    counter = next(block for block in acl if "user T-0003" in block)
    assert "topic write hall/H-0001/host/req" in counter and "topic read hall/H-0001/term/T-0003/#" in counter
    dropin = (prefix / "etc/systemd/system/mosquitto.service.d/hall-kiosk.conf").read_text()
    assert "ExecStart=/usr/sbin/mosquitto -c /etc/mosquitto/hall-kiosk/mosquitto.conf" in dropin


def test_a_bad_terminal_list_is_named(tmp_path: Path) -> None:
    terms = tmp_path / "terminals.toml"
    terms.write_text('hall = "H"\n[[terminal]]\nid = "T-1"\nrole = "boss"\npassword = "x"\n', "utf-8")
    proc = subprocess.run(
        ["bash", str(INSTALLER / "hall-broker.sh"), str(terms), "--prefix", str(tmp_path / "root")],
        env={"KIOSK": kiosk_exe(), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2 and "terminal[0].role" in proc.stderr
