"""Our own virtual smart card for vsmartcard's ``vpcd`` reader driver in pcscd.

vpcd (loaded by pcscd) listens on TCP 35963 for "its" card; a card connecting is a card
inserted, closing the socket is a removal. Each message is a 2-byte big-endian length then
either one control byte (0 power off, 1 power on, 2 reset, 4 send the ATR) or a command APDU;
the card answers the ATR request and every APDU the same way framed. pyscard, through pcscd,
then talks to these cards exactly as to real ones.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field

from drivers.pcsc.apdu import SW_OK

VPCD_PORT = 35963
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")  # "sx1.sh." + 社会保障 (GBK)


def _sw(sw: int, data: bytes = b"") -> bytes:
    return data + sw.to_bytes(2, "big")


class VirtualCard:
    atr: bytes = bytes.fromhex("3B6800000073C84000009000")

    def reset(self) -> None:
        """Power-on or reset: back to the master file, nothing pending."""

    def process(self, apdu: bytes) -> bytes:
        raise NotImplementedError


@dataclass
class SocialSecurityCard(VirtualCard):
    """A 社会保障卡 behaving as a T=0 card: SELECT by name answers ``61 xx`` (FCI waiting)."""

    card_number: str
    name: str
    ssn: str
    gender: str = "1"
    nation: int = 1
    birth_date: str = "19850307"
    atr: bytes = bytes.fromhex("3B6C0000" + "0000000000000000" + "00000000")
    _df: bool = field(default=False, repr=False)
    _ef: int | None = field(default=None, repr=False)
    _pending: bytes = field(default=b"", repr=False)

    def reset(self) -> None:
        self._df, self._ef, self._pending = False, None, b""

    def _records(self, ef: int) -> dict[int, bytes]:
        if ef == 0xEF05:
            return {0x07: self.card_number.encode("ascii").ljust(9, b"\x00")}
        if ef == 0xEF06:
            return {
                0x08: self.ssn.encode("ascii").ljust(18, b"\x00"),
                0x09: self.name.encode("gbk").ljust(30, b"\x00"),
                0x0A: self.gender.encode("ascii"),
                0x0B: bytes([self.nation]),
                0x0D: bytes.fromhex(self.birth_date),
            }
        return {}

    def process(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return _sw(0x6700)
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        le = apdu[4] if len(apdu) == 5 else None
        if (cla, ins) == (0xFF, 0xCA):
            return _sw(0x6A81)  # contact card: the reader has no UID to give
        if ins == 0xC0:
            if not self._pending:
                return _sw(0x6985)
            n = len(self._pending) if not le else min(le, len(self._pending))
            data, self._pending = self._pending[:n], self._pending[n:]
            return _sw(SW_OK if not self._pending else 0x6100 | len(self._pending), data)
        if ins == 0xA4 and p1 == 0x04:
            if body != SSSE_AID:
                return _sw(0x6A82)
            self._df, self._ef = True, None
            self._pending = bytes([0x6F, len(SSSE_AID) + 2, 0x84, len(SSSE_AID)]) + SSSE_AID
            return _sw(0x6100 | len(self._pending))
        if ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(body, "big") if len(body) == 2 else 0
            if not self._df or fid not in (0xEF05, 0xEF06):
                return _sw(0x6A82)
            self._ef = fid
            return _sw(SW_OK)
        if ins == 0xB2:
            if not self._df:
                return _sw(0x6985)
            sfi = p2 >> 3
            ef = 0xEF00 | sfi if sfi else self._ef
            if ef is None or (p2 & 0x07) not in (0x00, 0x04):  # P1 = record number
                return _sw(0x6A86)
            record = self._records(ef).get(p1)
            if record is None:
                return _sw(0x6A83)
            tlv = bytes([p1, len(record)]) + record
            if le not in (None, 0, len(tlv)):
                return _sw(0x6C00 | len(tlv))
            return _sw(SW_OK, tlv)
        if ins == 0x36:
            return _sw(0x6D00)
        return _sw(0x6D00)


@dataclass
class ResidentIdContactless(VirtualCard):
    """A resident ID card on a contactless PC/SC reader: physical id and PUPI, nothing else."""

    physical_id: bytes
    pupi: bytes = bytes.fromhex("00000000")
    atr: bytes = bytes.fromhex("3B8880010000000000000000") + b"\x09"

    def process(self, apdu: bytes) -> bytes:
        if apdu[:2] == b"\xff\xca":
            return _sw(SW_OK, self.pupi)
        if apdu[:4] == bytes.fromhex("00360000"):
            return _sw(SW_OK, self.physical_id)
        return _sw(0x6D00)


class VpcdCard:
    """Inserts ``card`` into vpcd's reader by connecting to it; ``remove`` takes it out."""

    def __init__(self, card: VirtualCard, host: str = "127.0.0.1", port: int = VPCD_PORT) -> None:
        self.card = card
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.apdus = 0

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    def insert(self, timeout: float = 5.0) -> None:
        if self._sock is not None:
            return
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> VpcdCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                head = _recv_exact(sock, 2)
                if head is None:
                    return
                length = int.from_bytes(head, "big")
                msg = _recv_exact(sock, length) if length else b""
                if msg is None:
                    return
                if length == 1:
                    if msg[0] in (CTRL_ON, CTRL_RESET, CTRL_OFF):
                        self.card.reset()
                    elif msg[0] == CTRL_ATR:
                        _send(sock, self.card.atr)
                    continue
                self.apdus += 1
                _send(sock, self.card.process(msg))
        except OSError:
            return


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(len(payload).to_bytes(2, "big") + payload)
