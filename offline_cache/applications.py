"""The application spool: applications a citizen submitted at the terminal, sealed at rest,
kept until the platform has them, then purged.

An application carries personal data (form values, the applicant's ID number) and photographs
of documents, so it never lies in the database or on disk in plain form: each one is one file,
sealed with the store's data key (AEAD, the application id as associated data, so a file renamed
to another id does not open). A file is written whole (temporary name, fsync, rename, fsync of
the directory): after a power cut an application is either there completely or not at all.
Photographs are kept out of SQLite on purpose: megabytes of pages would bloat the database and
its backups, and a deleted file leaves nothing readable (it was sealed) where freed SQLite pages
would linger until a VACUUM.

Delivery order is acceptance order (the file name starts with the acceptance time). A rejected
application moves to ``rejected/`` still sealed, for a technician, never silently dropped.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from offline_cache.crypto import Cipher, CryptoError

SPOOL_DIR = "applications"
"""The spool's directory under the terminal's data directory."""

_NAME = re.compile(r"(\d{20})-([0-9a-f-]{36})\.sealed")


@dataclass(frozen=True)
class Page:
    material: str
    sha256: str
    jpeg: bytes = b""

    def __repr__(self) -> str:
        return f"Page({self.material!r}, {self.sha256[:12]}…, {len(self.jpeg)} bytes)"


@dataclass(frozen=True)
class Sealed:
    application: dict[str, Any]
    pages: tuple[Page, ...]

    def __repr__(self) -> str:
        return f"Sealed({self.application.get('application_id')!r}, <personal data hidden>)"


@dataclass(frozen=True)
class Rejected:
    """A refused application as a technician sees it: no personal data, just when and why."""

    application_id: str
    rejected_at: str
    reason: str


class SpoolError(Exception):
    """A spooled application could not be read back (wrong key, damaged file)."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ApplicationSpool:
    def __init__(self, directory: Path, cipher: Cipher) -> None:
        self.dir = Path(directory)
        self.cipher = cipher
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        (self.dir / "rejected").mkdir(exist_ok=True, mode=0o700)

    def accept(self, application: dict[str, Any], pages: list[Page]) -> Path:
        aid = str(application["application_id"])
        body = {
            "application": application,
            "pages": [
                {"material": p.material, "sha256": p.sha256, "jpeg": base64.b64encode(p.jpeg).decode()}
                for p in pages
            ],
        }
        sealed = self.cipher.seal(json.dumps(body, ensure_ascii=False).encode(), aad=aid.encode())
        final = self.dir / f"{time.time_ns():020d}-{aid}.sealed"
        tmp = self.dir / f".{aid}.partial"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, sealed)
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(final)
        _fsync_dir(self.dir)
        return final

    def _files(self, where: Path | None = None) -> list[tuple[str, Path]]:
        folder = where or self.dir
        if not folder.is_dir():
            return []  # removed under us (a technician cleaning up): nothing spooled
        out = []
        for p in sorted(folder.iterdir()):
            m = _NAME.fullmatch(p.name)
            if m:
                out.append((m.group(2), p))
        return out

    def pending(self) -> list[str]:
        """Application ids waiting for the platform, oldest first."""
        return [aid for aid, _ in self._files()]

    def depth(self) -> int:
        return len(self._files())

    def rejected(self) -> list[str]:
        return [aid for aid, _ in self._files(self.dir / "rejected")]

    def rejected_entries(self, limit: int = 20) -> list[Rejected]:
        """The newest refusals first, with the platform's reason (the technician's sync page)."""
        out = []
        for aid, path in self._files(self.dir / "rejected"):
            note = path.with_suffix(".reason")
            try:
                reason, when = note.read_text(encoding="utf-8").strip(), note.stat().st_mtime
            except FileNotFoundError:
                reason, when = "", path.stat().st_mtime
            out.append(Rejected(aid, datetime.fromtimestamp(when).isoformat(timespec="seconds"), reason))
        return sorted(out, key=lambda r: r.rejected_at, reverse=True)[:limit]

    def _path(self, aid: str) -> Path | None:
        return next((p for a, p in self._files() if a == aid), None)

    def load(self, aid: str) -> Sealed | None:
        """The application and its pages, or None when it is no longer spooled."""
        path = self._path(aid)
        if path is None:
            return None
        try:
            body = json.loads(self.cipher.open(path.read_bytes(), aad=aid.encode()))
        except FileNotFoundError:
            return None
        except (CryptoError, ValueError) as exc:
            raise SpoolError(f"application {aid} cannot be read back: {exc}") from None
        pages = tuple(Page(p["material"], p["sha256"], base64.b64decode(p["jpeg"])) for p in body["pages"])
        return Sealed(body["application"], pages)

    def purge(self, aid: str) -> bool:
        """The platform has it: remove it (True when a file was removed)."""
        path = self._path(aid)
        if path is None:
            return False
        path.unlink(missing_ok=True)
        _fsync_dir(self.dir)
        return True

    def reject(self, aid: str, reason: str) -> None:
        """Move it aside, still sealed, with the platform's reason (no personal data in it)."""
        path = self._path(aid)
        if path is None:
            return
        target = self.dir / "rejected" / path.name
        path.replace(target)
        target.with_suffix(".reason").write_text(reason[:500] + "\n", encoding="utf-8")
        _fsync_dir(self.dir)

    def purge_rejected_before(self, cutoff_iso_date: str) -> int:
        """Refused applications a technician has had ``retention_days`` to look at: removed
        (the retention job's purger; they are sealed, but kept no longer than needed)."""
        cutoff = datetime.fromisoformat(cutoff_iso_date).timestamp()
        removed = 0
        for _aid, path in self._files(self.dir / "rejected"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                path.with_suffix(".reason").unlink(missing_ok=True)
                removed += 1
        return removed

    def plain_bytes_on_disk(self) -> list[Path]:
        """Every file under the spool (tests assert nothing personal is readable in them)."""
        return [p for p in self.dir.rglob("*") if p.is_file()]
