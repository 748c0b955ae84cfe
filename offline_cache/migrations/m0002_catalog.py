"""Service catalog with trigram full-text search over Chinese text and pinyin; case cache.

``catalog_fts`` is an external-content FTS5 table over ``search_text`` (name, department and
the pinyin, full and initials, of both), kept in step by triggers. The trigram tokenizer finds
any substring of three or more characters; shorter queries go through ``instr`` on the same
column (see ``offline_cache.catalog``).
"""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
CREATE TABLE catalog_items (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    department    TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT 'promised',
    legal_days    INTEGER,
    promised_days INTEGER,
    online_depth  INTEGER NOT NULL DEFAULT 1,
    fee           TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    conditions    TEXT NOT NULL DEFAULT '',
    materials     TEXT NOT NULL DEFAULT '[]',
    steps         TEXT NOT NULL DEFAULT '[]',
    faq           TEXT NOT NULL DEFAULT '[]',
    updated_at    TEXT NOT NULL DEFAULT '',
    pinyin        TEXT NOT NULL DEFAULT '',
    initials      TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX catalog_category ON catalog_items (category, name);
-- Prefix lookups for one- and two-character queries (typed on every first keystroke).
CREATE INDEX catalog_name ON catalog_items (name);
CREATE INDEX catalog_initials ON catalog_items (initials);
CREATE INDEX catalog_pinyin ON catalog_items (pinyin);

CREATE VIRTUAL TABLE catalog_fts USING fts5(
    search_text, content = 'catalog_items', content_rowid = 'rowid', tokenize = 'trigram'
);

CREATE TRIGGER catalog_ai AFTER INSERT ON catalog_items BEGIN
    INSERT INTO catalog_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER catalog_ad AFTER DELETE ON catalog_items BEGIN
    INSERT INTO catalog_fts (catalog_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER catalog_au AFTER UPDATE ON catalog_items BEGIN
    INSERT INTO catalog_fts (catalog_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO catalog_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;

-- Case progress looked up online, kept briefly so a citizen who asks twice gets an answer
-- offline. Keyed by a hash of the lookup; the answer is encrypted (it names the citizen's case).
CREATE TABLE case_cache (
    lookup_hash TEXT PRIMARY KEY,
    payload     BLOB NOT NULL,
    fetched_at  TEXT NOT NULL,
    expires_at  REAL NOT NULL
);
CREATE INDEX case_cache_expiry ON case_cache (expires_at);
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
