"""Logging: a rotating file plus stderr, text or JSON lines, with personal data redacted.

Redaction is a filter on every handler, so a careless ``log.info("%s", card)`` anywhere in the
program still cannot put an ID number into a log that operations keep for six months.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.privacy import redact

LOG_FILE = "kiosk.log"
_HANDLER_TAG = "hall-kiosk"
_TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RedactFilter(logging.Filter):
    """Renders the message once, redacts it, and freezes it into the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not kill logging
            message = f"{record.msg!r} (unformattable arguments)"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class EscposRootFilter(logging.Filter):
    """python-escpos logs through the root logger ("File printer enabled", "Closing Network
    connection to printer ..." on every ticket). Its records are renamed ``escpos`` so a reader
    knows where they come from, and the routine ones are dropped: the printer device logs what
    matters, and two lines per ticket for six months would bury it. Warnings and errors stay."""

    _PACKAGE_DIR = f"{os.sep}escpos{os.sep}"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != "root" or self._PACKAGE_DIR not in record.pathname:
            return True
        record.name = "escpos"
        return record.levelno >= logging.WARNING


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_text:
            doc["exc"] = record.exc_text
        return json.dumps(doc, ensure_ascii=False)


def setup_logging(
    level: str = "INFO",
    *,
    log_dir: Path | None = None,
    json_lines: bool = False,
    max_bytes: int = 5_000_000,
    backups: int = 10,
    stderr: bool = True,
) -> None:
    root = logging.getLogger()
    close_logging()
    for h in list(root.handlers):
        # A library that calls logging.basicConfig() at import (python-escpos does) leaves a plain
        # stderr handler without our redaction: every line would be printed twice, once unmasked.
        if type(h) is logging.StreamHandler:
            root.removeHandler(h)
    formatter: logging.Formatter = JsonFormatter() if json_lines else logging.Formatter(_TEXT_FORMAT)
    handlers: list[logging.Handler] = []
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_dir / LOG_FILE, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
            )
        )
    for h in handlers:
        h.set_name(_HANDLER_TAG)
        h.addFilter(EscposRootFilter())
        h.addFilter(RedactFilter())
        h.setFormatter(formatter)
        root.addHandler(h)
    root.setLevel(level)


def close_logging() -> None:
    """Remove and close the handlers ``setup_logging`` added (others, e.g. pytest's, stay)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if h.get_name() == _HANDLER_TAG:
            root.removeHandler(h)
            h.close()
