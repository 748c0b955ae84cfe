"""Built-in frame formats.

- ``armfly-ascii``: the ASCII protocol of the 安富莱 (Armfly) LED-485 series RS-485 LED
  displays, ``$001,content#`` (``$``, 3-digit decimal address, ``,``, the text, ``#``; no
  checksum, no answer). Published in the series' manual and used by public control scripts.
  Write-only: a dead screen cannot be detected on this format.
- ``aa-ee-xor``: the ``AA | length | address | command | data | XOR`` frame of a family of
  Chinese serial modules (reply identical with ``EE`` as the first byte; length counts from
  the length byte through the checksum; XOR over length, address, command and data), as
  documented in public host code for such modules. The screens answer, so dead ones are seen.
- ``hk-crc16``: hall-kiosk's own default for halls whose screens are programmable (and the
  emulator's): ``STX | address | command | length | GBK text | CRC-16/MODBUS | ETX``, answered
  with ``command | 0x80``. Not a vendor format; say so when asking a vendor to implement it.

A hall with another vendor writes the template in its config (``frame = {...}``) instead.
"""

from __future__ import annotations

from drivers.rs485.frame import FrameFormat

PRESETS: dict[str, FrameFormat] = {
    "armfly-ascii": FrameFormat(
        name="armfly-ascii",
        header=b"$",
        fields=("address",),
        address="ascii3",
        separator=b",",
        checksum="none",
        trailer=b"#",
        encoding="ascii",
        replies=False,
    ),
    "aa-ee-xor": FrameFormat(
        name="aa-ee-xor",
        header=b"\xaa",
        reply_header=b"\xee",
        fields=("length", "address", "command"),
        length="u8",
        length_counts="length_to_checksum",
        checksum="xor",
        checksum_covers="after_header",
        encoding="gbk",
        replies=True,
    ),
    "hk-crc16": FrameFormat(
        name="hk-crc16",
        header=b"\x02",
        fields=("address", "command", "length"),
        length="u8",
        checksum="crc16-modbus",
        checksum_covers="after_header",
        trailer=b"\x03",
        encoding="gbk",
        replies=True,
        reply_command_or=0x80,
    ),
}


def get(name: str) -> FrameFormat:
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown frame preset {name!r} (known: {', '.join(sorted(PRESETS))})") from None
