"""The wheel must contain every package and the shipped config (an editable install hides
a missing entry in setup.cfg, a real install on a kiosk does not)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOP = ("kiosk", "devices", "drivers", "ui", "offline_cache")


def test_every_package_is_listed_in_setup_cfg() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg")
    listed = set(cfg["options"]["packages"].split())
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for top in TOP
        for init in (REPO / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set(), "add these to [options] packages in setup.cfg"


def test_shipped_config_is_found() -> None:
    from kiosk.settings import shipped_config_dir

    assert (shipped_config_dir() / "default.toml").is_file()


def test_no_qt_gui_import_outside_ui() -> None:
    bad = []
    for top in ("kiosk", "devices", "drivers", "offline_cache"):
        for py in (REPO / top).rglob("*.py"):
            text = py.read_text(encoding="utf-8")
            for mod in ("QtWidgets", "QtQuick", "QtQml", "QtGui"):
                where = py.relative_to(REPO).as_posix()
                if f"PySide6.{mod}" in text:
                    bad.append(f"{where}: {mod}")
    assert bad == []


@pytest.mark.slow
def test_wheel_ships_config_qml_and_every_package(tmp_path: Path) -> None:
    """Build the wheel from the tracked files and look inside: what a kiosk PC would install."""
    src = tmp_path / "src"
    src.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True)
    for rel in archive.stdout.decode().split("\0"):
        if rel and (REPO / rel).is_file():
            dst = src / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dst)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("hall_kiosk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kiosk/defaults/default.toml" in names
    assert "kiosk/defaults/demo-hall.toml" in names, "the demo hall of kiosk and reference platform"
    assert "kiosk/defaults/profiles/counter.toml" in names
    assert "ui/qml/Main.qml" in names and "ui/qml/components/qmldir" in names
    tracked_qml = {
        rel for rel in archive.stdout.decode().split("\0") if rel.startswith("ui/") and rel.endswith(".qml")
    }
    assert tracked_qml <= names
