"""Version, uptime, disk and memory: what a remote operator needs to see first about a terminal.

Read from /proc and statvfs (cheap: the heartbeat asks every 30 s). Linux first; elsewhere the
fields that cannot be read are None rather than guesses.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk import __version__

_MIB = 1024 * 1024
PROCESS_STARTED = time.monotonic()
"""Import time of this module: early in start-up, good enough for an uptime in seconds."""


@dataclass(frozen=True)
class Vitals:
    version: str
    build: str
    """The installed version directory (/opt/hall-kiosk/<build>), or "source" for a checkout."""
    uptime_s: int
    system_uptime_s: int | None
    disk_path: str
    disk_free_mb: int | None
    disk_total_mb: int | None
    mem_rss_mb: int | None
    mem_available_mb: int | None
    mem_total_mb: int | None
    load_1m: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def heartbeat_fields(self) -> dict[str, Any]:
        """Extra heartbeat fields (the contract lets the platform ignore what it does not know)."""
        return {
            "build": self.build,
            "uptime_s": self.uptime_s,
            "system_uptime_s": self.system_uptime_s,
            "disk": {"path": self.disk_path, "free_mb": self.disk_free_mb, "total_mb": self.disk_total_mb},
            "memory": {
                "rss_mb": self.mem_rss_mb,
                "available_mb": self.mem_available_mb,
                "total_mb": self.mem_total_mb,
            },
            "load_1m": self.load_1m,
        }


def installed_build(prefix: str | None = None) -> str:
    venv = Path(prefix or sys.prefix).resolve()
    if venv.name == "venv" and venv.parent.parent.name == "hall-kiosk":
        return venv.parent.name
    return "source"


def _meminfo() -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            key, _, rest = line.partition(":")
            parts = rest.split()
            if parts and parts[0].isdigit():
                out[key] = int(parts[0]) * 1024
    except OSError:
        pass
    return out


def _rss_bytes() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _system_uptime() -> int | None:
    try:
        return int(float(Path("/proc/uptime").read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return None


def _mb(value: int | None) -> int | None:
    return None if value is None else value // _MIB


def collect(data_dir: Path, *, started: float = PROCESS_STARTED) -> Vitals:
    # The data directory may not exist yet (first start): measure the nearest existing parent.
    probe = data_dir
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = total = None
    try:
        usage = shutil.disk_usage(probe)
        free, total = usage.free, usage.total
    except OSError:
        pass
    mem = _meminfo()
    try:
        load: float | None = round(os.getloadavg()[0], 2)
    except OSError:
        load = None
    return Vitals(
        version=__version__,
        build=installed_build(),
        uptime_s=int(time.monotonic() - started),
        system_uptime_s=_system_uptime(),
        disk_path=str(data_dir),
        disk_free_mb=_mb(free),
        disk_total_mb=_mb(total),
        mem_rss_mb=_mb(_rss_bytes()),
        mem_available_mb=_mb(mem.get("MemAvailable")),
        mem_total_mb=_mb(mem.get("MemTotal")),
        load_1m=load,
    )


def heartbeat_provider(data_dir: Path) -> Callable[[], dict[str, Any]]:
    """For ``SyncEngine.add_heartbeat_provider``: vitals (of the disk holding ``data_dir``)
    merged into every heartbeat."""
    return lambda: collect(data_dir).heartbeat_fields()
