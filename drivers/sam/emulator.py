"""A GA 467 SAM reader played on a pseudo-terminal, so the real driver runs unchanged.

Cards come from a TOML or JSON file (``[[cards]]`` tables with the fields of a card type);
one card at a time lies on the reader. Faults can be switched on at any time to rehearse what
halls see: ``no_card`` (the reader never finds one), ``bad_checksum`` (every answer damaged),
``garbage`` (line noise before every answer), ``slow`` (late answers, split into small
writes), ``read_failed`` (reads answer 0x41), ``stale`` (the previous answer is repeated
before each new one, as when a reader answers a timed-out command late) and ``unplug`` /
``plug`` (the port vanishes and comes back, under the same link path when one is given).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.pty_link import PluggableEmulator, PtyLink
from drivers.sam.codec import (
    PHOTO_LEN,
    PREAMBLE,
    Command,
    FrameDecoder,
    FrameError,
    ReadBlocks,
    encode_read,
    encode_response,
    encode_sam_id,
    parse_request,
)
from drivers.sam.text import build_text

FAULTS = ("none", "no_card", "bad_checksum", "garbage", "slow", "read_failed", "stale")
DEFAULT_SAM_ID = "05.01-20201105-0000012345-2147614512"
_TEXT_KEYS = {
    "name", "gender", "nation", "birth_date", "address", "id_number", "issuer", "valid_from",
    "valid_to", "english_name", "country", "card_version", "pass_number", "issue_count",
    "previous_number_link",
}  # fmt: skip


class CardFileError(ValueError):
    pass


@dataclass(frozen=True)
class EmulatedCard:
    label: str
    text: bytes
    photo: bytes
    serial: bytes
    fingerprint: bytes | None = None
    latest_address: str | None = None


def _masked(name: str) -> str:
    """李明华 -> 李*华 (drivers cannot use ``kiosk.privacy``; the same display rule)."""
    v = name.strip()
    if v.isascii():
        return " ".join(w[:1] + "*" * (len(w) - 1) for w in v.split())
    if len(v) <= 2:
        return v[: len(v) - 1] + "*" if v else v  # 张 -> *, 张三 -> 张*
    return v[0] + "*" * (len(v) - 2) + v[-1]


def card_from_mapping(raw: Mapping[str, Any], base: Path | None = None, index: int = 0) -> EmulatedCard:
    card_type = str(raw.get("type", "resident"))
    fields = {k: str(v) for k, v in raw.items() if k in _TEXT_KEYS}
    unknown = set(raw) - _TEXT_KEYS - {"type", "label", "photo_file", "latest_address", "fingerprint_file"}
    if unknown:
        raise CardFileError(f"card {index + 1}: unknown keys {', '.join(sorted(unknown))}")
    try:
        text = build_text(card_type, **fields)
    except (KeyError, ValueError) as exc:
        raise CardFileError(f"card {index + 1}: {exc}") from None
    photo = b"\x00" * PHOTO_LEN  # no photo on file: an empty WLT block, never an invented face
    if "photo_file" in raw:
        photo = _read_block(raw["photo_file"], base, PHOTO_LEN, index)
    fingerprint = None
    if "fingerprint_file" in raw:
        fingerprint = _read_block(raw["fingerprint_file"], base, None, index)
    serial = hashlib.sha256(text).digest()[:8]
    label = str(raw.get("label", f"card {index + 1} ({card_type})"))
    for key in ("name", "english_name"):
        # the label is printed and logged ("card 1 on the reader: …"): never the holder's name
        if fields.get(key):
            label = label.replace(fields[key], _masked(fields[key]))
    latest = raw.get("latest_address")
    return EmulatedCard(label, text, photo, serial, fingerprint, str(latest) if latest else None)


def _read_block(name: Any, base: Path | None, size: int | None, index: int) -> bytes:
    path = Path(str(name))
    if base is not None and not path.is_absolute():
        path = base / path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CardFileError(f"card {index + 1}: cannot read {path}: {exc.strerror}") from None
    if size is not None and len(data) != size:
        raise CardFileError(f"card {index + 1}: {path} must be {size} bytes, is {len(data)}")
    return data


def load_cards(path: Path) -> list[EmulatedCard]:
    try:
        raw_text = path.read_bytes()
    except OSError as exc:
        raise CardFileError(f"cannot read {path}: {exc.strerror}") from None
    try:
        doc = json.loads(raw_text) if path.suffix == ".json" else tomllib.loads(raw_text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CardFileError(
            f"{path}: not valid {'JSON' if path.suffix == '.json' else 'TOML'}: {exc}"
        ) from None
    cards = doc.get("cards") if isinstance(doc, dict) else None
    if not isinstance(cards, list) or not cards or not all(isinstance(c, dict) for c in cards):
        raise CardFileError(f"{path}: expected a non-empty list of [[cards]] tables")
    return [card_from_mapping(c, path.parent, i) for i, c in enumerate(cards)]


class SamEmulator(PluggableEmulator):
    """The reader end of a pty. ``path`` is what the driver opens (the link when given)."""

    def __init__(
        self,
        cards: Sequence[EmulatedCard],
        *,
        link: str | None = None,
        present: int | None = 0,
        fault: str = "none",
        slow_s: float = 0.4,
        sam_id: str = DEFAULT_SAM_ID,
        baud: int = 0,
    ) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r} (known: {', '.join(FAULTS)})")
        super().__init__("sam-emulator", link=link)
        self.cards = list(cards)
        self.fault = fault
        self.slow_s = slow_s
        self.sam_id = sam_id
        self.baud = baud
        """Bytes cross the pty no faster than a serial line at this speed (8N1); 0 = at once."""
        self._present: int | None = present if present is not None and self.cards else None
        self._selected = False
        self._rng = random.Random(467)
        self._previous = b""
        self.requests = 0

    # --- lifecycle ---------------------------------------------------------------------
    def _handler(self, port: PtyLink) -> Callable[[bytes], None]:
        decoder = FrameDecoder()
        return lambda chunk: self._serve(port, decoder, chunk)

    def _unplugged(self) -> None:
        self._selected = False

    # --- the card on the reader ----------------------------------------------------------
    def place(self, index: int) -> None:
        if not 0 <= index < len(self.cards):
            raise IndexError(f"no card {index + 1} (the file has {len(self.cards)})")
        with self._lock:
            self._present = index
            self._selected = False

    def remove(self) -> None:
        with self._lock:
            self._present = None
            self._selected = False

    def set_fault(self, fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r} (known: {', '.join(FAULTS)})")
        self.fault = fault

    def command(self, line: str) -> str:
        """One control line (stdin of ``kiosk emulate sam-idcard``, the demo's FIFO)."""
        words = line.split()
        if not words:
            return ""
        verb, args = words[0].lower(), words[1:]
        try:
            if verb == "card" and args:
                self.place(int(args[0]) - 1)
                return f"card {args[0]} on the reader: {self.cards[int(args[0]) - 1].label}"
            if verb == "remove":
                self.remove()
                return "card removed"
            if verb == "fault" and args:
                self.set_fault(args[0])
                return f"fault {args[0]}"
            cable = self.cable_command(verb)
            if cable is not None:
                return cable
            if verb == "status":
                where = "none" if self._present is None else str(self._present + 1)
                return f"path {self.path}, card {where}, fault {self.fault}, plugged {self.plugged}"
        except (ValueError, IndexError) as exc:
            return f"error: {exc}"
        return "commands: card N | remove | fault NAME | unplug | plug | status"

    # --- the line ------------------------------------------------------------------------
    def _serve(self, port: PtyLink, decoder: FrameDecoder, chunk: bytes) -> None:
        if self.baud and port.wait(self._wire_s(len(chunk))):
            return  # the request's own time on the line
        for item in decoder.feed(chunk):
            reply = self._answer(item)
            if port.closing:
                return
            self._send(port, reply)

    def _send(self, port: PtyLink, frame: bytes) -> None:
        fault = self.fault
        if fault == "stale":
            frame, self._previous = self._previous + frame, frame
        if fault == "bad_checksum":
            frame = frame[:-1] + bytes([frame[-1] ^ 0x5A])
        elif fault == "garbage":
            noise = bytes(self._rng.randrange(256) for _ in range(self._rng.randrange(1, 48)))
            frame = noise.replace(PREAMBLE[:3], b"\x00\x00\x00") + frame
        if fault == "slow":
            if port.wait(self.slow_s):
                return
            for i in range(0, len(frame), 64):
                port.write(frame[i : i + 64])
                time.sleep(0.002)
            return
        if self.baud and port.wait(self._wire_s(len(frame))):
            return
        port.write(frame)

    def _wire_s(self, n: int) -> float:
        return n * 10 / self.baud

    def _answer(self, item: bytes | FrameError) -> bytes:
        self.requests += 1
        if isinstance(item, FrameError):
            return encode_response(0x10 if item.code == "bad_checksum" else 0x11)
        try:
            request = parse_request(item)
        except FrameError:
            return encode_response(0x11)
        with self._lock:
            card = self.cards[self._present] if self._present is not None else None
            if self.fault == "no_card":
                card = None
            cmd = request.command
            if cmd in (Command.RESET_SAM, Command.SAM_STATUS):
                return encode_response(0x90)
            if cmd is Command.SAM_ID:
                return encode_response(0x90, encode_sam_id(self.sam_id))
            if cmd is Command.FIND_CARD:
                return encode_response(0x9F, b"\x00" * 4) if card else encode_response(0x80)
            if cmd is Command.SELECT_CARD:
                if card is None:
                    return encode_response(0x81)
                self._selected = True
                return encode_response(0x90, card.serial)
            if cmd in (Command.READ_TEXT_PHOTO, Command.READ_TEXT_PHOTO_FINGERPRINT):
                if card is None or not self._selected or self.fault == "read_failed":
                    return encode_response(0x41)
                fp = None
                if cmd is Command.READ_TEXT_PHOTO_FINGERPRINT:
                    fp = card.fingerprint or b""
                return encode_response(0x90, encode_read(ReadBlocks(card.text, card.photo, fp)))
            if cmd is Command.READ_LATEST_ADDRESS:
                if card is None or not self._selected:
                    return encode_response(0x41)
                if not card.latest_address:
                    return encode_response(0x91)
                return encode_response(0x90, card.latest_address.ljust(35).encode("utf-16-le")[:70])
        return encode_response(0x21)
