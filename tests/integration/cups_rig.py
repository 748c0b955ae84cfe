"""A private CUPS scheduler for tests: its own config, spool and loopback port, a cups-pdf queue.

Runs the real ``cupsd`` (Debian ``cups``) with the real ``cups-pdf`` backend
(``printer-driver-cups-pdf``); nothing of the system's CUPS is touched. cups-pdf writes the
PDF under the job owner's ``~/PDF`` named after the job title, which the kiosk makes unique.
The backend must run as root (cupsd starts 0700 backends as root), so the tests need root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

import pytest

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")


def missing() -> str:
    """Why a private CUPS cannot run here ('' when it can)."""
    for tool in ("cupsd", "lpadmin", "lp", "lpstat", "pdftotext"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            return f"{tool} not installed (debian-packages.txt: cups, cups-client, poppler-utils)"
    if not BACKEND.exists() or not PPD.exists():
        return "cups-pdf not installed (printer-driver-cups-pdf)"
    if os.geteuid() != 0:
        return "cupsd runs the cups-pdf backend as root only; these tests need root"
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateCups:
    """``PrivateCups().start()``; its files live in a fresh directory under the system temp
    directory (not pytest's 0700 tree: CUPS filters run as ``lp`` and must reach the spool)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="hk-cups-"))
        self.root.chmod(0o755)
        self.port = _free_port()
        self.server = f"127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self._err: BinaryIO | None = None

    def start(self) -> PrivateCups:
        r = self.root
        for d in ("spool", "tmp", "cache", "state", "log"):
            (r / d).mkdir(parents=True, exist_ok=True)
        (r / "tmp").chmod(0o1777)
        (r / "cupsd.conf").write_text(
            f"Listen 127.0.0.1:{self.port}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
            "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        (r / "cups-files.conf").write_text(
            f"ServerRoot {r}\nRequestRoot {r}/spool\nTempDir {r}/tmp\nCacheDir {r}/cache\n"
            f"StateDir {r}/state\nErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\n"
            f"PageLog {r}/log/page_log\n"
        )
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        self._err = (r / "log" / "stderr").open("wb")
        self.proc = subprocess.Popen(
            [cupsd, "-f", "-c", str(r / "cupsd.conf"), "-s", str(r / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=self._err,
        )
        end = time.monotonic() + 15
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                err = (r / "log" / "stderr").read_text(errors="replace")
                pytest.fail(f"cupsd exited at start: {err[-500:]}")
            ok = subprocess.run(["lpstat", "-h", self.server, "-r"], capture_output=True, check=False)
            if b"is running" in ok.stdout:
                return self
            time.sleep(0.2)
        pytest.fail("cupsd did not start within 15 s")
        return self

    def add_pdf_queue(self, name: str) -> str:
        subprocess.run(
            # pdftocairo keeps the text's Unicode through the PostScript step (poppler's own
            # pdftops and ghostscript lose it for TrueType CID fonts): the PDF reads back.
            [
                "lpadmin",
                "-h",
                self.server,
                "-p",
                name,
                "-v",
                "cups-pdf:/",
                "-P",
                str(PPD),
                "-E",
                "-o",
                "pdftops-renderer-default=pdftocairo",
            ],
            check=True,
            capture_output=True,
        )
        return name

    def lp(self, *args: str) -> str:
        done = subprocess.run([*args[:1], "-h", self.server, *args[1:]], capture_output=True, check=True)
        return done.stdout.decode()

    def pdf_titled(self, title: str, timeout_s: float = 20.0) -> Path:
        """The PDF cups-pdf wrote for the job called ``title``."""
        out = Path.home() / "PDF"
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            found = sorted(out.glob(f"{title}*.pdf")) if out.exists() else []
            if found and found[0].stat().st_size > 0:
                time.sleep(0.2)
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no PDF for {title} in {out}")

    def stop(self) -> None:
        if self._err is not None:
            self._err.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.root, ignore_errors=True)


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
