"""``kiosk demo hall``: a whole hall on one machine over a real Mosquitto.

The demo kiosk (self-service ticket machine, every device emulated, the reference platform) is
the hall's host, as in a small hall; a counter caller and a hall display run as members, each
its own ``kiosk run`` process with its own data directory and broker user. A number taken at
the kiosk is called on the counter and shown on the display. Everything is torn down with the
demo.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from kiosk.devtools.child import free_port, wait_port
from kiosk.hall.broker import Terminal, new_password, write_config, write_credentials

log = logging.getLogger(__name__)

HALL = "H-DEMO-001"
HOST = "T-DEMO-001"
MEMBERS = (("T-0002", "counter"), ("T-0003", "hall_display"))


def start_broker(stack: ExitStack, workdir: Path, terminals: list[Terminal]) -> int:
    exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(exe).exists():
        raise RuntimeError("mosquitto is not installed (installer/debian-packages.txt)")
    port = free_port()
    conf = write_config(
        workdir / "broker",
        hall=HALL,
        terminals=terminals,
        port=port,
        user="root" if os.geteuid() == 0 else None,
    )
    proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stack.callback(_stop, proc)
    if not wait_port(port):
        raise RuntimeError(f"mosquitto did not start (see {workdir / 'broker' / 'mosquitto.log'})")
    log.info("hall broker on mqtt://127.0.0.1:%d", port)
    return port


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def member_config(workdir: Path, terminal: str, profile: str, port: int, windowed: bool) -> Path:
    d = workdir / terminal
    d.mkdir(parents=True, exist_ok=True)
    cfg = d / "terminal.toml"
    counter = "counter = 1\n" if profile == "counter" else ""
    cfg.write_text(
        f'[terminal]\nid = "{terminal}"\nprofile = "{profile}"\n{counter}'
        f'[paths]\ndata_dir = "{d / "data"}"\nlog_dir = "{d / "logs"}"\n'
        f'[platform]\nhall_id = "{HALL}"\n'
        f"[ui]\nfullscreen = {'false' if windowed else 'true'}\n"
        f'[hall]\nrole = "member"\nbroker_url = "mqtt://127.0.0.1:{port}"\n'
        f'credentials_file = "{d / "broker.toml"}"\nhall_id = "{HALL}"\n',
        encoding="utf-8",
    )
    return cfg


def hall_part(windowed: bool, exit_after: float | None) -> Any:
    """A demo part (``kiosk.demo``): broker and members up; the kiosk itself becomes the host."""

    def part(stack: ExitStack, workdir: Path) -> dict[str, Any]:
        hall_dir = workdir / "hall"
        terms = [Terminal(HOST, "host", new_password())]
        terms += [Terminal(t, "counter" if p == "counter" else "display", new_password()) for t, p in MEMBERS]
        port = start_broker(stack, hall_dir, terms)
        host_cred = hall_dir / HOST / "broker.toml"
        write_credentials(host_cred, HOST, terms[0].password)
        for (terminal, profile), t in zip(MEMBERS, terms[1:], strict=True):
            cfg = member_config(hall_dir, terminal, profile, port, windowed)
            write_credentials(cfg.parent / "broker.toml", terminal, t.password)
            argv = [sys.executable, "-m", "kiosk", "--config", str(cfg), "run"]
            if exit_after is not None:
                argv += ["--exit-after", str(exit_after + 5)]
            env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_DATA_DIR", "KIOSK_CONFIG")}
            with open(cfg.parent / "console.log", "ab") as out:
                proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
            stack.callback(_stop, proc)
            log.info("hall demo: %s (%s) started, log in %s", terminal, profile, cfg.parent / "logs")
        return {
            "hall": {
                "role": "host",
                "broker_url": f"mqtt://127.0.0.1:{port}",
                "credentials_file": str(host_cred),
                "hall_id": HALL,
            }
        }

    return part
