"""Errors the store raises to the application, with a message a technician or citizen can read."""

from __future__ import annotations


class StoreError(Exception):
    """Base for store errors."""


class StoreUnavailable(StoreError):
    """The database cannot record anything now: corrupt file, full disk, unreadable file.

    ``reason`` is a stable code (``corrupt``, ``disk_full``, ``io_error``, ``closed``, ``lost``) and
    ``message`` a plain sentence the UI shows. The kiosk stops taking actions it cannot record.
    """

    MESSAGES = {
        "corrupt": "本机数据库已损坏，暂停办理。请联系技术人员恢复备份。/ The local database is damaged; "
        "service is paused. Please call a technician to restore the backup.",
        "disk_full": "本机存储空间已满，暂停办理。请联系技术人员。/ The terminal's disk is full; "
        "service is paused. Please call a technician.",
        "io_error": "本机数据库无法读写，暂停办理。请联系技术人员。/ The local database cannot be read or "
        "written; service is paused. Please call a technician.",
        "closed": "本机数据库已关闭。/ The local database is closed.",
        "lost": "本机数据库缺失或为空，但本机曾出过号，暂停办理以免号码重复。请联系技术人员恢复备份。"
        "/ The local database is missing or empty although this terminal has issued numbers; "
        "service is paused so no number is given twice. Please call a technician to restore the backup.",
    }

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        self.message = self.MESSAGES.get(reason, self.MESSAGES["io_error"])
        super().__init__(f"{reason}: {detail}" if detail else reason)


class MigrationError(StoreError):
    """A schema migration failed; the database is left at the last good version."""
