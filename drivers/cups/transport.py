"""The CUPS transport: ``lp`` to submit a PDF, ``lpstat`` to ask the queue and follow the job.

The command-line clients are CUPS's own stable interface (no Python binding to build), and
they honour ``server`` (``host:port`` or a socket path) so a test can run a private scheduler.
"""

from __future__ import annotations

import os
import subprocess
import time

from drivers.cups import ipp, lpstat


class CupsError(Exception):
    """``code``: ``offline`` (no scheduler / no queue), ``failed`` (job refused or aborted)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class CupsQueue:
    def __init__(self, queue: str, server: str = "", timeout_s: float = 10.0) -> None:
        self.queue = queue
        self.server = server
        self.timeout_s = timeout_s

    def _run(self, args: list[str], data: bytes | None = None) -> str:
        cmd = [args[0], *(["-h", self.server] if self.server else []), *args[1:]]
        env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
        try:
            done = subprocess.run(  # fixed argv, no shell
                cmd, input=data, capture_output=True, timeout=self.timeout_s, env=env, check=False
            )
        except FileNotFoundError:
            raise CupsError("offline", f"{args[0]} is not installed (Debian: cups-client)") from None
        except subprocess.TimeoutExpired:
            raise CupsError("offline", f"{args[0]} did not answer in {self.timeout_s:.0f} s") from None
        out = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip()
            raise CupsError("offline", err[:200] or f"{args[0]} failed ({done.returncode})")
        return out

    def state(self) -> lpstat.QueueState:
        try:
            return lpstat.parse_printer(self._run(["lpstat", "-l", "-p", self.queue]))
        except CupsError:
            return lpstat.QueueState("unknown", ())

    def submit(self, pdf: bytes, title: str) -> str:
        out = self._run(["lp", "-d", self.queue, "-t", title, "-o", "media=A4", "-"], pdf)
        job = lpstat.parse_request_id(out)
        if job is None:
            raise CupsError("failed", "lp did not name the job")
        return job

    def wait(self, job: str, timeout_s: float) -> None:
        """Until the job has printed; ``CupsError('failed')`` if it was cancelled, aborted or
        did not finish in time (``lpstat`` lists those as "completed" too: IPP says which)."""
        job_id = int(job.rsplit("-", 1)[1])
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            try:
                state, reasons = ipp.job_state(self.server, self.queue, job_id)
            except ipp.IppError as exc:
                raise CupsError("offline", str(exc)) from None
            if state == "completed":
                return
            if state in ("canceled", "aborted"):
                raise CupsError("failed", f"job {job} {state} ({', '.join(reasons)[:100]})")
            time.sleep(0.2)
        raise CupsError("failed", f"job {job} not completed within {timeout_s:.0f} s")
