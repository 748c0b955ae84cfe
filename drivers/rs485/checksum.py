"""The checksums vendors put on RS-485 frames. Pure functions over bytes."""

from __future__ import annotations

from typing import Literal

ChecksumKind = Literal["none", "sum8", "xor", "crc16-ccitt", "crc16-modbus"]
CHECKSUM_KINDS: tuple[str, ...] = ("none", "sum8", "xor", "crc16-ccitt", "crc16-modbus")


def sum8(data: bytes) -> int:
    return sum(data) & 0xFF


def xor8(data: bytes) -> int:
    out = 0
    for b in data:
        out ^= b
    return out


def crc16_ccitt(data: bytes, init: int = 0xFFFF) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection (check "123456789" = 0x29B1)."""
    crc = init
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def crc16_modbus(data: bytes) -> int:
    """CRC-16/MODBUS: poly 0xA001 reflected, init 0xFFFF (check "123456789" = 0x4B37)."""
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def size(kind: str) -> int:
    return {"none": 0, "sum8": 1, "xor": 1}.get(kind, 2)


def compute(kind: str, data: bytes) -> bytes:
    """The checksum bytes as they go on the wire: Modbus CRC low byte first (as Modbus RTU
    sends it), CCITT high byte first."""
    if kind == "none":
        return b""
    if kind == "sum8":
        return bytes([sum8(data)])
    if kind == "xor":
        return bytes([xor8(data)])
    if kind == "crc16-ccitt":
        return crc16_ccitt(data).to_bytes(2, "big")
    if kind == "crc16-modbus":
        return crc16_modbus(data).to_bytes(2, "little")
    raise ValueError(f"unknown checksum {kind!r}")
