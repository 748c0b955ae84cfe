"""What the helper process needs from each vendor API: load the library, run one named
operation (one library call) and return plain values."""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping
from typing import Any


class LibraryLoadError(Exception):
    """The library cannot be used at all (missing file, wrong architecture, missing export)."""


class Adapter:
    FUNCTIONS: Mapping[str, tuple[list[Any], Any]] = {}
    """Required exports: name -> (argtypes, restype)."""
    OPTIONAL: Mapping[str, tuple[list[Any], Any]] = {}
    """Exports used when present (a fingerprint read, a latest address)."""
    OPS: Mapping[str, str] = {}
    """operation -> the library function it calls, for messages ("hung in SDT_ReadBaseMsg")."""

    def __init__(self, path: str) -> None:
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            raise LibraryLoadError(f"cannot load {path}: {exc}") from None
        missing = [name for name in self.FUNCTIONS if not hasattr(lib, name)]
        if missing:
            raise LibraryLoadError(f"{path} lacks {', '.join(missing)}: not this reader's library?")
        self.fn: dict[str, Any] = {}
        for table in (self.FUNCTIONS, self.OPTIONAL):
            for name, (argtypes, restype) in table.items():
                if hasattr(lib, name):
                    f = getattr(lib, name)
                    f.argtypes, f.restype = argtypes, restype
                    self.fn[name] = f

    def call(self, op: str, args: Mapping[str, Any]) -> Any:
        method: Callable[..., Any] | None = getattr(self, f"op_{op}", None)
        if op not in self.OPS or method is None:
            raise ValueError(f"unknown operation {op!r}")
        return method(**args)
