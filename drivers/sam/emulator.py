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

import contextlib
import hashlib
import json
import os
import random
import select
import threading
import time
import tomllib
import tty
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class SamEmulator:
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
        self.cards = list(cards)
        self.link = link
        self.fault = fault
        self.slow_s = slow_s
        self.sam_id = sam_id
        self.baud = baud
        """Bytes cross the pty no faster than a serial line at this speed (8N1); 0 = at once."""
        self._present: int | None = present if present is not None and self.cards else None
        self._selected = False
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._slave_name = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rng = random.Random(467)
        self._previous = b""
        self.requests = 0

    # --- lifecycle ---------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self.link or self._slave_name

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def start(self) -> SamEmulator:
        self.plug()
        return self

    def plug(self) -> None:
        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            tty.setraw(slave)
            self._master, self._slave = master, slave
            self._slave_name = os.ttyname(slave)
            if self.link:
                tmp = f"{self.link}.{os.getpid()}.tmp"
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                os.symlink(self._slave_name, tmp)
                os.replace(tmp, self.link)
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._serve, args=(master,), name="sam-emulator", daemon=True
            )
            self._thread.start()

    def unplug(self) -> None:
        """The cable is pulled: the port disappears (and so does the link)."""
        with self._lock:
            master, slave, thread = self._master, self._slave, self._thread
            self._master = self._slave = None
            self._thread = None
            self._selected = False
            self._stop.set()
            if self.link and os.path.islink(self.link):
                with contextlib.suppress(OSError):
                    if os.readlink(self.link) == self._slave_name:
                        os.unlink(self.link)
        if thread is not None:
            thread.join(2)
        for fd in (master, slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def stop(self) -> None:
        self.unplug()

    def __enter__(self) -> SamEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

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
            if verb == "unplug":
                self.unplug()
                return "unplugged"
            if verb == "plug":
                self.plug()
                return f"plugged in at {self.path}"
            if verb == "status":
                where = "none" if self._present is None else str(self._present + 1)
                return f"path {self.path}, card {where}, fault {self.fault}, plugged {self.plugged}"
        except (ValueError, IndexError) as exc:
            return f"error: {exc}"
        return "commands: card N | remove | fault NAME | unplug | plug | status"

    # --- the line ------------------------------------------------------------------------
    def _serve(self, master: int) -> None:
        decoder = FrameDecoder()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            if self.baud and self._stop.wait(self._wire_s(len(chunk))):
                return  # the request's own time on the line
            for item in decoder.feed(chunk):
                reply = self._answer(item)
                if self._stop.is_set():
                    return
                try:
                    self._send(master, reply)
                except OSError:
                    return

    def _send(self, master: int, frame: bytes) -> None:
        fault = self.fault
        if fault == "stale":
            frame, self._previous = self._previous + frame, frame
        if fault == "bad_checksum":
            frame = frame[:-1] + bytes([frame[-1] ^ 0x5A])
        elif fault == "garbage":
            noise = bytes(self._rng.randrange(256) for _ in range(self._rng.randrange(1, 48)))
            frame = noise.replace(PREAMBLE[:3], b"\x00\x00\x00") + frame
        if fault == "slow":
            if self._stop.wait(self.slow_s):
                return
            for i in range(0, len(frame), 64):
                os.write(master, frame[i : i + 64])
                time.sleep(0.002)
            return
        if self.baud and self._stop.wait(self._wire_s(len(frame))):
            return
        view = memoryview(frame)
        while view:
            n = os.write(master, view)
            view = view[n:]

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
