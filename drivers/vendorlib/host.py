"""The helper process that loads a vendor library: ``python -m drivers.vendorlib.host API LIB
[WLT_LIB WLT_FUNCTION]``. Requests come one per line on stdin, answers go one per line to the
original stdout; the library's own printing is sent to stderr so it cannot corrupt the pipe.

If the library hangs, the worker kills this process; if it crashes, only this process dies.
It exits by itself when the kiosk goes away (stdin closed, or the parent-death signal).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Any, BinaryIO

from drivers.vendorlib import protocol
from drivers.vendorlib.adapter import Adapter, LibraryLoadError
from drivers.vendorlib.sdtapi import SdtApi
from drivers.vendorlib.termb import Termb
from drivers.vendorlib.wlt import WltLibrary

ADAPTERS: dict[str, type[Adapter]] = {"sdtapi": SdtApi, "termb": Termb}
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: a kiosk killed with SIGKILL takes its helper along, even one stuck in the library.
    (The signal follows the spawning thread: the device's worker, which lives as long as the
    device does.)"""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _send(out: BinaryIO, message: dict[str, Any]) -> None:
    out.write(protocol.encode(message))
    out.flush()


def serve(argv: list[str]) -> int:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _die_with_parent()
    if len(argv) < 2 or argv[0] not in ADAPTERS:
        _send(out, {"ready": False, "message": f"usage: API LIBRARY (API: {', '.join(ADAPTERS)})"})
        return 2
    try:
        adapter = ADAPTERS[argv[0]](argv[1])
        wlt = (
            WltLibrary(argv[2], argv[3] if len(argv) > 3 else "unpack") if len(argv) > 2 and argv[2] else None
        )
    except LibraryLoadError as exc:
        _send(out, {"ready": False, "code": "library_unusable", "message": str(exc)})
        return 3
    except (OSError, AttributeError) as exc:
        _send(
            out,
            {"ready": False, "code": "wlt_library", "message": f"photo library {argv[2]} unusable: {exc}"},
        )
        return 3
    _send(out, {"ready": True, "pid": os.getpid(), "functions": sorted(adapter.fn)})
    for line in sys.stdin.buffer:
        try:
            request = protocol.decode(line)
            op = str(request["op"])
            args = request.get("args") or {}
            if op == "decode_wlt":
                result = wlt.decode(args["wlt"]) if wlt is not None else None
            else:
                result = adapter.call(op, args)
        except (ValueError, KeyError, TypeError, ctypes.ArgumentError) as exc:
            _send(out, {"error": f"bad request: {exc}"})
            continue
        _send(out, {"result": result})
    return 0


if __name__ == "__main__":
    raise SystemExit(serve(sys.argv[1:]))
