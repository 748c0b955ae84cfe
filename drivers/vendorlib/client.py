"""The device worker's side of the library helper: start it, make one call with a deadline,
and turn a hang (deadline passed: the helper is killed) or a crash (the helper died) into a
LibraryFault the driver reports. The worker's thread waits in select(), never in the library.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from drivers.errors import DriverError
from drivers.vendorlib import protocol


class LibraryFault(DriverError):
    """``code``: ``library_hung``, ``library_crashed``, ``library_unusable``, ``wlt_library``."""


def helper_command(api: str, library: str, wlt_library: str = "", wlt_function: str = "unpack") -> list[str]:
    if getattr(sys, "frozen", False):
        # a PyInstaller build has no `python -m`; its entries do not (yet) carry the helper
        raise LibraryFault(
            "library_unusable", "vendor-library readers need the Python install, not the frozen build"
        )
    args = [api, library] + ([wlt_library, wlt_function] if wlt_library else [])
    return [sys.executable, "-m", "drivers.vendorlib.host", *args]


class LibraryProcess:
    """One helper process with the library loaded; ``start`` again after a fault."""

    def __init__(
        self,
        api: str,
        library: str,
        ops: dict[str, str],
        *,
        wlt_library: str = "",
        wlt_function: str = "unpack",
    ) -> None:
        self.api = api
        self.library = library
        self.ops = ops
        self.wlt_library = wlt_library
        self.wlt_function = wlt_function
        self._proc: subprocess.Popen[bytes] | None = None
        self._buf = b""
        self.starts = 0
        self.faults = 0

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float) -> None:
        self.stop()
        env = dict(os.environ)
        # vendors ship their library's own dependencies beside it
        lib_dir = str(Path(self.library).resolve().parent)
        env["LD_LIBRARY_PATH"] = os.pathsep.join(p for p in (lib_dir, env.get("LD_LIBRARY_PATH", "")) if p)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")) if p
        )
        self._proc = subprocess.Popen(
            helper_command(self.api, self.library, self.wlt_library, self.wlt_function),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # vendor debug output may carry card data: never kept
            env=env,
            close_fds=True,
        )
        self._buf = b""
        self.starts += 1
        hello = self._receive(timeout, "loading the library")
        if not hello.get("ready"):
            self.stop()
            raise LibraryFault(
                str(hello.get("code", "library_unusable")), str(hello.get("message", "not ready"))
            )

    def call(self, op: str, timeout: float, **args: Any) -> Any:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise LibraryFault("library_crashed", "the library helper is not running")
        try:
            proc.stdin.write(protocol.encode({"op": op, "args": args}))
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._died(str(args.get("function") or op)) from None
        answer = self._receive(timeout, str(args.get("function") or op))
        if "error" in answer:
            raise LibraryFault("library_protocol", f"the library helper refused {op}: {answer['error']}")
        return answer.get("result")

    def _receive(self, timeout: float, op: str) -> dict[str, Any]:
        """The next answer; ``op`` (an operation or the library function itself) names the
        call in a hang or crash message."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.faults += 1
                self.stop(graceful=False)
                fn = self.ops.get(op, op)
                raise LibraryFault(
                    "library_hung",
                    f"the vendor library did not return from {fn} within {timeout:.1f} s; stopped",
                )
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise self._died(op)
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        try:
            return protocol.decode(line)
        except ValueError:
            self.faults += 1
            self.stop()
            raise LibraryFault(
                "library_protocol", "the library helper sent a damaged answer; stopped"
            ) from None

    def _died(self, op: str) -> LibraryFault:
        self.faults += 1
        proc = self._proc
        code = None
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = proc.wait(2)
        self.stop(graceful=False)
        fn = self.ops.get(op, op)
        if code is not None and code < 0:
            try:
                how = signal.Signals(-code).name
            except ValueError:
                how = f"signal {-code}"
            return LibraryFault("library_crashed", f"the vendor library crashed ({how}) in {fn}")
        return LibraryFault("library_crashed", f"the library helper exited (status {code}) in {fn}")

    def stop(self, *, graceful: bool = True) -> None:
        """End the helper: a healthy one exits on end of input, a stuck one is killed."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()  # a helper that is not stuck exits on end of input
        if graceful:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(0.5)
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
        with contextlib.suppress(OSError):
            if proc.stdout is not None:
                proc.stdout.close()
