"""Encryption at rest for the personal data the store must keep in plain form.

Where a hash serves (appointment holders) the store keeps a hash; where the terminal must read
data back (a citizen's cached case progress) it keeps it sealed with an AEAD under a data key.
The key lives in its own file (mode 0600) outside the database, so a copied ``kiosk.db`` or
backup alone reveals nothing. Lookup keys (an ID number) are turned into a keyed MAC, not a
plain hash, because the ID-number space is small enough to enumerate.

Suites: ``aes-gcm`` = AES-256-GCM + HMAC-SHA256 (default); ``sm4-gcm`` = SM4-GCM + HMAC-SM3 for
halls that must pass a 商用密码应用安全性评估 (密评). Sealed bytes start with a one-byte suite
tag so a store never opens data with the wrong algorithm.

Format: ``tag(1) || nonce(12) || ciphertext || gcm_tag(16)``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher as _Cipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes

from offline_cache.files import write_atomic

Suite = Literal["aes-gcm", "sm4-gcm"]
_TAGS: dict[str, int] = {"aes-gcm": 1, "sm4-gcm": 2}
KEY_BYTES = 32


class CryptoError(Exception):
    """Sealed data could not be opened (wrong key, wrong suite or tampered)."""


class KeyFileError(CryptoError):
    """The key file is missing, unreadable, malformed or readable by others."""


def load_or_create_key(path: Path) -> bytes:
    """The 32-byte data key from ``path``, creating it (0600, parent 0700) on first use."""
    path = Path(path)
    try:
        return _load(path)
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    try:
        write_atomic(path, key.hex().encode("ascii") + b"\n", replace=False)
    except FileExistsError:
        return _load(path)  # another process created it first: use theirs
    except OSError as exc:
        raise KeyFileError(f"cannot create key file {path}: {exc.strerror or exc}") from None
    return key


def _load(path: Path) -> bytes:
    try:
        st = path.stat()
        if st.st_size == 0:
            # Left by an interrupted first creation (older versions wrote in place): it never
            # held a key, so nothing was ever sealed with it. Make the key it should have been.
            path.unlink()
            raise FileNotFoundError(path)
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o077:
            raise KeyFileError(f"key file {path} is readable by others (mode {mode:o}); chmod 600 it")
        data = path.read_bytes()[:4096]
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror or exc}") from None
    try:
        key = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise KeyFileError(f"key file {path} is not a hex key") from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"key file {path} holds {len(key)} bytes, expected {KEY_BYTES}")
    return key


class Cipher:
    """Seal/open bytes and MAC lookup keys with one suite under one data key."""

    def __init__(self, key: bytes, suite: Suite = "aes-gcm") -> None:
        if suite not in _TAGS:
            raise ValueError(f"unknown crypto suite {suite!r}")
        if len(key) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self.suite = suite
        # Separate sub-keys for encryption and MAC, derived so one key file serves both.
        self._enc = hashlib.sha256(b"hall-kiosk enc\x00" + key).digest()
        self._mac = hashlib.sha256(b"hall-kiosk mac\x00" + key).digest()
        if suite == "sm4-gcm":
            self._enc = self._enc[:16]  # SM4 has a 128-bit key

    @classmethod
    def from_key_file(cls, path: Path, suite: Suite = "aes-gcm") -> Cipher:
        return cls(load_or_create_key(path), suite)

    def _algorithm(self) -> algorithms.AES | algorithms.SM4:
        return algorithms.SM4(self._enc) if self.suite == "sm4-gcm" else algorithms.AES(self._enc)

    def seal(self, plaintext: bytes, aad: bytes = b"") -> bytes:
        nonce = os.urandom(12)
        enc = _Cipher(self._algorithm(), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        body = enc.update(plaintext) + enc.finalize()
        return bytes([_TAGS[self.suite]]) + nonce + body + enc.tag

    def open(self, sealed: bytes, aad: bytes = b"") -> bytes:
        if len(sealed) < 1 + 12 + 16:
            raise CryptoError("sealed data too short")
        if sealed[0] != _TAGS[self.suite]:
            raise CryptoError("sealed with another crypto suite")
        nonce, body, tag = sealed[1:13], sealed[13:-16], sealed[-16:]
        dec = _Cipher(self._algorithm(), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(aad)
        try:
            return dec.update(body) + dec.finalize()
        except InvalidTag:
            raise CryptoError("sealed data failed authentication") from None

    def mac(self, data: bytes) -> str:
        """Hex keyed MAC (HMAC-SHA256 or HMAC-SM3) for lookups by personal identifiers."""
        h = hmac.HMAC(self._mac, hashes.SM3() if self.suite == "sm4-gcm" else hashes.SHA256())
        h.update(data)
        return h.finalize().hex()
