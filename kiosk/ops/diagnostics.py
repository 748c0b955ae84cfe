"""The diagnostics bundle a technician sends home: one zip, safe to e-mail.

Written by ``kiosk diagnostics`` and by technician mode (``write_bundle``). Inside:
versions, vitals, the configuration without secrets, device health, sync state, and the logs
redacted once more (they were redacted when written; a line from an older release or a
hand-edited file gets a second pass). From a running app the device health is live; from the
command line (the app owns the devices) it is the app's last snapshot in the data directory.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk import __version__
from kiosk.ops import snapshot, vitals
from kiosk.ops.files import write_private
from kiosk.paths import Paths
from kiosk.privacy import redact, remember_card_file
from kiosk.settings.load import shipped_config_dir
from kiosk.settings.schema import Settings

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from kiosk.platform.sync import SyncEngine

REDACTED = "[REDACTED]"
LOG_BYTES_PER_FILE = 2_000_000
"""Only the newest part of each log file goes in: the bundle must stay small enough to mail."""
JOURNAL_LINES = 3000
PACKAGES = (
    "hall-kiosk",
    "PySide6-Essentials",
    "PySide6-Addons",
    "pyserial",
    "pyscard",
    "python-escpos",
    "requests",
    "cryptography",
    "sqlite-utils",
    "opencv-python-headless",
    "zxing-cpp",
)
_SECRET_KEY = re.compile(r"(secret|password|passwd|token|pin|(^|_)key$|_hash$)", re.IGNORECASE)


def redact_config(value: Any, key: str = "") -> Any:
    """Settings as plain data with every secret-looking value replaced; paths to secret files
    stay (where the secret lives is useful, the secret is not)."""
    if isinstance(value, dict):
        return {k: redact_config(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_config(v, key) for v in value]
    if _SECRET_KEY.search(key) and not key.endswith(("_file", "_path", "_dir")):
        return REDACTED if value not in ("", None, 0, False) else value
    if isinstance(value, str):
        return redact(value)
    return value


def settings_dict(settings: Settings) -> dict[str, Any]:
    doc = dataclasses.asdict(settings)
    for dev in doc.get("devices", {}).values():
        options = dev.pop("options", None) or {}
        if isinstance(options, dict):
            dev.update(options)
    return dict(redact_config(doc))


def _versions() -> dict[str, Any]:
    pkgs: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            pkgs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pkgs[name] = None
    os_release: dict[str, str] = {}
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            k, _, v = line.partition("=")
            if k in ("PRETTY_NAME", "VERSION_ID", "ID"):
                os_release[k] = v.strip('"')
    except OSError:
        pass
    builds: list[str] = []
    opt = Path("/opt/hall-kiosk")
    if opt.is_dir():
        builds = sorted(p.name for p in opt.iterdir() if p.is_dir() and not p.is_symlink())
    return {
        "hall_kiosk": __version__,
        "build": vitals.installed_build(),
        "installed_builds": builds,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "os": os_release,
        "packages": pkgs,
    }


def _tail(path: Path, limit: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - limit))
        data = fh.read()
    if size > limit:
        data = data.split(b"\n", 1)[-1]  # drop the partial first line
    return data


def _redacted_text(data: bytes) -> str:
    return redact(data.decode("utf-8", errors="replace"))


def _journal() -> str | None:
    journalctl = shutil.which("journalctl")
    if journalctl is None:
        return None
    try:
        proc = subprocess.run(
            [
                journalctl,
                "-u",
                "hall-kiosk.service",
                "-n",
                str(JOURNAL_LINES),
                "--no-pager",
                "-o",
                "short-iso",
            ],
            capture_output=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0 or not proc.stdout.strip():
        return None
    return _redacted_text(proc.stdout)


def _device_nodes() -> dict[str, str]:
    """``/dev/kiosk-*`` names the udev rules made, and where they point now."""
    out: dict[str, str] = {}
    for node in sorted(Path("/dev").glob("kiosk-*")):
        try:
            out[node.name] = os.path.realpath(node)
        except OSError:
            out[node.name] = "unreadable"
    return out


class LiveParts(Protocol):
    """What the bundle reads of a running kiosk (``kiosk.services.Services`` is one): its device
    manager and its sync engine, each None where that service did not start."""

    @property
    def devices(self) -> DeviceManager | None: ...

    @property
    def sync(self) -> SyncEngine | None: ...


def write_bundle(
    settings: Settings,
    path: str | os.PathLike[str],
    *,
    paths: Paths | None = None,
    live: LiveParts | None = None,
) -> Path:
    """Write the bundle to ``path`` (a .zip, mode 0600, replaced atomically); returns the path.

    ``live`` is the running kiosk's services (device health read now); without it (the command
    line) the health is the running app's last snapshot. ``paths`` default to the settings'.
    Safe from any thread; reads only (device health snapshots, files). Raises OSError when the
    target cannot be written (full disk, read-only medium) - the caller shows that to a person.
    """
    paths = paths or Paths.from_settings(settings.paths)
    target = Path(path)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if live is not None:
        state: dict[str, Any] | None = snapshot.take(live.devices, live.sync, paths.data)
    else:
        state = snapshot.read(paths.data)
    files: dict[str, str | bytes] = {
        "manifest.json": _json(
            {
                "created_at": now,
                "source": "running kiosk" if live is not None else "command line",
                "terminal_id": settings.terminal_id,
                "hall_id": settings.platform.hall_id,
                "profile": settings.terminal.profile,
                "version": __version__,
                "build": vitals.installed_build(),
            }
        ),
        "versions.json": _json(_versions()),
        "system.json": _json(vitals.collect(paths.data).as_dict()),
        "config.json": _json(settings_dict(settings)),
        "devices.json": _json(
            {
                "as_of": state.get("at") if state else None,
                "source": "live"
                if live is not None
                else ("snapshot" if state else "none: the kiosk app is not running"),
                "health": state.get("devices", {}) if state else {},
                "device_nodes": _device_nodes(),
            }
        ),
        "sync.json": _json(state.get("sync") if state else None),
    }
    # The bundle is made by another process than the kiosk: it learns the names the demo's
    # emulated reader plays (once), so a log line from an older release carrying one is masked.
    remember_card_file(shipped_config_dir() / "demo-cards.toml")
    logs: dict[str, str] = {}
    if paths.logs.is_dir():
        for log_file in sorted(paths.logs.glob("*.log*")):
            if log_file.is_file():
                logs[f"logs/{log_file.name}"] = _redacted_text(_tail(log_file, LOG_BYTES_PER_FILE))
    journal = _journal()
    if journal is not None:
        logs["logs/journal-hall-kiosk.txt"] = journal
    files.update(logs)
    files["README.txt"] = (
        f"hall-kiosk diagnostics, {now}\n"
        "manifest.json  terminal, profile, version, when and from where this was made\n"
        "versions.json  app, Python, OS and package versions, installed builds\n"
        "system.json    uptime, disk, memory, load\n"
        "config.json    effective configuration, secrets replaced by [REDACTED]\n"
        "devices.json   device health (live, or the running app's last snapshot) and /dev/kiosk-* links\n"
        "sync.json      platform sync state and outbox depth\n"
        "logs/          newest part of each log file, ID and phone numbers redacted\n"
    )
    return _write_zip(target, files)


def _json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"


def _write_zip(target: Path, files: dict[str, str | bytes]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    write_private(target, buf.getvalue(), None)  # private: redacted, but still a terminal's insides
    return target
