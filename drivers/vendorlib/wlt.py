"""The vendor's WLT -> BMP photo decoder (e.g. libwlt2bmp.so), called through ctypes.

Expected export: ``int unpack(char *wlt, char *bmp, int save_bmp)`` returning 1 on success
and writing a 102x126 24-bit BMP into ``bmp``.
"""

from __future__ import annotations

import ctypes

BMP_SIZE = 38862


class WltLibrary:
    def __init__(self, path: str, function: str = "unpack") -> None:
        """OSError (library missing or unloadable) or AttributeError (no such export)."""
        lib = ctypes.CDLL(path)
        self._fn = getattr(lib, function)
        self._fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
        self._fn.restype = ctypes.c_int

    def decode(self, wlt: bytes) -> bytes | None:
        src = ctypes.create_string_buffer(wlt, len(wlt))
        dst = ctypes.create_string_buffer(BMP_SIZE + 1024)
        if self._fn(src, dst, 0) != 1:
            return None
        bmp = dst.raw
        if bmp[:2] != b"BM":
            return None
        size = int.from_bytes(bmp[2:6], "little")
        return bmp[:size] if 0 < size <= len(bmp) else bmp[:BMP_SIZE]
