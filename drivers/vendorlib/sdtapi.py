"""The generic second-generation ID-card SDK (``SDT_*``; libsdtapi.so / sdtapi.dll), as
published by several makers: one function per SAM command, the SAM's status byte returned.

Ports: 1001-1016 are USB readers, 1-16 serial ports. ``iIfOpen`` = 0 throughout: the port is
opened once by SDT_OpenPort. The base message is the SAM's own 256-byte UCS-2 text block and
1024-byte WLT photo, so its decoding is the serial driver's.
"""

from __future__ import annotations

import ctypes
from typing import Any

from drivers.sam.codec import STATUS
from drivers.vendorlib.adapter import Adapter

c_int, c_uint, c_char_p = ctypes.c_int, ctypes.c_uint, ctypes.c_char_p
u8p, uintp = ctypes.POINTER(ctypes.c_ubyte), ctypes.POINTER(ctypes.c_uint)

OK, FOUND, NO_CARD, NO_CONTENT = 0x90, 0x9F, 0x80, 0x91

# the SDK's own codes (the host side of the line), beside the SAM's status bytes
HOST_STATUS: dict[int, tuple[str, str]] = {
    0x01: ("port_open_failed", "the reader's port could not be opened"),
    0x02: ("timeout", "the reader did not answer in time"),
    0x03: ("transfer_error", "data transfer error between computer and reader"),
    0x05: ("port_unavailable", "the serial port is not available"),
    0x09: ("file_open_failed", "the library could not open its file"),
}
LINK_FAILURES = frozenset(HOST_STATUS)
"""Codes that mean the reader itself is unreachable (not a card problem)."""


def status(code: int) -> tuple[str, str]:
    """(stable code, plain words) of a return value."""
    return HOST_STATUS.get(code) or STATUS.get(code) or ("unknown_status", f"unknown status 0x{code:02x}")


class SdtApi(Adapter):
    FUNCTIONS = {
        "SDT_OpenPort": ([c_int], c_int),
        "SDT_ClosePort": ([c_int], c_int),
        "SDT_GetSAMStatus": ([c_int, c_int], c_int),
        "SDT_StartFindIDCard": ([c_int, u8p, c_int], c_int),
        "SDT_SelectIDCard": ([c_int, u8p, c_int], c_int),
        "SDT_ReadBaseMsg": ([c_int, u8p, uintp, u8p, uintp, c_int], c_int),
    }
    OPTIONAL = {
        "SDT_GetSAMIDToStr": ([c_int, c_char_p, c_int], c_int),
        "SDT_ReadBaseFPMsg": ([c_int, u8p, uintp, u8p, uintp, u8p, uintp, c_int], c_int),
        "SDT_ReadNewAppMsg": ([c_int, u8p, uintp, c_int], c_int),
    }
    OPS = {
        "open": "SDT_OpenPort",
        "close": "SDT_ClosePort",
        "sam_status": "SDT_GetSAMStatus",
        "sam_id": "SDT_GetSAMIDToStr",
        "find": "SDT_StartFindIDCard",
        "select": "SDT_SelectIDCard",
        "read": "SDT_ReadBaseMsg",
        "read_fp": "SDT_ReadBaseFPMsg",
        "latest_address": "SDT_ReadNewAppMsg",
    }

    def op_open(self, port: int) -> int:
        return int(self.fn["SDT_OpenPort"](port))

    def op_close(self, port: int) -> int:
        return int(self.fn["SDT_ClosePort"](port))

    def op_sam_status(self, port: int) -> int:
        return int(self.fn["SDT_GetSAMStatus"](port, 0))

    def op_sam_id(self, port: int) -> dict[str, Any]:
        f = self.fn.get("SDT_GetSAMIDToStr")
        if f is None:
            return {"status": OK, "id": None}
        buf = ctypes.create_string_buffer(128)
        rc = int(f(port, buf, 0))
        return {"status": rc, "id": buf.value.decode("ascii", errors="replace") if rc == OK else None}

    def op_find(self, port: int) -> int:
        iin = (ctypes.c_ubyte * 16)()
        return int(self.fn["SDT_StartFindIDCard"](port, iin, 0))

    def op_select(self, port: int) -> dict[str, Any]:
        sn = (ctypes.c_ubyte * 16)()
        rc = int(self.fn["SDT_SelectIDCard"](port, sn, 0))
        return {"status": rc, "serial": bytes(sn[:8]) if rc == OK else b""}

    def op_read(self, port: int) -> dict[str, Any]:
        text, photo = (ctypes.c_ubyte * 512)(), (ctypes.c_ubyte * 2048)()
        tlen, plen = c_uint(0), c_uint(0)
        rc = int(self.fn["SDT_ReadBaseMsg"](port, text, ctypes.byref(tlen), photo, ctypes.byref(plen), 0))
        if rc != OK:
            return {"status": rc}
        return {
            "status": rc,
            "text": bytes(text[: min(tlen.value, 512)]),
            "photo": bytes(photo[: min(plen.value, 2048)]),
        }

    def op_read_fp(self, port: int) -> dict[str, Any]:
        f = self.fn.get("SDT_ReadBaseFPMsg")
        if f is None:
            return self.op_read(port)
        text, photo, fp = (ctypes.c_ubyte * 512)(), (ctypes.c_ubyte * 2048)(), (ctypes.c_ubyte * 2048)()
        tlen, plen, flen = c_uint(0), c_uint(0), c_uint(0)
        rc = int(f(port, text, ctypes.byref(tlen), photo, ctypes.byref(plen), fp, ctypes.byref(flen), 0))
        if rc != OK:
            return {"status": rc}
        return {
            "status": rc,
            "text": bytes(text[: min(tlen.value, 512)]),
            "photo": bytes(photo[: min(plen.value, 2048)]),
            "fingerprint": bytes(fp[: min(flen.value, 2048)]),
        }

    def op_latest_address(self, port: int) -> dict[str, Any]:
        f = self.fn.get("SDT_ReadNewAppMsg")
        if f is None:
            return {"status": NO_CONTENT}
        buf, n = (ctypes.c_ubyte * 512)(), c_uint(0)
        rc = int(f(port, buf, ctypes.byref(n), 0))
        address = (
            bytes(buf[: min(n.value, 512)]).decode("utf-16-le", errors="replace").strip()
            if rc == OK
            else None
        )
        return {"status": rc, "address": address}
