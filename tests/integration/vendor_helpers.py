"""The vendor-SDK test doubles (tests/fixtures/vendor/*.c) built with the system C compiler,
and the switches that drive them: the SAM emulator's pty they talk to, and the control file
that makes a call hang or crash."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "vendor"


def build(out_dir: Path) -> dict[str, Path]:
    """{"sdtapi": libsdtapi_emu.so, "termb": libtermb_emu.so}; skips without a compiler."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler for the vendor library doubles (gcc is in the dev packages)")
    libs = {}
    for api in ("sdtapi", "termb"):
        out = out_dir / f"lib{api}_emu.so"
        subprocess.run(
            [cc, "-O1", "-Wall", "-shared", "-fPIC", "-o", str(out), str(SOURCES / f"{api}_emu.c")],
            check=True,
            timeout=120,
        )
        libs[api] = out
    return libs


@dataclass
class Control:
    """The control file the doubles read before every call."""

    path: Path

    def set(self, line: str) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(line + "\n")
        tmp.replace(self.path)

    def ok(self) -> None:
        self.set("ok")
