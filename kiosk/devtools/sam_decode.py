"""``kiosk devices decode sam-idcard FILE``: one reader->host frame (hex text) -> JSON.

For technicians holding a capture from a misbehaving reader: either the card's fields as one
JSON object, or exit 2 with one line naming what is wrong with the frame. Names, numbers and
the address are masked unless ``--unmasked`` is given: a terminal's screen or a ticket pasted
into a chat is no place for a citizen's identity.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

from drivers.sam.codec import FrameError, decode_one, parse_read, parse_response
from drivers.sam.text import as_json, parse_text
from kiosk.privacy import mask_id_number, mask_name

# personal fields of the JSON document and how each is masked
_MASKS: dict[str, Callable[[str], str]] = {
    "name": mask_name,
    "english_name": mask_name,
    "id_number": mask_id_number,
    "pass_number": mask_id_number,
    "address": lambda v: v[:3] + "*" * max(0, len(v) - 3),
    "birth_date": lambda v: v[:4] + "-**-**" if len(v) == 10 else v,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="hex text of one frame (spaces and newlines allowed)")
    parser.add_argument(
        "--unmasked", action="store_true", help="print names and numbers in full (technicians, on site)"
    )


def masked(doc: dict[str, object]) -> dict[str, object]:
    out = dict(doc)
    for key, mask in _MASKS.items():
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = mask(value)
    return out


def parse_hex(text: str) -> bytes:
    cleaned = re.sub(r"0x|[\s,:]", "", text, flags=re.IGNORECASE)
    if not cleaned:
        raise FrameError("empty", "empty file")
    if not re.fullmatch(r"[0-9A-Fa-f]*", cleaned):
        raise FrameError("not_hex", "not hex text")
    if len(cleaned) % 2:
        raise FrameError("not_hex", "odd number of hex digits")
    return bytes.fromhex(cleaned)


def decode_text(text: str) -> dict[str, object]:
    """The JSON document of a successful read frame; FrameError naming the problem otherwise."""
    response = parse_response(decode_one(parse_hex(text)))
    if not response.ok:
        raise response.error()
    if response.sw3 != 0x90 or len(response.data) < 4:
        raise FrameError("not_a_read", f"status 0x{response.sw3:02x}: not a card read response")
    blocks = parse_read(response.data)
    return as_json(parse_text(blocks.text), len(blocks.photo))


def run(args: argparse.Namespace) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        doc = decode_text(text)
    except FrameError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(json.dumps(doc if args.unmasked else masked(doc), ensure_ascii=False, indent=2))
    return 0
