"""A real installer run, staged under a temporary prefix, shared by the installer tests.

The app comes from a wheel built from this checkout (the offline ``--wheelhouse`` path a
terminal on a government intranet uses); ``--no-deps`` keeps it quick, since the layout, not
PySide6, is under test here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"


@dataclass(frozen=True)
class Staged:
    prefix: Path
    wheelhouse: Path
    output: str

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_script("install.sh", "--prefix", str(self.prefix), *args, check=check)


def run_script(
    name: str, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(INSTALLER / name), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if check and proc.returncode != 0:
        pytest.fail(f"{name} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def install_args(wheelhouse: Path) -> list[str]:
    return ["--wheelhouse", str(wheelhouse), "--no-deps", "--python", sys.executable]


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    run_script("build-wheelhouse.sh", "--app-only", str(out), env={"PYTHON": sys.executable})
    return out


@pytest.fixture(scope="session")
def staged(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Staged:
    prefix = tmp_path_factory.mktemp("root")
    proc = run_script("install.sh", "--prefix", str(prefix), *install_args(wheelhouse))
    return Staged(prefix, wheelhouse, proc.stdout)
