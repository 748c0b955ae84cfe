"""The reference platform's own SQLite database (persistent across restarts)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.devtools.refplatform import seed

SCHEMA = """
CREATE TABLE IF NOT EXISTS terminals (id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, secret_hex TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS halls (hall_id TEXT PRIMARY KEY, payload TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    code TEXT PRIMARY KEY, payload TEXT NOT NULL, seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS items_seq ON items (seq);
CREATE TABLE IF NOT EXISTS cases (
    case_number TEXT PRIMARY KEY, id_hash TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cases_id ON cases (id_hash);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, at TEXT NOT NULL, terminal_id TEXT NOT NULL,
    hall_id TEXT NOT NULL,
    payload TEXT NOT NULL, received_at REAL NOT NULL, arrival INTEGER NOT NULL);
-- Each push numbers its events after max(arrival): without the index that read every event.
CREATE INDEX IF NOT EXISTS events_arrival ON events (arrival);
CREATE TABLE IF NOT EXISTS receipts (id TEXT PRIMARY KEY, times INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, seen_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats (terminal_id TEXT PRIMARY KEY, payload TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS commands (
    id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS remote_tickets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, hall_id TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS remote_tickets_hall ON remote_tickets (hall_id, seq);
"""


class PlatformDB:
    """One connection per thread; writes serialised by a lock (the dev server is threaded)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.write_lock = threading.Lock()
        conn = self.conn()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)

    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            c.execute("PRAGMA synchronous = FULL")
            c.execute("PRAGMA busy_timeout = 30000")
            self._local.conn = c
        return c

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self.write_lock:
            c = self.conn()
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def meta(self, key: str) -> str | None:
        row = self.conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def hall(self, hall_id: str) -> dict[str, Any] | None:
        """The hall's profile as stored (the payload the platform serves), or None."""
        row = self.conn().execute("SELECT payload FROM halls WHERE hall_id = ?", (hall_id,)).fetchone()
        return dict(json.loads(row[0])) if row is not None else None

    def next_seq(self, c: sqlite3.Connection) -> int:
        row = c.execute("SELECT coalesce(max(seq), 0) + 1 FROM items").fetchone()
        return int(row[0])

    # -- seeding ---------------------------------------------------------------------------
    def seed_demo(self, terminal_secret_hex: str, more_terminals: dict[str, str] | None = None) -> None:
        """The demo hall and terminal (and ``more_terminals``: id -> secret hex, the hall's other
        devices); idempotent (a restarted platform keeps its data)."""
        with self.tx() as c:
            for tid, secret_hex in {seed.TERMINAL_ID: terminal_secret_hex, **(more_terminals or {})}.items():
                c.execute(
                    "INSERT INTO terminals (id, hall_id, secret_hex) VALUES (?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET secret_hex = excluded.secret_hex",
                    (tid, seed.HALL_ID, secret_hex),
                )
            if c.execute("SELECT 1 FROM halls WHERE hall_id = ?", (seed.HALL_ID,)).fetchone() is None:
                c.execute(
                    "INSERT INTO halls (hall_id, payload, version) VALUES (?, ?, ?)",
                    (seed.HALL_ID, json.dumps(seed.HALL, ensure_ascii=False), seed.HALL["version"]),
                )
            if c.execute("SELECT count(*) FROM items").fetchone()[0] == 0:
                self.put_items(c, seed.items())

    def put_items(self, c: sqlite3.Connection, items: list[dict[str, Any]]) -> None:
        seq = self.next_seq(c)
        c.executemany(
            "INSERT INTO items (code, payload, seq, deleted) VALUES (?, ?, ?, 0) "
            "ON CONFLICT(code) DO UPDATE SET payload = excluded.payload, seq = excluded.seq, deleted = 0",
            [(it["code"], json.dumps(it, ensure_ascii=False), seq + i) for i, it in enumerate(items)],
        )

    def delete_items(self, c: sqlite3.Connection, codes: list[str]) -> None:
        seq = self.next_seq(c)
        for i, code in enumerate(codes):
            c.execute("UPDATE items SET deleted = 1, seq = ? WHERE code = ?", (seq + i, code))
